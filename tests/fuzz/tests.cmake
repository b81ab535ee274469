# A short fuzzing run (issue 7): fuzz/run.sh builds the libFuzzer harnesses with clang, ASan and
# UBSan in build/fuzz, replays every saved regression input and fuzzes each harness for
# FUZZ_TEST_SECONDS (12) seconds: about a minute in all once built. `make fuzz` runs longer.
if(NOT DEFINED FUZZ_TEST_SECONDS)
  set(FUZZ_TEST_SECONDS 12)
endif()
add_test(NAME fuzz_short
  COMMAND bash ${PROJECT_SOURCE_DIR}/fuzz/run.sh ${FUZZ_TEST_SECONDS}
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(fuzz_short PROPERTIES LABELS fuzz TIMEOUT 1200)
