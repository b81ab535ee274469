#include "markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "charts.hpp"
#include "components.hpp"
#include "gfm.hpp"
#include "limits.hpp"
#include "text.hpp"

namespace tandem {

// =============================================================================================
// cmark-gfm, owned

namespace {

// Safe mode is cmark-gfm's default: raw HTML is omitted and dangerous URLs are emptied.
// CMARK_OPT_UNSAFE must never be added here.
// Table alignment as style attributes: the align attribute is obsolete in HTML5.
constexpr int cmark_options = CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES;

// Safe on many threads at once: the parse itself holds gfm.hpp's lock.
// `before_joining`, if given, reads the tree as cmark-gfm made it, before its text nodes are
// joined (what extract_prose needs: each text node where its source stands).
gfm_tree parse_tree(const std::string& body,
                    const std::function<void(cmark_node*)>& before_joining = nullptr) {
  // Every node owns its text (parse_gfm): the passes replace and free blocks.
  gfm_tree tree = parse_gfm_tree(body, cmark_options);
  if (before_joining) before_joining(tree.document.get());
  // cmark splits text at `_`, `*`, `[` ...: `{{ children_in_care }}` would arrive in pieces.
  arena_scope scope(tree.arena.get());
  cmark_consolidate_text_nodes(tree.document.get());
  return tree;
}

std::string render_tree(gfm_tree& tree) {
  arena_scope scope(tree.arena.get());  // the HTML's buffer too: gone with the tree
  char* html = cmark_render_html(tree.document.get(), cmark_options,
                                 cmark_parser_get_syntax_extensions(tree.parser.get()));
  std::string out = html ? html : "";
  gfm_memory()->free(html);  // the parser's allocator (new_gfm_parser)
  return out;
}

// Calls enter(node) for `root` and every node under it in document order, and exit(node) once
// all of a node's children are done. Neither may change the tree.
template <typename on_enter, typename on_exit>
void walk_tree(cmark_node* root, on_enter&& enter, on_exit&& exit) {
  cmark_node* node = root;
  for (;;) {
    enter(node);
    if (cmark_node* child = cmark_node_first_child(node)) {
      node = child;
      continue;
    }
    for (;;) {
      exit(node);
      if (node == root) return;
      if (cmark_node* next = cmark_node_next(node)) {
        node = next;
        break;
      }
      node = cmark_node_parent(node);
    }
  }
}

template <typename on_enter>
void walk_tree(cmark_node* root, on_enter&& enter) {
  walk_tree(root, enter, [](cmark_node*) {});
}

std::vector<cmark_node*> nodes_in_order(cmark_node* root,
                                        std::initializer_list<cmark_node_type> types) {
  std::vector<cmark_node*> found;
  walk_tree(root, [&](cmark_node* node) {
    if (std::find(types.begin(), types.end(), cmark_node_get_type(node)) != types.end()) {
      found.push_back(node);
    }
  });
  return found;
}

bool has_ancestor(cmark_node* node, std::initializer_list<cmark_node_type> types) {
  for (cmark_node* up = cmark_node_parent(node); up != nullptr; up = cmark_node_parent(up)) {
    if (std::find(types.begin(), types.end(), cmark_node_get_type(up)) != types.end()) return true;
  }
  return false;
}

std::string literal_of(cmark_node* node) {
  const char* text = cmark_node_get_literal(node);
  return text ? text : "";
}

int allow_inlines(cmark_syntax_extension*, cmark_node*, cmark_node_type child) {
  return (child & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE ? 1 : 0;
}

// The table extension lets a cell hold only its own list of inline types, not custom inlines.
// While a figure or term goes into a cell, the cell answers to an extension that allows every
// inline; it is given back to the table extension (which renders it) straight after.
cmark_syntax_extension* inline_holder() {
  static cmark_syntax_extension* holder = [] {
    cmark_syntax_extension* ext = cmark_syntax_extension_new("tandem-inline-holder");
    cmark_syntax_extension_set_can_contain_func(ext, allow_inlines);
    return ext;
  }();
  return holder;
}

/// Inserts `node` after `anchor`; frees `node` and returns false if it cannot go there.
bool insert_after(cmark_node* anchor, cmark_node* node) {
  if (cmark_node_insert_after(anchor, node)) return true;
  cmark_node* parent = cmark_node_parent(anchor);
  cmark_syntax_extension* own = parent ? cmark_node_get_syntax_extension(parent) : nullptr;
  bool inserted = false;
  if (own != nullptr &&
      (cmark_node_get_type(node) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE) {
    cmark_node_set_syntax_extension(parent, inline_holder());
    inserted = cmark_node_insert_after(anchor, node) != 0;
    cmark_node_set_syntax_extension(parent, own);
  }
  if (!inserted) cmark_node_free(node);
  return inserted;
}

// New nodes have the parsed tree's allocator: cmark-gfm joins only nodes of one allocator.
cmark_node* new_text(const std::string& text) {
  cmark_node* node = cmark_node_new_with_mem(CMARK_NODE_TEXT, gfm_memory());
  cmark_node_set_literal(node, text.c_str());
  return node;
}

cmark_node* new_custom(cmark_node_type type, const std::string& on_enter,
                       const std::string& on_exit = "") {
  cmark_node* node = cmark_node_new_with_mem(type, gfm_memory());
  cmark_node_set_on_enter(node, on_enter.c_str());
  cmark_node_set_on_exit(node, on_exit.c_str());
  return node;
}

// =============================================================================================
// Text helpers

constexpr bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// "(did you mean 'x'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates,
                         const std::string& prefix = "", const std::string& suffix = "") {
  std::string best = nearest_name(lowercase(word), candidates);
  if (best.empty()) return "";
  return " (did you mean '" + prefix + best + suffix + "'?)";
}

// The ids a link to a heading on the page written to `output_path` may name: its headings (and
// components) as indexed, and `own_ids`, those its components made while rendering.
std::set<std::string> anchors_of_page(const std::set<std::string>& own_ids, const link_index& links,
                                      const std::string& output_path) {
  std::set<std::string> anchors = own_ids;
  for (const auto& [key, target] : links.pages) {
    if (target.output_path == output_path)
      anchors.insert(target.anchors.begin(), target.anchors.end());
  }
  return anchors;
}

// `file`: the page the link leads to, "" for the page the link is on.
std::string broken_anchor(const std::string& written, const std::string& fragment,
                          const std::set<std::string>& anchors, const std::string& file) {
  std::vector<std::string> candidates(anchors.begin(), anchors.end());
  return "the link to '" + written + "' leads to a heading that " +
         (file.empty() ? "is not on this page" : "is not in " + file) +
         did_you_mean(fragment, candidates, "#") +
         "; a heading's id is made from its text, in lowercase with '-' between words";
}

// =============================================================================================
// `{{ ... }}` in text

/// A `{{ ... }}` in a text: byte offsets of `{{` and after `}}`, and what is between.
struct brace_token {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string_view raw;    // "{{ key }}"
  std::string_view inner;  // " key "
};

std::optional<brace_token> find_token(std::string_view text, std::size_t from) {
  std::size_t open = text.find("{{", from);
  if (open == std::string_view::npos) return std::nullopt;
  std::size_t close = text.find("}}", open + 2);
  if (close == std::string_view::npos) return std::nullopt;  // left as text
  // "{{ {{ key }}": the token is the innermost one.
  std::size_t last_open = text.rfind("{{", close - 2);
  if (last_open != std::string_view::npos && last_open > open) open = last_open;
  brace_token token;
  token.begin = open;
  token.end = close + 2;
  token.raw = text.substr(open, token.end - open);
  token.inner = text.substr(open + 2, close - open - 2);
  return token;
}

/// `key` or `key:format` inside the braces, with where each starts in the token.
struct figure_reference {
  std::string key;
  std::string format;
  std::size_t key_offset = 0;
  std::size_t format_offset = 0;
};

bool is_key_char(char c) {
  return is_ascii_alnum(c) || c == '_' || c == '-';
}

std::optional<figure_reference> parse_reference(std::string_view raw) {
  figure_reference ref;
  std::size_t i = 2;
  std::size_t end = raw.size() - 2;
  while (i < end && is_ascii_space(raw[i])) ++i;
  ref.key_offset = i;
  while (i < end && is_key_char(raw[i])) ref.key.push_back(raw[i++]);
  while (i < end && is_ascii_space(raw[i])) ++i;
  if (i < end && raw[i] == ':') {
    ++i;
    while (i < end && is_ascii_space(raw[i])) ++i;
    ref.format_offset = i;
    while (i < end && is_key_char(raw[i])) ref.format.push_back(raw[i++]);
    while (i < end && is_ascii_space(raw[i])) ++i;
    if (ref.format.empty()) return std::nullopt;
  }
  if (i != end || ref.key.empty()) return std::nullopt;
  return ref;
}

std::size_t first_word_offset(std::string_view raw) {
  std::size_t i = 2;
  while (i + 2 < raw.size() && is_ascii_space(raw[i])) ++i;
  return i;
}

std::string first_word(std::string_view raw) {
  std::size_t i = first_word_offset(raw);
  std::string word;
  while (i + 2 < raw.size() && !is_ascii_space(raw[i]) && raw[i] != ':') word.push_back(raw[i++]);
  return word;
}

/// A `{{ }}` resolved: the markup and text to show, or the problem to report.
struct resolved_figure {
  bool ok = false;
  std::string key;
  std::string format_name;
  std::string markup;  // <data ...>777</data>
  std::string text;    // 777
  std::string problem_id;
  std::string problem;
  std::size_t offset = 0;  // where in the token the key (or the problem) starts
};

std::string data_markup(const std::string& key, const std::string& value,
                        const std::string& format_name, const std::string& text) {
  std::string format_attribute =
      format_name == "plain" ? "" : " data-format=\"" + escape_html(format_name) + "\"";
  return "<data value=\"" + escape_html(value) + "\" data-figure=\"" + escape_html(key) + "\"" +
         format_attribute + ">" + escape_html(text) + "</data>";
}

std::string label_markup(const std::string& key, const std::string& label) {
  return "<span data-figure=\"" + escape_html(key) + "\" data-format=\"label\">" +
         escape_html(label) + "</span>";
}

std::string unknown_figure_message(const std::string& key, const stats_data& stats) {
  std::string suggestion = did_you_mean(key, stats.all_keys());
  if (!suggestion.empty()) return "unknown figure '" + key + "'" + suggestion;
  return "unknown figure '" + key + "': check the spelling, or add it to " +
         std::string(stats_file);
}

resolved_figure figure_problem(std::string id, std::string message, std::size_t offset) {
  resolved_figure r;
  r.problem_id = std::move(id);
  r.problem = std::move(message);
  r.offset = offset;
  return r;
}

std::string list_of_formats() {
  std::string list;
  auto names = figure_format_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) list += i + 1 == names.size() ? " and " : ", ";
    list += names[i];
  }
  return list;
}

resolved_figure resolve_as_of(const stats_data& stats, const figure_reference& ref) {
  if (!ref.format.empty() && ref.format != "plain") {
    return figure_problem("figure.format",
                          "'as_of' is the date of the data and has no formats: write {{ as_of }}",
                          ref.format_offset);
  }
  resolved_figure r;
  r.ok = true;
  r.key = "as_of";
  r.format_name = "plain";
  r.text = format_long_date(stats.as_of_year, stats.as_of_month, stats.as_of_day);
  r.markup = "<time datetime=\"" + escape_html(stats.as_of) + "\" data-figure=\"as_of\">" +
             escape_html(r.text) + "</time>";
  r.offset = ref.key_offset;
  return r;
}

resolved_figure resolve_known_figure(const figure& f, const figure_reference& ref) {
  auto format = parse_figure_format(ref.format);
  if (!format) {
    return figure_problem("figure.format",
                          "unknown format '" + ref.format + "' in {{ " + ref.key + ":" +
                              ref.format + " }}" + did_you_mean(ref.format, figure_format_names()) +
                              "; the formats are " + list_of_formats(),
                          ref.format_offset);
  }
  std::string why;
  auto text = format_figure(f, *format, &why);
  // With a unit stats.json gets wrong, whether the format fits waits for it (its error says so).
  if (!text) return figure_problem(f.unit_unknown ? "" : "figure.format", why, ref.format_offset);
  resolved_figure r;
  r.ok = true;
  r.key = f.key;
  r.format_name = figure_format_name(*format);
  r.text = *text;
  r.markup = *format == figure_format::label
                 ? label_markup(f.key, *text)
                 : data_markup(f.key, f.value_text, r.format_name, *text);
  r.offset = ref.key_offset;
  return r;
}

resolved_figure resolve_breakdown(const breakdown& b, const figure_reference& ref) {
  if (ref.format == "label") {
    resolved_figure r;
    r.ok = true;
    r.key = b.key;
    r.format_name = "label";
    r.text = b.label;
    r.markup = label_markup(b.key, b.label);
    r.offset = ref.key_offset;
    return r;
  }
  return figure_problem("figure.format",
                        "'" + b.key + "' is a breakdown: show it with {{ chart " + b.key +
                            " }} in a paragraph of its own",
                        ref.key_offset);
}

/// Resolves the `{{ ... }}` written in running text.
// A space other than the space bar's (a non-breaking space, a thin space, a zero-width one)
// looks like one on the screen, but is not one to Markdown or to {{ }}.
bool is_unusual_space(char32_t cp) {
  return cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000 || cp == 0xFEFF;
}

bool has_unusual_space(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    auto [cp, length] = decode(text, i);
    if (is_unusual_space(cp)) return true;
    i += length;
  }
  return false;
}

