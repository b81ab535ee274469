#include "fs.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "diag.hpp"
#include "parallel.hpp"

namespace tandem {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const fs::path& path, std::string* why) {
  // One open, one fstat and reads straight into the string (no stream buffers to copy through).
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (why)
      *why = errno == ENOENT || errno == ENOTDIR
                 ? std::string("it does not exist")
                 : std::string("it cannot be read: ") + std::strerror(errno);
    return std::nullopt;
  }
  struct stat info {};
  std::string text;
  if (::fstat(fd, &info) == 0 && info.st_size > 0)
    text.reserve(static_cast<std::size_t>(info.st_size));
  char chunk[65536];
  bool failed = false;
  for (;;) {
    std::size_t have = text.size();
    std::size_t room = text.capacity() - have;
    if (room == 0) {
      ssize_t got = ::read(fd, chunk, sizeof chunk);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        failed = got < 0;
        break;
      }
      text.append(chunk, static_cast<std::size_t>(got));
      continue;
    }
    text.resize(have + room);
    ssize_t got = ::read(fd, text.data() + have, room);
    if (got < 0 && errno == EINTR) {
      text.resize(have);
      continue;
    }
    text.resize(have + static_cast<std::size_t>(std::max<ssize_t>(got, 0)));
    if (got <= 0) {
      failed = got < 0;
      break;
    }
  }
  ::close(fd);
  if (failed) {
    if (why) *why = "it could not be read to the end";
    return std::nullopt;
  }
  return text;
}

namespace {

bool is_inside(const fs::path& root, const fs::path& candidate) {
  auto r = root.lexically_normal().generic_string();
  auto c = candidate.lexically_normal().generic_string();
  if (!r.empty() && r.back() != '/') r.push_back('/');
  return c.rfind(r, 0) == 0;
}

}  // namespace

std::vector<std::string> list_files(const fs::path& dir, std::vector<std::string>* outside) {
  std::vector<std::string> files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return files;
  fs::path root = fs::canonical(dir, ec);
  if (ec) return files;
  fs::recursive_directory_iterator it(dir,
                                      fs::directory_options::follow_directory_symlink |
                                          fs::directory_options::skip_permission_denied,
                                      ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const auto& entry = *it;
    std::string rel = entry.path().lexically_relative(dir).generic_string();
    if (entry.is_symlink(ec)) {
      fs::path target = fs::weakly_canonical(entry.path(), ec);
      if (ec || !is_inside(root, target)) {
        if (outside) outside->push_back(rel);
        if (entry.is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
    }
    if (entry.is_regular_file(ec)) files.push_back(rel);
  }
  std::sort(files.begin(), files.end());
  if (outside) std::sort(outside->begin(), outside->end());
  return files;
}

namespace {
void copy_whole_file(const fs::path& source, const fs::path& target);
fs::path checked_target(const fs::path& root, const std::string& rel);
}  // namespace

void output_tree::add(const std::string& rel_path, std::string content) {
  if (!through_.empty()) {
    write_output_file(through_, rel_path, content);
    add_written(rel_path);
    return;
  }
  write(rel_path, entry{std::move(content), {}});
}

void output_tree::add_copy(const std::string& rel_path, const fs::path& source) {
  if (!through_.empty()) {
    fs::path target = checked_target(through_, rel_path);
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    copy_whole_file(source, target);
    add_written(rel_path);
    return;
  }
  write(rel_path, entry{{}, source});
}

void output_tree::add_written(const std::string& rel_path) {
  entry e;
  e.written = true;
  write(rel_path, std::move(e));
}

void output_tree::write_through(fs::path folder) {
  through_ = std::move(folder);
}

void output_tree::write(const std::string& rel_path, entry e) {
  auto [at, added] = entries_.try_emplace(rel_path);
  if (record_ && !record_->count(rel_path))
    record_->emplace(rel_path, added ? std::nullopt : std::optional<entry>(std::move(at->second)));
  at->second = std::move(e);
}

void output_tree::start_recording() {
  record_.emplace();
}

output_tree::record output_tree::stop_recording() {
  record kept = record_ ? std::move(*record_) : record();
  record_.reset();
  return kept;
}

void output_tree::replaces(output_tree&& older) {
  if (!older.record_) return;
  record kept = std::move(*older.record_);
  for (auto& [path, e] : older.entries_) kept.try_emplace(path, std::move(e));
  for (const auto& [path, e] : entries_) kept.try_emplace(path, std::nullopt);
  record_ = std::move(kept);
}

bool output_tree::contains(const std::string& rel_path) const {
  return entries_.count(rel_path) != 0;
}

const std::string* output_tree::bytes(const std::string& rel_path) const {
  auto it = entries_.find(rel_path);
  if (it == entries_.end() || !it->second.copy_from.empty() || it->second.written) return nullptr;
  return &it->second.bytes;
}

std::vector<std::string> output_tree::paths() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const auto& [path, e] : entries_) out.push_back(path);
  return out;
}

