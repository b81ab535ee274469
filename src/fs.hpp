// File access: reading sources, listing trees, and the single place output is published.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

/// Reads a whole file; nullopt if it does not exist or cannot be read (`why` says which).
std::optional<std::string> read_file(const std::filesystem::path& path, std::string* why = nullptr);

/// Regular files under `dir`, as paths relative to `dir` with '/' separators, sorted.
/// Symbolic links are listed only if they resolve inside `dir`; others go to `outside`.
std::vector<std::string> list_files(const std::filesystem::path& dir,
                                    std::vector<std::string>* outside = nullptr);

/// Writes `bytes` to `root`/`rel_path`, making the folders it needs. Safe on several threads at
/// once. Throws system_failure when it cannot, or when `rel_path` would leave `root`.
void write_output_file(const std::filesystem::path& root, const std::string& rel_path,
                       std::string_view bytes);
/// The same, the file's bytes handed piece by piece by `produce` to the writer it is given, so
/// that they need not be joined in memory first.
using output_writer = std::function<void(std::string_view)>;
void write_output_file(const std::filesystem::path& root, const std::string& rel_path,
                       const std::function<void(const output_writer&)>& produce);
/// `size` bytes from `offset` of the output file `root`/`rel_path`, written earlier. Throws
/// system_failure when it cannot read them all.
std::string read_output_range(const std::filesystem::path& root, const std::string& rel_path,
                              std::size_t offset, std::size_t size);

/// The complete output of a build: relative path -> either bytes or a file to copy, held in
/// memory until it is published, or already written into the folder that will be published
/// (`write_through`). Sorted by path, so listings and writes are deterministic.
class output_tree {
 public:
  void add(const std::string& rel_path, std::string bytes);
  void add_copy(const std::string& rel_path, const std::filesystem::path& source);
  /// Lists a file already written into the write_through folder (by write_output_file).
  void add_written(const std::string& rel_path);
  /// From now on, add and add_copy write into `folder` at once and keep only the path: for a
  /// build that publishes `folder` (see publication), so that the pages need not all be held.
  void write_through(std::filesystem::path folder);
  bool contains(const std::string& rel_path) const;
  /// The bytes of a path held in memory; null for copies, written files or missing paths.
  const std::string* bytes(const std::string& rel_path) const;
  std::vector<std::string> paths() const;
  std::size_t size() const { return entries_.size(); }

  struct entry {
    std::string bytes;
    std::filesystem::path copy_from;  // empty when `bytes` holds the content
    bool written = false;             // already in the write_through folder
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
  std::filesystem::path through_;
};

/// Writes `tree` beside `out_dir` and swaps it into place in one rename, so `out_dir` is always
/// either the old site or the new one. Removes anything an earlier interrupted publish left.
/// Throws system_failure (with the path and the OS reason) when it cannot.
void publish(const output_tree& tree, const std::filesystem::path& out_dir);

/// The same publish in two steps, for a build that writes pages as it renders them: the
/// constructor makes the folder beside `out_dir` (`folder()`, after removing what an interrupted
/// publish left); `commit` writes what of the tree is not written yet and swaps the folder into
/// place. A publication destroyed without a commit removes its folder, and the folders above
/// `out_dir` it had to make: `out_dir` and its surroundings are as they were.
/// Both throw system_failure when they cannot.
class publication {
 public:
  explicit publication(const std::filesystem::path& out_dir);
  ~publication();
  publication(const publication&) = delete;
  publication& operator=(const publication&) = delete;

  const std::filesystem::path& folder() const { return staging_; }
  void commit(const output_tree& tree);

 private:
  std::filesystem::path out_dir_;
  std::filesystem::path staging_;
  std::vector<std::filesystem::path> made_;  // folders above out_dir made for it, deepest first
  bool committed_ = false;
};

/// Removes temporary folders an interrupted publish of `out_dir` may have left beside it.
void clean_stale_publish(const std::filesystem::path& out_dir);

}  // namespace tandem