resolved_figure resolve_figure(const stats_data& stats, std::string_view raw) {
  std::string_view inner = trimmed(raw.substr(2, raw.size() - 4));
  std::size_t word_at = first_word_offset(raw);
  if (inner.empty()) {
    return figure_problem("figure.unknown",
                          "empty {{ }}: write the key of a figure from " + std::string(stats_file) +
                              " inside, like {{ children_in_care }}",
                          0);
  }
  if (auto call = parse_component(raw.substr(2, raw.size() - 4))) {
    return figure_problem("figure.format",
                          "{{ " + call->name +
                              " }} must be a paragraph of its own, with a blank line before and "
                              "after it",
                          word_at);
  }
  auto ref = parse_reference(raw);
  if (!ref && has_unusual_space(raw)) {
    return figure_problem("figure.unknown",
                          "'" + std::string(raw) +
                              "' has a space that is not an ordinary space between its braces (a "
                              "non-breaking space, as word processors put in): delete the "
                              "spaces inside the braces and type them again",
                          0);
  }
  if (!ref) {
    std::string word = first_word(raw);
    auto candidates = stats.all_keys();
    for (const auto& name : component_names()) candidates.push_back(name);
    return figure_problem("figure.unknown",
                          "'{{ " + std::string(inner) + " }}' is not a figure" +
                              did_you_mean(word, candidates) +
                              ": write {{ key }} with a key from " + stats_file,
                          word_at);
  }
  if (ref->key == "as_of") return resolve_as_of(stats, *ref);
  if (const figure* f = stats.find_figure(ref->key)) return resolve_known_figure(*f, *ref);
  if (const breakdown* b = stats.find_breakdown(ref->key)) return resolve_breakdown(*b, *ref);
  // Unreadable statistics hold no key: nothing to report (see report_unknown).
  if (stats.unreadable) return figure_problem("", "", ref->key_offset);
  return figure_problem("figure.unknown", unknown_figure_message(ref->key, stats), ref->key_offset);
}

/// resolve_figure, remembered on this thread for the rest of render pass `pass` (0: not
/// remembered): a site shows the same few figures on many pages, in the same words.
const resolved_figure& resolve_figure_in_pass(const stats_data& stats, const std::string& raw,
                                              std::uint64_t pass) {
  struct remembered {
    std::uint64_t pass = 0;
    std::unordered_map<std::string, resolved_figure> by_token;
    resolved_figure scratch;
  };
  thread_local remembered memo;
  if (pass == 0) {
    memo.scratch = resolve_figure(stats, raw);
    return memo.scratch;
  }
  if (memo.pass != pass) {
    memo.by_token.clear();
    memo.pass = pass;
  }
  auto found = memo.by_token.find(raw);
  if (found == memo.by_token.end())
    found = memo.by_token.emplace(raw, resolve_figure(stats, raw)).first;
  return found->second;
}

/// The only content of a paragraph, if that is one `{{ ... }}`: a block component candidate.
struct sole_token {
  cmark_node* text = nullptr;
  std::string raw;
};

std::optional<sole_token> sole_token_of(cmark_node* paragraph) {
  cmark_node* child = cmark_node_first_child(paragraph);
  if (child == nullptr || cmark_node_next(child) != nullptr) return std::nullopt;
  if (cmark_node_get_type(child) != CMARK_NODE_TEXT) return std::nullopt;
  std::string text = literal_of(child);
  std::string_view body = trimmed(text);
  if (!starts_with(body, "{{")) return std::nullopt;
  auto token = find_token(body, 0);
  if (!token || token->begin != 0 || token->end != body.size()) return std::nullopt;
  return sole_token{child, std::string(body)};
}

// =============================================================================================
// Where things are in the source file

/// Turns cmark-gfm positions (lines of the body, byte columns) into file positions (lines of
/// the file, code point columns), and finds the exact place of a `{{ }}` in its block.
class source_locator {
 public:
  explicit source_locator(const source_page& page) : page_(page) {
    line_starts_.push_back(0);
    std::string_view body = page.body;
    for (std::size_t at = body.find('\n'); at != std::string_view::npos;
         at = body.find('\n', at + 1)) {
      line_starts_.push_back(at + 1);
    }
  }

  /// Finds the `{{ }}` tokens of one text node in the source, one after the other.
  class token_finder {
   public:
    token_finder(const source_locator& locator, cmark_node* node)
        : locator_(locator),
          node_(node),
          from_(locator.start_offset(node)),
          to_(locator.end_offset(node)) {}

    /// Where `raw`, the node's next token, starts: found as written, else the next `{{` (escapes
    /// and entities can make the source differ from the text), else where the search stands.
    text_position next(std::string_view raw) {
      auto at = search(raw, from_);
      if (!at) at = search("{{", from_);
      if (!at && first_) at = search(raw, locator_.block_start_offset(node_));
      first_ = false;
      if (!at) return position(from_);
      from_ = *at + 2;
      return position(*at);
    }

   private:
    // Counts on from the previous token when it is on the same line: a paragraph can be one
    // very long line with many figures.
    text_position position(std::size_t offset) {
      std::string_view body = locator_.page_.body;
      if (last_offset_ && *last_offset_ <= offset) {
        std::string_view between = body.substr(*last_offset_, offset - *last_offset_);
        if (between.find('\n') == std::string_view::npos) {
          last_position_.col += count_code_points(between);
          last_offset_ = offset;
          return last_position_;
        }
      }
      last_offset_ = offset;
      last_position_ = locator_.position(offset);
      return last_position_;
    }

    std::optional<std::size_t> search(std::string_view needle, std::size_t from) const {
      std::size_t at = locator_.page_.body.find(needle, from);
      if (at == std::string::npos || at >= to_) return std::nullopt;
      return at;
    }

    const source_locator& locator_;
    cmark_node* node_;
    std::size_t from_;
    std::size_t to_;
    bool first_ = true;
    std::optional<std::size_t> last_offset_;
    text_position last_position_;
  };

  /// Where `node` starts.
  text_position start_of(cmark_node* node) const { return position(start_offset(node)); }

  /// The line in the file of a body line.
  int file_line(int body_line) const { return body_line + page_.body_line - 1; }

  /// Whether `braced` ("{ key }") stands as it is in the source of `node`'s block, not inside
  /// more braces: not when Markdown made the text from escapes ("\\{ key \\}") or entities.
  bool braced_in_block(cmark_node* node, std::string_view braced) const {
    std::string_view body = std::string_view(page_.body).substr(0, end_offset(node));
    // From where the text starts: not in a code span before it in the block.
    const std::size_t block = std::max(block_start_offset(node), start_offset(node));
    for (std::size_t at = body.find(braced, block); at != std::string_view::npos;
         at = body.find(braced, at + 1)) {
      const bool before = at > block && body[at - 1] == '{';
      const bool after = at + braced.size() < body.size() && body[at + braced.size()] == '}';
      if (!before && !after) return true;
    }
    return false;
  }

  /// Where `written` first stands in the source of `node`'s block, else where the block starts.
  text_position first_in_block(cmark_node* node, std::string_view written) const {
    std::string_view body(page_.body);
    std::size_t at = body.substr(0, end_offset(node)).find(written, block_start_offset(node));
    return at == std::string_view::npos ? start_of(node) : position(at);
  }

  /// Where the '[' stands that opens the link or picture ending `tail` ("](address)") in the
  /// source of `node`'s block, the last before it; and whether a '!' makes it a picture.
  std::pair<text_position, bool> bracket_before(cmark_node* node, std::string_view tail) const {
    std::string_view body(page_.body);
    std::size_t block = block_start_offset(node);
    std::size_t at = body.substr(0, end_offset(node)).find(tail, block);
    if (at == std::string_view::npos) return {start_of(node), false};
    std::size_t open = body.substr(0, at).rfind('[');
    if (open == std::string_view::npos || open < block) return {position(at), false};
    const bool picture = open > block && body[open - 1] == '!';
    return {position(open - picture), picture};
  }

 private:
  std::size_t offset_at(int line, int column) const {
    if (line < 1) return 0;
    auto index = std::min(static_cast<std::size_t>(line - 1), line_starts_.size() - 1);
    std::size_t line_start = line_starts_[index];
    std::size_t line_end =
        index + 1 < line_starts_.size() ? line_starts_[index + 1] - 1 : page_.body.size();
    std::size_t column_bytes = column > 1 ? static_cast<std::size_t>(column - 1) : 0;
    return std::min(line_start + column_bytes, line_end);
  }

