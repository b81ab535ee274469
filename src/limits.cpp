#include "limits.hpp"
#include "text.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

namespace tandem {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::size_t skip_blanks(std::string_view line, std::size_t i) {
  while (i < line.size() && is_space_or_tab(line[i])) ++i;
  return i;
}

// "***", "- - -", "___": a thematic break, which opens no list however many '-' it has.
bool is_thematic_break(std::string_view line) {
  char mark = 0;
  int count = 0;
  for (char c : line) {
    if (is_space_or_tab(c)) continue;
    if (c != '-' && c != '*' && c != '_') return false;
    if (mark != 0 && c != mark) return false;
    mark = c;
    ++count;
  }
  return count >= 3;
}

// Length of a list marker ("-", "*", "+", "1.", "12)") at `i` followed by a blank or the end of
// the line; 0 if there is none.
std::size_t list_marker_length(std::string_view line, std::size_t i) {
  auto ends_marker = [&](std::size_t after) {
    return after == line.size() || is_space_or_tab(line[after]);
  };
  char c = line[i];
  if ((c == '-' || c == '*' || c == '+') && ends_marker(i + 1)) return 1;
  std::size_t end = i;
  while (end < line.size() && end - i < 10 && is_digit(line[end])) ++end;
  bool ordered = end > i && end - i <= 9 && end < line.size() &&
                 (line[end] == '.' || line[end] == ')') && ends_marker(end + 1);
  return ordered ? end + 1 - i : 0;
}

// The block quotes and list items opened at the start of a line: "> > - 1. text" opens four.
struct line_start {
  int containers = 0;
  std::size_t rest = 0;  // where the text after them begins
};

line_start containers_at_start(std::string_view line) {
  line_start start;
  if (is_thematic_break(line)) return start;
  std::size_t i = 0;
  while (true) {
    std::size_t j = skip_blanks(line, i);
    if (j >= line.size()) break;
    std::size_t marker = line[j] == '>' ? 1 : list_marker_length(line, j);
    if (marker == 0) break;
    ++start.containers;
    i = j + marker;
  }
  start.rest = skip_blanks(line, i);
  return start;
}

bool is_atx_heading(std::string_view rest) {
  std::size_t hashes = 0;
  while (hashes < rest.size() && rest[hashes] == '#') ++hashes;
  return hashes >= 1 && hashes <= 6 && (hashes == rest.size() || is_space_or_tab(rest[hashes]));
}

// "===" or "---" under a line of text makes that text a heading.
bool is_setext_underline(std::string_view rest) {
  while (!rest.empty() && is_space_or_tab(rest.back())) rest.remove_suffix(1);
  if (rest.empty() || (rest.front() != '=' && rest.front() != '-')) return false;
  return rest.find_first_not_of(rest.front()) == std::string_view::npos;
}

// What the bounds count on one line, found in one pass over its bytes.
struct line_counts {
  std::size_t end = 0;  // where the line ends: its '\n' or the end of the text
  int chars = 0;        // code points
  int pipes = 0;        // '|'
  int brackets = 0;     // '[' and ']'
  int emphasis = 0;     // '*', '_' and '~'
  int links = 0;        // "]("
  bool blank = true;    // only ' ' and '\t'
};

enum byte_class : unsigned char {
  plain_byte,
  continuation_byte,  // 10xxxxxx: not a code point of its own
  blank_byte,
  pipe_byte,
  open_bracket_byte,
  close_bracket_byte,
  emphasis_byte,
};

constexpr std::array<byte_class, 256> make_byte_classes() {
  std::array<byte_class, 256> classes{};
  for (int c = 0x80; c < 0xC0; ++c) classes[c] = continuation_byte;
  classes[' '] = classes['\t'] = blank_byte;
  classes['|'] = pipe_byte;
  classes['['] = open_bracket_byte;
  classes[']'] = close_bracket_byte;
  classes['*'] = classes['_'] = classes['~'] = emphasis_byte;
  return classes;
}

constexpr std::array<byte_class, 256> byte_classes = make_byte_classes();

line_counts count_line(std::string_view text, std::size_t start) {
  line_counts counts;
  int continuations = 0;
  std::size_t i = start;
  for (; i < text.size() && text[i] != '\n'; ++i) {
    char c = text[i];
    switch (byte_classes[static_cast<unsigned char>(c)]) {
      case plain_byte:
        counts.blank = false;
        break;
      case continuation_byte:
        ++continuations;
        counts.blank = false;
        break;
      case blank_byte:
        break;
      case pipe_byte:
        ++counts.pipes;
        counts.blank = false;
        break;
      case open_bracket_byte:
        ++counts.brackets;
        counts.blank = false;
        break;
      case close_bracket_byte:
        ++counts.brackets;
        counts.blank = false;
        if (i + 1 < text.size() && text[i + 1] == '(') ++counts.links;
        break;
      case emphasis_byte:
        ++counts.emphasis;
        counts.blank = false;
        break;
    }
  }
  counts.end = i;
  counts.chars = static_cast<int>(i - start) - continuations;
  return counts;
}

std::string kilobytes(std::size_t bytes) {
  return std::to_string((bytes + 1023) / 1024) + " KB";
}

// Walks the body line by line, keeping the counts of the current paragraph, and reports the
// first place each bound is passed.
class limit_scanner {
 public:
  limit_scanner(const std::string& file, int first_line, diagnostics& diags,
                const markdown_limits& limits)
      : file_(file), first_line_(first_line), diags_(diags), limits_(limits) {}

