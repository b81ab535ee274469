// Front matter: the YAML block between '---' lines at the top of a page or pledge file.
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "frontmatter.hpp"
#include "text.hpp"

namespace tandem {
namespace {

enum class source_kind { page, pledge };

source_kind kind_of(const std::string& file) {
  return file.rfind("content/pledges/", 0) == 0 ? source_kind::pledge : source_kind::page;
}

const std::vector<std::string>& known_keys(source_kind kind) {
  static const std::vector<std::string> page_keys = {"title", "nav_title", "summary", "layout",
                                                     "editions"};
  static const std::vector<std::string> pledge_keys = {"role", "name"};
  return kind == source_kind::pledge ? pledge_keys : page_keys;
}

std::string join(const std::vector<std::string>& words, std::string_view separator) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += separator;
    out += w;
  }
  return out;
}

// Editors on Windows save CRLF; Markdown and YAML positions are the same with plain LF.
std::string without_bom_and_crlf(std::string text) {
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out.push_back(text[i]);
  }
  return out;
}

// Length of the valid UTF-8 sequence starting at `i`, or 0 if the bytes there are not one.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t len = 0;
  unsigned int min_value = 0;
  unsigned int value = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2, min_value = 0x80, value = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, min_value = 0x800, value = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, min_value = 0x10000, value = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    value = (value << 6) | (byte(i + k) & 0x3F);
  }
  bool surrogate = value >= 0xD800 && value <= 0xDFFF;
  if (value < min_value || value > 0x10FFFF || surrogate) return 0;
  return len;
}

// Reports the first NUL byte or invalid UTF-8 sequence (with how many there are) and replaces
// each with U+FFFD, so the rest of the file can still be checked.
std::string checked_utf8(const std::string& file, const std::string& text, diagnostics& diags) {
  static const std::string replacement = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(text.size());
  int bad = 0;
  text_position first_bad;
  bool first_is_nul = false;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = text[i] == '\0' ? 0 : utf8_sequence_length(text, i);
    if (len > 0) {
      out.append(text, i, len);
      i += len;
      continue;
    }
    if (bad++ == 0) {
      first_bad = position_of(out, out.size());
      first_is_nul = text[i] == '\0';
    }
    out += replacement;
    ++i;
  }
  if (bad > 0) {
    std::string what = first_is_nul ? "a NUL byte" : "a byte that is not valid UTF-8 text";
    std::string count =
        bad > 1 ? " (" + std::to_string(bad) + " bad bytes in this file, this is the first)" : "";
    diags.error(file, first_bad.line, first_bad.col, "frontmatter.encoding",
                "this file has " + what + count +
                    "; save it as UTF-8 text (in most editors: Save As, Encoding: UTF-8)");
  }
  return out;
}

}  // namespace

// ASCII, most of any file, is checked 64 bytes at a time by a loop the compiler vectorises; a
// block with other bytes is read sequence by sequence.
bool is_clean_utf8(std::string_view s) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(s.data());
  constexpr std::size_t block = 64;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t end = std::min(s.size(), i + block);
    if (end - i == block) {
      unsigned char high = 0, least = 0xFF;
      for (std::size_t k = i; k < end; ++k) {
        high |= bytes[k];
        least = std::min(least, bytes[k]);
      }
      if (high < 0x80 && least != 0) {
        i = end;
        continue;
      }
    }
    while (i < end) {  // the last sequence may run past `end`
      std::size_t len = bytes[i] == 0 ? 0 : utf8_sequence_length(s, i);
      if (len == 0) return false;
      i += len;
    }
  }
  return true;
}

namespace {

bool is_line(std::string_view line, std::string_view marker) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return line == marker;
}

// Where the parts of a file are: [yaml_begin, yaml_end) is the YAML, body_begin the Markdown.
struct file_parts {
  std::size_t yaml_begin = 0;
  std::size_t yaml_end = 0;
  std::size_t body_begin = 0;
  int body_line = 1;
};

enum class split_problem { missing, unclosed };

std::variant<file_parts, split_problem> split_front_matter(std::string_view text) {
  std::size_t first_end = text.find('\n');
  std::string_view first_line = text.substr(0, first_end);
  if (!is_line(first_line, "---")) return split_problem::missing;
  if (first_end == std::string_view::npos) return split_problem::unclosed;
  file_parts parts;
  parts.yaml_begin = first_end + 1;
  int line_number = 2;
  for (std::size_t start = parts.yaml_begin; start < text.size(); ++line_number) {
    std::size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? end : end - start);
    if (is_line(line, "---") || is_line(line, "...")) {
      parts.yaml_end = start;
      parts.body_begin = end == std::string_view::npos ? text.size() : end + 1;
      parts.body_line = line_number + 1;
      return parts;
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return split_problem::unclosed;
}

// Why a file that looks as if it starts with front matter does not: "" when it does not look so.
// Blank lines before the '---', or a '---' a word processor turned into a long dash.
std::string why_no_front_matter(std::string_view text) {
  std::size_t start = 0;
  int blank = 0;
  while (start < text.size()) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
      line.remove_suffix(1);
    if (!line.empty()) {
      if (blank > 0 && line == "---")
        return " (it starts with " + std::string(blank == 1 ? "an empty line" : "empty lines") +
               ": the '---' must be the very first line; delete the empty lines above it)";
      if (blank == 0 &&
          (line == "\u2014" || line == "\u2013" || line == "\u2014-" || line == "-\u2014" ||
           line == "\u2013-" || line == "--" || line == "\u2015" || line == "- - -"))
        return " (its first line is '" + std::string(line) +
               "', not three hyphens: a word processor may have made them into a long dash; "
               "type '---' again, in a plain text editor)";
      return "";
    }
    ++blank;
    start = end + 1;
  }
  return "";
}

