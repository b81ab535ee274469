#include "prose.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <memory>
#include <mutex>

#include "gfm.hpp"
#include "text.hpp"

namespace tandem {

namespace {

// =============================================================================================
// cmark-gfm (parsed as the renderer parses, so the tree is the one the renderer gets before it
// joins adjacent text nodes)

constexpr int cmark_options = CMARK_OPT_VALIDATE_UTF8;

std::string_view type_name(cmark_node* node) {
  const char* name = cmark_node_get_type_string(node);
  return name ? name : "";
}

/// The code points starting in `text` (its bytes that are not continuation bytes): a loop the
/// compiler makes into vector instructions.
int count_code_point_starts(std::string_view text) {
  int n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// =============================================================================================
// Positions: cmark-gfm gives body lines and byte columns; diagnostics want file lines and code
// point columns.

class body_lines {
 public:
  explicit body_lines(const source_page& page) : page_(page) {
    std::string_view body = page.body;
    std::size_t start = 0;
    while (start <= body.size()) {
      std::size_t end = body.find('\n', start);
      if (end == std::string_view::npos) end = body.size();
      lines_.push_back(body.substr(start, end - start));
      start = end + 1;
    }
  }

  /// The text of body line `line` (1-based); empty when out of range.
  std::string_view line(int line) const {
    if (line < 1 || static_cast<std::size_t>(line) > lines_.size()) return {};
    return lines_[static_cast<std::size_t>(line - 1)];
  }

  /// The file position of byte `byte` (0-based) of body line `line`.
  text_position position(int line, std::size_t byte) const {
    std::string_view text = this->line(line);
    byte = std::min(byte, text.size());
    // Positions are asked for byte after byte along a line: count on from the last one asked
    // for, rather than from the start of the line each time (quadratic in a long paragraph).
    if (line != last_line_ || byte < last_byte_) {
      last_line_ = line;
      last_byte_ = 0;
      last_points_ = 0;
    }
    last_points_ += count_code_point_starts(text.substr(last_byte_, byte - last_byte_));
    last_byte_ = byte;
    return {line + page_.body_line - 1, last_points_ + 1};
  }

 private:
  const source_page& page_;
  std::vector<std::string_view> lines_;
  mutable int last_line_ = 0;
  mutable std::size_t last_byte_ = 0;
  mutable int last_points_ = 0;
};

// =============================================================================================
// Collecting the text of a block

class block_builder {
 public:
  block_builder(const body_lines& lines, prose_block& block, text_position fallback)
      : lines_(lines), block_(block), last_(fallback) {}

  void add_inlines(cmark_node* parent) {
    for (cmark_node* child = cmark_node_first_child(parent); child != nullptr;
         child = cmark_node_next(child)) {
      add_inline(child);
    }
  }

 private:
  void add_inline(cmark_node* node) {
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_TEXT:
        add_text(node);
        break;
      case CMARK_NODE_CODE:
        append(std::string_view(&code_placeholder, 1), start_of(node));
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        append(" ", last_);
        break;
      case CMARK_NODE_IMAGE:  // alt text is not read in the flow of the text
      case CMARK_NODE_HTML_INLINE:
        break;
      default:
        add_inlines(node);
    }
  }

  text_position start_of(cmark_node* node) const {
    int line = cmark_node_get_start_line(node);
    int col = cmark_node_get_start_column(node);
    if (line <= 0 || col <= 0) return last_;
    return lines_.position(line, static_cast<std::size_t>(col - 1));
  }

  // A text node's literal differs from its source where the source has backslash escapes or
  // entities ("&amp;"): each literal byte is matched with the next equal byte of the source.
  void add_text(cmark_node* node) {
    const char* literal_c = cmark_node_get_literal(node);
    std::string_view literal = literal_c ? literal_c : "";
    int line = cmark_node_get_start_line(node);
    int col = cmark_node_get_start_column(node);
    if (line <= 0 || col <= 0) {
      append(literal, last_);
      return;
    }
    std::string_view source = lines_.line(line);
    std::size_t at = static_cast<std::size_t>(col - 1);
    if (!literal.empty() && at <= source.size() && source.substr(at, literal.size()) == literal) {
      add_verbatim(literal, line, at);
      return;
    }
    constexpr std::size_t lookahead = 12;
    block_.text.reserve(block_.text.size() + literal.size());
    for (char c : literal) {
      std::size_t found = std::string_view::npos;
      for (std::size_t k = at; k < source.size() && k < at + lookahead; ++k) {
        if (source[k] == c) {
          found = k;
          break;
        }
      }
      if (found != std::string_view::npos) {
        at = found;
        last_ = lines_.position(line, at);
        ++at;
      }
      block_.append(std::string_view(&c, 1), last_);
    }
  }

  // The common case: the literal is the source as written, from byte `at` of body line `line`.
  // Each byte is then matched where it stands, so its column is the one before it, plus one
  // when the byte before it starts a code point (what the byte-by-byte matching gives).
  void add_verbatim(std::string_view literal, int line, std::size_t at) {
    block_.append(literal, lines_.position(line, at), prose_block::counting::after_starts);
    last_ = lines_.position(line, at + literal.size() - 1);
  }

  void append(std::string_view text, text_position pos) {
    block_.append(text, pos);
    last_ = pos;
  }

  const body_lines& lines_;
  prose_block& block_;
  text_position last_;
};

// =============================================================================================
// Which blocks are prose

const char* const block_components[] = {"cards", "chart", "pledges", "glossary"};

/// The component a paragraph holds, if it holds nothing else: "{{ chart x }}" -> "chart".
std::string sole_component(std::string_view text) {
  text = trimmed(text);
  if (text.substr(0, 2) != "{{" || text.size() < 4 || text.substr(text.size() - 2) != "}}" ||
      text.find("{{", 2) != std::string_view::npos) {
    return "";
  }
  std::string_view inner = trimmed(text.substr(2, text.size() - 4));
  std::string_view name = inner.substr(0, inner.find_first_of(" \t"));
  for (const char* component : block_components) {
    if (name == component) return std::string(name);
  }
  return "";
}

prose_kind kind_of(cmark_node* node) {
  std::string_view type = type_name(node);
  if (type == "heading") return prose_kind::heading;
  if (type == "table_cell") return prose_kind::table_cell;
  cmark_node* parent = cmark_node_parent(node);
  if (parent != nullptr && cmark_node_get_type(parent) == CMARK_NODE_ITEM) {
    return prose_kind::list_item;
  }
  return prose_kind::paragraph;
}

bool holds_prose(cmark_node* node) {
  std::string_view type = type_name(node);
  return type == "paragraph" || type == "heading" || type == "table_cell";
}

// =============================================================================================
// Tokens

constexpr bool is_ascii_letter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_digit(char32_t c) {
  return c >= '0' && c <= '9';
}
bool is_letter(char32_t c) {
  if (is_ascii_letter(c)) return true;
  if (c < 0xC0 || c == 0xD7 || c == 0xF7) return false;
  // General punctuation, symbols, arrows, dingbats and emoji are not letters.
  if (c >= 0x2000 && c <= 0x2BFF) return false;
  if (c >= 0x3000 && c <= 0x303F) return false;
  if (c >= 0x1F000) return false;
  return true;
}
bool is_apostrophe(char32_t c) {
  return c == '\'' || c == 0x2019;
}
bool is_hyphen(char32_t c) {
  return c == '-' || c == 0x2010 || c == 0x2011;
}
bool is_white(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == 0x202F;
}

// ASCII letters and digits, by byte (false for every byte of a multi-byte character).
constexpr std::array<bool, 256> letters_and_digits_by_byte = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 128; ++c) table[c] = is_ascii_letter(c) || is_digit(c);
  return table;
}();

