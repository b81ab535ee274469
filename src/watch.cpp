#include "watch.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <system_error>

#include "diag.hpp"

namespace tandem {

namespace fs = std::filesystem;

namespace {

bool ends_with(std::string_view s, std::string_view end) {
  return s.size() >= end.size() && s.substr(s.size() - end.size()) == end;
}

// What a folder watch listens for: a file finished writing, appeared, went or was renamed.
// IN_MODIFY is included for programs that write without closing (the quiet time absorbs it).
constexpr std::uint32_t folder_events = IN_CLOSE_WRITE | IN_MODIFY | IN_CREATE | IN_DELETE |
                                        IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR | IN_DONT_FOLLOW;
// The site folder itself is watched only for its top folders appearing or going.
constexpr std::uint32_t site_events =
    IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR | IN_DONT_FOLLOW;

std::string joined(const std::string& dir, std::string_view name) {
  return dir.empty() ? std::string(name) : dir + "/" + std::string(name);
}

// How long to wait for more changes once every file written has been closed.
constexpr std::chrono::milliseconds settled_quiet(5);

bool is_inside(const std::string& path, const std::string& dir) {
  return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
                         path[dir.size()] == '/');
}

}  // namespace

bool is_editor_temp_file(std::string_view name) {
  if (name.empty()) return false;
  if (name.front() == '.' || name.back() == '~') return true;
  if (name.size() > 1 && name.front() == '#' && name.back() == '#') return true;
  if (name == "4913") return true;
  for (std::string_view end : {".swp", ".swo", ".swx", ".tmp"})
    if (ends_with(name, end)) return true;
  return name.find("___jb_") != std::string_view::npos;
}

struct folder_watcher::state {
  fs::path site_dir;
  std::vector<std::string> roots;
  int inotify_fd = -1;
  int stop_fd = -1;
  int site_wd = -1;
  std::map<int, std::string> dir_of_watch;  // watch descriptor -> folder relative to the site
  std::set<std::string> still_open;         // files written to and not closed yet (IN_MODIFY first)
  std::atomic<bool> stopped{false};

  ~state() {
    if (inotify_fd >= 0) ::close(inotify_fd);
    if (stop_fd >= 0) ::close(stop_fd);
  }

  [[noreturn]] void fail(const std::string& what, int error) const {
    std::string message = what + ": " + std::strerror(error);
    if (error == ENOSPC)
      message +=
          " (the system's limit of watched folders is reached; raise fs.inotify.max_user_watches "
          "or close other programs that watch files)";
    throw system_failure(message);
  }

  // Returns false when the folder went away before it could be watched. A top folder may be a
  // link to a folder elsewhere; links inside it are not followed.
  bool watch_one(const std::string& rel, bool is_top = false) {
    std::uint32_t mask = is_top ? folder_events & ~IN_DONT_FOLLOW : folder_events;
    int wd = inotify_add_watch(inotify_fd, (site_dir / rel).c_str(), mask);
    if (wd < 0) {
      if (errno == ENOENT || errno == ENOTDIR) return false;
      fail("cannot watch " + (site_dir / rel).string(), errno);
    }
    dir_of_watch[wd] = rel;
    return true;
  }

