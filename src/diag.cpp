#include "diag.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <tuple>

namespace tandem {

void diagnostics::error(std::string file, int line, int col, std::string id, std::string message) {
  add({std::move(file), line, col, severity::error, std::move(id), std::move(message)});
}

void diagnostics::warning(std::string file, int line, int col, std::string id,
                          std::string message) {
  add({std::move(file), line, col, severity::warning, std::move(id), std::move(message)});
}

void diagnostics::add(diagnostic d) {
  items_.push_back(std::move(d));
}

void diagnostics::merge(const diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

std::size_t diagnostics::error_count() const {
  return count_of(severity::error);
}

std::size_t diagnostics::warning_count() const {
  return count_of(severity::warning);
}

bool diagnostics::has_errors() const {
  // Any error at all: no need to sort away repeats, which a loop of callers would pay for.
  return std::any_of(items_.begin(), items_.end(),
                     [](const diagnostic& d) { return d.level == severity::error; });
}

std::size_t diagnostics::count_of(severity level) const {
  auto sorted_items = sorted();
  return static_cast<std::size_t>(
      std::count_if(sorted_items.begin(), sorted_items.end(),
                    [level](const diagnostic& d) { return d.level == level; }));
}

namespace {
auto sort_key(const diagnostic& d) {
  return std::tie(d.file, d.line, d.col, d.level, d.id, d.message);
}
}  // namespace

std::vector<diagnostic> diagnostics::sorted() const {
  std::vector<diagnostic> out = items_;
  std::sort(out.begin(), out.end(),
            [](const diagnostic& a, const diagnostic& b) { return sort_key(a) < sort_key(b); });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const diagnostic& a, const diagnostic& b) {
                          return sort_key(a) == sort_key(b);
                        }),
            out.end());
  return out;
}

int count_code_points(std::string_view bytes) {
  int n = 0;
  for (unsigned char c : bytes) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

text_position position_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  text_position pos;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      line_start = i + 1;
    }
  }
  pos.col = count_code_points(text.substr(line_start, offset - line_start)) + 1;
  return pos;
}

namespace {

// The lines of one file, without their line endings, read once however many problems it has.
class source_lines {
 public:
  explicit source_lines(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return;
    std::string text;
    while (std::getline(in, text)) {
      if (!text.empty() && text.back() == '\r') text.pop_back();
      if (lines_.empty() && text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
      lines_.push_back(std::move(text));
    }
  }

  const std::string* line(int number) const {
    if (number < 1 || static_cast<std::size_t>(number) > lines_.size()) return nullptr;
    return &lines_[static_cast<std::size_t>(number) - 1];
  }

 private:
  std::vector<std::string> lines_;
};

// Removes bytes that would garble a terminal (control characters other than tab).
std::string printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '\t' || c >= 0x20)
      out.push_back(static_cast<char>(c));
    else
      out.push_back(' ');
  }
  return out;
}

void print_head(std::ostream& out, const diagnostic& d) {
  std::ostringstream head;
  head << (d.file.empty() ? std::string("tandem") : d.file);
  if (d.line > 0) {
    head << ':' << d.line;
    if (d.col > 0) head << ':' << d.col;
  }
  head << ": " << (d.level == severity::error ? "error" : "warning") << ": " << d.message;
  if (!d.id.empty()) head << " [" << d.id << ']';
  out << head.str() << '\n';
}

// The part of a long line (a paragraph is often one line) around code point `col` (from 1):
// up to `before` code points before it and `after` from it, "..." where the line is cut; `col`
// becomes the column in what is returned.
std::string window_of(const std::string& line, int& col) {
  constexpr std::size_t before = 40, after = 60;
  std::vector<std::size_t> starts;  // byte offset of each code point
  for (std::size_t i = 0; i < line.size(); ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) starts.push_back(i);
  std::size_t at = static_cast<std::size_t>(std::max(col, 1) - 1);
  at = std::min(at, starts.size());
  std::size_t first = at > before ? at - before : 0;
  std::size_t last = std::min(starts.size(), at + after);  // code points [first, last)
  std::size_t from = first < starts.size() ? starts[first] : line.size();
  std::size_t to = last < starts.size() ? starts[last] : line.size();
  std::string shown =
      (first > 0 ? "..." : "") + line.substr(from, to - from) + (last < starts.size() ? "..." : "");
  if (col > 0) col = static_cast<int>(at - first) + (first > 0 ? 3 : 0) + 1;
  return shown;
}

