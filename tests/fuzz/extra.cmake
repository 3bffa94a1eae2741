# Fuzzing of the scenario loader and validator (tests/fuzz/scenario_fuzz.cpp; issue 11).
#  - fuzz_scenario_replay + CTest test fuzz.corpus (every build, any compiler): every file
#    of the kept corpus (tests/fuzz/corpus) and of the seed corpus (bench/scenarios,
#    tests/io/data, tests/cli/data) runs once through the fuzz target's checks.
#  - fuzz_scenario (only with -DOFFROI_BUILD_FUZZ=ON and clang): the libFuzzer binary;
#    tests/fuzz/run.sh configures build/fuzz with it and fuzzes (not part of `all`).
add_executable(fuzz_scenario_replay ${CMAKE_CURRENT_LIST_DIR}/scenario_fuzz.cpp
                                    ${CMAKE_CURRENT_LIST_DIR}/replay_main.cpp)
target_link_libraries(fuzz_scenario_replay PRIVATE offroi::io)
target_compile_options(fuzz_scenario_replay PRIVATE -Wall -Wextra -Wpedantic)
add_test(NAME fuzz.corpus
         COMMAND fuzz_scenario_replay ${CMAKE_CURRENT_LIST_DIR}/corpus ${PROJECT_SOURCE_DIR}/bench/scenarios
                 ${PROJECT_SOURCE_DIR}/tests/io/data ${PROJECT_SOURCE_DIR}/tests/cli/data)
set_tests_properties(fuzz.corpus PROPERTIES LABELS "fuzz" PASS_REGULAR_EXPRESSION "no finding")

option(OFFROI_BUILD_FUZZ "Build the libFuzzer target fuzz_scenario (clang only)" OFF)
if(OFFROI_BUILD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "OFFROI_BUILD_FUZZ needs clang (libFuzzer): configure with CXX=clang++")
  endif()
  add_executable(fuzz_scenario EXCLUDE_FROM_ALL ${CMAKE_CURRENT_LIST_DIR}/scenario_fuzz.cpp)
  target_link_libraries(fuzz_scenario PRIVATE offroi::io)
  target_compile_options(fuzz_scenario PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_scenario PRIVATE -fsanitize=fuzzer)
endif()
