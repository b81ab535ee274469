# Hostile input (issue 7). Markdown that takes cmark-gfm or tandem's own passes seconds to minutes
# must fail fast with a message (tests/hostile/cases), and the largest input within each bound of
# src/limits.cpp must still build fast; text that tries to run script or leave the output folder
# never does (run_safe_output.sh). Release build only: the time limits are for it.
add_test(NAME hostile_markdown
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run_hostile.sh $<TARGET_FILE:tandem>
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
add_test(NAME safe_output
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run_safe_output.sh $<TARGET_FILE:tandem>
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(hostile_markdown safe_output PROPERTIES LABELS hostile TIMEOUT 900)