  static cmark_node* positioned(cmark_node* node) {
    while (node != nullptr && cmark_node_get_start_line(node) <= 0) node = cmark_node_parent(node);
    return node;
  }

  static cmark_node* enclosing_block(cmark_node* node) {
    while (node != nullptr &&
           ((cmark_node_get_type(node) & CMARK_NODE_TYPE_MASK) != CMARK_NODE_TYPE_BLOCK ||
            cmark_node_get_start_line(node) <= 0)) {
      node = cmark_node_parent(node);
    }
    return node;
  }

  std::size_t start_offset(cmark_node* node) const {
    cmark_node* at = positioned(node);
    if (at == nullptr) return 0;
    return offset_at(cmark_node_get_start_line(at), cmark_node_get_start_column(at));
  }

  std::size_t block_start_offset(cmark_node* node) const {
    cmark_node* block = enclosing_block(node);
    if (block == nullptr) return 0;
    return offset_at(cmark_node_get_start_line(block), 1);
  }

  std::size_t end_offset(cmark_node* node) const {
    cmark_node* block = enclosing_block(node);
    if (block == nullptr) return page_.body.size();
    int end_line = cmark_node_get_end_line(block);
    if (end_line < cmark_node_get_start_line(block)) return page_.body.size();
    auto next = static_cast<std::size_t>(end_line);
    return next < line_starts_.size() ? line_starts_[next] : page_.body.size();
  }

  text_position position(std::size_t offset) const {
    auto line_index = static_cast<std::size_t>(
        std::upper_bound(line_starts_.begin(), line_starts_.end(), offset) - line_starts_.begin() -
        1);
    std::size_t line_start = line_starts_[line_index];
    text_position pos;
    pos.line = file_line(static_cast<int>(line_index) + 1);
    pos.col =
        count_code_points(std::string_view(page_.body).substr(line_start, offset - line_start)) + 1;
    return pos;
  }

  const source_page& page_;
  std::vector<std::size_t> line_starts_;
};

/// `pos` moved right by the code points of `text`'s first `bytes` bytes (all on one line).
text_position moved_right(text_position pos, std::string_view text, std::size_t bytes) {
  pos.col += count_code_points(text.substr(0, bytes));
  return pos;
}

// =============================================================================================
// Headings

// Figures in a heading are shown formatted, but the heading's id is made from the figure's key
// so that anchors stay the same when the data changes.
enum class figure_text { formatted, key };

std::string text_with_figures(std::string_view text, const stats_data& stats, figure_text mode) {
  std::string out;
  std::size_t last = 0;
  while (auto token = find_token(text, last)) {
    out.append(text.substr(last, token->begin - last));
    auto resolved = resolve_figure(stats, token->raw);
    if (mode == figure_text::key) {
      out += resolved.ok ? resolved.key : std::string(trimmed(token->inner));
    } else {
      out += resolved.ok ? resolved.text : std::string(token->raw);
    }
    last = token->end;
  }
  out.append(text.substr(last));
  return out;
}

std::string_view literal_view(cmark_node* node) {
  const char* text = cmark_node_get_literal(node);
  return text ? std::string_view(text) : std::string_view();
}

std::string heading_text(cmark_node* heading, const stats_data& stats, figure_text mode) {
  std::string text;
  walk_tree(heading, [&](cmark_node* node) {
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_TEXT:
        text += text_with_figures(literal_view(node), stats, mode);
        break;
      case CMARK_NODE_CODE:
        text += literal_view(node);
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        text += ' ';
        break;
      default:
        break;
    }
  });
  return collapse_spaces(text);
}

std::string unique_id(const std::string& base, std::set<std::string>& ids) {
  std::string id = base;
  for (int n = 2; ids.count(id); ++n) id = base + "-" + std::to_string(n);
  ids.insert(id);
  return id;
}

std::string chart_id_base(const std::string& key) {
  return "chart-" + slugify(key);
}
std::string pledge_id_base(const pledge& p) {
  return "pledge-" + slugify(p.slug);
}

/// Ids the block components of a page will use, so that headings keep clear of them.
std::set<std::string> component_ids(cmark_node* document, const site_model& model) {
  std::set<std::string> ids;
  for (cmark_node* paragraph : nodes_in_order(document, {CMARK_NODE_PARAGRAPH})) {
    auto sole = sole_token_of(paragraph);
    if (!sole) continue;
    auto call = parse_component(std::string_view(sole->raw).substr(2, sole->raw.size() - 4));
    if (!call) continue;
    if (call->name == "chart" && call->args.size() == 1) ids.insert(chart_id_base(call->args[0]));
    if (call->name == "pledges") {
      for (const auto& p : model.content.pledges) ids.insert(pledge_id_base(p));
    }
    if (call->name == "glossary") {
      for (const auto& entry : model.content.glossary) ids.insert(glossary_term_id(entry.term));
    }
  }
  return ids;
}

std::vector<heading> collect_headings(cmark_node* document, const source_locator& locator,
                                      const stats_data& stats, std::set<std::string>& ids) {
  std::vector<heading> headings;
  for (cmark_node* node : nodes_in_order(document, {CMARK_NODE_HEADING})) {
    heading h;
    h.level = cmark_node_get_heading_level(node);
    h.text = heading_text(node, stats, figure_text::formatted);
    h.id = unique_id(slugify(heading_text(node, stats, figure_text::key)), ids);
    h.line = locator.file_line(cmark_node_get_start_line(node));
    headings.push_back(std::move(h));
  }
  return headings;
}

// =============================================================================================
// Links