// The readers give 0-based byte offsets within the YAML text; users need line and column (in
// characters) within the whole file.
struct yaml_locator {
  const std::string& text;
  std::size_t yaml_begin;

  text_position at(std::size_t offset) const { return position_of(text, yaml_begin + offset); }
};

std::string yaml_problem_in_words(const std::string& yaml_message) {
  if (yaml_message.find("illegal map value") != std::string::npos) {
    return "a value holds ': ' (a colon and a space), which YAML reads as a new setting; put "
           "the whole value in quotes, e.g. title: \"Our promise: to you\"";
  }
  if (yaml_message.find("tab") != std::string::npos) {
    return "a tab is used to indent this line; use spaces, or start the setting at the "
           "beginning of the line";
  }
  if (yaml_message.find("end of") != std::string::npos) {
    return "this list '[ ]', group '{ }' or quoted value is not closed; add the closing "
           "bracket or quote";
  }
  return "the front matter is not valid YAML (" + yaml_message +
         "); write each setting on its own line as 'key: value'";
}

// Values quoted in a message are cut after this many characters, so one bad line cannot flood
// the terminal.
constexpr std::size_t max_quoted_chars = 60;

// A value quoted in a message: long ones cut.
std::string shortened(const std::string& text) {
  if (count_code_points(text) <= static_cast<int>(max_quoted_chars)) return text;
  std::size_t end = 0;
  for (std::size_t chars = 0; end < text.size() && chars < max_quoted_chars; ++chars) {
    ++end;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  }
  return text.substr(0, end) + "...";
}

// A value written in quotes for YAML: in double quotes, with '\' and '"' escaped.
std::string double_quoted(std::string_view value) {
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  return quoted + "\"";
}

// A plain (unquoted) value cut short by a note: YAML reads a '#' after a space as the start of a
// note to the writer, so 'title: We are #1' is the title "We are".
struct cut_value {
  std::size_t hash = 0;                           // where the '#' is
  std::size_t value_at = std::string_view::npos;  // where the value starts, if on the '#' line
};

// The note that cuts short the value of the setting whose key starts at `key_at` in `text`, if
// any. The value runs on over the lines indented more than the key; a line that is only a note
// ends it.
std::optional<cut_value> note_cutting_value(std::string_view text, std::size_t key_at) {
  std::size_t line_begin = key_at;
  while (line_begin > 0 && text[line_begin - 1] != '\n') --line_begin;
  const std::size_t key_indent = key_at - line_begin;
  auto line_end = [&](std::size_t from) { return std::min(text.find('\n', from), text.size()); };
  // The ':' that ends the key, outside the quotes of a quoted key.
  std::size_t at = key_at;
  std::size_t end = line_end(at);
  if (at < end && (text[at] == '"' || text[at] == '\''))
    at = std::min(text.find(text[at], at + 1), end);
  while (at < end && !(text[at] == ':' && (at + 1 == end || is_space_or_tab(text[at + 1])))) ++at;
  if (at == end) return std::nullopt;
  ++at;
  while (at < end && is_space_or_tab(text[at])) ++at;
  // Quoted values keep their '#'; block, list and group values are not one line of text.
  if (at < end && std::string_view("\"'|>[{&!*").find(text[at]) != std::string_view::npos)
    return std::nullopt;
  std::size_t value_at = at < end ? at : std::string_view::npos;
  while (true) {
    for (std::size_t i = at; i < end; ++i) {
      if (text[i] == '#' && is_space_or_tab(text[i - 1])) return cut_value{i, value_at};
    }
    if (end == text.size()) return std::nullopt;
    // The next line continues the value when it is indented more than the key.
    value_at = std::string_view::npos;
    at = end + 1;
    end = line_end(at);
    std::size_t first = at;
    while (first < end && is_space_or_tab(text[first])) ++first;
    if (first == end) continue;  // an empty line within the value
    if (first - at <= key_indent || text[first] == '#') return std::nullopt;
    at = first;
  }
}

