// The prose of a page, as a reader meets it: the text of its paragraphs, list items, headings
// and table cells (from the cmark-gfm syntax tree), with the file position of every byte, and
// the words, numbers and figures in it. What the plain-language and figure checks read.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "content.hpp"
#include "diag.hpp"

struct cmark_node;  // cmark-gfm.h

namespace tandem {

/// A file's name, held once for all the blocks and sentences of the file rather than copied
/// into each (hundreds of thousands of them in a large site). Reads as a `const std::string&`.
class shared_file_name {
 public:
  shared_file_name() = default;
  shared_file_name(std::string name)
      : name_(std::make_shared<const std::string>(std::move(name))) {}
  shared_file_name(const char* name) : shared_file_name(std::string(name)) {}
  const std::string& str() const { return name_ ? *name_ : empty(); }
  operator const std::string&() const { return str(); }
  friend bool operator==(const shared_file_name& a, std::string_view b) { return a.str() == b; }
  friend bool operator==(const shared_file_name& a, const shared_file_name& b) {
    return a.str() == b.str();
  }

 private:
  static const std::string& empty() {
    static const std::string none;
    return none;
  }
  std::shared_ptr<const std::string> name_;
};

/// Where a block of prose sits on the page.
enum class prose_kind { paragraph, list_item, heading, table_cell, front_matter };

/// Stands in the text of a block for a code span: its content is code, not prose.
inline constexpr char code_placeholder = '\x1a';

/// One block of prose. `text` holds the block's inline text (emphasis and links as plain text,
/// line breaks as spaces, code spans as `code_placeholder`, images left out, `{{ }}` as
/// written); `where` holds the file position of each byte of `text`.
struct prose_block {
  prose_kind kind = prose_kind::paragraph;
  shared_file_name file;
  std::string text;

  /// How the bytes of a run of `text` stand in the file, from the run's first byte at `pos`.
  enum class counting : unsigned char {
    none,            // every byte at `pos` (a space for a line break, a placeholder ...)
    after_starts,    // one column further after each byte that starts a code point (Markdown
                     // text as written: a code point's later bytes are one column further)
    by_code_points,  // each byte at the column of the code point it belongs to
  };
  struct run {
    std::size_t offset = 0;  // in `text`
    text_position pos;
    counting counts = counting::none;
  };
  /// Where the bytes of `text` come from, in runs of bytes (a position per byte would take
  /// eight bytes for every byte of prose).
  std::vector<run> runs;

  /// Appends `bytes` to `text`, positioned as `counts` says from `pos`.
  void append(std::string_view bytes, text_position pos, counting counts = counting::none);
  /// The file position of byte `offset` of `text` (the last byte's when past the end).
  text_position position_at(std::size_t offset) const;
  /// A list item that does not end with a full stop, question mark or exclamation mark.
  bool is_fragment() const;
};

/// The prose of one Markdown file.
struct prose_page {
  std::vector<prose_block> blocks;
  /// Block components the body uses, in order: "cards", "chart", "pledges", "glossary".
  std::vector<std::string> components;
};

/// Parses the body of `page` with cmark-gfm (as the renderer does) and collects its prose.
/// Code blocks, raw HTML and paragraphs that hold only a block component are not prose.
prose_page extract_prose(const source_page& page);

/// The same, from `document`: the body of `page` as `parse_gfm` returns it with tandem's
/// extensions, not changed since (before `cmark_consolidate_text_nodes` or any other pass), so
/// that a caller that parses the page anyway need not parse it twice. The tree is only read.
prose_page extract_prose(const source_page& page, cmark_node* document);

/// Calls `found(key, line, content)` for each line of `head` (a page's front matter, from its
/// first '---') that sets one of `keys`: `content` is the whole line, starting "key:", and `line`
/// its number in the file.
template <typename Found>
void for_each_setting_line(std::string_view head, std::span<const std::string_view> keys,
                           const Found& found) {
  int line = 1;
  for (std::size_t start = 0; start < head.size(); ++line) {
    std::size_t end = std::min(head.find('\n', start), head.size());
    std::string_view content = head.substr(start, end - start);
    for (std::string_view key : keys) {
      if (content.size() > key.size() && content.substr(0, key.size()) == key &&
          content[key.size()] == ':') {
        found(key, line, content);
        break;
      }
    }
    start = end + 1;
  }
}

/// The one-line front matter values a reader sees (`title`, `nav_title`, `summary`), as blocks
/// of kind `front_matter`, positioned on their lines.
std::vector<prose_block> front_matter_prose(const source_page& page);

/// A piece of prose text.
enum class token_kind {
  word,    // letters, with inner apostrophes and hyphens ("don't", "care-experienced"),
           // "e.g."-style abbreviations, and a '+' after capitals ("LGBT+")
  number,  // digits with thousands commas and a decimal point: "1,234", "41.2", "41.2%"
  figure,  // "{{ ... }}" as written
  code,    // a code span (code_placeholder)
  punct,   // one punctuation character or symbol
};

struct prose_token {
  token_kind kind = token_kind::word;
  std::size_t offset = 0;  // in the block's text
  std::string_view text;   // a view into the block's text
  bool space_before = false;
  bool percent = false;  // a number written with '%' straight after it (included in `text`)
};

/// Splits prose text into tokens; white space separates tokens and is not a token.
std::vector<prose_token> tokenize(std::string_view text);

/// True for a word written in capitals, two letters or more, possibly with '+' or a plural 's':
/// "PEP", "UASC", "LGBT+", "GPs".
bool is_acronym(std::string_view word);

/// The inner text of a `{{ ... }}` token, trimmed: "children_in_care:about".
std::string_view figure_inner(std::string_view token);

}  // namespace tandem