class tokenizer {
 public:
  explicit tokenizer(std::string_view text) : text_(text) {}

  std::vector<prose_token> run() {
    // About one token in five bytes of prose: reserve once rather than grow many times.
    tokens_.reserve(text_.size() / 5 + 1);
    while (i_ < text_.size()) {
      // ASCII, most of the prose, without decoding.
      auto first = static_cast<unsigned char>(text_[i_]);
      auto [c, length] =
          first < 0x80 ? std::pair<char32_t, std::size_t>{first, 1} : decode(text_, i_);
      if (is_white(c)) {
        space_ = true;
        i_ += length;
        continue;
      }
      std::size_t start = i_;
      token_kind kind = token_kind::punct;
      bool percent = false;
      std::size_t figure_end = c == '{' && i_ + 1 < text_.size() && text_[i_ + 1] == '{'
                                   ? text_.find("}}", i_ + 2)
                                   : std::string_view::npos;
      if (figure_end != std::string_view::npos) {
        kind = token_kind::figure;
        i_ = figure_end + 2;
      } else if (c == static_cast<unsigned char>(code_placeholder)) {
        kind = token_kind::code;
        i_ += length;
      } else if (is_digit(c)) {
        kind = read_number(percent);
      } else if (is_letter(c)) {
        kind = token_kind::word;
        read_word();
      } else {
        i_ += length;
      }
      prose_token token;
      token.kind = kind;
      token.offset = start;
      token.text = text_.substr(start, i_ - start);
      token.space_before = space_ || start == 0;
      token.percent = percent;
      tokens_.push_back(token);
      space_ = false;
    }
    return std::move(tokens_);
  }