bool is_template_name(std::string_view name) {
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// Lists and groups nested deeper than this are no setting of a page; yaml-cpp would recurse.
constexpr std::size_t max_front_matter_nesting = 20;
// A front matter is a few short settings; this bounds the time and memory yaml-cpp may take.
constexpr std::size_t max_front_matter_bytes = 16 * 1024;

// What the readers make of the front matter: its settings in order, each with byte offsets into
// the YAML text (0 when yaml-cpp gives no position), so both readers report the same places.
enum class node_kind { null, scalar, sequence, map };

struct yaml_item {
  node_kind kind = node_kind::null;
  std::string text;  // the scalar's value
  std::size_t at = 0;
};

struct yaml_setting {
  yaml_item key;
  yaml_item value;
  std::vector<yaml_item> items;  // a sequence value's items
};

using yaml_settings = std::vector<yaml_setting>;

const char* node_kind_in_words(node_kind kind) {
  if (kind == node_kind::sequence) return "a list";
  if (kind == node_kind::map) return "a group of settings";
  return "a value";
}

class front_matter_reader {
 public:
  front_matter_reader(const std::string& file, const yaml_locator& where, source_kind kind,
                      diagnostics& diags)
      : file_(file), where_(where), kind_(kind), diags_(diags) {}

  void read(const yaml_settings& settings, front_matter& meta) {
    std::vector<std::string_view> seen;
    const yaml_setting* previous = nullptr;
    for (const auto& setting : settings) {
      const yaml_item& key = setting.key;
      if (key.kind != node_kind::scalar) {
        report(key, "frontmatter.type", "a setting name must be a single word such as 'title'");
        continue;
      }
      const std::string& name = key.text;
      if (is_not_a_setting(setting)) {
        report_line_carried_on(setting, previous);
        continue;
      }
      previous = &setting;
      if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
        report(key, "frontmatter.duplicate",
               "'" + shortened(name) + "' is set twice in the front matter; keep only one of them");
        continue;
      }
      seen.push_back(name);
      read_setting(name, setting, meta);
    }
  }

 private:
  void report(const yaml_item& item, const char* id, const std::string& message) {
    text_position pos = where_.at(item.at);
    diags_.error(file_, pos.line, pos.col, id, message);
  }

  std::optional<std::string> text_of(const std::string& name, const yaml_item& value) {
    if (value.kind == node_kind::null) return std::string();
    if (value.kind == node_kind::scalar) return value.text;
    report(value, "frontmatter.type",
           "'" + name + "' must be text on one line, not " + node_kind_in_words(value.kind) +
               "; write it as '" + name + ": ...'");
    return std::nullopt;
  }

  // A line YAML read as a setting, which is text the writer meant as more of the setting above
  // it ("summary: ... a job" then "and the support ..."): YAML does not read on into a line that
  // is not indented. Such a line has no ':' at all, or its "name" is words or an address
  // ("young people shape our work: together", "https://www.example.gov.uk/plan") and no
  // misspelling of a setting's name.
  bool is_not_a_setting(const yaml_setting& setting) const {
    std::string_view text = where_.text;
    std::size_t from = where_.yaml_begin + setting.key.at;
    std::size_t end = std::min(text.find('\n', from), text.size());
    std::string_view line = text.substr(from, end - from);
    if (setting.value.kind == node_kind::null && line.find(':') == std::string_view::npos)
      return true;
    const std::string& name = setting.key.text;
    if (setting.value.kind == node_kind::sequence || setting.value.kind == node_kind::map)
      return false;
    if (name.find(' ') == std::string::npos && name.find("://") == std::string::npos) return false;
    const auto& keys = known_keys(kind_);
    return std::find(keys.begin(), keys.end(), name) == keys.end() &&
           nearest_name(name, keys).empty();
  }

  void report_line_carried_on(const yaml_setting& setting, const yaml_setting* previous) {
    std::string message = "this line is not a setting";
    if (previous != nullptr && previous->value.kind == node_kind::scalar) {
      text_position at = where_.at(previous->key.at);
      message += "; if it carries on the " + previous->key.text + " from line " +
                 std::to_string(at.line) +
                 ", join it to the end of that line (each setting is written on one line), or "
                 "start it with two spaces";
    } else {
      message += "; write each setting as 'key: value' on one line";
    }
    report(setting.key, "frontmatter.syntax", message + "; until then it is left out");
  }

  void read_setting(const std::string& name, const yaml_setting& setting, front_matter& meta) {
    const auto& keys = known_keys(kind_);
    if (std::find(keys.begin(), keys.end(), name) == keys.end()) {
      warn_unknown(name, setting.key);
      return;
    }
    if (name == "editions") {
      meta.editions_pos = where_.at(setting.key.at);
      meta.editions = editions_of(setting);
      return;
    }
    auto text = text_of(name, setting.value);
    if (!text) return;
    if (name != "layout") warn_note_in_value(name, setting.key);  // the others are shown
    if (name == "title") meta.title = std::move(*text);
    if (name == "nav_title") meta.nav_title = std::move(*text);
    if (name == "summary") meta.summary = std::move(*text);
    if (name == "role") meta.role = std::move(*text);
    if (name == "name") meta.name = std::move(*text);
    if (name == "layout") read_layout(*text, setting.value, meta);
  }

  void warn_unknown(const std::string& name, const yaml_item& key) {
    const auto& keys = known_keys(kind_);
    std::string suggestion = nearest_name(name, keys);
    std::string thing = kind_ == source_kind::pledge ? "pledge" : "page";
    std::string message =
        "unknown setting '" + shortened(name) + "' in the front matter; it is ignored";
    if (!suggestion.empty()) {
      message += " (did you mean '" + suggestion + "'?)";
    } else {
      message += " (a " + thing + " can have: " + join(keys, ", ") + ")";
    }
    text_position pos = where_.at(key.at);
    diags_.warning(file_, pos.line, pos.col, "frontmatter.unknown_key", message);
  }

  // A `frontmatter.comment` warning at a '#' that cuts a shown value short.
  void warn_note_in_value(const std::string& name, const yaml_item& key) {
    std::string_view text = where_.text;
    auto cut = note_cutting_value(text, where_.yaml_begin + key.at);
    if (!cut) return;
    std::size_t line_end = std::min(text.find('\n', cut->hash), text.size());
    std::string_view left_out = text.substr(cut->hash, line_end - cut->hash);
    while (is_space_or_tab(left_out.back())) left_out.remove_suffix(1);
    std::string message = "the text from this '#' on is left out of '" + name + "' (\"" +
                          shortened(std::string(left_out)) +
                          "\"), because a '#' after a space starts a note that is not "
                          "published; put the whole value in double quotes to keep it";
    // The line as it should be, when the value is all on this line and short enough to show.
    if (cut->value_at != std::string_view::npos) {
      std::string value(text.substr(cut->value_at, cut->hash - cut->value_at));
      value += left_out;
      if (count_code_points(value) <= static_cast<int>(max_quoted_chars)) {
        message += ", like this: " + name + ": " + double_quoted(value);
      }
    }
    text_position pos = position_of(text, cut->hash);
    diags_.warning(file_, pos.line, pos.col, "frontmatter.comment", message);
  }

  void read_layout(const std::string& layout, const yaml_item& value, front_matter& meta) {
    if (layout.empty()) return;  // keeps the default
    if (!is_template_name(layout)) {
      report(value, "frontmatter.layout",
             "the layout '" + shortened(layout) +
                 "' is not a template name; use lowercase letters, digits, '-' or '_' (the "
                 "default is 'page')");
      return;
    }
    meta.layout = layout;
  }

  std::optional<std::vector<std::string>> editions_of(const yaml_setting& setting) {
    const std::string fix = "write it as a list, e.g. 'editions: [formal, young]'";
    if (setting.value.kind != node_kind::sequence) {
      report(setting.value, "frontmatter.type", "'editions' must be a list of edition ids; " + fix);
      return std::nullopt;
    }
    std::vector<std::string> ids;
    for (const auto& item : setting.items) {
      if (item.kind != node_kind::scalar) {
        report(item, "frontmatter.type",
               std::string("each edition in 'editions' must be an edition id, not ") +
                   node_kind_in_words(item.kind) + "; " + fix);
        return std::nullopt;
      }
      ids.push_back(item.text);
    }
    return ids;
  }

  const std::string& file_;
  const yaml_locator& where_;
  source_kind kind_;
  diagnostics& diags_;
};