bool has_scheme(std::string_view url) {
  if (url.empty() || !((url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z'))) {
    return false;
  }
  for (char c : url) {
    if (c == ':') return true;
    if (!(is_ascii_alnum(c) || c == '+' || c == '-' || c == '.')) return false;
  }
  return false;
}

bool is_external(std::string_view url) {
  return has_scheme(url) || starts_with(url, "//") || starts_with(url, "/");
}

struct split_url {
  std::string path;
  std::string fragment;
  bool has_fragment = false;
};

split_url split_fragment(std::string_view url) {
  split_url parts;
  std::size_t hash = url.find('#');
  parts.path = std::string(url.substr(0, hash));
  if (hash != std::string_view::npos) {
    parts.has_fragment = true;
    parts.fragment = std::string(url.substr(hash + 1));
  }
  while (starts_with(parts.path, "./")) parts.path.erase(0, 2);
  return parts;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

/// "x.png" for "media/x.png" or "../media/x.png"; nullopt for paths outside media/.
std::optional<std::string> media_file(std::string_view path) {
  if (starts_with(path, "../media/")) return std::string(path.substr(9));
  if (starts_with(path, "media/")) return std::string(path.substr(6));
  return std::nullopt;
}

/// `path` (no '#' part) followed from the folder of the page at `output_path`, as a browser
/// would: "our-pledges/" from "introduction/index.html" is "introduction/our-pledges/index.html".
/// nullopt when it climbs out of the site.
std::optional<std::string> followed_path(const std::string& output_path, std::string_view path) {
  std::vector<std::string_view> folders;  // the page's own folders, then the path's
  std::string_view from(output_path);
  for (std::size_t slash = from.find('/'); slash != std::string_view::npos;
       slash = from.find('/')) {
    folders.push_back(from.substr(0, slash));
    from.remove_prefix(slash + 1);
  }
  path = path.substr(0, path.find('?'));
  std::string_view file;  // the last part, when it names a file rather than a folder
  while (!path.empty()) {
    std::size_t slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    if (part == "..") {
      if (folders.empty()) return std::nullopt;
      folders.pop_back();
    } else if (slash == std::string_view::npos && part != ".") {
      file = part;
    } else if (!part.empty() && part != ".") {
      folders.push_back(part);
    }
  }
  std::string joined;
  for (std::string_view folder : folders) {
    joined.append(folder);
    joined.push_back('/');
  }
  joined.append(file.empty() ? std::string_view("index.html") : file);
  return joined;
}

/// A web address written without its "https://" ("www.example.gov.uk", "example.org/help"),
/// which a browser would read as a file of this site.
bool is_address_without_scheme(std::string_view path) {
  std::string_view host = path.substr(0, path.find('/'));
  if (starts_with(host, "www.")) return true;
  std::size_t dot = host.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  std::string_view ending = host.substr(dot + 1);
  static constexpr std::string_view endings[] = {
      "uk", "com", "org", "net", "gov", "info", "co", "io", "scot", "wales", "cymru", "nhs", "ie"};
  return std::find(std::begin(endings), std::end(endings), ending) != std::end(endings);
}

std::string plain_text(cmark_node* node) {
  std::string text;
  walk_tree(node, [&](cmark_node* n) {
    cmark_node_type type = cmark_node_get_type(n);
    if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE) text += literal_view(n);
  });
  return text;
}

// =============================================================================================
// Rendering one body

/// What the bodies rendered into one page (the page and its pledges) share.
struct page_state {
  std::set<std::string> ids;           // every id on the page
  std::set<std::string> marked_terms;  // glossary terms already marked
  bool nested_relative = false;        // a pledge's body holds a URL relative to the page
};

/// The glossary's terms by their first byte, in glossary order.
class term_index {
 public:
  explicit term_index(const std::vector<glossary_entry>& glossary) {
    std::set<std::string_view> seen;
    for (const auto& entry : glossary) {
      if (entry.term.empty()) continue;
      by_first_byte_[static_cast<unsigned char>(entry.term[0])].push_back(&entry);
      seen.insert(entry.term);
    }
    distinct_ = seen.size();
  }

  const std::vector<const glossary_entry*>& starting_with(char c) const {
    return by_first_byte_[static_cast<unsigned char>(c)];
  }
  bool empty() const { return distinct_ == 0; }
  std::size_t distinct() const { return distinct_; }

 private:
  std::array<std::vector<const glossary_entry*>, 256> by_first_byte_;
  std::size_t distinct_ = 0;
};

/// The nodes the passes after the figures work on, found in one walk, in document order.
struct pass_nodes {
  std::vector<cmark_node*> links;
  std::vector<cmark_node*> images;
  std::vector<cmark_node*> term_texts;  // texts outside links, images, headings and markup
  std::vector<cmark_node*> headings;
  std::vector<cmark_node*> tables;
  std::vector<cmark_node*> raw_html;  // HTML blocks and inline HTML, left out of the page
  // Texts holding "](": a link or picture cmark-gfm could not read, shown as written
  // ("[words](my file.pdf)").
  std::vector<cmark_node*> unread_links;
};

bool is_table(cmark_node* node) {
  const char* type = cmark_node_get_type_string(node);
  return type != nullptr && std::string_view(type) == "table";
}

bool shelters_terms(cmark_node_type type) {
  return type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE || type == CMARK_NODE_HEADING ||
         type == CMARK_NODE_CUSTOM_INLINE;
}

pass_nodes collect_pass_nodes(cmark_node* document) {
  pass_nodes found;
  int shelters = 0;
  walk_tree(
      document,
      [&](cmark_node* node) {
        cmark_node_type type = cmark_node_get_type(node);
        switch (type) {
          case CMARK_NODE_TEXT:
            if (shelters == 0) found.term_texts.push_back(node);
            if (literal_view(node).find("](") != std::string_view::npos)
              found.unread_links.push_back(node);
            break;
          case CMARK_NODE_LINK:
            found.links.push_back(node);
            break;
          case CMARK_NODE_IMAGE:
            found.images.push_back(node);
            break;
          case CMARK_NODE_HEADING:
            found.headings.push_back(node);
            break;
          case CMARK_NODE_HTML_BLOCK:
          case CMARK_NODE_HTML_INLINE:
            found.raw_html.push_back(node);
            break;
          default:
            if ((type & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK && is_table(node))
              found.tables.push_back(node);
            break;
        }
        if (shelters_terms(type)) ++shelters;
      },
      [&](cmark_node* node) {
        if (shelters_terms(cmark_node_get_type(node))) --shelters;
      });
  return found;
}

class body_renderer {
 public:
  body_renderer(const source_page& page, const markdown_env& env, diagnostics& diags,
                rendered_markdown& out, page_state& state, bool inside_pledge)
      : page_(page),
        env_(env),
        diags_(diags),
        out_(out),
        state_(state),
        inside_pledge_(inside_pledge),
        locator_(page),
        terms_(env.model.content.glossary) {}

  const source_locator& locator() const { return locator_; }

  std::string render(gfm_tree& tree, const std::vector<heading>& headings) {
    cmark_node* document = tree.document.get();
    replace_figures_and_components(document);
    pass_nodes nodes = collect_pass_nodes(document);
    check_links(nodes.links);
    check_images(nodes.images);
    report_raw_html(nodes.raw_html);
    report_unread_links(nodes.unread_links);
    mark_glossary_terms(nodes.term_texts);
    give_headings_ids(nodes.headings, headings);
    wrap_tables(nodes.tables);
    return render_tree(tree);
  }

  /// False if the body's HTML as read from another page cannot be had by rendering the same
  /// tree again: a pledge's body, already HTML, holds URLs relative to this page.
  bool can_render_from_elsewhere() const { return !state_.nested_relative; }

  /// After render: the same tree rendered as read from the page at `output_path` (links,
  /// pictures and glossary links relative to it).
  std::string render_from(gfm_tree& tree, const std::string& output_path) {
    for (const relative_site& site : relative_sites_) {
      std::string relative = relative_url(output_path, site.target);
      if (site.in_exit) {
        cmark_node_set_on_exit(site.node,
                               (site.before + escape_html(relative) + site.after).c_str());
      } else {
        cmark_node_set_url(site.node, (relative + site.after).c_str());
      }
    }
    return render_tree(tree);
  }

 private:
  const stats_data& stats() const { return env_.model.stats; }
  bool is_primary_edition() const { return env_.ed.id == env_.model.config.primary().id; }

  void report(text_position pos, const std::string& id, const std::string& message) {
    diags_.error(page_.file, pos.line, pos.col, id, message);
  }

  // A key stats.json does not hold. Statistics that could not be read hold none, and their own
  // error says so: each use is checked when they can be read again.
  void report_unknown(text_position pos, const std::string& key) {
    if (!stats().unreadable) report(pos, "figure.unknown", unknown_figure_message(key, stats()));
  }

  void report_warning(text_position pos, const std::string& id, const std::string& message) {
    diags_.warning(page_.file, pos.line, pos.col, id, message);
  }

  void record_use(const std::string& key, const std::string& format, const std::string& text,
                  text_position pos) {
    out_.figures.push_back({key, format, text, page_.file, pos.line, pos.col});
  }

  // Unlinked nodes stay alive until the page is rendered: the passes hold lists of nodes.
  void detach(cmark_node* node) {
    cmark_node_unlink(node);
    detached_.emplace_back(node);
  }

  void replace_with(cmark_node* old_node, cmark_node* new_node) {
    if (cmark_node_replace(old_node, new_node)) {
      detached_.emplace_back(old_node);
    } else {
      cmark_node_free(new_node);
    }
  }

  // --- figures and components, in document order so figure uses are listed as they appear

  void replace_figures_and_components(cmark_node* document) {
    // A component's paragraph holds one text, which comes next in the list: it is gone too.
    cmark_node* replaced_text = nullptr;
    for (cmark_node* node : nodes_in_order(document, {CMARK_NODE_PARAGRAPH, CMARK_NODE_TEXT})) {
      if (cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH) {
        if (!may_hold_token(cmark_node_first_child(node))) continue;
        if (cmark_node* text = replace_component(node)) replaced_text = text;
      } else if (node != replaced_text) {
        report_single_braces(node);
        if (may_hold_token(node)) replace_figures_in_text(node);
      }
    }
  }

  // `figure.braces`: the name of a figure in single braces, "{ children_in_care }" or
  // "{children_in_care:about}", which would be shown as written, braces and all.
  void report_single_braces(cmark_node* node) {
    const char* literal = cmark_node_get_literal(node);
    if (literal == nullptr || std::strchr(literal, '{') == nullptr || stats().unreadable) return;
    const std::string_view text(literal);
    auto is_key_char = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    };
    auto skip = [&](std::size_t at, auto&& is) {
      while (at < text.size() && is(text[at])) ++at;
      return at;
    };
    auto is_space = [](char c) { return c == ' '; };
    std::optional<source_locator::token_finder> finder;
    for (std::size_t open = text.find('{'); open != std::string_view::npos;
         open = text.find('{', open + 1)) {
      if ((open > 0 && text[open - 1] == '{') || (open + 1 < text.size() && text[open + 1] == '{'))
        continue;
      std::size_t key_at = skip(open + 1, is_space);
      std::size_t at = skip(key_at, is_key_char);
      std::string key(text.substr(key_at, at - key_at));
      std::string format;
      if (at < text.size() && text[at] == ':') {
        std::size_t format_at = at + 1;
        at = skip(format_at, is_key_char);
        format = std::string(text.substr(format_at, at - format_at));
      }
      at = skip(at, is_space);
      if (key.empty() || at >= text.size() || text[at] != '}') continue;
      if (key != "as_of" && !stats().find_figure(key) && !stats().find_breakdown(key)) continue;
      std::string raw(text.substr(open, at + 1 - open));
      if (!locator_.braced_in_block(node, raw)) continue;  // "\{ key \}": meant as it is
      if (!finder) finder.emplace(locator_, node);
      report(finder->next(raw), "figure.braces",
             "'" + raw +
                 "' would be shown as written: a figure is written with two braces on "
                 "each side, like {{ " +
                 key + (format.empty() ? "" : ":" + format) + " }}");
    }
  }

  // Only a text with "{{" can hold a figure or a component.
  static bool may_hold_token(cmark_node* text) {
    if (text == nullptr || cmark_node_get_type(text) != CMARK_NODE_TEXT) return false;
    const char* literal = cmark_node_get_literal(text);
    return literal != nullptr && std::strstr(literal, "{{") != nullptr;
  }

  void replace_figures_in_text(cmark_node* node) {
    const std::string text = literal_of(node);
    const bool in_alt_text = has_ancestor(node, {CMARK_NODE_IMAGE});
    struct piece {
      bool markup;
      std::string content;
    };
    std::vector<piece> pieces;
    source_locator::token_finder finder(locator_, node);
    std::size_t last = 0;
    // A "{{" before the next token (or after the last) that no "}}" closes in this text: a
    // figure whose "}}" is missing, mistyped or on the next line. Published as it stands, the
    // braces would reach readers.
    std::size_t scanned = 0;
    auto report_unclosed = [&](std::size_t up_to) {
      std::size_t open = text.find("{{", scanned);
      if (open >= up_to) return;
      report(finder.next("{{"), "figure.unclosed",
             "this '{{' is not closed by '}}' on the same line: write a figure as {{ name }}, "
             "with both pairs of braces on one line (check for a missing '}' or a line break)");
    };
    for (auto token = find_token(text, 0); token; token = find_token(text, token->end)) {
      // "{{{ key }}}" or "{{ key }}}": a brace too many, which would reach readers.
      const bool extra_before = token->begin > 0 && text[token->begin - 1] == '{';
      const bool extra_after = token->end < text.size() && text[token->end] == '}';
      report_unclosed(token->begin - (extra_before ? 1 : 0));
      scanned = token->end;
      std::string raw(token->raw);
      text_position at = finder.next(raw);
      if (extra_before || extra_after) {
        std::string written = (extra_before ? "{" : "") + raw + (extra_after ? "}" : "");
        text_position from = at;
        if (extra_before && from.col > 1) --from.col;
        report(from, "figure.braces",
               "'" + written +
                   "' has more braces than a figure takes, and the others would be shown: "
                   "write it with two on each side, like " +
                   raw);
      }
      const resolved_figure& figure = resolve_figure_in_pass(stats(), raw, env_.render_pass);
      text_position pos = moved_right(at, raw, figure.offset);
      if (!figure.ok) {
        if (!figure.problem_id.empty()) report(pos, figure.problem_id, figure.problem);
        continue;
      }
      record_use(figure.key, figure.format_name, figure.text, pos);
      if (figure.format_name == "in_ten" && figure.text == "none")
        diags_.warning(page_.file, pos.line, pos.col, "figure.none",
                       "'" + raw + "' now reads \"none\" (" + figure.key +
                           " is 0%): check that the sentence still reads well, like \"none of "
                           "the children\", not \"none children\"");
      pieces.push_back({false, text.substr(last, token->begin - last)});
      // Alt text is written as plain text: markup there would be dropped.
      pieces.push_back({!in_alt_text, in_alt_text ? figure.text : figure.markup});
      last = token->end;
    }
    report_unclosed(text.size());
    if (pieces.empty()) return;
    pieces.push_back({false, text.substr(last)});
    cmark_node_set_literal(node, pieces.front().content.c_str());
    cmark_node* current = node;
    for (std::size_t i = 1; i < pieces.size(); ++i) {
      if (!pieces[i].markup && pieces[i].content.empty()) continue;
      cmark_node* next = pieces[i].markup ? new_custom(CMARK_NODE_CUSTOM_INLINE, pieces[i].content)
                                          : new_text(pieces[i].content);
      if (insert_after(current, next)) current = next;
    }
  }

  // Returns the paragraph's text node when the paragraph was a component (and is now gone).
  cmark_node* replace_component(cmark_node* paragraph) {
    auto sole = sole_token_of(paragraph);
    if (!sole) return nullptr;
    std::string_view inner = std::string_view(sole->raw).substr(2, sole->raw.size() - 4);
    auto call = parse_component(inner);
    if (!call) return nullptr;
    text_position at = source_locator::token_finder(locator_, sole->text).next(sole->raw);
    auto arg_position = [&](std::size_t i) {
      return moved_right(at, sole->raw, 2 + call->arg_offsets[i]);
    };
    text_position name_position = moved_right(at, sole->raw, first_word_offset(sole->raw));
    std::string html;
    if (call->name == "cards") html = cards(*call, name_position, arg_position);
    if (call->name == "chart") html = chart(*call, name_position, arg_position);
    if (call->name == "pledges") html = pledges(*call, name_position);
    if (call->name == "glossary") html = glossary(*call, name_position);
    replace_with(paragraph, new_custom(CMARK_NODE_CUSTOM_BLOCK, html));
    return sole->text;
  }

  template <typename position_of_arg>
  std::string cards(const component_call& call, text_position name_at,
                    position_of_arg arg_position) {
    if (call.args.empty()) {
      report(name_at, "figure.format",
             "{{ cards }} needs the keys of the figures to show, like "
             "{{ cards children_in_care care_leavers }}");
      return "";
    }
    std::vector<const figure*> shown;
    for (std::size_t i = 0; i < call.args.size(); ++i) {
      const std::string& key = call.args[i];
      if (const figure* f = stats().find_figure(key)) {
        shown.push_back(f);
        record_use(key, "cards", format_figure(*f, figure_format::plain).value_or(f->value_text),
                   arg_position(i));
      } else if (stats().find_breakdown(key)) {
        report(arg_position(i), "figure.format",
               "'" + key + "' is a breakdown, which cannot be a card: show it with {{ chart " +
                   key + " }}");
      } else if (key == "as_of") {
        report(arg_position(i), "figure.format",
               "'as_of' is the date of the data, which cannot be a card: write {{ as_of }} in "
               "the text");
      } else {
        report_unknown(arg_position(i), key);
      }
    }
    return shown.empty() ? "" : render_cards(shown, date_of(stats()));
  }

  // A chart's figure use: for a percent figure its plain text; for a breakdown, key = the
  // breakdown's key and text = every value shown, joined ("72%, 7.4%"), so figures.json and
  // change reports see each chart.
  template <typename position_of_arg>
  std::string chart(const component_call& call, text_position name_at,
                    position_of_arg arg_position) {
    if (call.args.size() != 1) {
      report(name_at, "figure.format",
             "{{ chart }} shows one breakdown or percentage: write it like "
             "{{ chart children_ethnicity }}");
      return "";
    }
    const std::string& key = call.args[0];
    if (const breakdown* b = stats().find_breakdown(key)) {
      std::string values;
      for (const auto& part : b->parts) {
        if (!values.empty()) values += ", ";
        values += format_in_unit(part.value, b->unit);
      }
      record_use(key, "chart", values, arg_position(0));
      return render_bar_chart(*b, unique_id(chart_id_base(key), state_.ids), date_of(stats()));
    }
    if (const figure* f = stats().find_figure(key)) {
      if (f->unit != figure_unit::percent) {
        if (f->unit_unknown) return "";  // stats.json's error about the unit says it all
        report(arg_position(0), "figure.format",
               "a chart needs a breakdown or a percentage, and '" + key +
                   "' is not a percentage: show it with {{ " + key + " }} or {{ cards " + key +
                   " }}");
        return "";
      }
      record_use(key, "chart", format_figure(*f, figure_format::plain).value_or(f->value_text),
                 arg_position(0));
      return render_icon_array(*f, unique_id(chart_id_base(key), state_.ids), date_of(stats()));
    }
    report_unknown(arg_position(0), key);
    return "";
  }

  bool check_standalone(const component_call& call, text_position name_at) {
    if (inside_pledge_) {
      report(name_at, "figure.format",
             "{{ " + call.name + " }} cannot be used inside a pledge: put it in a page");
      return false;
    }
    if (!call.args.empty()) {
      report(name_at, "figure.format",
             "{{ " + call.name + " }} takes nothing after its name: write {{ " + call.name + " }}");
      return false;
    }
    return true;
  }

  std::string pledges(const component_call& call, text_position name_at) {
    if (!check_standalone(call, name_at)) return "";
    const std::string& primary = env_.model.config.primary().id;
    std::vector<pledge_view> views;
    for (const pledge& p : env_.model.content.pledges) {
      auto own = p.wordings.find(env_.ed.id);
      auto fallback = p.wordings.find(primary);
      const source_page* wording = own != p.wordings.end()        ? &own->second
                                   : fallback != p.wordings.end() ? &fallback->second
                                                                  : nullptr;
      if (wording == nullptr) continue;
      pledge_view view;
      view.id = unique_id(pledge_id_base(p), state_.ids);
      view.role = wording->meta.role;
      view.name = wording->meta.name;
      if (view.role.empty() && fallback != p.wordings.end()) view.role = fallback->second.meta.role;
      view.body_html = render_pledge_body(*wording);
      views.push_back(std::move(view));
    }
    return render_pledge_list(views);
  }

  std::string render_pledge_body(const source_page& wording) {
    gfm_tree tree = parse_tree(wording.body);
    arena_scope scope(tree.arena.get());
    body_renderer nested(wording, env_, diags_, out_, state_, true);
    auto headings = collect_headings(tree.document.get(), nested.locator(), stats(), state_.ids);
    std::string html = nested.render(tree, headings);
    if (!nested.relative_sites_.empty()) state_.nested_relative = true;
    return html;
  }

  std::string glossary(const component_call& call, text_position name_at) {
    if (!check_standalone(call, name_at)) return "";
    for (const auto& entry : env_.model.content.glossary) {
      state_.ids.insert(glossary_term_id(entry.term));
    }
    return render_glossary_list(env_.model.content.glossary, env_.ed.id, is_primary_edition());
  }

  // --- links and images

  std::set<std::string> anchors_of_this_page() const {
    return anchors_of_page(state_.ids, env_.links, env_.output_path);
  }

  std::vector<std::string> page_stems() const {
    std::vector<std::string> stems;
    for (const auto& [key, target] : env_.links.pages) stems.push_back(key.first);
    stems.erase(std::unique(stems.begin(), stems.end()), stems.end());
    return stems;
  }

  // The page a link to `stem` leads to, and its key in link_index::pages.
  const std::pair<const std::pair<std::string, std::string>, link_index::target>* find_page(
      const std::string& stem, const std::string& edition_id) const {
    for (const std::string& id : {edition_id, env_.model.config.primary().id}) {
      auto it = env_.links.pages.find({stem, id});
      if (it != env_.links.pages.end()) return &*it;
    }
    return nullptr;
  }

  bool is_edition(std::string_view id) const {
    return std::any_of(env_.model.config.editions.begin(), env_.model.config.editions.end(),
                       [&](const edition& ed) { return ed.id == id; });
  }

  // An edition written in site.json but left out because of its error there: its pages are not
  // built, so links to them are neither checked nor made (the build fails on that error).
  bool is_left_out(std::string_view id) const {
    return !is_edition(id) && env_.model.config.names_edition(id);
  }

  void check_anchor(const std::set<std::string>& anchors, const std::string& fragment,
                    const std::string& written, cmark_node* link, const std::string& file) {
    if (fragment.empty() || anchors.count(fragment)) return;
    report(locator_.start_of(link), "link.broken", broken_anchor(written, fragment, anchors, file));
  }

  // Checks the link to `fragment` on the page `key` leads to now, or leaves it for
  // check_pending_anchors (markdown_env::pending_anchors).
  void check_or_defer_anchor(const std::pair<std::string, std::string>& key,
                             const std::string& fragment, const std::string& written,
                             cmark_node* link) {
    if (fragment.empty()) return;
    if (env_.pending_anchors == nullptr) {
      if (key.first.empty())
        check_anchor(anchors_of_this_page(), fragment, written, link, "");
      else if (const link_index::target& target = env_.links.pages.at(key); !target.unread)
        check_anchor(target.anchors, fragment, written, link, target.file);
      return;
    }
    env_.pending_anchors->push_back({page_.file, locator_.start_of(link), written, fragment, key,
                                     key.first.empty() ? state_.ids : std::set<std::string>()});
  }

  void check_links(const std::vector<cmark_node*>& links) {
    for (cmark_node* link : links) {
      const std::string url = cmark_node_get_url(link) ? cmark_node_get_url(link) : "";
      split_url parts = split_fragment(url);
      if (starts_with(url, "/") && !starts_with(url, "//") && ends_with(parts.path, ".md")) {
        // "/06-our-promise.md": a page's file, written from the web server's root, where it
        // is not (the site may not even be at the root).
        rewrite_page_link(link, url, parts);
        continue;
      }
      if (starts_with(url, "/") && !starts_with(url, "//")) {
        check_root_address(link, url, parts);
        continue;
      }
      if (url.empty() || is_external(url)) continue;
      if (parts.path.empty()) {
        if (parts.has_fragment)
          check_or_defer_anchor({"", env_.output_path}, parts.fragment, url, link);
        continue;
      }
      if (ends_with(parts.path, ".md")) {
        rewrite_page_link(link, url, parts);
      } else if (auto file = media_file(parts.path)) {
        rewrite_media_url(link, url, *file, parts, "link");
      } else {
        check_site_address(link, url, parts, env_.output_path);
      }
    }
  }

  // A link written as an address within the site ("our-pledges", "../index.html") is published
  // as written. It is fine when it leads to a page or file tandem makes; otherwise the usual
  // mistakes are named: a web address without "https://", a page named by its address or file
  // name without ".md".
  // `from`: the page the address is followed from (the site's top for one written from the
  // web server's top, inside the site's folder there).
  void check_site_address(cmark_node* link, const std::string& url, const split_url& parts,
                          const std::string& from) {
    std::optional<std::string> target = followed_path(from, parts.path);
    if (target && is_site_file(*target)) return;
    std::string problem = "the link to '" + url + "' leads nowhere";
    if (is_address_without_scheme(parts.path)) {
      report(locator_.start_of(link), "link.broken",
             problem + ": a web address starts with https://, so write (https://" + url + ")");
      return;
    }
    if (report_page_named(link, parts, problem)) return;
    report(locator_.start_of(link), "link.broken",
           problem + ": no page or file of the site is there. To link to another page, write " +
               "its file name, like (" + page_stems().front() +
               ".md); to link to a website, write its whole address, starting https://");
  }

  // An address from the top of the web server ("/corporate-parenting/our-promise/"). Inside
  // the site's own folder there (the path of base_url in site.json: all of the server when it
  // has none) it is checked as an address of the site, followed from the site's top. Outside
  // it, it is another part of the council's website, and left as written, unless its last part
  // names a page of this site ("/our-promise/" for a site at /corporate-parenting/): then it is
  // reported with the file name to write.
  void check_root_address(cmark_node* link, const std::string& url, const split_url& parts) {
    if (env_.model.config.base_url.empty()) {
      // Where the site is on the server is not known: only a page's name is.
      report_page_named(link, parts,
                        "the link to '" + url + "' starts at the top of the web server");
      return;
    }
    if (auto path = inside_site_folder(parts.path)) {
      split_url inside = parts;
      inside.path = *path;
      // A page's folder without its last '/' ("/corporate-parenting/our-pledges"): web servers
      // send the reader on to the folder.
      if (!inside.path.empty() && inside.path.back() != '/') {
        auto folder = followed_path("index.html", inside.path + "/");
        if (folder && is_site_file(*folder)) return;
      }
      check_site_address(link, url, inside, "index.html");
      return;
    }
    report_page_named(link, parts,
                      "the link to '" + url + "' leads outside this site (it is at " +
                          env_.model.config.server_folder() + " on the web server)");
  }

  // An address from the web server's top ("/corporate-parenting/media/a.png") as an address
  // within the site ("media/a.png"), when it is in the site's folder there; nullopt when it is
  // outside it, or the folder is not known.
  std::optional<std::string> inside_site_folder(const std::string& path) const {
    std::string folder = env_.model.config.server_folder();
    if (folder.empty()) return std::nullopt;
    if (path + "/" == folder) return std::string();
    if (!starts_with(path, folder)) return std::nullopt;
    return path.substr(folder.size());
  }

  // Reports a link whose address names a page of the site by its folder or file name, with the
  // file name to write instead; false if it names none.
  bool report_page_named(cmark_node* link, const split_url& parts, const std::string& problem) {
    std::string_view name = parts.path;
    while (!name.empty() && name.back() == '/') name.remove_suffix(1);
    if (ends_with(name, "/index.html")) name.remove_suffix(11);
    if (ends_with(name, ".html")) name.remove_suffix(5);
    name = name.substr(name.rfind('/') + 1);
    for (const auto& [key, page] : env_.links.pages) {
      std::string_view folder(page.output_path);
      folder.remove_suffix(std::string_view("/index.html").size() * (folder != "index.html"));
      folder = folder.substr(folder.rfind('/') + 1);
      if (name == key.first || (!name.empty() && name == folder)) {
        std::string file = key.first + ".md";
        if (parts.has_fragment) file += "#" + parts.fragment;
        report(locator_.start_of(link), "link.broken",
               problem + ": to link to another page, write its file name, like (" + file +
                   "); tandem then gives each edition's page the right address");
        return true;
      }
    }
    return false;
  }

  // A page, print page, picture or theme file of the built site, or one of the files at its top.
  bool is_site_file(const std::string& path) const {
    static constexpr std::string_view top_files[] = {"404.html", "sitemap.xml", "robots.txt",
                                                     "figures.json"};
    if (std::find(std::begin(top_files), std::end(top_files), path) != std::end(top_files))
      return true;
    if (starts_with(path, "assets/")) return true;
    if (auto file = media_file(path)) {
      const auto& media = env_.model.content.media;
      return std::find(media.begin(), media.end(), percent_decoded(*file)) != media.end();
    }
    for (const edition& ed : env_.model.config.editions) {
      if (path == (ed.path.empty() ? "" : ed.path + "/") + "print/index.html") return true;
    }
    for (const auto& [key, page] : env_.links.pages) {
      if (page.output_path == path) return true;
    }
    return false;
  }

  void rewrite_page_link(cmark_node* link, const std::string& url, const split_url& parts) {
    std::string name = parts.path.substr(0, parts.path.size() - 3);
    if (name.find('/') != std::string::npos) {
      std::string alone = parts.path.substr(parts.path.rfind('/') + 1);
      if (parts.has_fragment) alone += "#" + parts.fragment;
      report(locator_.start_of(link), "link.broken",
             "the link to '" + url +
                 "' leads nowhere: link to another page by its file name alone, like (" + alone +
                 ")");
      return;
    }
    std::string stem = name;
    std::string edition_id = env_.ed.id;
    std::size_t dot = name.rfind('.');
    if (dot != std::string::npos && is_left_out(name.substr(dot + 1))) return;
    if (dot != std::string::npos && is_edition(name.substr(dot + 1))) {
      stem = name.substr(0, dot);
      edition_id = name.substr(dot + 1);
    }
    const auto* found = find_page(stem, edition_id);
    if (found == nullptr) {
      report(locator_.start_of(link), "link.broken",
             "the link to '" + url + "' leads nowhere: there is no page content/pages/" +
                 parts.path + did_you_mean(stem, page_stems(), "", ".md"));
      return;
    }
    if (parts.has_fragment) check_or_defer_anchor(found->first, parts.fragment, url, link);
    std::string suffix = parts.has_fragment && !parts.fragment.empty() ? "#" + parts.fragment : "";
    set_relative_url(link, found->second.output_path, suffix);
  }

  void rewrite_media_url(cmark_node* node, const std::string& url, const std::string& file,
                         const split_url& parts, const std::string& what) {
    const auto& media = env_.model.content.media;
    std::string decoded = percent_decoded(file);
    if (std::find(media.begin(), media.end(), decoded) == media.end()) {
      std::vector<std::string> candidates(media.begin(), media.end());
      report(locator_.start_of(node), "link.broken",
             "the " + what + " '" + url + "' leads nowhere: there is no file content/media/" +
                 decoded + did_you_mean(decoded, candidates, "media/"));
      return;
    }
    set_relative_url(node, "media/" + file, parts.has_fragment ? "#" + parts.fragment : "");
  }

  // HTML written in a page is left out of it (cmark-gfm's safe mode): said once for each block
  // that holds some, so that no words are lost unseen. A comment, <!-- ... -->, is a note to the
  // writers and is left out quietly.
  void report_raw_html(const std::vector<cmark_node*>& raw) {
    cmark_node* reported_in = nullptr;
    for (cmark_node* node : raw) {
      const char* literal = cmark_node_get_literal(node);
      std::string_view html = trimmed(literal != nullptr ? literal : "");
      if (html.empty() || starts_with(html, "<!--")) continue;
      const bool whole_block = cmark_node_get_type(node) == CMARK_NODE_HTML_BLOCK;
      cmark_node* block = whole_block ? node : cmark_node_parent(node);
      if (block == reported_in) continue;
      reported_in = block;
      std::size_t close = html.find('>');
      std::string tag(html.substr(
          0, std::min<std::size_t>(close == std::string_view::npos ? 30 : close + 1, 30)));
      report_warning(locator_.start_of(node), "markdown.html",
                     "HTML is not published: '" + tag + "'" +
                         (whole_block ? " and the lines after it, up to a blank line, are left out"
                                      : " and the other tags in this paragraph are left out") +
                         ". Write it in Markdown instead (**bold**, *italic*, a blank line "
                         "between paragraphs), or delete it");
    }
  }

  // "[words](address)" that cmark-gfm could not read as a link (or "![...](...)" as a picture)
  // is published as written, brackets and all. Nearly always the address has a space in it.
  // Whether a text before `node` in its paragraph (or heading...) holds a '[': the words of a
  // link with emphasis, "[*our* pledges](a b)", come in several nodes.
  static bool opened_before(cmark_node* node) {
    for (cmark_node* before = cmark_node_previous(node); before != nullptr;
         before = cmark_node_previous(before)) {
      if (cmark_node_get_type(before) == CMARK_NODE_TEXT &&
          literal_view(before).find('[') != std::string_view::npos)
        return true;
    }
    return false;
  }

  void report_unread_links(const std::vector<cmark_node*>& texts) {
    for (cmark_node* node : texts) {
      std::string_view text = literal_view(node);
      for (std::size_t at = text.find("]("); at != std::string_view::npos;
           at = text.find("](", at + 2)) {
        std::size_t open = text.rfind('[', at), close = text.find(')', at);
        if (close == std::string_view::npos) continue;
        std::string_view address = text.substr(at + 2, close - at - 2);
        text_position where;
        bool picture = false;
        if (open != std::string_view::npos) {
          picture = open > 0 && text[open - 1] == '!';
          where = locator_.first_in_block(
              node, text.substr(open - picture, close + 1 - (open - picture)));
        } else if (opened_before(node)) {
          std::tie(where, picture) = locator_.bracket_before(node, text.substr(at, close + 1 - at));
        } else {
          continue;
        }
        std::string advice =
            address.find(' ') != std::string_view::npos
                ? "its address has a space, which Markdown does not allow. Rename the file "
                  "without spaces, or put the address in < >, like (<" +
                      std::string(address) + ">)"
                : "check that it is written [words](address), with nothing between ] and (";
        report_warning(where, "markdown.link",
                       std::string("this ") + (picture ? "picture" : "link") +
                           " is shown as written, brackets and all: " + advice);
      }
    }
  }

  void check_images(const std::vector<cmark_node*>& images) {
    for (cmark_node* image : images) {
      const std::string url = cmark_node_get_url(image) ? cmark_node_get_url(image) : "";
      const std::string title = cmark_node_get_title(image) ? cmark_node_get_title(image) : "";
      if (title == "decorative") {
        // A decorative picture is skipped by screen readers: alt="" and no title.
        cmark_node_set_title(image, "");
        while (cmark_node* child = cmark_node_first_child(image)) detach(child);
      } else if (trimmed(plain_text(image)).empty()) {
        report(locator_.start_of(image), "image.alt",
               "this picture has no description: describe the picture in the [ ], or give it "
               "the title \"decorative\" if it adds nothing, like ![](" +
                   url + " \"decorative\")");
      }
      if (url.empty() || has_scheme(url) || starts_with(url, "//")) continue;
      split_url parts = split_fragment(url);
      if (starts_with(url, "/")) {
        // From the web server's top: inside the site's folder there, a picture of the site;
        // elsewhere one of the council's website, left as written.
        auto inside = inside_site_folder(parts.path);
        if (!inside) continue;
        parts.path = *inside;
      }
      if (auto file = media_file(parts.path)) {
        rewrite_media_url(image, url, *file, parts, "picture");
      } else {
        report(locator_.start_of(image), "link.broken",
               "the picture '" + url +
                   "' is not in content/media: put the file in content/media and write "
                   "media/<file name>");
      }
    }
  }

  // --- glossary terms

  struct term_match {
    std::size_t at = std::string::npos;
    const glossary_entry* entry = nullptr;
  };

  // Bytes beyond ASCII end a word, so "SYPAC’s" (curly apostrophe) is a use of SYPAC.
  static constexpr bool is_word_char(char c) { return is_ascii_alnum(c) || c == '_'; }

  // The earliest whole-word use of a term not marked yet; at one place, the longest term (the
  // first in the glossary among equals). Only places after a non-word byte can start a use, and
  // only terms starting with the byte there are tried.
  term_match first_unmarked_term(std::string_view text) const {
    static constexpr std::array<bool, 256> word_chars = [] {
      std::array<bool, 256> table{};
      for (int c = 0; c < 256; ++c) table[c] = is_word_char(static_cast<char>(c));
      return table;
    }();
    auto is_word = [](char c) { return word_chars[static_cast<unsigned char>(c)]; };
    term_match best;
    // `at` goes from one place after a non-word byte (or the start) to the next.
    for (std::size_t at = 0, next = 0; at < text.size(); at = next) {
      next = at + 1;
      if (is_word(text[at])) {
        while (next < text.size() && is_word(text[next])) ++next;
        ++next;  // the byte after a word follows a word byte: past it
      }
      for (const glossary_entry* entry : terms_.starting_with(text[at])) {
        const std::string& term = entry->term;
        if (text.compare(at, term.size(), term) != 0) continue;
        std::size_t after = at + term.size();
        if (after < text.size() && is_word_char(text[after])) continue;
        if (best.entry != nullptr && term.size() <= best.entry->term.size()) continue;
        if (state_.marked_terms.count(term)) continue;
        best = {at, entry};
      }
      if (best.entry != nullptr) return best;
    }
    return best;
  }

  /// A term's markup; `href_at` is where in `exit` the link to the glossary page goes, if any.
  struct term_html {
    std::string enter;
    std::string exit;
    std::size_t href_at = std::string::npos;  // where the link's escaped URL starts and ends
    std::size_t href_end = std::string::npos;
    std::string fragment;
  };

  term_html term_markup(const glossary_entry& entry) {
    const std::string& means = entry.means_for(env_.ed.id);
    std::string title = entry.stands_for.empty() ? means
                        : means.empty()          ? entry.stands_for
                                                 : entry.stands_for + ": " + means;
    if (is_primary_edition()) {
      term_html html;
      html.enter = "<abbr class=\"tandem-term\" title=\"" + escape_html(title) + "\">";
      html.exit = "</abbr>";
      return html;
    }
    return term_popover_markup(entry, title);
  }

  // Outside the primary edition a term is a button that opens its explanation in place: an
  // HTML popover, which needs no script (the browser handles Enter, Escape and focus).
  term_html term_popover_markup(const glossary_entry& entry, const std::string& explanation) {
    std::string id = escape_html(unique_id("tandem-term-" + slugify(entry.term), state_.ids));
    term_html html;
    html.enter =
        "<span class=\"tandem-term-wrap\"><button type=\"button\" "
        "class=\"tandem-term__button\" popovertarget=\"" +
        id + "\">";
    html.exit = "</button><span class=\"tandem-term__popover\" id=\"" + id +
                "\" popover=\"auto\"><strong class=\"tandem-term__word\">" +
                escape_html(entry.term) + "</strong> <span class=\"tandem-term__means\">" +
                escape_html(explanation) + "</span><span class=\"tandem-term__actions\">";
    auto page = env_.links.glossary_page.find(env_.ed.id);
    if (page != env_.links.glossary_page.end()) {
      html.exit += "<a class=\"tandem-term__more\" href=\"";
      html.href_at = html.exit.size();
      html.fragment = "#" + glossary_term_id(entry.term);
      html.exit += escape_html(relative_url(env_.output_path, page->second) + html.fragment);
      html.href_end = html.exit.size();
      html.exit += "\">See all the words</a> ";
    }
    html.exit += "<button type=\"button\" class=\"tandem-term__close\" popovertarget=\"" + id +
                 "\" popovertargetaction=\"hide\">Close</button></span></span></span>";
    return html;
  }

  void mark_glossary_terms(const std::vector<cmark_node*>& texts) {
    if (terms_.empty()) return;
    for (cmark_node* node : texts) {
      cmark_node* current = node;
      for (;;) {
        if (state_.marked_terms.size() >= terms_.distinct()) return;
        std::string_view text = literal_view(current);
        term_match match = first_unmarked_term(text);
        if (match.entry == nullptr) break;
        const std::string& term = match.entry->term;
        term_html html = term_markup(*match.entry);
        cmark_node* marked = new_custom(CMARK_NODE_CUSTOM_INLINE, html.enter, html.exit);
        cmark_node_append_child(marked, new_text(term));
        if (!insert_after(current, marked)) break;
        if (html.href_at != std::string::npos) {
          record_relative_exit(marked, html.exit.substr(0, html.href_at),
                               env_.links.glossary_page.at(env_.ed.id),
                               escape_html(html.fragment) + html.exit.substr(html.href_end));
        }
        cmark_node* rest = new_text(std::string(text.substr(match.at + term.size())));
        if (!insert_after(marked, rest)) rest = nullptr;
        cmark_node_set_literal(current, std::string(text.substr(0, match.at)).c_str());
        state_.marked_terms.insert(term);
        out_.glossary_terms.insert(term);
        if (rest == nullptr) break;
        current = rest;
      }
    }
  }

  // --- headings: <hN id="..."> holding the heading's inlines

  void give_headings_ids(const std::vector<cmark_node*>& nodes,
                         const std::vector<heading>& headings) {
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      cmark_node* node = nodes[i];
      std::string level = std::to_string(cmark_node_get_heading_level(node));
      std::string id =
          i < headings.size()
              ? headings[i].id
              : unique_id(slugify(heading_text(node, stats(), figure_text::key)), state_.ids);
      cmark_node* block =
          new_custom(CMARK_NODE_CUSTOM_BLOCK, "<h" + level + " id=\"" + escape_html(id) + "\">",
                     "</h" + level + ">");
      while (cmark_node* child = cmark_node_first_child(node)) {
        cmark_node_unlink(child);
        if (!cmark_node_append_child(block, child)) cmark_node_free(child);
      }
      replace_with(node, block);
    }
  }

  // --- tables: each in a region of its own that scrolls sideways, so a wide table never makes
  // the page scroll; it can take focus, so keyboard users can scroll it too.

  // "Table: What young people did, What changed as a result", from the header row.
  static std::string table_label(cmark_node* table) {
    std::string label;
    if (cmark_node* row = cmark_node_first_child(table)) {
      for (cmark_node* cell = cmark_node_first_child(row); cell; cell = cmark_node_next(cell)) {
        std::string text = collapse_spaces(trimmed(plain_text(cell)));
        if (text.empty()) continue;
        label += label.empty() ? "Table: " : ", ";
        label += text;
      }
    }
    return label.empty() ? "Table" : label;
  }

  void wrap_tables(const std::vector<cmark_node*>& tables) {
    std::map<std::string, int> labels;
    for (cmark_node* table : tables) {
      std::string label = table_label(table);
      // Regions with the same name cannot be told apart in a screen reader's list.
      int seen = ++labels[label];
      if (seen > 1) label += " (" + std::to_string(seen) + ")";
      cmark_node* region = new_custom(CMARK_NODE_CUSTOM_BLOCK,
                                      "<div class=\"tandem-table\" role=\"region\" aria-label=\"" +
                                          escape_html(label) + "\" tabindex=\"0\">\n",
                                      "</div>\n");
      if (!insert_after(table, region)) continue;
      cmark_node_unlink(table);
      if (!cmark_node_append_child(region, table)) cmark_node_free(table);
    }
  }

  const source_page& page_;
  const markdown_env& env_;
  diagnostics& diags_;
  rendered_markdown& out_;
  page_state& state_;
  bool inside_pledge_;
  source_locator locator_;
  std::vector<node_ptr> detached_;
  term_index terms_;

  // A place in the tree that depends on where the page is: a URL (target + after), or a term's
  // closing markup (before + the escaped URL of target + after).
  struct relative_site {
    cmark_node* node = nullptr;
    bool in_exit = false;
    std::string before;
    std::string target;
    std::string after;
  };
  std::vector<relative_site> relative_sites_;

  void set_relative_url(cmark_node* node, const std::string& target, const std::string& suffix) {
    cmark_node_set_url(node, (relative_url(env_.output_path, target) + suffix).c_str());
    relative_sites_.push_back({node, false, "", target, suffix});
  }

  void record_relative_exit(cmark_node* node, std::string before, const std::string& target,
                            std::string after) {
    relative_sites_.push_back({node, true, std::move(before), target, std::move(after)});
  }
};

}  // namespace

