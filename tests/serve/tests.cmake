# The preview server (`tandem serve`) and scaffolding (`tandem new`): the unit tests are in the
# doctest binary (tests/unit/serve_test.cpp, scaffold_test.cpp); this runs the real binary.

add_test(NAME serve_command
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run_serve.sh $<TARGET_FILE:tandem> ${PROJECT_SOURCE_DIR}
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(serve_command PROPERTIES LABELS serve TIMEOUT 180)
