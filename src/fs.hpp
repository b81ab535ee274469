// File access: reading sources, listing trees, and the single place output is published.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tandem {

/// Reads a whole file; nullopt if it does not exist or cannot be read (`why` says which).
std::optional<std::string> read_file(const std::filesystem::path& path, std::string* why = nullptr);

/// Regular files under `dir`, as paths relative to `dir` with '/' separators, sorted.
/// Symbolic links are listed only if they resolve inside `dir`; others go to `outside`.
std::vector<std::string> list_files(const std::filesystem::path& dir,
                                    std::vector<std::string>* outside = nullptr);

/// The complete output of a build, held in memory until it is published: relative path ->
/// either bytes or a file to copy. Sorted by path, so listings and writes are deterministic.
class output_tree {
 public:
  void add(const std::string& rel_path, std::string bytes);
  void add_copy(const std::string& rel_path, const std::filesystem::path& source);
  bool contains(const std::string& rel_path) const;
  const std::string* bytes(const std::string& rel_path) const;  // null for copies or missing
  std::vector<std::string> paths() const;
  std::size_t size() const { return entries_.size(); }

  struct entry {
    std::string bytes;
    std::filesystem::path copy_from;  // empty when `bytes` holds the content
  };
  const std::map<std::string, entry>& entries() const { return entries_; }

  /// What paths held before a series of writes: the first write to a path while recording
  /// keeps the entry it replaces (nullopt: the path was new). Unwritten paths are not listed.
  using record = std::map<std::string, std::optional<entry>>;
  void start_recording();
  /// Stops recording and hands over what was kept (empty if not recording).
  record stop_recording();
  /// For a tree made afresh to replace `older`: if `older` was recording, this tree goes on
  /// with its record, as if every path of both had been written.
  void replaces(output_tree&& older);

 private:
  void write(const std::string& rel_path, entry e);

  std::map<std::string, entry> entries_;
  std::optional<record> record_;
};

/// Writes `tree` beside `out_dir` and swaps it into place in one rename, so `out_dir` is always
/// either the old site or the new one. Removes anything an earlier interrupted publish left.
/// Throws system_failure (with the path and the OS reason) when it cannot.
void publish(const output_tree& tree, const std::filesystem::path& out_dir);

/// Removes temporary folders an interrupted publish of `out_dir` may have left beside it.
void clean_stale_publish(const std::filesystem::path& out_dir);

}  // namespace tandem