namespace {

// What the writer can do about the common reasons a write fails.
std::string advice_for(int err) {
  switch (err) {
    case ENOSPC:
    case EDQUOT:
      return " (the disk is full: free some space or choose another --out, then build again)";
    case EFBIG:
      return " (a file is larger than this system allows a program to write: raise the file "
             "size limit, e.g. 'ulimit -f unlimited', or make the file smaller)";
    case EROFS:
      return " (that disk is read-only: choose another --out)";
    case EACCES:
    case EPERM:
      return " (you may not write there: choose another --out or ask for permission)";
    default:
      return "";
  }
}

[[noreturn]] void fail(const std::string& what, const fs::path& path, int err) {
  throw system_failure(what + " " + path.string() + ": " + std::strerror(err) + advice_for(err));
}

// Reading one of the site's own files: advice about --out would not help.
[[noreturn]] void fail_to_read(const fs::path& path, int err) {
  throw system_failure("cannot read " + path.string() + ": " + std::strerror(err) +
                       " (check that the file is there and that you may open it, then build "
                       "again)");
}

// A name beside the output folder that marks a publish in progress by process `pid`.
std::string temp_prefix(const fs::path& out_dir) {
  return "." + out_dir.filename().string() + ".tandem-";
}

// An open file descriptor, closed on every path out.
class file_descriptor {
 public:
  explicit file_descriptor(int fd) : fd_(fd) {}
  file_descriptor(file_descriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  file_descriptor(const file_descriptor&) = delete;
  file_descriptor& operator=(const file_descriptor&) = delete;
  ~file_descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closing reports a delayed write error (NFS, quotas): the caller must see it.
  int close() {
    int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

// Returns 0, or the errno of the write that failed. A short write means the disk is full.
int write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return ENOSPC;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return 0;
}

file_descriptor create_for_writing(const fs::path& path) {
  file_descriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) fail("cannot create", path, errno);
  return fd;
}

void write_whole_file(const fs::path& path, const std::string& content) {
  file_descriptor fd = create_for_writing(path);
  if (int err = write_all(fd.get(), content.data(), content.size()))
    fail("cannot write", path, err);
  if (fd.close() != 0) fail("cannot write", path, errno);
}

// Copies with plain reads and writes rather than std::filesystem::copy_file, whose kernel
// shortcuts report a full disk or an over-large file as a vague "Input/output error".
void copy_whole_file(const fs::path& source, const fs::path& target) {
  file_descriptor in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) fail_to_read(source, errno);
  file_descriptor out = create_for_writing(target);
  std::vector<char> buffer(1 << 16);
  while (true) {
    ssize_t n = ::read(in.get(), buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_to_read(source, errno);
    }
    if (n == 0) break;
    if (int err = write_all(out.get(), buffer.data(), static_cast<std::size_t>(n)))
      fail("cannot copy " + source.string() + " to", target, err);
  }
  if (out.close() != 0) fail("cannot copy " + source.string() + " to", target, errno);
}

// Whether `text`, split at '/', has a part "..", or (`dots_too`) a part "." or empty.
bool has_odd_part(std::string_view text, bool dots_too) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = std::min(text.find('/', start), text.size());
    std::string_view part = text.substr(start, end - start);
    if (part == ".." || (dots_too && (part.empty() || part == "."))) return true;
    start = end + 1;
  }
  return false;
}