// =============================================================================================
// Public interface

struct parsed_markdown::impl {
  gfm_tree tree;
  bool rendered = false;            // the passes change the tree; a second render parses again
  bool stand_in = false;            // the tree is a stand-in for a page over the limits
  std::optional<prose_page> prose;  // when parse_markdown was asked for it
};

std::optional<prose_page> parsed_markdown::take_prose() {
  if (!self) return std::nullopt;
  return std::exchange(self->prose, std::nullopt);
}

parsed_markdown::parsed_markdown() = default;
parsed_markdown::~parsed_markdown() = default;
parsed_markdown::parsed_markdown(parsed_markdown&&) noexcept = default;
parsed_markdown& parsed_markdown::operator=(parsed_markdown&&) noexcept = default;

namespace {

// Latin letters with accents (U+00C0 to U+017F: French, German, Welsh, Polish, Irish ...) as
// the ASCII letters of an id; "" for the two signs among them, x and a division sign.
constexpr const char* latin_as_ascii[] = {
    "a", "a", "a",  "a",  "a", "a", "ae", "c",  "e",  "e", "e", "e", "i",  "i",  "i", "i", "d", "n",
    "o", "o", "o",  "o",  "o", "",  "o",  "u",  "u",  "u", "u", "y", "th", "ss", "a", "a", "a", "a",
    "a", "a", "ae", "c",  "e", "e", "e",  "e",  "i",  "i", "i", "i", "d",  "n",  "o", "o", "o", "o",
    "o", "",  "o",  "u",  "u", "u", "u",  "y",  "th", "y", "a", "a", "a",  "a",  "a", "a", "c", "c",
    "c", "c", "c",  "c",  "c", "c", "d",  "d",  "d",  "d", "e", "e", "e",  "e",  "e", "e", "e", "e",
    "e", "e", "g",  "g",  "g", "g", "g",  "g",  "g",  "g", "h", "h", "h",  "h",  "i", "i", "i", "i",
    "i", "i", "i",  "i",  "i", "i", "ij", "ij", "j",  "j", "k", "k", "k",  "l",  "l", "l", "l", "l",
    "l", "l", "l",  "l",  "l", "n", "n",  "n",  "n",  "n", "n", "n", "n",  "n",  "o", "o", "o", "o",
    "o", "o", "oe", "oe", "r", "r", "r",  "r",  "r",  "r", "s", "s", "s",  "s",  "s", "s", "s", "s",
    "t", "t", "t",  "t",  "t", "t", "u",  "u",  "u",  "u", "u", "u", "u",  "u",  "u", "u", "u", "u",
    "w", "w", "y",  "y",  "y", "z", "z",  "z",  "z",  "z", "z", "s"};
static_assert(std::size(latin_as_ascii) == 0x180 - 0xC0);

// The ASCII letters `cp` is written with in an id, "" for a separator, or nullptr to drop it.
const char* id_letters(char32_t cp) {
  if (cp >= 0xC0 && cp < 0x180) return latin_as_ascii[cp - 0xC0];
  if (cp >= 0x1E80 && cp <= 0x1E85) return "w";  // Welsh: w with grave, acute, diaeresis
  if (cp == 0x1EF2 || cp == 0x1EF3) return "y";  // Welsh: y with grave
  return nullptr;
}

}  // namespace