 private:
  char32_t at(std::size_t k) const {
    if (k >= text_.size()) return 0;
    auto byte = static_cast<unsigned char>(text_[k]);
    return byte < 0x80 ? byte : decode(text_, k).first;
  }
  std::size_t width(std::size_t k) const { return k < text_.size() ? decode(text_, k).second : 0; }

  // "1,234.5": a comma must be followed by exactly three digits, a point by a digit.
  token_kind read_number(bool& percent) {
    while (i_ < text_.size()) {
      char c = text_[i_];
      if (is_digit(static_cast<unsigned char>(c))) {
        ++i_;
      } else if (c == ',' && digits_at(i_ + 1) == 3) {
        ++i_;
      } else if (c == '.' && is_digit(at(i_ + 1))) {
        ++i_;
      } else {
        break;
      }
    }
    if (i_ < text_.size() && text_[i_] == '%') {
      ++i_;
      percent = true;
      return token_kind::number;
    }
    // "25th", "18s", "3D": a number joined to letters is a word.
    if (is_letter(at(i_))) {
      read_word();
      return token_kind::word;
    }
    return token_kind::number;
  }

  int digits_at(std::size_t k) const {
    int n = 0;
    while (k < text_.size() && is_digit(static_cast<unsigned char>(text_[k]))) {
      ++n;
      ++k;
    }
    return n;
  }

  void read_word() {
    std::size_t start = i_;
    // An abbreviation has a full stop straight after its first letter.
    if (i_ + 1 < text_.size() && text_[i_ + 1] == '.' && read_dotted_abbreviation()) return;
    const char* const bytes = text_.data();
    const std::size_t size = text_.size();
    std::size_t k = i_;
    while (k < size) {
      auto byte = static_cast<unsigned char>(bytes[k]);
      if (letters_and_digits_by_byte[byte]) {
        ++k;  // the common case: an ASCII letter or digit, without decoding
        continue;
      }
      // Other ASCII ends the word, but for what may join two words: "don't", "care-leaver".
      if (byte < 0x80 && byte != '\'' && byte != '-' && byte != '.') break;
      char32_t c = at(k);
      if (is_letter(c) || is_digit(c)) {
        k += width(k);
      } else if ((is_apostrophe(c) || is_hyphen(c)) && is_letter(at(k + width(k)))) {
        k += width(k);
      } else if (c == '.' && is_letter(at(k + 1))) {
        k += 1;  // "www.example.org", "Node.js": a full stop with no space after it
      } else {
        break;
      }
    }
    i_ = k;
    std::string_view word = text_.substr(start, i_ - start);
    if (at(i_) == '+' && is_acronym(word)) ++i_;
  }

  // "e.g.", "i.e.", "a.m.": single letters each followed by a full stop, two or more.
  bool read_dotted_abbreviation() {
    std::size_t k = i_;
    int letters = 0;
    while (k + 1 < text_.size() && is_ascii_letter(at(k)) && text_[k + 1] == '.') {
      ++letters;
      k += 2;
    }
    if (letters < 2) return false;
    i_ = k;
    return true;
  }

  std::string_view text_;
  std::size_t i_ = 0;
  bool space_ = true;
  std::vector<prose_token> tokens_;
};

// =============================================================================================
// Front matter lines

std::string_view unquoted(std::string_view value) {
  value = trimmed(value);
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    value = value.substr(1, value.size() - 2);
  }
  return value;
}

}  // namespace

void prose_block::append(std::string_view bytes, text_position pos, counting counts) {
  if (bytes.empty()) return;
  // Bytes at the same place as the run before them (a character matched again and again to
  // the same source byte) go on with that run.
  bool same_place = !runs.empty() && counts == counting::none &&
                    runs.back().counts == counting::none && runs.back().pos.line == pos.line &&
                    runs.back().pos.col == pos.col;
  if (!same_place) runs.push_back({text.size(), pos, counts});
  text.append(bytes);
}

