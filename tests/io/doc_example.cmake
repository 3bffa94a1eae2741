# docs/scenario-format.md quotes bench/scenarios/default-offshore-team.json in full, between
# the lines "<!-- example:begin -->" + "```json" and "```" + "<!-- example:end -->", so that
# the page's main example is a real, tested file and cannot go stale.
#
# Check (the CTest test io.scenario_format_doc_example runs this):
#   cmake -P tests/io/doc_example.cmake
# Refresh the page from the file after changing the file:
#   cmake -DUPDATE=ON -P tests/io/doc_example.cmake
# SOURCE_DIR (the repository) defaults to two levels above this script.
cmake_minimum_required(VERSION 3.20)

if(NOT SOURCE_DIR)
  get_filename_component(SOURCE_DIR "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
endif()
set(doc_file "${SOURCE_DIR}/docs/scenario-format.md")
set(example_file "${SOURCE_DIR}/bench/scenarios/default-offshore-team.json")

file(READ "${doc_file}" doc)
file(READ "${example_file}" example)
if(NOT example MATCHES "\n$")
  string(APPEND example "\n")  # the closing fence needs a line of its own
endif()

set(open_marker "<!-- example:begin -->\n```json\n")
set(close_marker "```\n<!-- example:end -->")
string(FIND "${doc}" "${open_marker}" open_at)
string(FIND "${doc}" "${close_marker}" close_at)
if(open_at EQUAL -1 OR close_at EQUAL -1 OR close_at LESS open_at)
  message(FATAL_ERROR "${doc_file}: the example markers are missing: the page must hold "
                      "\"<!-- example:begin -->\" + a ```json fence, the text of ${example_file}, "
                      "then the closing fence + \"<!-- example:end -->\"")
endif()
string(LENGTH "${open_marker}" open_len)
math(EXPR start "${open_at} + ${open_len}")
math(EXPR len "${close_at} - ${start}")
string(SUBSTRING "${doc}" ${start} ${len} block)

if(block STREQUAL example)
  message(STATUS "${doc_file}: the example is ${example_file}, verbatim")
  return()
endif()

if(UPDATE)
  string(SUBSTRING "${doc}" 0 ${start} head)
  string(SUBSTRING "${doc}" ${close_at} -1 tail)
  file(WRITE "${doc_file}" "${head}${example}${tail}")
  message(STATUS "${doc_file}: example refreshed from ${example_file}")
  return()
endif()

# The first line that differs, for the message (lines are cut one by one: the text holds
# semicolons and brackets, so it is never treated as a CMake list).
set(line 1)
set(a "${block}")
set(b "${example}")
while(TRUE)
  string(FIND "${a}" "\n" ia)
  string(FIND "${b}" "\n" ib)
  if(ia EQUAL -1)
    set(la "${a}")
  else()
    string(SUBSTRING "${a}" 0 ${ia} la)
  endif()
  if(ib EQUAL -1)
    set(lb "${b}")
  else()
    string(SUBSTRING "${b}" 0 ${ib} lb)
  endif()
  if(NOT la STREQUAL lb OR ia EQUAL -1 OR ib EQUAL -1)
    break()
  endif()
  math(EXPR ia "${ia} + 1")
  math(EXPR ib "${ib} + 1")
  string(SUBSTRING "${a}" ${ia} -1 a)
  string(SUBSTRING "${b}" ${ib} -1 b)
  math(EXPR line "${line} + 1")
endwhile()
message(FATAL_ERROR "${doc_file}: the example differs from ${example_file} at line ${line} of the file:\n"
                    "  page: ${la}\n  file: ${lb}\n"
                    "Refresh the page with: cmake -DUPDATE=ON -P tests/io/doc_example.cmake")
