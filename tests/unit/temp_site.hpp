// A folder of files for one test, under the system's temp folder: made fresh when the test
// starts and removed, with all it holds, when it ends, even when a REQUIRE stops the test early.
// One class for every test file, so that a fix to how the folders are named or cleaned up is
// made once.
#pragma once

#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>
#include <system_error>

namespace tandem::testing {

/// The source tree, whose example site (content/, templates/, themes/) tests start from.
inline const std::filesystem::path source_dir{TANDEM_SOURCE_DIR};

class temp_site {
 public:
  /// The name holds the process id, so that two test runs at once never share a folder, and a
  /// count shared by every test file of the run, so that two folders of one run never do either
  /// (a test may hold several at once). A folder that a crashed run left under the same name is
  /// cleared first.
  temp_site() {
    static std::atomic<int> count{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("tandem_test_" + std::to_string(::getpid()) + "_" + std::to_string(++count));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~temp_site() {
    std::error_code ignored;  // a folder left behind is no reason to stop the other tests
    std::filesystem::remove_all(dir_, ignored);
  }
  temp_site(const temp_site&) = delete;
  temp_site& operator=(const temp_site&) = delete;

  const std::filesystem::path& dir() const { return dir_; }

  /// Writes the file at `rel`, making its folders; byte for byte, as a site's author saves it.
  void write(const std::string& rel, const std::string& text) const {
    std::filesystem::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel, std::ios::binary) << text;
  }

  /// The file at `rel`. A test reads only files it expects to be there, so a missing one fails
  /// the test here rather than passing on an empty text.
  std::string read(const std::string& rel) const {
    std::ifstream in(dir_ / rel, std::ios::binary);
    if (!in) FAIL("the test site has no " << rel);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  /// Replaces the first `from` in the file at `rel` with `to`. An edit that does not find its
  /// text stops the test: otherwise the test would go on to check the file unedited.
  void replace(const std::string& rel, const std::string& from, const std::string& to) const {
    std::string text = read(rel);
    auto at = text.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, std::string(rel + " has no '" + from + "'"));
    write(rel, text.replace(at, from.size(), to));
  }

  /// Removes the file or folder at `rel`, with all it holds; nothing there is no mistake.
  void remove(const std::string& rel) const { std::filesystem::remove_all(dir_ / rel); }

  /// Makes the folder at `rel`, for a test of a file missing from a folder that is there.
  void make_folder(const std::string& rel) const {
    std::filesystem::create_directories(dir_ / rel);
  }

  /// Copies what the folder `from` holds into the folder `rel` (by default the temp folder
  /// itself), making it and its parents first, over any files of the same names.
  void copy(const std::filesystem::path& from, const std::string& rel = "") const {
    const std::filesystem::path to = rel.empty() ? dir_ : dir_ / rel;
    std::filesystem::create_directories(to);
    std::filesystem::copy(from, to,
                          std::filesystem::copy_options::recursive |
                              std::filesystem::copy_options::overwrite_existing);
  }

  /// Starts from the example site: a copy of its content/, and of its templates/ and themes/ as
  /// well when the test names them (to edit them, or to see them edited).
  void copy_example(std::initializer_list<const char*> folders = {"content"}) const {
    for (const char* folder : folders) copy(source_dir / folder, folder);
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace tandem::testing
