# CTest registration of the numpy peer checks (bench/model/numpy_default_scenario.py):
#  - model.numpy_peer_eval (--check-eval): numpy's per-trial evaluation and offroi's
#    evaluate_trial (bench/model/numpy_peer_eval.cpp) on the same 4 000 input sets agree to
#    1e-9 relative on every output both compute;
#  - model.numpy_peer (--check): the numpy transcription of the default scenario and
#    `offroi run` at 20 000 trials each (independent random numbers, fixed seed) agree within
#    4.5 standard errors on the mean and P10/P50/P90 of net benefit and total cost, the
#    component means and P(net loss). Needs the CLI target (offroi_cli).
# Both need /usr/bin/python3 with numpy and scipy; skipped with a status message otherwise.
#
# Include it from tests/CMakeLists.txt (after the CLI target exists), e.g.
#   include(${PROJECT_SOURCE_DIR}/bench/model/numpy_peer.cmake OPTIONAL)

set(offroi_numpy_python /usr/bin/python3 CACHE FILEPATH "Python with numpy and scipy for the numpy peer check")
if(NOT EXISTS ${offroi_numpy_python})
  message(STATUS "offroi: numpy peer check skipped (${offroi_numpy_python} not found)")
else()
  execute_process(COMMAND ${offroi_numpy_python} -c "import numpy, scipy.stats"
                  RESULT_VARIABLE offroi_numpy_ok OUTPUT_QUIET ERROR_QUIET)
  if(NOT offroi_numpy_ok EQUAL 0)
    message(STATUS "offroi: numpy peer check skipped (${offroi_numpy_python} lacks numpy/scipy)")
  else()
    add_executable(numpy_peer_eval ${CMAKE_CURRENT_LIST_DIR}/numpy_peer_eval.cpp)
    target_link_libraries(numpy_peer_eval PRIVATE offroi::offroi)
    target_compile_options(numpy_peer_eval PRIVATE -Wall -Wextra)
    add_test(NAME model.numpy_peer_eval
             COMMAND ${offroi_numpy_python} ${CMAKE_CURRENT_LIST_DIR}/numpy_default_scenario.py
                     --check-eval $<TARGET_FILE:numpy_peer_eval>)
    set_tests_properties(model.numpy_peer_eval PROPERTIES TIMEOUT 120 LABELS "model;numpy")
  endif()
  if(offroi_numpy_ok EQUAL 0 AND NOT TARGET offroi_cli)
    message(STATUS "offroi: numpy peer agreement check skipped (no offroi_cli target)")
  elseif(offroi_numpy_ok EQUAL 0)
    add_test(NAME model.numpy_peer
             COMMAND ${offroi_numpy_python} ${CMAKE_CURRENT_LIST_DIR}/numpy_default_scenario.py
                     --trials 20000 --seed 20240601 --threads 2 --limit 4.5
                     --check $<TARGET_FILE:offroi_cli>)
    set_tests_properties(model.numpy_peer PROPERTIES TIMEOUT 120 LABELS "model;numpy")
  endif()
endif()