// ---- The direct reader -------------------------------------------------------------------
//
// Most front matter is a few lines 'key: value'. yaml-cpp takes about a hundred times longer to
// read them than a page's Markdown takes to parse, so this reader takes the common form itself
// and declines (nullopt) anything it is not sure yaml-cpp reads the same way: then yaml-cpp
// reads it. Its subset: lines that are empty or 'key: value' at the start of the line, where
// the key is a plain word and the value is one of
//   - a plain scalar with none of ':', '#', '[', ']', '{', '}' and not starting with an
//     indicator character, nor one of yaml-cpp's null words;
//   - a single-quoted scalar on one line ('' is a quote);
//   - a double-quoted scalar on one line without escapes ('\');
//   - a flow list '[a, b]' of plain words.
// No tabs, no control characters, no comments, no empty values, no line breaks that are not
// '\n', at most max_front_matter_bytes.

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// yaml-cpp turns these plain scalars into null nodes, not text.
bool is_null_word(std::string_view word) {
  return word.empty() || word == "~" || word == "null" || word == "Null" || word == "NULL";
}

// Bytes the direct reader leaves to yaml-cpp wherever they are: control characters (tabs among
// them), DEL, and the starts of NEL (C2 85), LS and PS (E2 80 A8/A9) and a BOM (EF BB BF).
bool has_doubtful_bytes(std::string_view yaml) {
  for (std::size_t i = 0; i < yaml.size(); ++i) {
    auto c = static_cast<unsigned char>(yaml[i]);
    if (c == '\n') continue;
    if (c < 0x20 || c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < yaml.size() && static_cast<unsigned char>(yaml[i + 1]) == 0x85)
      return true;
    std::string_view rest = yaml.substr(i);
    if (rest.rfind("\xE2\x80\xA8", 0) == 0 || rest.rfind("\xE2\x80\xA9", 0) == 0) return true;
    if (rest.rfind("\xEF\xBB\xBF", 0) == 0) return true;
  }
  return false;
}

std::size_t skip_spaces(std::string_view line, std::size_t i) {
  while (i < line.size() && line[i] == ' ') ++i;
  return i;
}

bool only_spaces_from(std::string_view line, std::size_t i) {
  return skip_spaces(line, i) == line.size();
}

// A plain word at `i` (for keys and list items): its end, or `i` when there is none.
std::size_t word_end(std::string_view line, std::size_t i) {
  std::size_t end = i;
  while (end < line.size() && is_word_char(line[end])) ++end;
  return end;
}

// A flow list of plain words, '[a, b]' or '[]', starting at line[i] == '['.
bool read_flow_list(std::string_view line, std::size_t i, std::size_t line_at,
                    yaml_setting& setting) {
  setting.value.kind = node_kind::sequence;
  std::size_t at = skip_spaces(line, i + 1);
  if (at < line.size() && line[at] == ']') return only_spaces_from(line, at + 1);
  while (true) {
    std::size_t end = word_end(line, at);
    std::string_view word = line.substr(at, end - at);
    if (word.empty() || word.front() == '-' || is_null_word(word)) return false;
    setting.items.push_back({node_kind::scalar, std::string(word), line_at + at});
    at = skip_spaces(line, end);
    if (at >= line.size()) return false;
    if (line[at] == ']') return only_spaces_from(line, at + 1);
    if (line[at] != ',') return false;
    at = skip_spaces(line, at + 1);
  }
}

// A quoted scalar on one line starting at line[i]; the text goes into `out`.
bool read_quoted(std::string_view line, std::size_t i, std::string& out) {
  char quote = line[i];
  std::size_t at = i + 1;
  while (true) {
    std::size_t close = line.find(quote, at);
    if (close == std::string_view::npos) return false;
    std::string_view part = line.substr(at, close - at);
    if (quote == '"' && part.find('\\') != std::string_view::npos) return false;
    out.append(part);
    if (quote == '\'' && close + 1 < line.size() && line[close + 1] == '\'') {
      out.push_back('\'');
      at = close + 2;
      continue;
    }
    return only_spaces_from(line, close + 1);
  }
}

bool read_plain(std::string_view value, std::string& out) {
  static constexpr std::string_view indicators = "-?:,[]{}#&*!|>'\"%@`";
  if (indicators.find(value.front()) != std::string_view::npos) return false;
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.find_first_of(":#[]{}") != std::string_view::npos) return false;
  if (is_null_word(value)) return false;
  out.assign(value);
  return true;
}

