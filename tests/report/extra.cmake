# The HTML report (tests/report): the CLI test and the real-browser test (headless Chromium
# over the DevTools pipe). The doctest suite tests/report/html_report_test.cpp is globbed.
if(TARGET offroi_cli)
  find_program(OFFROI_REPORT_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
  if(OFFROI_REPORT_PYTHON3)
    add_test(NAME report.cli COMMAND ${OFFROI_REPORT_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/cli_test.py
                                     $<TARGET_FILE:offroi_cli> ${CMAKE_CURRENT_BINARY_DIR}/report_cli)
    set_tests_properties(report.cli PROPERTIES TIMEOUT 300)
    # Needs Chromium (Debian package chromium) and numpy + matplotlib for /usr/bin/python3.
    find_program(OFFROI_CHROMIUM NAMES chromium chromium-browser)
    execute_process(COMMAND ${OFFROI_REPORT_PYTHON3} -c "import numpy, matplotlib"
                    RESULT_VARIABLE _offroi_report_np OUTPUT_QUIET ERROR_QUIET)
    if(OFFROI_CHROMIUM AND _offroi_report_np EQUAL 0)
      add_test(NAME report.browser COMMAND ${OFFROI_REPORT_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/browser_test.py
                                           $<TARGET_FILE:offroi_cli> ${OFFROI_CHROMIUM}
                                           ${CMAKE_CURRENT_BINARY_DIR}/report_browser)
      set_tests_properties(report.browser PROPERTIES TIMEOUT 300 LABELS "slow;browser")
    else()
      message(STATUS "offroi: report.browser skipped (needs chromium and numpy + matplotlib for ${OFFROI_REPORT_PYTHON3})")
    endif()
  endif()
endif()
