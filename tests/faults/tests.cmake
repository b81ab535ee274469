# Faults while publishing (issue 7): SIGKILL mid-build, a full disk, read-only folders, output
# paths that cannot be a site folder, and byte-identical builds whatever the machine's settings.
# Each script prints one line per check and fails if any check fails; those that need root or
# mount namespaces say why they skip. Release build only.
foreach(fault sigkill disk_full read_only output_path reproducible)
  add_test(NAME faults_${fault}
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/${fault}.sh $<TARGET_FILE:tandem>
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(faults_${fault} PROPERTIES LABELS faults TIMEOUT 300)
endforeach()
