# docs/scenario-format.md quotes bench/scenarios/default-offshore-team.json verbatim; this
# test fails when they differ (tests/io/doc_example.cmake; -DUPDATE=ON refreshes the page).
add_test(NAME io.scenario_format_doc_example
         COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -P ${CMAKE_CURRENT_LIST_DIR}/doc_example.cmake)