// One 'key: value' line starting at byte `line_at` of the YAML; false to decline.
bool read_simple_line(std::string_view line, std::size_t line_at, yaml_setting& setting) {
  std::size_t key_end = word_end(line, 0);
  std::string_view key = line.substr(0, key_end);
  if (key.empty() || key.front() == '-' || is_null_word(key)) return false;
  if (key_end + 1 >= line.size() || line[key_end] != ':' || line[key_end + 1] != ' ') return false;
  std::size_t value_begin = skip_spaces(line, key_end + 1);
  if (value_begin == line.size()) return false;  // an empty value: null, with its own marks
  setting.key = {node_kind::scalar, std::string(key), line_at};
  setting.value.kind = node_kind::scalar;
  setting.value.at = line_at + value_begin;
  char first = line[value_begin];
  if (first == '[') return read_flow_list(line, value_begin, line_at, setting);
  if (first == '\'' || first == '"') return read_quoted(line, value_begin, setting.value.text);
  return read_plain(line.substr(value_begin), setting.value.text);
}

std::optional<yaml_settings> read_simple_front_matter(std::string_view yaml) {
  if (yaml.size() > max_front_matter_bytes || has_doubtful_bytes(yaml)) return std::nullopt;
  yaml_settings settings;
  for (std::size_t start = 0; start < yaml.size();) {
    std::size_t end = yaml.find('\n', start);
    if (end == std::string_view::npos) end = yaml.size();
    if (end > start) {
      settings.emplace_back();
      if (!read_simple_line(yaml.substr(start, end - start), start, settings.back()))
        return std::nullopt;
    }
    start = end + 1;
  }
  return settings;
}

// ---- yaml-cpp ------------------------------------------------------------------------------

node_kind node_kind_of(const YAML::Node& node) {
  if (node.IsSequence()) return node_kind::sequence;
  if (node.IsMap()) return node_kind::map;
  if (node.IsScalar()) return node_kind::scalar;
  return node_kind::null;
}

std::size_t offset_of(const YAML::Mark& mark) {
  return mark.is_null() || mark.pos < 0 ? 0 : static_cast<std::size_t>(mark.pos);
}

yaml_item item_of(const YAML::Node& node) {
  yaml_item item{node_kind_of(node), {}, offset_of(node.Mark())};
  if (item.kind == node_kind::scalar) item.text = node.Scalar();
  return item;
}

yaml_settings settings_of(const YAML::Node& root) {
  yaml_settings settings;
  if (!root.IsMap()) return settings;
  for (const auto& pair : root) {
    // Copies: yaml-cpp's iterator hands out a temporary that references must not outlive.
    const YAML::Node key = pair.first;
    const YAML::Node value = pair.second;
    yaml_setting setting{item_of(key), item_of(value), {}};
    if (value.IsSequence()) {
      for (const auto& element : value) setting.items.push_back(item_of(element));
    }
    settings.push_back(std::move(setting));
  }
  return settings;
}

void check_required(const std::string& file, source_kind kind, const front_matter& meta,
                    diagnostics& diags) {
  // Reported at the opening '---', where the missing line belongs.
  if (kind == source_kind::page && meta.title.empty()) {
    diags.error(file, 1, 1, "frontmatter.required",
                "this page has no title; add a line 'title: ...' to the front matter");
  }
  if (kind == source_kind::pledge && meta.role.empty()) {
    diags.error(file, 1, 1, "frontmatter.required",
                "this pledge has no role; add a line 'role: ...' to the front matter saying "
                "who makes the pledge, e.g. 'role: Director of Children and Family Services'");
  }
}

// Walks the flow brackets of `yaml` outside quotes and comments, calling
// `bracket(offset, opens)` for each '[' or '{' (opens) and ']' or '}', until it returns true.
// Returns the offset of a quote still open at the end of the text, or npos.
template <typename on_bracket>
std::size_t walk_flow_brackets(const std::string& yaml, const on_bracket& bracket) {
  char quote = 0;
  std::size_t quote_at = 0;
  for (std::size_t i = 0; i < yaml.size(); ++i) {
    char c = yaml[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '#' && (i == 0 || yaml[i - 1] == ' ' || yaml[i - 1] == '\n')) {
      while (i < yaml.size() && yaml[i] != '\n') ++i;  // a comment runs to the end of the line
    } else if ((c == '"' || c == '\'') && (i == 0 || std::string_view(" [{,:\n").find(
                                                         yaml[i - 1]) != std::string_view::npos)) {
      quote = c;
      quote_at = i;
    } else if (c == '[' || c == '{' || c == ']' || c == '}') {
      if (bracket(i, c == '[' || c == '{')) return std::string::npos;
    }
  }
  return quote ? quote_at : std::string::npos;
}

// yaml-cpp notices an unclosed '[', '{' or quote only where the text ends, which is no help to
// the writer: find the opener itself. Returns its offset in `yaml`, or npos.
std::size_t unclosed_opener(const std::string& yaml) {
  std::vector<std::size_t> open;
  std::size_t quote_at = walk_flow_brackets(yaml, [&](std::size_t at, bool opens) {
    if (opens) {
      open.push_back(at);
    } else if (!open.empty()) {
      open.pop_back();
    }
    return false;
  });
  if (quote_at != std::string::npos) return quote_at;
  return open.empty() ? std::string::npos : open.front();
}

// Offset of the first '[' or '{' (outside quotes and comments) that opens one level more than
// max_front_matter_nesting, or npos.
std::size_t too_deep_opener(const std::string& yaml) {
  std::size_t depth = 0;
  std::size_t too_deep = std::string::npos;
  walk_flow_brackets(yaml, [&](std::size_t at, bool opens) {
    if (opens && ++depth > max_front_matter_nesting) {
      too_deep = at;
      return true;
    }
    if (!opens && depth > 0) --depth;
    return false;
  });
  return too_deep;
}