  /// Watches `rel` and every folder under it; returns the files found in them, because files
  /// may have been written there before the watch began.
  std::vector<std::string> watch_tree(const std::string& rel) {
    std::vector<std::string> files;
    std::error_code ec;
    if (!fs::is_directory(site_dir / rel, ec)) return files;
    if (!watch_one(rel, /*is_top=*/is_root(rel))) return files;
    fs::recursive_directory_iterator it(site_dir / rel, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      std::string path = rel + "/" + fs::relative(it->path(), site_dir / rel, ec).generic_string();
      if (is_editor_temp_file(name)) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_symlink(ec)) {
        files.push_back(path);
      } else if (it->is_directory(ec)) {
        if (!watch_one(path)) it.disable_recursion_pending();
      } else {
        files.push_back(path);
      }
    }
    return files;
  }

  void unwatch_tree(const std::string& rel) {
    for (auto it = dir_of_watch.begin(); it != dir_of_watch.end();) {
      if (is_inside(it->second, rel)) {
        inotify_rm_watch(inotify_fd, it->first);
        it = dir_of_watch.erase(it);
      } else {
        ++it;
      }
    }
  }

  bool is_root(std::string_view name) const {
    return std::find(roots.begin(), roots.end(), name) != roots.end();
  }

  void on_site_event(const inotify_event& e, std::set<std::string>& changed) {
    if (e.len == 0 || !is_root(e.name)) return;
    std::string root = e.name;
    if (e.mask & (IN_CREATE | IN_MOVED_TO)) {
      for (auto& file : watch_tree(root)) changed.insert(std::move(file));
    } else if (e.mask & (IN_DELETE | IN_MOVED_FROM)) {
      unwatch_tree(root);
      changed.insert(root);
    }
  }

  void on_folder_event(const inotify_event& e, const std::string& dir,
                       std::set<std::string>& changed) {
    if (e.len == 0 || is_editor_temp_file(e.name)) return;
    std::string path = joined(dir, e.name);
    if (!(e.mask & IN_ISDIR)) {
      changed.insert(path);
      if (e.mask & (IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO))
        still_open.erase(path);
      else if (e.mask & (IN_MODIFY | IN_CREATE))
        still_open.insert(path);
    } else if (e.mask & (IN_CREATE | IN_MOVED_TO)) {
      // Files found in a new folder may still be being copied in: wait the whole quiet time.
      for (auto& file : watch_tree(path)) {
        still_open.insert(file);
        changed.insert(std::move(file));
      }
    } else if (e.mask & (IN_DELETE | IN_MOVED_FROM)) {
      // A deleted folder's watches end by themselves; a moved one's would keep the old name.
      if (e.mask & IN_MOVED_FROM) unwatch_tree(path);
      changed.insert(path);
    }
  }

  void on_event(const inotify_event& e, std::set<std::string>& changed) {
    if (e.mask & IN_Q_OVERFLOW) {
      // Too many events were lost to know which: say everything changed.
      changed.insert(roots.begin(), roots.end());
      return;
    }
    if (e.mask & IN_IGNORED) {
      dir_of_watch.erase(e.wd);
      return;
    }
    if (e.wd == site_wd) return on_site_event(e, changed);
    auto dir = dir_of_watch.find(e.wd);
    if (dir != dir_of_watch.end()) on_folder_event(e, dir->second, changed);
  }

  void read_events(std::set<std::string>& changed) {
    alignas(inotify_event) char buffer[64 * 1024];
    while (true) {
      ssize_t got = ::read(inotify_fd, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return;  // EAGAIN: everything queued has been read
      for (char* at = buffer; at < buffer + got;) {
        const auto* event = reinterpret_cast<const inotify_event*>(at);
        on_event(*event, changed);
        at += sizeof(inotify_event) + event->len;
      }
    }
  }
};

folder_watcher::folder_watcher(fs::path site_dir, const std::vector<std::string>& folders)
    : self_(std::make_unique<state>()) {
  self_->site_dir = std::move(site_dir);
  self_->roots = folders;
  self_->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (self_->inotify_fd < 0) self_->fail("cannot watch the site for changes", errno);
  self_->stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (self_->stop_fd < 0) self_->fail("cannot watch the site for changes", errno);
  self_->site_wd = inotify_add_watch(self_->inotify_fd, self_->site_dir.c_str(), site_events);
  if (self_->site_wd < 0) self_->fail("cannot watch " + self_->site_dir.string(), errno);
  for (const auto& root : folders) self_->watch_tree(root);
}

folder_watcher::~folder_watcher() = default;

std::vector<std::string> folder_watcher::wait_for_changes(std::chrono::milliseconds quiet,
                                                          std::chrono::milliseconds longest) {
  using clock = std::chrono::steady_clock;
  std::set<std::string> changed;
  std::optional<clock::time_point> first_change;
  self_->still_open.clear();
  while (!self_->stopped) {
    int timeout_ms = -1;
    if (first_change) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*first_change + longest -
                                                                        clock::now());
      if (left.count() <= 0) break;  // a burst that goes on: rebuild with what came so far
      // Every file written has been closed (a save is complete): wait only for the next file of
      // a burst of saves. A file still open may be written again: wait the whole quiet time.
      auto wait = self_->still_open.empty() ? std::min(quiet, settled_quiet) : quiet;
      timeout_ms = static_cast<int>(std::min(wait, left).count());
    }
    pollfd fds[2] = {{self_->inotify_fd, POLLIN, 0}, {self_->stop_fd, POLLIN, 0}};
    int ready = ::poll(fds, 2, timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) self_->fail("cannot watch the site for changes", errno);
    if (self_->stopped) break;
    if (ready == 0) break;  // quiet long enough (or too long a burst): hand the changes over
    self_->read_events(changed);
    if (!changed.empty() && !first_change) first_change = clock::now();
  }
  if (self_->stopped) return {};
  return {changed.begin(), changed.end()};
}

void folder_watcher::stop() {
  self_->stopped = true;
  std::uint64_t one = 1;
  // Only wakes the waiting poll; if the write fails the flag still ends the next wait.
  [[maybe_unused]] ssize_t written = ::write(self_->stop_fd, &one, sizeof one);
}

}  // namespace tandem