void print_source(std::ostream& out, diagnostic d, const std::string& text) {
  std::string shown = printable(text);
  if (shown.size() > 200) shown = window_of(shown, d.col);
  std::string number = std::to_string(d.line);
  out << ' ' << std::string(number.size() < 4 ? 4 - number.size() : 0, ' ') << number << " | "
      << shown << '\n';
  if (d.col > 0) {
    // The caret keeps tabs where the source has them so it lines up in a terminal.
    std::string pad;
    int seen = 0;
    for (std::size_t i = 0; i < shown.size() && seen < d.col - 1; ++i) {
      unsigned char c = static_cast<unsigned char>(shown[i]);
      if ((c & 0xC0) == 0x80) continue;
      pad.push_back(c == '\t' ? '\t' : ' ');
      ++seen;
    }
    out << ' ' << std::string(number.size() < 4 ? 4 - number.size() : 0, ' ')
        << std::string(number.size(), ' ') << " | " << pad << "^\n";
  }
}

void print_with_source(std::ostream& out, const diagnostic& d, const source_lines& lines) {
  print_head(out, d);
  if (d.file.empty() || d.line <= 0) return;
  if (const std::string* text = lines.line(d.line)) print_source(out, d, *text);
}

std::string with_thousands(std::size_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

}  // namespace

void print_diagnostic(std::ostream& out, const diagnostic& d,
                      const std::filesystem::path& site_dir) {
  if (d.file.empty() || d.line <= 0) {
    print_head(out, d);
    return;
  }
  print_with_source(out, d, source_lines(site_dir / d.file));
}

void print_diagnostics(std::ostream& out, const diagnostics& all,
                       const std::filesystem::path& site_dir) {
  auto items = all.sorted();
  // Problems of one kind in one file: the first few show what to fix, thousands more would
  // bury every other problem (and take long to print).
  std::map<std::tuple<std::string, std::string, severity>, std::size_t> shown;
  std::map<std::tuple<std::string, std::string, severity>, std::size_t> hidden;
  std::string loaded_file;
  std::optional<source_lines> lines;
  for (const auto& d : items) {
    auto kind = std::make_tuple(d.file, d.id, d.level);
    if (!d.file.empty() && ++shown[kind] > max_shown_per_kind) {
      ++hidden[kind];
      continue;
    }
    if (!lines || loaded_file != d.file) {
      loaded_file = d.file;
      lines.emplace(d.file.empty() ? std::filesystem::path() : site_dir / d.file);
    }
    print_with_source(out, d, *lines);
  }
  for (const auto& [kind, count] : hidden) {
    const auto& [file, id, level] = kind;
    out << file << ": " << (level == severity::error ? "error" : "warning") << ": "
        << with_thousands(count) << " more like the " << max_shown_per_kind
        << " above are not shown; fix those and build again to see the rest [" << id << "]\n";
  }
}

std::string nearest_name(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::string::npos;
  for (const auto& c : candidates) {
    // Levenshtein distance with two rows.
    std::vector<std::size_t> prev(c.size() + 1), cur(c.size() + 1);
    for (std::size_t j = 0; j <= c.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= word.size(); ++i) {
      cur[0] = i;
      for (std::size_t j = 1; j <= c.size(); ++j) {
        std::size_t cost = word[i - 1] == c[j - 1] ? 0 : 1;
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      }
      std::swap(prev, cur);
    }
    std::size_t distance = prev[c.size()];
    if (distance < best_distance) {
      best_distance = distance;
      best = c;
    }
  }
  // Only suggest when the names are recognisably alike: at most a third of the word changed.
  std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  if (best_distance > limit) return "";
  return best;
}

}  // namespace tandem