// Reports front matter that is too big or too deeply nested to hand to yaml-cpp. True if fine.
bool within_front_matter_bounds(const std::string& file, const std::string& yaml,
                                const yaml_locator& where, diagnostics& diags) {
  bool fine = true;
  if (std::size_t deep = too_deep_opener(yaml); deep != std::string::npos) {
    text_position pos = position_of(where.text, where.yaml_begin + deep);
    diags.error(file, pos.line, pos.col, "frontmatter.syntax",
                "lists '[ ]' or groups '{ }' are nested more than " +
                    std::to_string(max_front_matter_nesting) +
                    " deep here; a setting needs at most one list, e.g. 'editions: [formal, "
                    "young]'");
    fine = false;
  }
  if (yaml.size() > max_front_matter_bytes) {
    diags.error(file, 1, 1, "frontmatter.size",
                "the front matter (between the '---' lines) is " +
                    std::to_string((yaml.size() + 1023) / 1024) + " KB, more than the " +
                    std::to_string(max_front_matter_bytes / 1024) +
                    " KB allowed; keep only short settings such as 'title:' and 'summary:' "
                    "there and move long text into the page below the second '---'");
    fine = false;
  }
  return fine;
}

// Counts documents without building them. yaml-cpp 0.7 answers a ',' where a setting should
// start with an empty document that does not move past the comma, so YAML::LoadAll never
// ends: stopping at the second document keeps parsing bounded.
class document_counter : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++count_ == 2) second_start_ = mark;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  int count() const { return count_; }
  const YAML::Mark& second_start() const { return second_start_; }

 private:
  int count_ = 0;
  YAML::Mark second_start_ = YAML::Mark::null_mark();
};

// The mark of the second document, if `yaml` holds more than one (throws YAML::Exception).
std::optional<YAML::Mark> second_document(const std::string& yaml) {
  std::istringstream in(yaml);
  YAML::Parser parser(in);
  document_counter counter;
  while (counter.count() < 2 && parser.HandleNextDocument(counter)) {
  }
  if (counter.count() < 2) return std::nullopt;
  return counter.second_start();
}

void report_second_document(const std::string& file, const std::string& yaml,
                            const YAML::Mark& mark, const yaml_locator& where, diagnostics& diags) {
  std::size_t at = std::min(yaml.find_first_not_of(" \t\n", offset_of(mark)), yaml.size());
  text_position pos = position_of(where.text, where.yaml_begin + at);
  if (at < yaml.size() && yaml[at] == ',') {
    diags.error(file, pos.line, pos.col, "frontmatter.syntax",
                "a ',' stands where a setting should start; remove it, or put the whole value "
                "in quotes if the comma belongs to it, e.g. title: \"Safe, happy, heard\"");
    return;
  }
  diags.error(file, pos.line, pos.col, "frontmatter.syntax",
              "this line is indented differently from the first setting; start every "
              "setting at the beginning of its line");
}

// A setting written 'title: {{ children_in_care }} children' is a figure the writer hoped
// would be filled in, but YAML reads the braces as a group of settings and reports something
// about brackets. The '{{' that starts such a value is replaced by two letters before YAML
// reads the text, and put back in the value after, so that the value is its text as written
// and the checks can say what is wrong (figure.front_matter). Offsets stay the same. Returns
// the offsets of the values changed.
std::vector<std::size_t> hide_figure_braces(std::string& yaml) {
  std::vector<std::size_t> hidden;
  for (std::size_t start = 0; start < yaml.size();) {
    std::size_t end = std::min(yaml.find('\n', start), yaml.size());
    std::string_view line(yaml.data() + start, end - start);
    std::size_t key_end = word_end(line, 0);
    if (key_end > 0 && key_end < line.size() && line[key_end] == ':') {
      std::size_t value = key_end + 1;
      while (value < line.size() && is_space_or_tab(line[value])) ++value;
      if (value > key_end + 1 && line.substr(value, 2) == "{{") {
        yaml.replace(start + value, 2, "zz");
        hidden.push_back(start + value);
      }
    }
    start = end + 1;
  }
  return hidden;
}

void restore_figure_braces(const std::vector<std::size_t>& hidden, yaml_settings& settings) {
  for (yaml_setting& setting : settings) {
    yaml_item& value = setting.value;
    if (value.kind == node_kind::scalar && value.text.rfind("zz", 0) == 0 &&
        std::find(hidden.begin(), hidden.end(), value.at) != hidden.end())
      value.text.replace(0, 2, "{{");
  }
}

// Where in `line`, from `from` on, the value quoted with `quote` is closed: the index of its
// closing quote, npos if not on this line. Within double quotes a backslash escapes the next
// character; within single quotes '' is a quote.
std::size_t closing_quote(std::string_view line, std::size_t from, char quote) {
  for (std::size_t at = from; at < line.size(); ++at) {
    if (quote == '"' && line[at] == '\\') {
      ++at;
    } else if (line[at] == quote) {
      if (quote == '\'' && at + 1 < line.size() && line[at + 1] == '\'') {
        ++at;
        continue;
      }
      return at;
    }
  }
  return std::string_view::npos;
}

// Where the quoted value starting at line[i] ends (the index after its closing quote), or npos
// when it is not closed on this line.
std::size_t quoted_end(std::string_view line, std::size_t i) {
  std::size_t close = closing_quote(line, i + 1, line[i]);
  return close == std::string_view::npos ? close : close + 1;
}

