# Consumer tests: a planning tool uses offroi through find_package (after cmake --install)
# and through add_subdirectory; the façade consumer links only offroi::offroi with
# nlohmann_json unfindable; the header-only consumer links offroi::header_only. Each builds
# its project under tests/package/ and runs it.
function(offroi_package_test name)
  cmake_parse_arguments(arg "" "CONSUMER;MODE;COMPONENT;NO_JSON" "" ${ARGN})
  add_test(NAME package.${name}
    COMMAND ${CMAKE_COMMAND}
      -DOFFROI_SOURCE_DIR=${PROJECT_SOURCE_DIR}
      -DOFFROI_BINARY_DIR=${PROJECT_BINARY_DIR}
      -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/package-${name}
      -DCONSUMER=${arg_CONSUMER} -DMODE=${arg_MODE} -DCOMPONENT=${arg_COMPONENT} -DNO_JSON=${arg_NO_JSON}
      -P ${CMAKE_CURRENT_LIST_DIR}/run_consumer.cmake)
  set_tests_properties(package.${name} PROPERTIES TIMEOUT 900)
endfunction()
offroi_package_test(find_package CONSUMER consumer MODE find_package)
offroi_package_test(add_subdirectory CONSUMER consumer MODE add_subdirectory)
offroi_package_test(facade CONSUMER facade MODE find_package COMPONENT dev NO_JSON ON)
offroi_package_test(header_only CONSUMER header_only MODE find_package COMPONENT dev)
# Each consumer installs into its own prefix; running them one at a time keeps the two cores
# for the compilers.
set_tests_properties(package.find_package package.add_subdirectory package.facade package.header_only
  PROPERTIES RESOURCE_LOCK offroi_package)

# Documentation snippets: README.md and docs/cpp-guide.md show exactly the code the tests
# compile (regions between "// [NAME]" and "// [/NAME]" markers; check_snippets.py).
find_program(OFFROI_PYTHON3 NAMES python3 REQUIRED)
add_test(NAME package.doc_snippets
  COMMAND ${OFFROI_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/check_snippets.py ${PROJECT_SOURCE_DIR})