text_position prose_block::position_at(std::size_t offset) const {
  if (runs.empty() || text.empty()) return {};
  offset = std::min(offset, text.size() - 1);
  auto after = std::upper_bound(runs.begin(), runs.end(), offset,
                                [](std::size_t at, const run& r) { return at < r.offset; });
  const run& r = *std::prev(after);  // the first run starts at 0
  text_position pos = r.pos;
  auto starts = [&](std::size_t from, std::size_t to) {
    return count_code_point_starts(std::string_view(text).substr(from, to - from));
  };
  if (r.counts == counting::after_starts) pos.col += starts(r.offset, offset);
  if (r.counts == counting::by_code_points) pos.col += starts(r.offset, offset + 1) - 1;
  return pos;
}

bool prose_block::is_fragment() const {
  if (kind != prose_kind::list_item) return false;
  std::string_view end = trimmed(text);
  // Closing quotes and brackets may follow the full stop: (like this.) or "like this."
  auto closing = [](std::string_view t) {
    for (std::string_view q : {"\"", "'", ")", "]", "\u201D", "\u2019"}) {
      if (t.size() >= q.size() && t.substr(t.size() - q.size()) == q) return q.size();
    }
    return std::size_t{0};
  };
  while (std::size_t n = closing(end)) end.remove_suffix(n);
  if (end.empty()) return true;
  char last = end.back();
  return !(last == '.' || last == '!' || last == '?');
}

prose_page extract_prose(const source_page& page) {
  return extract_prose(page, parse_gfm_tree(page.body, cmark_options).document.get());
}

prose_page extract_prose(const source_page& page, cmark_node* document) {
  prose_page out;
  body_lines lines(page);
  const shared_file_name file(page.file);
  iterator_ptr iter(cmark_iter_new(document));
  cmark_event_type event;
  while ((event = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
    if (event != CMARK_EVENT_ENTER) continue;
    cmark_node* node = cmark_iter_get_node(iter.get());
    if (!holds_prose(node)) continue;
    prose_block block;
    block.kind = kind_of(node);
    block.file = file;
    text_position start{page.body_line, 1};
    if (cmark_node_get_start_line(node) > 0) {
      start = lines.position(
          cmark_node_get_start_line(node),
          static_cast<std::size_t>(std::max(cmark_node_get_start_column(node), 1) - 1));
    }
    block_builder(lines, block, start).add_inlines(node);
    if (block.kind == prose_kind::paragraph || block.kind == prose_kind::list_item) {
      std::string component = sole_component(block.text);
      if (!component.empty()) {
        out.components.push_back(component);
        continue;
      }
    }
    if (trimmed(block.text).empty()) continue;
    // Kept until the checks are done (for a build, every page's): without spare room.
    block.text.shrink_to_fit();
    block.runs.shrink_to_fit();
    out.blocks.push_back(std::move(block));
  }
  out.blocks.shrink_to_fit();
  return out;
}

std::vector<prose_block> front_matter_prose(const source_page& page) {
  static constexpr std::string_view keys[] = {"title", "nav_title", "summary"};
  std::vector<prose_block> blocks;
  const shared_file_name file(page.file);
  for_each_setting_line(
      page.head, keys, [&](std::string_view key, int line, std::string_view content) {
        std::string_view raw = content.substr(key.size() + 1);
        std::string_view value = unquoted(raw);
        if (value.empty() || value.front() == '|' || value.front() == '>') return;
        prose_block block;
        block.kind = prose_kind::front_matter;
        block.file = file;
        std::size_t value_start = static_cast<std::size_t>(value.data() - content.data());
        // Each byte gets the column of the code point it belongs to.
        int col = count_code_points(content.substr(0, value_start)) + 1;
        block.append(value, {line, col}, prose_block::counting::by_code_points);
        blocks.push_back(std::move(block));
      });
  return blocks;
}

std::vector<prose_token> tokenize(std::string_view text) {
  return tokenizer(text).run();
}

bool is_acronym(std::string_view word) {
  if (!word.empty() && word.back() == '+') word.remove_suffix(1);
  if (word.size() >= 3 && word.back() == 's') word.remove_suffix(1);
  if (word.size() < 2) return false;
  for (char c : word) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

std::string_view figure_inner(std::string_view token) {
  if (token.size() >= 4 && token.substr(0, 2) == "{{" && token.substr(token.size() - 2) == "}}") {
    token = token.substr(2, token.size() - 4);
  }
  return trimmed(token);
}

}  // namespace tandem
