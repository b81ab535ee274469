// Diagnostics: every problem found in a run, with its place, collected rather than thrown.
#pragma once

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

/// Exit codes of the command line (SPEC 9).
enum exit_code : int { exit_ok = 0, exit_content = 1, exit_usage = 2, exit_system = 3 };

enum class severity { error, warning };

/// One problem: where (file relative to the site folder, 1-based line and column; 0 = unknown),
/// how bad, a stable id such as "figure.unknown", and a message a non-programmer can act on.
struct diagnostic {
  std::string file;
  int line = 0;
  int col = 0;
  severity level = severity::error;
  std::string id;
  std::string message;
};

/// The problems of one run. Order of adding does not matter: `sorted()` gives the order printed.
class diagnostics {
 public:
  void error(std::string file, int line, int col, std::string id, std::string message);
  void warning(std::string file, int line, int col, std::string id, std::string message);
  void add(diagnostic d);
  void merge(const diagnostics& other);

  const std::vector<diagnostic>& items() const { return items_; }
  std::size_t error_count() const;
  std::size_t warning_count() const;
  bool has_errors() const;
  bool empty() const { return items_.empty(); }

  /// Sorted by file, line, column, id, message; exact duplicates removed.
  std::vector<diagnostic> sorted() const;

 private:
  std::size_t count_of(severity level) const;

  std::vector<diagnostic> items_;
};

/// Prints `file:line:col: error: message [id]`, then the source line and a caret under the
/// column when the file can be read from `site_dir`. Columns count UTF-8 code points.
void print_diagnostic(std::ostream& out, const diagnostic& d,
                      const std::filesystem::path& site_dir);
/// How many problems with the same id in the same file `print_diagnostics` shows; the rest are
/// counted in one closing line per file and id.
inline constexpr std::size_t max_shown_per_kind = 20;

/// Prints every problem in order (see `max_shown_per_kind`), reading each file once.
void print_diagnostics(std::ostream& out, const diagnostics& all,
                       const std::filesystem::path& site_dir);

/// A failure of the system rather than of the content (disk full, permission denied): exit 3.
class system_failure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// 1-based line and column (in code points) of byte `offset` in `text`.
struct text_position {
  int line = 1;
  int col = 1;
};
text_position position_of(std::string_view text, std::size_t offset);

/// "line 4, column 12": a place named in a message about another place.
inline std::string place_text(text_position p) {
  return "line " + std::to_string(p.line) + ", column " + std::to_string(p.col);
}

/// Number of UTF-8 code points in `bytes` (continuation bytes are not counted).
int count_code_points(std::string_view bytes);

/// The closest of `candidates` to `word` by edit distance, or "" if none is reasonably close.
std::string nearest_name(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace tandem