// `rel` under `root` without normalising either: a relative path with no ".." part, under an
// absolute folder already in normal form (as a publication's folder is). is_inside answers the
// rest (about 8,000 instructions a file).
bool plainly_inside(const fs::path& root, std::string_view rel) {
  const std::string& r = root.native();
  if (rel.empty() || rel.front() == '/' || r.size() < 2 || r.front() != '/' || r.back() == '/')
    return false;
  return !has_odd_part(std::string_view(r).substr(1), true) && !has_odd_part(rel, false);
}

// The full path of output file `rel` under `root`. Output paths come from slugs and edition
// paths; refuse any that would leave the folder.
fs::path checked_target(const fs::path& root, const std::string& rel) {
  fs::path target = root / fs::path(rel);
  if (plainly_inside(root, rel)) return target;
  if (!is_inside(root, target) || fs::path(rel).is_absolute())
    throw system_failure("refusing to write outside the output folder: " + rel);
  return target;
}

void write_entry(const fs::path& target, const output_tree::entry& e) {
  if (e.copy_from.empty()) {
    write_whole_file(target, e.bytes);
  } else {
    copy_whole_file(e.copy_from, target);
  }
}

// Folders first, each once; then the files, on every core (thousands of small files are mostly
// the kernel's time), up to 8. The first failure is thrown once every thread has stopped.
void write_tree(const output_tree& tree, const fs::path& root) {
  std::vector<std::pair<fs::path, const output_tree::entry*>> files;
  std::set<fs::path> folders;
  for (const auto& [rel, e] : tree.entries()) {
    if (e.written) continue;
    fs::path target = checked_target(root, rel);
    folders.insert(target.parent_path());
    files.emplace_back(std::move(target), &e);
  }
  for (const fs::path& folder : folders) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) fail("cannot create the folder", folder, ec.value());
  }
  const auto threads =
      static_cast<unsigned>(std::clamp(std::thread::hardware_concurrency(), 1u, 8u));
  for_each_at_once(files.size(), threads,
                   [&](std::size_t i) { write_entry(files[i].first, *files[i].second); });
}

void remove_quietly(const fs::path& p) {
  std::error_code ec;
  fs::remove_all(p, ec);
}

}  // namespace

std::string read_output_range(const fs::path& root, const std::string& rel_path, std::size_t offset,
                              std::size_t size) {
  fs::path source = checked_target(root, rel_path);
  file_descriptor in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) fail_to_read(source, errno);
  std::string bytes(size, '\0');
  std::size_t done = 0;
  while (done < size) {
    ssize_t n =
        ::pread(in.get(), bytes.data() + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_to_read(source, errno);
    if (n == 0) fail_to_read(source, EIO);  // shorter than when it was written
    done += static_cast<std::size_t>(n);
  }
  return bytes;
}

namespace {

// Creates output file `rel_path` under `root` for writing; `target` gets its full path.
file_descriptor create_output_file(const fs::path& root, const std::string& rel_path,
                                   fs::path& target) {
  target = checked_target(root, rel_path);
  // Most files are a page, alone in a folder of its own that does not exist yet: the folder is
  // made first, in one mkdir (another thread may be making it too), rather than found missing
  // by a failed open. A file in the output folder itself needs none.
  fs::path folder = target.parent_path();
  if (rel_path.find('/') != std::string::npos && ::mkdir(folder.c_str(), 0755) != 0 &&
      errno != EEXIST) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec && !fs::is_directory(folder)) fail("cannot create the folder", folder, ec.value());
  }
  file_descriptor file(::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (file.get() < 0) fail("cannot create", target, errno);
  return file;
}

}  // namespace