  bool scan(std::string_view body, bool shortcut = true) {
    if (shortcut && plainly_within(body)) return true;
    if (body.size() > limits_.max_page_bytes) {
      report(first_line_, "limit.size",
             "this page is " + kilobytes(body.size()) + ", more than the " +
                 kilobytes(limits_.max_page_bytes) +
                 " a page can have; split it into two or more sections, each in its own file "
                 "in content/pages");
      return false;
    }
    int line_number = first_line_;
    for (std::size_t start = 0; start <= body.size(); ++line_number) {
      line_counts counts = count_line(body, start);
      scan_line(body.substr(start, counts.end - start), counts, line_number);
      start = counts.end + 1;
    }
    return reported_.empty();
  }

 private:
  // Whether the body is plainly within every bound, by counts over the whole of it that bound
  // what the walk line by line counts (its bytes a line's code points, its lines the headings,
  // all its '|' one line's, ...): a page of usual size then needs no walk.
  bool plainly_within(std::string_view body) const {
    const markdown_limits& l = limits_;
    if (std::min({l.max_line_chars, l.max_nesting, l.max_table_cells, l.max_brackets,
                  l.max_emphasis, l.max_headings, l.max_link_destinations}) < 0)
      return false;
    const auto bound = [](int limit) { return static_cast<std::size_t>(limit); };
    if (body.size() > l.max_page_bytes || body.size() > bound(l.max_line_chars)) return false;
    // Counted 255 bytes at a time in a one-byte counter, a loop the compiler runs on many
    // bytes at once.
    std::size_t specials = 0;
    const auto* bytes = reinterpret_cast<const unsigned char*>(body.data());
    for (std::size_t from = 0; from < body.size(); from += 255) {
      const std::size_t n = std::min<std::size_t>(body.size() - from, 255);
      unsigned char block = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const unsigned char c = bytes[from + i];
        block += static_cast<unsigned char>((c == '|') + (c == '[') + (c == ']') + (c == '*') +
                                            (c == '_') + (c == '~'));
      }
      specials += block;
    }
    if (specials > std::min({bound(l.max_table_cells), bound(l.max_brackets), bound(l.max_emphasis),
                             bound(l.max_link_destinations)}))
      return false;
    // Nesting: only a line longer than the bound could pass it, each quote or list item taking
    // a byte or more at the line's start.
    std::size_t lines = 0;
    for (std::size_t start = 0; start <= body.size(); ++lines) {
      std::size_t end = std::min(body.find('\n', start), body.size());
      if (end - start > bound(l.max_nesting) &&
          containers_at_start(body.substr(start, end - start)).containers > l.max_nesting)
        return false;
      start = end + 1;
    }
    return lines <= bound(l.max_headings);
  }

