// Watching a site's folders for saved files (inotify), so `tandem serve` can rebuild at once.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

/// True for files that editors and systems write beside the real ones and that never change the
/// site: hidden names (".x.md.swp", ".#x.md", ".DS_Store"), backups ("x.md~"), Emacs autosaves
/// ("#x.md#"), Vim's write test "4913" and JetBrains' "x.md___jb_tmp___".
bool is_editor_temp_file(std::string_view name);

/// Watches folders of a site, and every folder made inside them later, for files that are
/// written, created, moved or deleted. A watched folder that does not exist yet is picked up
/// when it is created.
class folder_watcher {
 public:
  /// Watches `folders` (relative to `site_dir`, such as "content"). Throws system_failure when
  /// the system refuses to watch (for example too many folders for the inotify limit).
  folder_watcher(std::filesystem::path site_dir, const std::vector<std::string>& folders);
  ~folder_watcher();
  folder_watcher(const folder_watcher&) = delete;
  folder_watcher& operator=(const folder_watcher&) = delete;

  /// Blocks until something changes, then until `quiet` passes without a further change (so a
  /// save that writes several times, or a burst of saves, is one change; never longer than
  /// `longest` in all). Once every file written to has been closed, 5 ms without a further
  /// change is enough (a finished save needs no more waiting). Returns the changed paths relative
  /// to the site folder, sorted, without duplicates; a folder that was removed or moved away is
  /// given as its own path, a folder that appeared as every file in it. Returns an empty list once
  /// `stop()` has been called.
  std::vector<std::string> wait_for_changes(
      std::chrono::milliseconds quiet = std::chrono::milliseconds(30),
      std::chrono::milliseconds longest = std::chrono::milliseconds(500));

  /// Makes `wait_for_changes` return an empty list, now and from then on. Safe from any thread.
  void stop();

 private:
  struct state;
  std::unique_ptr<state> self_;
};

}  // namespace tandem