void write_output_file(const fs::path& root, const std::string& rel_path, std::string_view bytes) {
  fs::path target;
  file_descriptor file = create_output_file(root, rel_path, target);
  if (int err = write_all(file.get(), bytes.data(), bytes.size()))
    fail("cannot write", target, err);
  if (file.close() != 0) fail("cannot write", target, errno);
}

void write_output_file(const fs::path& root, const std::string& rel_path,
                       const std::function<void(const output_writer&)>& produce) {
  fs::path target;
  file_descriptor file = create_output_file(root, rel_path, target);
  // Pieces are gathered into writes of up to `chunk` bytes: figures.json and a print page
  // come in tens of thousands of pieces, some of two bytes.
  constexpr std::size_t chunk = 64 * 1024;
  std::string pending;
  auto write_now = [&](std::string_view bytes) {
    if (int err = write_all(file.get(), bytes.data(), bytes.size()))
      fail("cannot write", target, err);
  };
  produce([&](std::string_view bytes) {
    if (pending.size() + bytes.size() < chunk) {
      if (pending.capacity() < chunk) pending.reserve(chunk);
      pending.append(bytes);
      return;
    }
    write_now(pending);
    pending.clear();
    if (bytes.size() >= chunk)
      write_now(bytes);
    else
      pending.append(bytes);
  });
  write_now(pending);
  if (file.close() != 0) fail("cannot write", target, errno);
}

void clean_stale_publish(const fs::path& out_dir) {
  fs::path parent = out_dir.parent_path().empty() ? fs::path(".") : out_dir.parent_path();
  std::error_code ec;
  if (!fs::is_directory(parent, ec)) return;
  const std::string prefix = temp_prefix(out_dir);
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    // ".public.tandem-<pid>": leave it alone while that build is still running.
    long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
    if (pid > 0 && pid != static_cast<long>(::getpid()) && ::kill(static_cast<pid_t>(pid), 0) == 0)
      continue;
    remove_quietly(entry.path());
  }
}

publication::publication(const fs::path& out_dir_in) {
  out_dir_ = fs::absolute(out_dir_in).lexically_normal();
  if (out_dir_.filename().empty()) out_dir_ = out_dir_.parent_path();
  fs::path parent = out_dir_.parent_path();
  std::error_code ec;
  for (fs::path p = parent; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
    made_.push_back(p);
    if (p == p.parent_path()) break;
  }
  fs::create_directories(parent, ec);
  if (ec) fail("cannot create the folder", parent, ec.value());
  if (fs::exists(out_dir_, ec) && !fs::is_directory(out_dir_, ec)) {
    throw system_failure("the output path " + out_dir_.string() +
                         " is a file, not a folder; remove it or choose another --out");
  }
  clean_stale_publish(out_dir_);
  fs::path staging = parent / (temp_prefix(out_dir_) + std::to_string(::getpid()));
  remove_quietly(staging);
  if (::mkdir(staging.c_str(), 0755) != 0) fail("cannot create the folder", staging, errno);
  staging_ = std::move(staging);
}

publication::~publication() {
  // Before a commit: the unpublished site. After: the previous one, swapped out.
  if (!staging_.empty()) remove_quietly(staging_);
  if (committed_) return;
  std::error_code ec;
  for (const fs::path& folder : made_) fs::remove(folder, ec);  // deepest first, if empty
}

void publication::commit(const output_tree& tree) {
  write_tree(tree, staging_);
  std::error_code ec;
  if (fs::exists(out_dir_, ec)) {
    // Swap both names in one step: readers see the old site or the new one, never neither.
    if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, out_dir_.c_str(), RENAME_EXCHANGE) != 0)
      fail("cannot replace", out_dir_, errno);
  } else if (::rename(staging_.c_str(), out_dir_.c_str()) != 0) {
    fail("cannot create", out_dir_, errno);
  }
  committed_ = true;
}

void publish(const output_tree& tree, const fs::path& out_dir) {
  publication staged(out_dir);
  staged.commit(tree);
}

}  // namespace tandem