  void scan_line(std::string_view line, const line_counts& counts, int line_number) {
    int chars = counts.chars;
    if (chars > limits_.max_line_chars) {
      report(line_number, "limit.line",
             "this line is " + std::to_string(chars) + " characters long, more than the " +
                 std::to_string(limits_.max_line_chars) +
                 " a line can have; break it into shorter paragraphs with a blank line between "
                 "them");
    }
    if (counts.blank) {
      brackets_ = emphasis_ = 0;
      in_paragraph_ = false;
      return;
    }
    line_start start = containers_at_start(line);
    std::string_view rest = line.substr(start.rest);
    if (start.containers > limits_.max_nesting) {
      report(line_number, "limit.nesting",
             "quotes ('>') and lists are nested " + std::to_string(start.containers) +
                 " deep on this line, more than the " + std::to_string(limits_.max_nesting) +
                 " levels a page can have; use fewer levels");
    }
    int cells = counts.pipes;
    if (cells > limits_.max_table_cells) {
      report(line_number, "limit.table",
             "this line has " + std::to_string(cells) + " '|' (table cells), more than the " +
                 std::to_string(limits_.max_table_cells) +
                 " a table row can have; split the table into smaller tables");
    }
    if (is_atx_heading(rest) || (in_paragraph_ && is_setext_underline(rest))) ++headings_;
    if (headings_ > limits_.max_headings) {
      report(line_number, "limit.headings",
             "this page has more than " + std::to_string(limits_.max_headings) +
                 " headings; split it into two or more sections, each in its own file in "
                 "content/pages");
    }
    brackets_ += counts.brackets;
    if (brackets_ > limits_.max_brackets) {
      report(line_number, "limit.brackets",
             "this paragraph has more than " + std::to_string(limits_.max_brackets) +
                 " square brackets '[' and ']'; split it into shorter paragraphs with a blank "
                 "line between them");
    }
    emphasis_ += counts.emphasis;
    if (emphasis_ > limits_.max_emphasis) {
      report(line_number, "limit.emphasis",
             "this paragraph has more than " + std::to_string(limits_.max_emphasis) +
                 " of the characters '*', '_' and '~' (bold, italics and crossing out); split it "
                 "into shorter paragraphs with a blank line between them");
    }
    links_ += counts.links;
    if (links_ > limits_.max_link_destinations) {
      report(line_number, "limit.links",
             "this page has more than " + std::to_string(limits_.max_link_destinations) +
                 " links and pictures; split it into two or more sections, each in its own "
                 "file in content/pages");
    }
    in_paragraph_ = true;
  }

  // Each bound once per page, where it is first passed: one message says what to change.
  void report(int line, const std::string& id, const std::string& message) {
    if (!reported_.insert(id).second) return;
    diags_.error(file_, line, 1, id, message);
  }

  const std::string& file_;
  int first_line_;
  diagnostics& diags_;
  const markdown_limits& limits_;
  std::set<std::string> reported_;
  int brackets_ = 0;
  int emphasis_ = 0;
  int headings_ = 0;
  int links_ = 0;
  bool in_paragraph_ = false;
};

}  // namespace

bool check_markdown_limits(std::string_view body, const std::string& file, int first_line,
                           diagnostics& diags, const markdown_limits& limits) {
  return limit_scanner(file, first_line, diags, limits).scan(body);
}

bool check_markdown_limits_line_by_line(std::string_view body, const std::string& file,
                                        int first_line, diagnostics& diags,
                                        const markdown_limits& limits) {
  return limit_scanner(file, first_line, diags, limits).scan(body, false);
}

bool within_markdown_limits(std::string_view body, const markdown_limits& limits) {
  diagnostics ignored;
  return check_markdown_limits(body, "", 1, ignored, limits);
}

std::optional<source_page> stand_in_if_over_limits(const source_page& page, diagnostics& diags) {
  if (page.limits_checked) return std::nullopt;  // the loader has checked it, and reported it
  if (check_markdown_limits(page.body, page.file, page.body_line, diags)) return std::nullopt;
  source_page stand_in = page;
  stand_in.body.clear();
  return stand_in;
}

}  // namespace tandem