std::string slugify(std::string_view text) {
  std::string slug;
  bool separator = false;
  auto add = [&](std::string_view letters) {
    if (separator && !slug.empty()) slug.push_back('-');
    separator = false;
    slug.append(letters);
  };
  for (std::size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      char c = text[i++];
      const char lower = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
      if (is_ascii_alnum(c))
        add(std::string_view(&lower, 1));
      else
        separator = true;
      continue;
    }
    // Beyond ASCII: accented Latin letters become their letters; other letters are dropped, not
    // turned into '-'.
    auto [cp, length] = decode(text, i);
    i += length;
    if (length == 1) continue;                                     // a byte of broken UTF-8
    if (is_unusual_space(cp) || (cp >= 0x2010 && cp <= 0x2015)) {  // and dashes: between words
      separator = true;
      continue;
    }
    if (const char* letters = id_letters(cp)) {
      if (*letters == '\0')
        separator = true;
      else
        add(letters);
    }
  }
  return slug.empty() ? "section" : slug;
}

parsed_markdown parse_markdown(const source_page& page, const site_model& model, diagnostics& diags,
                               bool with_prose) {
  // A page too large or too deep to parse quickly is reported; a blank stand-in is parsed.
  if (auto stand_in = stand_in_if_over_limits(page, diags)) {
    parsed_markdown parsed = parse_markdown(*stand_in, model, diags);
    if (parsed.self) parsed.self->stand_in = true;
    return parsed;
  }
  parsed_markdown parsed;
  parsed.self = std::make_unique<parsed_markdown::impl>();
  std::function<void(cmark_node*)> read_prose;
  if (with_prose)
    read_prose = [&](cmark_node* document) { parsed.self->prose = extract_prose(page, document); };
  parsed.self->tree = parse_tree(page.body, read_prose);
  cmark_node* document = parsed.self->tree.document.get();
  std::set<std::string> ids = component_ids(document, model);
  parsed.headings_ = collect_headings(document, source_locator(page), model.stats, ids);
  return parsed;
}

