# Consumer tests: a planning tool uses offroi through find_package (after cmake --install)
# and through add_subdirectory. Both build tests/package/consumer and run it.
add_test(NAME package.find_package
  COMMAND ${CMAKE_COMMAND}
    -DOFFROI_SOURCE_DIR=${PROJECT_SOURCE_DIR}
    -DOFFROI_BINARY_DIR=${PROJECT_BINARY_DIR}
    -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/package-find
    -DMODE=find_package
    -P ${CMAKE_CURRENT_LIST_DIR}/run_consumer.cmake)
add_test(NAME package.add_subdirectory
  COMMAND ${CMAKE_COMMAND}
    -DOFFROI_SOURCE_DIR=${PROJECT_SOURCE_DIR}
    -DOFFROI_BINARY_DIR=${PROJECT_BINARY_DIR}
    -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/package-subdir
    -DMODE=add_subdirectory
    -P ${CMAKE_CURRENT_LIST_DIR}/run_consumer.cmake)
set_tests_properties(package.find_package package.add_subdirectory PROPERTIES TIMEOUT 600)
