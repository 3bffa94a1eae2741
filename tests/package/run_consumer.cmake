# Script mode: install offroi into a private prefix (find_package modes) and build + run a
# consumer project against it, or build the consumer with offroi as a subdirectory.
#   CONSUMER   the project under tests/package/ (default: consumer)
#   MODE       find_package | add_subdirectory
#   COMPONENT  install only this component (e.g. dev: headers, liboffroi, CMake package)
#   NO_JSON    ON: make nlohmann_json unfindable for the consumer (offroi alone must not need it)
if(NOT CONSUMER)
  set(CONSUMER consumer)
endif()
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(run)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${WORK_DIR} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "command failed (${rc}): ${ARGN}")
  endif()
endfunction()

# The consumers check that the package configures, compiles, links and runs, not its speed:
# they build without optimisation (build type None: no flags), which halves their compile time in CI.
set(CONSUMER_BUILD_TYPE None)
set(src ${CMAKE_CURRENT_LIST_DIR}/${CONSUMER})
set(extra)
if(NO_JSON)
  list(APPEND extra -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=TRUE)
endif()
if(MODE STREQUAL "find_package")
  if(COMPONENT)
    run(${CMAKE_COMMAND} --install ${OFFROI_BINARY_DIR} --prefix ${WORK_DIR}/prefix --component ${COMPONENT})
  else()
    run(${CMAKE_COMMAND} --install ${OFFROI_BINARY_DIR} --prefix ${WORK_DIR}/prefix)
  endif()
  # The exported targets must not carry paths of the machine that built offroi (Random123 is
  # found again by offroiConfig.cmake); the consumers check that no -ffp-contract is imposed.
  file(GLOB exported ${WORK_DIR}/prefix/lib*/cmake/offroi/offroi*Targets.cmake)
  foreach(f IN LISTS exported)
    file(READ ${f} text)
    if(text MATCHES "/usr/include")
      message(FATAL_ERROR "${f} hard-codes an include path of the build machine (/usr/include...)")
    endif()
  endforeach()
  run(${CMAKE_COMMAND} -S ${src} -B ${WORK_DIR}/build ${extra}
      -DCMAKE_BUILD_TYPE=${CONSUMER_BUILD_TYPE} -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DOFFROI_CONSUMER_MODE=find_package)
else()
  run(${CMAKE_COMMAND} -S ${src} -B ${WORK_DIR}/build ${extra}
      -DCMAKE_BUILD_TYPE=${CONSUMER_BUILD_TYPE} -DOFFROI_CONSUMER_MODE=add_subdirectory
      -DOFFROI_SOURCE_DIR=${OFFROI_SOURCE_DIR})
endif()
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build -j2)
file(GLOB exe ${WORK_DIR}/build/*consumer)
run(${exe})