namespace {

// `heading.order`: headings in a page's text start at two '#' (the page's title, from its front
// matter, is its one heading of the first level) and go one level deeper at a time, so that
// screen readers and the table of contents show the page's parts as they are (WCAG 1.3.1).
void report_heading_levels(const source_page& page, const std::vector<heading>& headings,
                           diagnostics& diags) {
  // The heading's words as written, Markdown and all, for the line to write instead; and whether
  // it is written with '#' (else underlined, with '=' or '-').
  auto written = [&](const heading& h) {
    std::string_view body = page.body;
    std::size_t at = 0;
    for (int n = page.body_line; n < h.line && at != std::string_view::npos; ++n) {
      at = body.find('\n', at);
      if (at != std::string_view::npos) ++at;
    }
    if (at == std::string_view::npos) return std::pair<std::string, bool>(h.text, true);
    std::string_view line = body.substr(at, body.find('\n', at) - at);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
    line.remove_prefix(std::min(line.find_first_not_of(' '), line.size()));
    if (line.empty() || line.front() != '#') return std::pair<std::string, bool>(line, false);
    line.remove_prefix(std::min(line.find_first_not_of('#'), line.size()));
    line.remove_prefix(std::min(line.find_first_not_of(' '), line.size()));
    // An ATX heading may end with '#'s after a space: they are not its words.
    std::size_t closing = line.find_last_not_of('#');
    if (closing != std::string_view::npos && closing + 1 < line.size() && line[closing] == ' ')
      line = line.substr(0, closing);
    while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
    return std::pair<std::string, bool>(line, true);
  };
  int above = 1;  // the page's title, until the first heading
  bool first = true;
  for (const heading& h : headings) {
    if (h.level == 1) {
      auto [words, hashes] = written(h);
      diags.warning(
          page.file, h.line, 1, "heading.order",
          std::string(hashes ? "a heading with one '#'" : "a heading underlined with '='") +
              " is a second title: the page's title comes from 'title' in its front "
              "matter; write the heading as '## " +
              words + "', or leave it out if it repeats the title");
    } else if (h.level > above + 1) {
      auto [words, hashes] = written(h);
      std::string fits(static_cast<std::size_t>(above + 1), '#');
      diags.warning(
          page.file, h.line, 1, "heading.order",
          "this heading (" + std::string(static_cast<std::size_t>(h.level), '#') +
              ") skips a level: it comes after " +
              (first ? std::string("the page's title")
                     : "a " + std::string(static_cast<std::size_t>(above), '#') + " heading") +
              ", and headings go one level deeper at a time; write it as '" + fits + " " + words +
              "'");
    }
    above = h.level;
    first = false;
  }
}

// `markdown.list`: lines that start with a bullet character, as a list pasted from a word
// processor does ("•<tab>listen to you"). Markdown makes list items only of lines that start
// with "- ", "* " or a number and a dot: these lines are shown as ordinary text (run together
// into one paragraph, unless each ends a line with a break). Once for each run of such lines;
// not in fenced or indented code, nor in notes to writers (<!-- -->).
void report_pasted_bullets(const source_page& page, diagnostics& diags) {
  static constexpr std::string_view bullets[] = {"\u2022", "\u25CF", "\u25E6", "\u25AA", "\u25A0",
                                                 "\u00B7", "\u2023", "\u2043", "\uF0B7"};
  std::string_view body = page.body;
  std::string_view fence;
  // Where the notes to writers are: looked for once in the whole text, which seldom has any.
  std::vector<std::pair<std::size_t, std::size_t>> notes;
  for (std::size_t at = body.find("<!--"); at != std::string_view::npos;
       at = body.find("<!--", notes.back().second)) {
    std::size_t close = body.find("-->", at + 4);
    notes.emplace_back(at, close == std::string_view::npos ? body.size() : close + 3);
  }
  auto in_note = [&](std::size_t offset) {
    return std::any_of(notes.begin(), notes.end(), [&](const auto& note) {
      return offset >= note.first && offset < note.second;
    });
  };
  std::size_t run = 0, run_line = 0;
  std::string run_bullet;
  auto report_run = [&] {
    if (run == 0) return;
    // Word's own bullet is a character of its Symbol font, which shows as nothing elsewhere.
    std::string named =
        run_bullet == "\uF0B7" ? std::string("Word's bullet character") : "'" + run_bullet + "'";
    diags.warning(page.file, static_cast<int>(run_line), 1, "markdown.list",
                  "this line starts with " + named + ", which does not make a list in Markdown: " +
                      (run == 1 ? std::string("it is shown as ordinary text")
                                : "the " + std::to_string(run) +
                                      " lines from here are shown as ordinary text, not a list") +
                      "; start each item with '- ' (a dash and a space) instead");
    run = 0;
  };
  std::size_t line = static_cast<std::size_t>(page.body_line);
  for (std::size_t start = 0; start < body.size(); ++line) {
    std::size_t end = std::min(body.find('\n', start), body.size());
    std::string_view text = body.substr(start, end - start);
    const std::size_t line_at = start;
    start = end + 1;
    std::size_t first = text.find_first_not_of(' ');
    std::string_view rest = first == std::string_view::npos ? "" : text.substr(first);
    if (first != std::string_view::npos && first < 4 &&
        (rest.substr(0, 3) == "```" || rest.substr(0, 3) == "~~~")) {
      if (fence.empty())
        fence = rest.substr(0, 3);
      else if (rest.substr(0, 3) == fence)
        fence = {};
      report_run();
      continue;
    }
    // Every bullet starts with a byte of 0xC2 or more: most lines are passed at once. Four
    // spaces or a tab before it make code, shown as written.
    const bool may_be_bullet = !rest.empty() && static_cast<unsigned char>(rest[0]) >= 0xC2 &&
                               first < 4 && fence.empty() && !in_note(line_at + first);
    const std::string_view* bullet =
        may_be_bullet
            ? std::find_if(std::begin(bullets), std::end(bullets),
                           [&](std::string_view b) { return rest.substr(0, b.size()) == b; })
            : std::end(bullets);
    if (bullet == std::end(bullets)) {
      report_run();
      continue;
    }
    if (run == 0) {
      run_line = line;
      run_bullet = std::string(*bullet);
    }
    ++run;
  }
  report_run();
}

// render_markdown, and when `other_output_path` is given the same body as read from there.
rendered_markdown render_body(parsed_markdown& parsed, const source_page& page,
                              const markdown_env& env, diagnostics& diags,
                              const std::string* other_output_path, std::string* other_html) {
  rendered_markdown out;
  page_state state;
  gfm_tree tree;
  bool stand_in = false;
  if (parsed.self && !parsed.self->rendered) {
    tree = std::move(parsed.self->tree);
    parsed.self->rendered = true;
    stand_in = parsed.self->stand_in;
  } else {
    tree = parse_tree(page.body);
  }
  if (!parsed.self) {
    std::set<std::string> ids = component_ids(tree.document.get(), env.model);
    parsed.headings_ =
        collect_headings(tree.document.get(), source_locator(page), env.model.stats, ids);
  }
  for (const heading& h : parsed.headings_) state.ids.insert(h.id);
  if (!stand_in) {
    report_heading_levels(page, parsed.headings_, diags);
    report_pasted_bullets(page, diags);
  }
  // The nodes and text the passes add come from the tree's arena (a pledge's tree, parsed and
  // rendered inside, is in its own).
  arena_scope scope(tree.arena.get());
  body_renderer renderer(page, env, diags, out, state, false);
  out.html = renderer.render(tree, parsed.headings_);
  for (const heading& h : parsed.headings_) {
    if (h.level == 2 || h.level == 3) out.toc.push_back(h);
  }
  if (other_output_path != nullptr) {
    if (!stand_in && renderer.can_render_from_elsewhere()) {
      *other_html = renderer.render_from(tree, *other_output_path);
    } else {
      // The other page's body is parsed from the page itself, as render_markdown would.
      markdown_env other_env{env.model, env.ed, *other_output_path, env.links};
      parsed_markdown fresh;
      diagnostics ignored;
      *other_html = render_body(fresh, page, other_env, ignored, nullptr, nullptr).html;
    }
  }
  return out;
}

}  // namespace