// Whether `line` from `i` on is spaces, then perhaps a note ("# to check"), as YAML allows after
// a quoted value.
bool nothing_but_a_note_from(std::string_view line, std::size_t i) {
  std::size_t at = skip_spaces(line, i);
  return at == line.size() || (at > i && line[at] == '#');
}

// How a quoted value left open at the end of its first line goes on, over the lines from `from`:
// closed on a later line with nothing after the quote (fine: YAML reads the lines as one value),
// closed with more text after it (on line `line`, counted from 0), or never closed before a line
// that starts a setting, or the end.
struct quoted_run {
  enum { closed, text_after, unclosed } how = unclosed;
  std::size_t line = 0;
};

bool starts_setting(std::string_view line) {
  std::size_t key_end = word_end(line, 0);
  return key_end > 0 && key_end < line.size() && line[key_end] == ':' &&
         (key_end + 1 == line.size() || line[key_end + 1] == ' ');
}

quoted_run quoted_run_from(std::string_view yaml, std::size_t from, char quote) {
  for (std::size_t n = 1; from < yaml.size(); ++n) {
    std::size_t end = std::min(yaml.find('\n', from), yaml.size());
    std::string_view line = yaml.substr(from, end - from);
    from = end + 1;
    if (starts_setting(line)) return {quoted_run::unclosed, n};
    if (std::size_t close = closing_quote(line, 0, quote); close != std::string_view::npos)
      return {
          nothing_but_a_note_from(line, close + 1) ? quoted_run::closed : quoted_run::text_after,
          n};
  }
  return {quoted_run::unclosed, 0};
}

// Text settings (a title, a summary, a pledge's role) whose value starts with a character that
// YAML reads as something else than text, where the writer meant the character as part of the
// text: a quote closed before the end of the line or not at all ('Tis the season), a '[' or
// '{' that is closed before the end (a list or group, then more: [Draft] Our plan), or '!', '&',
// '*', '@' or '`' (YAML's own marks: !Important changes loses its first word). Each is reported
// (frontmatter.syntax), with the line as it should be; true if any was.
bool report_text_values_yaml_misreads(const std::string& file, std::string_view yaml,
                                      const yaml_locator& where, diagnostics& diags) {
  const source_kind kind = kind_of(file);
  bool any = false;
  bool seen_setting = false;
  for (std::size_t start = 0; start < yaml.size();) {
    std::size_t end = std::min(yaml.find('\n', start), yaml.size());
    std::string_view line = yaml.substr(start, end - start);
    const std::size_t line_at = start;
    start = end + 1;
    // Words before the first setting ("DRAFT - for comment"): YAML would blame the setting
    // after them.
    if (!seen_setting && !line.empty() && std::isalnum(static_cast<unsigned char>(line.front())) &&
        line.find(':') == std::string_view::npos) {
      text_position pos = where.at(line_at);
      diags.error(file, pos.line, pos.col, "frontmatter.syntax",
                  "this line is not a setting: write each setting as 'key: value' on a line of "
                  "its own; to keep a note for writers here, start the line with '#'");
      return true;
    }
    if (starts_setting(line)) seen_setting = true;
    std::size_t key_end = word_end(line, 0);
    if (key_end == 0 || key_end >= line.size() || line[key_end] != ':') continue;
    std::string key(line.substr(0, key_end));
    if (key == "editions" || key == "layout") continue;
    const auto& keys = known_keys(kind);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) continue;
    std::size_t value = key_end + 1;
    while (value < line.size() && is_space_or_tab(line[value])) ++value;
    if (value == key_end + 1 || value >= line.size()) continue;
    std::string_view text = line.substr(value);
    while (!text.empty() && is_space_or_tab(text.back())) text.remove_suffix(1);
    const char first = text.front();
    std::string problem;
    if (first == '\'' || first == '"') {
      std::size_t close = quoted_end(line, value);
      if (close != std::string_view::npos && nothing_but_a_note_from(line, close)) continue;
      quoted_run run;
      if (close == std::string_view::npos) {
        run = quoted_run_from(yaml, start, first);
        if (run.how == quoted_run::closed) continue;  // a long value over several lines
      }
      text_position pos = where.at(line_at + value);
      if (run.how == quoted_run::text_after) {
        // Carried on over lines, then more after its closing quote: too long to show as it
        // should be.
        any = true;
        diags.error(file, pos.line, pos.col, "frontmatter.syntax",
                    "this value starts with a quote and goes on after the quote that closes it, "
                    "on line " +
                        std::to_string(pos.line + static_cast<int>(run.line)) +
                        "; put the whole value in double quotes, starting and ending it with "
                        "them, or write it without quotes at its start");
        continue;
      }
      problem = close == std::string_view::npos
                    ? std::string(
                          "the quote that starts this value is not closed on this line, "
                          "so YAML reads on into the settings after it")
                    : "this value starts with a quote and goes on after the closing quote";
      if (first == '"' && text.find('\'') == std::string_view::npos) {
        problem += "; to keep the quotes in the text, put the whole value in single quotes";
        std::string fixed = "'" + std::string(text) + "'";
        if (count_code_points(fixed) <= static_cast<int>(max_quoted_chars))
          problem += ", like this: " + key + ": " + fixed;
        any = true;
        diags.error(file, pos.line, pos.col, "frontmatter.syntax", problem);
        continue;
      }
    } else if ((first == '[' || first == '{') && text.substr(0, 2) != "{{" &&
               text.back() != (first == '[' ? ']' : '}')) {
      // A whole list or group is reported as one (frontmatter.type); a figure in braces is
      // read as text and named (figure.front_matter).
      problem = std::string("a value that starts with '") + first + "' is read as " +
                (first == '[' ? "a list" : "a group of settings") + ", not as text";
    } else if (std::string_view("!&*@`%,").find(first) != std::string_view::npos ||
               ((first == '-' || first == '?') && (text.size() == 1 || text[1] == ' '))) {
      problem = std::string("a value that starts with '") + first +
                "' is not read as text: YAML gives that character a meaning of its own";
    } else if (first == '>' || first == '|') {
      // ">" or "|" alone (with "-", "+" or a digit) starts text on the lines below, as YAML
      // allows; with words after it on its own line, it is not that, nor text.
      std::size_t after = text.find_first_not_of("+-0123456789", 1);
      if (after == std::string_view::npos || nothing_but_a_note_from(text, after)) continue;
      problem = std::string("a value that starts with '") + first +
                "' is not read as text: YAML gives that character a meaning of its own";
    } else {
      continue;
    }
    problem += "; put the whole value in double quotes";
    std::string fixed = double_quoted(text);
    if (count_code_points(fixed) <= static_cast<int>(max_quoted_chars))
      problem += ", like this: " + key + ": " + fixed;
    any = true;
    text_position pos = where.at(line_at + value);
    diags.error(file, pos.line, pos.col, "frontmatter.syntax", problem);
  }
  return any;
}

