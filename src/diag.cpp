#include "diag.hpp"

#include <algorithm>
#include <fstream>
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
  auto sorted_items = sorted();
  return static_cast<std::size_t>(
      std::count_if(sorted_items.begin(), sorted_items.end(),
                    [](const diagnostic& d) { return d.level == severity::error; }));
}

std::size_t diagnostics::warning_count() const {
  auto sorted_items = sorted();
  return static_cast<std::size_t>(
      std::count_if(sorted_items.begin(), sorted_items.end(),
                    [](const diagnostic& d) { return d.level == severity::warning; }));
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

// Line `line` (1-based) of a file, without its line ending; empty optional if unreadable.
std::optional<std::string> source_line(const std::filesystem::path& path, int line) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text;
  for (int i = 1; std::getline(in, text); ++i) {
    if (i == line) {
      if (!text.empty() && text.back() == '\r') text.pop_back();
      if (i == 1 && text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
      return text;
    }
  }
  return std::nullopt;
}

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

}  // namespace

void print_diagnostic(std::ostream& out, const diagnostic& d,
                      const std::filesystem::path& site_dir) {
  std::ostringstream head;
  head << (d.file.empty() ? std::string("tandem") : d.file);
  if (d.line > 0) {
    head << ':' << d.line;
    if (d.col > 0) head << ':' << d.col;
  }
  head << ": " << (d.level == severity::error ? "error" : "warning") << ": " << d.message;
  if (!d.id.empty()) head << " [" << d.id << ']';
  out << head.str() << '\n';
  if (d.file.empty() || d.line <= 0) return;
  auto text = source_line(site_dir / d.file, d.line);
  if (!text) return;
  std::string shown = printable(*text);
  if (shown.size() > 200) return;  // a minified or binary line helps nobody
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

void print_diagnostics(std::ostream& out, const diagnostics& all,
                       const std::filesystem::path& site_dir) {
  for (const auto& d : all.sorted()) print_diagnostic(out, d, site_dir);
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