std::uint64_t new_render_pass() {
  static std::atomic<std::uint64_t> last{0};
  return ++last;
}

rendered_markdown render_markdown(parsed_markdown& parsed, const source_page& page,
                                  const markdown_env& env, diagnostics& diags) {
  return render_body(parsed, page, env, diags, nullptr, nullptr);
}

rendered_markdown render_markdown(parsed_markdown& parsed, const source_page& page,
                                  const markdown_env& env, diagnostics& diags,
                                  const std::string& other_output_path, std::string& other_html) {
  return render_body(parsed, page, env, diags, &other_output_path, &other_html);
}

std::string figure_data_markup(const std::string& key, const std::string& value,
                               const std::string& format_name, const std::string& text) {
  return data_markup(key, value, format_name, text);
}

void check_pending_anchors(const std::vector<pending_anchor>& pending, const link_index& links,
                           diagnostics& diags) {
  for (const pending_anchor& link : pending) {
    auto report = [&](const std::set<std::string>& anchors, const std::string& file) {
      if (anchors.count(link.fragment)) return;
      diags.error(link.file, link.at.line, link.at.col, "link.broken",
                  broken_anchor(link.written, link.fragment, anchors, file));
    };
    auto target = links.pages.find(link.page);
    if (link.page.first.empty())
      report(anchors_of_page(link.own_ids, links, link.page.second), "");
    else if (target == links.pages.end())
      report({}, "");
    else if (!target->second.unread)  // else its headings are unknown
      report(target->second.anchors, target->second.file);
  }
}

}  // namespace tandem