// Parses the YAML between the delimiters; nullopt (reported) if it cannot be read as settings.
std::optional<yaml_settings> parse_yaml(const std::string& file, std::string yaml,
                                        const yaml_locator& where, diagnostics& diags) {
  if (!within_front_matter_bounds(file, yaml, where, diags)) return std::nullopt;
  if (report_text_values_yaml_misreads(file, yaml, where, diags)) return std::nullopt;
  const std::vector<std::size_t> hidden = hide_figure_braces(yaml);
  YAML::Node root;
  try {
    if (auto second = second_document(yaml)) {
      report_second_document(file, yaml, *second, where, diags);
      return std::nullopt;
    }
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    text_position pos = where.at(offset_of(e.mark));
    if (e.msg.find("end of") != std::string::npos) {
      if (std::size_t opener = unclosed_opener(yaml); opener != std::string::npos)
        pos = position_of(where.text, where.yaml_begin + opener);
    }
    diags.error(file, pos.line, pos.col, "frontmatter.syntax", yaml_problem_in_words(e.msg));
    return std::nullopt;
  }
  if (!root.IsNull() && !root.IsMap()) {
    text_position pos = where.at(offset_of(root.Mark()));
    diags.error(file, pos.line, pos.col, "frontmatter.type",
                std::string("the front matter must be settings written 'key: value', one per "
                            "line, not ") +
                    node_kind_in_words(node_kind_of(root)));
    return std::nullopt;
  }
  yaml_settings settings = settings_of(root);
  restore_figure_braces(hidden, settings);
  return settings;
}

// The file's text as the readers need it: without a BOM or CRLF, valid UTF-8 (problems
// reported). Most files already are, and are kept as they are without a copy.
std::string cleaned_text(const std::string& file, std::string text, diagnostics& diags) {
  bool has_bom = text.rfind("\xEF\xBB\xBF", 0) == 0;
  if (!has_bom && text.find('\r') == std::string::npos && is_clean_utf8(text)) return text;
  return checked_utf8(file, without_bom_and_crlf(std::move(text)), diags);
}

}  // namespace

std::optional<source_page> parse_source_page_with(const std::string& file, std::string text,
                                                  const std::string& edition, diagnostics& diags,
                                                  yaml_reader reader) {
  source_page page;
  page.file = file;
  page.edition = edition;
  text = cleaned_text(file, std::move(text), diags);

  auto split = split_front_matter(text);
  if (const auto* problem = std::get_if<split_problem>(&split)) {
    if (*problem == split_problem::missing) {
      const bool pledge = kind_of(file) == source_kind::pledge;
      diags.error(
          file, 1, 1, "frontmatter.missing",
          std::string(text.empty() ? "this file is empty" : "this file has no front matter") +
              why_no_front_matter(text) + "; start it with a line '---', then " +
              (pledge ? "'role: ...' (the job title of the person who makes the pledge)"
                      : "'title: ...'") +
              ", then '---'");
    } else {
      diags.error(file, 1, 1, "frontmatter.unclosed",
                  "the front matter starts here but has no closing '---' line; add a line "
                  "'---' after the last setting");
    }
    return std::nullopt;
  }
  const auto& parts = std::get<file_parts>(split);
  yaml_locator where{text, parts.yaml_begin};
  std::string_view yaml =
      std::string_view(text).substr(parts.yaml_begin, parts.yaml_end - parts.yaml_begin);
  std::optional<yaml_settings> settings;
  if (reader != yaml_reader::yaml_cpp_only) settings = read_simple_front_matter(yaml);
  if (!settings) {
    if (reader == yaml_reader::simple_only) return std::nullopt;
    settings = parse_yaml(file, std::string(yaml), where, diags);
  }
  if (!settings) return std::nullopt;

  source_kind kind = kind_of(file);
  front_matter_reader(file, where, kind, diags).read(*settings, page.meta);
  check_required(file, kind, page.meta, diags);

  page.head = text.substr(0, parts.body_begin);
  page.body = text.substr(parts.body_begin);
  page.body_line = parts.body_line;
  page.text_size = text.size();
  page.text_hash = std::hash<std::string_view>{}(text);
  return page;
}

std::optional<source_page> parse_source_page(const std::string& file, std::string text,
                                             const std::string& edition, diagnostics& diags) {
  return parse_source_page_with(file, std::move(text), edition, diags, yaml_reader::simple_first);
}

}  // namespace tandem
