# CTest registration of the numpy peer checks (bench/model/numpy_default_scenario.py, model v2):
#  - model.numpy_peer_eval (--check-eval): numpy's per-trial evaluation and offroi's
#    evaluate_trial (bench/model/numpy_peer_eval.cpp) on the same 4 000 input sets and event
#    uniforms agree to 1e-9 relative on every one of the 72 outputs (parity month: within
#    numpy's range for rounding-level ties of the two unit costs);
#  - model.numpy_peer_eval_detects: the same check on a deliberately wrong numpy model (useful
#    capacity 1% low under a coordination penalty) must report disagreements;
#  - model.numpy_peer (--check): the numpy transcription of the default scenario and
#    `offroi run` at 20 000 trials each (independent random numbers, fixed seed) agree within
#    4.5 standard errors on the mean of every reported output, P10/P50/P90 of the costs, spend,
#    net benefit, net saving, delivery value and ROI, and P(net loss). Needs the CLI target
#    (offroi_cli). model.numpy_peer_detects: the same with the deliberately wrong numpy model
#    must report a disagreement (at this seed: offshore_team.nb_volume mean, z = -6.2).
# They need /usr/bin/python3 with numpy; skipped with a status message otherwise.
#
# Included from tests/CMakeLists.txt (after the CLI target exists):
#   include(${PROJECT_SOURCE_DIR}/bench/model/numpy_peer.cmake OPTIONAL)

set(offroi_numpy_python /usr/bin/python3 CACHE FILEPATH "Python with numpy for the numpy peer check")
if(NOT EXISTS ${offroi_numpy_python})
  message(STATUS "offroi: numpy peer check skipped (${offroi_numpy_python} not found)")
else()
  execute_process(COMMAND ${offroi_numpy_python} -c "import numpy"
                  RESULT_VARIABLE offroi_numpy_ok OUTPUT_QUIET ERROR_QUIET)
  if(NOT offroi_numpy_ok EQUAL 0)
    message(STATUS "offroi: numpy peer check skipped (${offroi_numpy_python} lacks numpy)")
  else()
    set(offroi_numpy_peer ${CMAKE_CURRENT_LIST_DIR}/numpy_default_scenario.py)
    add_executable(numpy_peer_eval ${CMAKE_CURRENT_LIST_DIR}/numpy_peer_eval.cpp)
    target_link_libraries(numpy_peer_eval PRIVATE offroi::offroi)
    target_compile_options(numpy_peer_eval PRIVATE -Wall -Wextra)
    add_test(NAME model.numpy_peer_eval
             COMMAND ${offroi_numpy_python} ${offroi_numpy_peer} --check-eval $<TARGET_FILE:numpy_peer_eval>)
    set_tests_properties(model.numpy_peer_eval PROPERTIES TIMEOUT 120 LABELS "model;numpy")
    add_test(NAME model.numpy_peer_eval_detects
             COMMAND ${offroi_numpy_python} ${offroi_numpy_peer} --check-eval $<TARGET_FILE:numpy_peer_eval>
                     --mutate sync_loss)
    set_tests_properties(model.numpy_peer_eval_detects PROPERTIES TIMEOUT 120 LABELS "model;numpy"
                         PASS_REGULAR_EXPRESSION "1\\.total_cost +max relative difference [^\n]*DISAGREES")
  endif()
  if(offroi_numpy_ok EQUAL 0 AND NOT TARGET offroi_cli)
    message(STATUS "offroi: numpy peer agreement check skipped (no offroi_cli target)")
  elseif(offroi_numpy_ok EQUAL 0)
    add_test(NAME model.numpy_peer
             COMMAND ${offroi_numpy_python} ${offroi_numpy_peer}
                     --trials 20000 --seed 20240601 --threads 2 --limit 4.5
                     --check $<TARGET_FILE:offroi_cli>)
    set_tests_properties(model.numpy_peer PROPERTIES TIMEOUT 120 LABELS "model;numpy")
    add_test(NAME model.numpy_peer_detects
             COMMAND ${offroi_numpy_python} ${offroi_numpy_peer}
                     --trials 20000 --seed 20240601 --threads 2 --limit 4.5
                     --check $<TARGET_FILE:offroi_cli> --mutate sync_loss)
    set_tests_properties(model.numpy_peer_detects PROPERTIES TIMEOUT 120 LABELS "model;numpy"
                         PASS_REGULAR_EXPRESSION "DISAGREES")
  endif()
endif()
