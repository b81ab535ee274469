# Browser tests of the built-in templates and themes (tests/browser/run.mjs): every page of every
# edition at 320, 375 and 1280 px in Chromium, with axe-core, the keyboard, links, the read-aloud
# button and the Nu HTML Checker. Needs `make test-deps` (mk/browser.mk). Screenshots of every
# page go to build/<preset>/screenshots/<site>/.
find_program(TANDEM_NODE node)
if(NOT TANDEM_NODE)
  set(TANDEM_NODE node)
endif()

add_test(NAME browser_example
  COMMAND ${TANDEM_NODE} ${CMAKE_CURRENT_LIST_DIR}/run.mjs --tandem $<TARGET_FILE:tandem>
          --site ${PROJECT_SOURCE_DIR} --screenshots ${PROJECT_BINARY_DIR}/screenshots/example
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
add_test(NAME browser_three_editions
  COMMAND ${TANDEM_NODE} ${CMAKE_CURRENT_LIST_DIR}/run.mjs --tandem $<TARGET_FILE:tandem>
          --site ${PROJECT_SOURCE_DIR}/tests/sites/three-editions
          --screenshots ${PROJECT_BINARY_DIR}/screenshots/three-editions
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
# Editions of 26 pages: a section page lists only the sections near it (nav_near).
add_test(NAME browser_long_edition
  COMMAND ${TANDEM_NODE} ${CMAKE_CURRENT_LIST_DIR}/run.mjs --tandem $<TARGET_FILE:tandem>
          --site ${PROJECT_SOURCE_DIR}/tests/sites/long-edition
          --screenshots ${PROJECT_BINARY_DIR}/screenshots/long-edition
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(browser_example browser_three_editions browser_long_edition PROPERTIES
  LABELS browser TIMEOUT 900 RESOURCE_LOCK chromium)
