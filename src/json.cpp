#include "json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <system_error>

namespace tandem {

const json_value* json_value::find(std::string_view key) const {
  for (const auto& [name, value] : members) {
    if (name == key) return &value;
  }
  return nullptr;
}

const char* json_value::kind_name(kind k) {
  switch (k) {
    case kind::null:
      return "null";
    case kind::boolean:
      return "true or false";
    case kind::number:
      return "a number";
    case kind::string:
      return "text in double quotes";
    case kind::array:
      return "a list in [ ]";
    case kind::object:
      return "an object in { }";
  }
  return "a value";
}

namespace {

// Deep enough for any real settings file, shallow enough that hostile input cannot exhaust
// the stack.
constexpr int max_depth = 256;

// More than this many encoding problems means the whole file has the wrong encoding; listing
// every one of them would bury the message.
constexpr int max_encoding_reports = 50;

constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";

// Line and column of byte offsets, with the same meaning as position_of. Offsets are mostly
// asked for in increasing order, so it walks forward from the last answer instead of starting
// over each time (which would make large files quadratic).
class position_tracker {
 public:
  explicit position_tracker(std::string_view text) : text_(text) {}

  text_position at(std::size_t offset) {
    if (offset < offset_) {
      offset_ = 0;
      pos_ = {};
    }
    if (offset > text_.size()) offset = text_.size();
    for (; offset_ < offset; ++offset_) {
      auto c = static_cast<unsigned char>(text_[offset_]);
      if (c == '\n') {
        ++pos_.line;
        pos_.col = 1;
      } else if ((c & 0xC0) != 0x80) {
        ++pos_.col;
      }
    }
    return pos_;
  }

 private:
  std::string_view text_;
  std::size_t offset_ = 0;
  text_position pos_;
};

// Length of the valid UTF-8 sequence starting at `i`, or 0 if the bytes there are not one.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) -> unsigned {
    return k < text.size() ? static_cast<unsigned char>(text[k]) : 0x100;
  };
  auto continuation = [&](std::size_t k) { return (byte(k) & 0xC0) == 0x80 && byte(k) < 0x100; };
  unsigned c = byte(i);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return continuation(i + 1) ? 2 : 0;
  // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
  unsigned low = 0x80, high = 0xBF;
  std::size_t length = 0;
  if (c >= 0xE0 && c <= 0xEF) {
    length = 3;
    if (c == 0xE0) low = 0xA0;
    if (c == 0xED) high = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4;
    if (c == 0xF0) low = 0x90;
    if (c == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (!continuation(i + k)) return 0;
  }
  return length;
}

class parser {
 public:
  parser(std::string_view text, const std::string& file, const std::string& prefix,
         diagnostics& diags)
      : text_(text), tracker_(text), file_(file), prefix_(prefix), diags_(diags) {}

  std::optional<json_value> parse_document() {
    if (has_nul_byte()) return std::nullopt;
    report_encoding_problems();
    skip_whitespace();
    if (at_end()) {
      fail(0, "the file is empty; it should hold a JSON object, starting with '{'");
      return std::nullopt;
    }
    json_value root;
    if (!parse_value(root, 0, "a value")) return std::nullopt;
    skip_whitespace();
    if (!at_end()) {
      fail(i_, "unexpected " + describe_at(i_) +
                   " after the end of the JSON; remove it, or check for a '}' or ']' that "
                   "closes too early");
      return std::nullopt;
    }
    return root;
  }

 private:
  std::string_view text_;
  std::size_t i_ = 0;
  position_tracker tracker_;
  const std::string& file_;
  const std::string& prefix_;
  diagnostics& diags_;
  int recovered_ = 0;  // commas left out or one too many, reported and read past

  // -- reporting

  void report(std::size_t offset, const std::string& suffix, std::string message) {
    text_position p = tracker_.at(offset);
    diags_.error(file_, p.line, p.col, prefix_ + suffix, std::move(message));
  }

  // A syntax error: the parse stops, because what follows cannot be read reliably.
  bool fail(std::size_t offset, std::string message) {
    report(offset, ".syntax", std::move(message));
    return false;
  }

  // The most common mistakes, a comma left out between two items or one left after the last,
  // leave no doubt what was meant: they are reported and the rest of the file is read, so that
  // what it holds is checked in the same run. Past a few, the file is more likely something
  // else than JSON with slips in it, and the parse stops.
  static constexpr int max_recovered = 20;
  bool closed_at_end_ = false;  // fail_unclosed has said that the file ends too soon
  bool recover(std::size_t offset, std::string message) {
    report(offset, ".syntax", std::move(message));
    return ++recovered_ <= max_recovered;
  }

  bool has_nul_byte() {
    auto nul = text_.find('\0');
    if (nul == std::string_view::npos) return false;
    // A byte-order mark of UTF-16, as Notepad and Excel write when asked for "Unicode".
    if (text_.substr(0, 2) == "\xFF\xFE" || text_.substr(0, 2) == "\xFE\xFF") {
      report(0, ".syntax",
             "the file is saved as UTF-16 (\"Unicode\" in Notepad or Excel); save it again as "
             "UTF-8");
      return true;
    }
    report(nul, ".syntax",
           "the file contains a NUL byte, so it is not a text file; save it again as UTF-8 "
           "text from a text editor");
    return true;
  }

  void report_encoding_problems() {
    int reported = 0;
    bool in_bad_run = false;
    for (std::size_t i = 0; i < text_.size();) {
      std::size_t length = utf8_sequence_length(text_, i);
      if (length > 0) {
        in_bad_run = false;
        i += length;
        continue;
      }
      if (!in_bad_run && reported < max_encoding_reports) {
        report(i, ".syntax",
               "this character is not valid UTF-8 (the file may have been saved as Windows-1252 "
               "or Latin-1); save the file as UTF-8");
        ++reported;
      }
      in_bad_run = true;
      ++i;
    }
  }

  // -- reading

  bool at_end() const { return i_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[i_]; }
  bool starts_with(std::string_view s) const { return text_.substr(i_, s.size()) == s; }

  void skip_whitespace() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
      ++i_;
    }
  }

  static bool is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  }

  std::string_view word_at(std::size_t offset) const {
    std::size_t end = offset;
    while (end < text_.size() && is_word_char(text_[end]) && end - offset < 40) ++end;
    return text_.substr(offset, end - offset);
  }

  // How to name what is at `offset` in a message: "'x'", "the word 'foo'", "the end of the file".
  std::string describe_at(std::size_t offset) const {
    if (offset >= text_.size()) return "end of the file";
    auto c = static_cast<unsigned char>(text_[offset]);
    if (is_word_char(static_cast<char>(c)) && c != '-') {
      return "'" + std::string(word_at(offset)) + "'";
    }
    if (c < 0x20 || c == 0x7F) return "control character";
    std::size_t length = utf8_sequence_length(text_, offset);
    if (length == 0) length = 1;
    return "'" + std::string(text_.substr(offset, length)) + "'";
  }

  // A message for a character that cannot start a value, naming the usual mistakes.
  std::string explain_unexpected(std::size_t offset, const std::string& where) const {
    std::string_view rest = text_.substr(offset);
    auto starts = [&](std::string_view s) { return rest.substr(0, s.size()) == s; };
    if (starts("'")) return "text must be in straight double quotes (\"), not single quotes (')";
    if (starts("\xE2\x80\x9C") || starts("\xE2\x80\x9D") || starts("\xE2\x80\x98") ||
        starts("\xE2\x80\x99")) {
      return "this is a curly quote; JSON needs straight double quotes (\"). Turn off "
             "\"smart quotes\" or use a plain text editor";
    }
    if (starts("\xC2\xA0")) {
      return "this is a non-breaking space; replace it with an ordinary space";
    }
    if (starts("//") || starts("/*"))
      return "JSON does not allow notes (comments) written with // or /* */; remove the note, or "
             "keep it as a value of its own, like \"note\": \"...\"";
    for (std::string_view sign : {"\xC2\xA3", "$", "\xE2\x82\xAC"}) {  // £, $, €
      if (!starts(sign)) continue;
      auto number = read_grouped(offset + sign.size(), ',');
      if (!number || !ends_number(number->end)) break;
      return std::string("numbers are written without a currency sign") +
             (number->groups > 0 ? " or commas" : "") + ": write " + number->plain + ", not " +
             std::string(text_.substr(offset, number->end - offset));
    }
    if (starts("+")) return "a number cannot start with '+'; remove the '+'";
    if (starts(".")) return "a number cannot start with '.'; write 0.5, not .5";
    std::string_view word = word_at(offset);
    if (word == "True" || word == "TRUE" || word == "False" || word == "FALSE" || word == "Null" ||
        word == "NULL" || word == "None") {
      return "write true, false and null in lower case";
    }
    if (word == "NaN" || word == "Infinity") {
      return "NaN and Infinity cannot be used; write a number";
    }
    return "expected " + where + ", but found " + describe_at(offset) +
           "; text must be in double quotes, like \"this\"";
  }

  // -- values

  bool parse_value(json_value& out, int depth, const std::string& where) {
    skip_whitespace();
    out.pos = tracker_.at(i_);
    if (depth > max_depth) {
      return fail(i_, "lists and objects are nested more than " + std::to_string(max_depth) +
                          " deep here; the file cannot be read");
    }
    if (at_end()) return fail(i_, "the file ends where " + where + " should be");
    char c = peek();
    switch (c) {
      case '{':
        return parse_object(out, depth);
      case '[':
        return parse_array(out, depth);
      case '"':
        out.type = json_value::kind::string;
        return parse_string(out.string);
      case 't':
      case 'f':
      case 'n':
        return parse_literal(out, where);
      default:
        break;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return parse_number(out);
    if (c == '}' || c == ']' || c == ',' || c == ':') {
      return fail(i_, "expected " + where + ", but found '" + std::string(1, c) + "'");
    }
    return fail(i_, explain_unexpected(i_, where));
  }

  bool parse_literal(json_value& out, const std::string& where) {
    std::string_view word = word_at(i_);
    if (word == "true" || word == "false") {
      out.type = json_value::kind::boolean;
      out.boolean = word == "true";
    } else if (word == "null") {
      out.type = json_value::kind::null;
    } else {
      return fail(i_, explain_unexpected(i_, where));
    }
    i_ += word.size();
    return true;
  }

  bool parse_object(json_value& out, int depth) {
    out.type = json_value::kind::object;
    std::size_t open = i_;
    ++i_;
    std::map<std::string, text_position, std::less<>> first_seen;
    skip_whitespace();
    if (peek() == '}') {
      ++i_;
      return true;
    }
    std::size_t comma = std::string::npos;
    while (true) {
      skip_whitespace();
      std::size_t key_start = i_;
      if (peek() == '}' && comma != std::string::npos) {
        ++i_;
        return recover(comma,
                       "remove this comma: JSON does not allow a comma after the last item of "
                       "an object");
      }
      if (peek() != '"') return fail_object_key(open);
      std::string key;
      if (!parse_string(key)) return false;
      text_position key_pos = tracker_.at(key_start);
      skip_whitespace();
      if (peek() != ':') {
        return fail(i_,
                    "expected ':' after the name \"" + key + "\", but found " + describe_at(i_));
      }
      ++i_;
      json_value value;
      if (!parse_value(value, depth + 1, "the value of \"" + key + "\"")) return false;
      if (value.is_number() && !check_number_end(value, true)) return false;
      const bool scalar = !value.is_object() && !value.is_array();
      auto [it, is_new] = first_seen.try_emplace(key, key_pos);
      if (is_new) {
        out.members.push_back({key, std::move(value)});
        out.key_positions.push_back(key_pos);
      } else {
        report(key_start, ".duplicate",
               "\"" + key + "\" is written twice in the same object (first at " +
                   place_text(it->second) + "); keep only one of them");
      }
      skip_whitespace();
      if (peek() == ',') {
        comma = i_++;
        continue;
      }
      if (peek() == '}') {
        ++i_;
        return true;
      }
      if (at_end()) return fail_unclosed(open, '}');
      if (peek() == ']') {
        return fail(i_, "found ']' where '}' should close the object that starts at " +
                            place_text(tracker_.at(open)));
      }
      std::string missing =
          "expected ',' or '}' after the value of \"" + key + "\"; check for a missing comma";
      // After a plain value, a name whose value is an object may as well start the next object
      // of the one around: the '}' that ends this one may be missing instead.
      if (scalar && peek() == '"' && value_is_object_after_name(i_))
        missing += ", or a '}' missing before this line";
      // A name in quotes starts the next item: the comma before it was left out.
      if (peek() == '"') {
        if (!recover(i_, std::move(missing))) return false;
        comma = std::string::npos;
        continue;
      }
      return fail(i_, std::move(missing));
    }
  }

  // Whether the name in quotes at `at` is followed by ':' and an object, looking ahead only.
  bool value_is_object_after_name(std::size_t at) const {
    std::size_t k = at + 1;
    while (k < text_.size() && text_[k] != '"' && text_[k] != '\n') k += text_[k] == '\\' ? 2 : 1;
    if (k >= text_.size() || text_[k] != '"') return false;
    auto skip = [&](std::size_t from) {
      while (from < text_.size() && (text_[from] == ' ' || text_[from] == '\t' ||
                                     text_[from] == '\n' || text_[from] == '\r'))
        ++from;
      return from;
    };
    k = skip(k + 1);
    if (k >= text_.size() || text_[k] != ':') return false;
    k = skip(k + 1);
    return k < text_.size() && text_[k] == '{';
  }

  bool fail_object_key(std::size_t open) {
    if (at_end()) return fail_unclosed(open, '}');
    if (is_word_char(peek())) {
      std::string word(word_at(i_));
      return fail(
          i_, "names in an object must be in double quotes: write \"" + word + "\", not " + word);
    }
    if (peek() == '\'' || starts_with("\xE2\x80\x9C") || starts_with("\xE2\x80\x98") ||
        starts_with("//") || starts_with("/*")) {
      return fail(i_, explain_unexpected(i_, "a name"));
    }
    return fail(i_, "expected a name in double quotes, but found " + describe_at(i_));
  }

  // The end of the file with objects or lists still open: the innermost is reported, and every
  // one is taken as closed there, so that what the file holds is still read and checked (a '}'
  // left out in the middle of the file puts what follows inside the object before it; the
  // readers of each file say where that seems to be).
  bool fail_unclosed(std::size_t open, char closer) {
    if (closed_at_end_) return true;
    closed_at_end_ = true;
    std::string what = closer == '}' ? "object" : "list";
    return recover(i_, "the file ends before the " + what + " that starts at " +
                           place_text(tracker_.at(open)) + " is closed; add '" +
                           std::string(1, closer) + "' (or check for a missing one earlier)");
  }

  bool parse_array(json_value& out, int depth) {
    out.type = json_value::kind::array;
    std::size_t open = i_;
    ++i_;
    skip_whitespace();
    if (peek() == ']') {
      ++i_;
      return true;
    }
    std::size_t comma = std::string::npos;
    while (true) {
      skip_whitespace();
      if (at_end()) return fail_unclosed(open, ']');
      if (peek() == ']' && comma != std::string::npos) {
        ++i_;
        return recover(comma,
                       "remove this comma: JSON does not allow a comma after the last item of "
                       "a list");
      }
      std::string item = "item " + std::to_string(out.items.size() + 1) + " of the list";
      json_value value;
      if (!parse_value(value, depth + 1, item)) return false;
      if (value.is_number() && !check_number_end(value, false)) return false;
      out.items.push_back(std::move(value));
      skip_whitespace();
      if (peek() == ',') {
        comma = i_++;
        continue;
      }
      if (peek() == ']') {
        ++i_;
        return true;
      }
      if (at_end()) return fail_unclosed(open, ']');
      if (peek() == '}') {
        return fail(i_, "found '}' where ']' should close the list that starts at " +
                            place_text(tracker_.at(open)));
      }
      std::string missing = "expected ',' or ']' after " + item + "; check for a missing comma";
      // An object, a list, a text in quotes or a number starts the next item: a comma was
      // left out.
      if (peek() == '{' || peek() == '[' || peek() == '"' || peek() == '-' ||
          (peek() >= '0' && peek() <= '9')) {
        if (!recover(i_, std::move(missing))) return false;
        comma = std::string::npos;
        continue;
      }
      return fail(i_, std::move(missing));
    }
  }

  // -- strings

  bool parse_string(std::string& out) {
    std::size_t open = i_;
    ++i_;
    while (true) {
      if (at_end()) {
        return fail(open, "this text has no closing double quote (\"); add one at its end");
      }
      auto c = static_cast<unsigned char>(text_[i_]);
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c == '\\') {
        if (!parse_escape(out)) return false;
        continue;
      }
      if (c == '\n' || c == '\r') {
        return fail(open,
                    "this text has no closing double quote (\") before the end of the "
                    "line; add one at its end");
      }
      if (c == '\t') {
        return fail(i_,
                    "a tab character inside text in quotes; replace it with a space (or "
                    "write \\t)");
      }
      if (c < 0x20) return fail(i_, "a control character inside text in quotes; remove it");
      out.push_back(static_cast<char>(c));
      ++i_;
    }
  }

  bool parse_escape(std::string& out) {
    std::size_t start = i_;
    ++i_;
    if (at_end()) {
      return fail(start, "the file ends inside text in quotes, after a backslash (\\)");
    }
    char c = text_[i_++];
    switch (c) {
      case '"':
        out.push_back('"');
        return true;
      case '\\':
        out.push_back('\\');
        return true;
      case '/':
        out.push_back('/');
        return true;
      case 'b':
        out.push_back('\b');
        return true;
      case 'f':
        out.push_back('\f');
        return true;
      case 'n':
        out.push_back('\n');
        return true;
      case 'r':
        out.push_back('\r');
        return true;
      case 't':
        out.push_back('\t');
        return true;
      case 'u':
        return parse_unicode_escape(start, out);
      default:
        return fail(start, "'\\" + describe_escape_char(c) +
                               "' is not a valid escape; to write a backslash, write two (\\\\)");
    }
  }

  std::string describe_escape_char(char c) const {
    if (static_cast<unsigned char>(c) < 0x20) return "";
    std::size_t length = utf8_sequence_length(text_, i_ - 1);
    return std::string(text_.substr(i_ - 1, length == 0 ? 1 : length));
  }

  std::optional<unsigned> read_hex4() {
    if (i_ + 4 > text_.size()) return std::nullopt;
    unsigned value = 0;
    for (int k = 0; k < 4; ++k) {
      char h = text_[i_ + static_cast<std::size_t>(k)];
      value <<= 4;
      if (h >= '0' && h <= '9')
        value |= static_cast<unsigned>(h - '0');
      else if (h >= 'a' && h <= 'f')
        value |= static_cast<unsigned>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        value |= static_cast<unsigned>(h - 'A' + 10);
      else
        return std::nullopt;
    }
    i_ += 4;
    return value;
  }

  bool parse_unicode_escape(std::size_t start, std::string& out) {
    auto bad = [&] {
      return fail(start, "'\\u' must be followed by four hexadecimal digits, like \\u00e9");
    };
    auto unit = read_hex4();
    if (!unit) return bad();
    unsigned code = *unit;
    if (code >= 0xDC00 && code <= 0xDFFF) {
      return fail(start,
                  "this \\u escape is the second half of a character pair without its "
                  "first half; write the character itself instead");
    }
    if (code >= 0xD800 && code <= 0xDBFF) {
      if (!starts_with("\\u")) {
        return fail(start,
                    "this \\u escape is the first half of a character pair without its "
                    "second half; write the character itself instead");
      }
      i_ += 2;
      auto second = read_hex4();
      if (!second) return bad();
      if (*second < 0xDC00 || *second > 0xDFFF) {
        return fail(start,
                    "this \\u escape is the first half of a character pair without its "
                    "second half; write the character itself instead");
      }
      code = 0x10000 + ((code - 0xD800) << 10) + (*second - 0xDC00);
    }
    if (code == 0) return fail(start, "\\u0000 (a NUL character) is not allowed in text");
    append_utf8(code, out);
    return true;
  }

  static void append_utf8(unsigned code, std::string& out) {
    auto put = [&](unsigned b) { out.push_back(static_cast<char>(b)); };
    if (code < 0x80) {
      put(code);
    } else if (code < 0x800) {
      put(0xC0 | (code >> 6));
      put(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      put(0xE0 | (code >> 12));
      put(0x80 | ((code >> 6) & 0x3F));
      put(0x80 | (code & 0x3F));
    } else {
      put(0xF0 | (code >> 18));
      put(0x80 | ((code >> 12) & 0x3F));
      put(0x80 | ((code >> 6) & 0x3F));
      put(0x80 | (code & 0x3F));
    }
  }

  // -- numbers

  bool is_digit_at(std::size_t k) const {
    return k < text_.size() && text_[k] >= '0' && text_[k] <= '9';
  }

  std::size_t skip_digits(std::size_t k) const {
    while (is_digit_at(k)) ++k;
    return k;
  }

  bool parse_number(json_value& out) {
    std::size_t start = i_, k = i_;
    if (text_[k] == '-') ++k;
    if (!is_digit_at(k)) {
      return fail(start, "'-' must be followed by a number, like -5");
    }
    if (text_[k] == '0' && is_digit_at(k + 1)) {
      // The user's own number, without its leading zeros: 0777 is 777.
      std::size_t digits_end = skip_digits(k);
      std::size_t first = k;
      while (first + 1 < digits_end && text_[first] == '0') ++first;
      std::string written(text_.substr(start, digits_end - start));
      std::string plain = std::string(text_[start] == '-' ? "-" : "") +
                          std::string(text_.substr(first, digits_end - first));
      return fail(start, "a number cannot start with 0 followed by more digits; write " + plain +
                             ", not " + written);
    }
    k = skip_digits(k);
    if (k < text_.size() && text_[k] == '.') {
      if (!is_digit_at(k + 1)) {
        std::string whole(text_.substr(start, k - start));
        return fail(start, "a number cannot end with '.'; write " + whole + ", not " + whole + ".");
      }
      k = skip_digits(k + 1);
    }
    if (k < text_.size() && (text_[k] == 'e' || text_[k] == 'E')) {
      std::size_t e = k + 1;
      if (e < text_.size() && (text_[e] == '+' || text_[e] == '-')) ++e;
      if (!is_digit_at(e)) return fail(start, "this number has an incomplete exponent ('e')");
      k = skip_digits(e);
    }
    if (k < text_.size() && (is_word_char(text_[k]) || text_[k] == '.')) {
      return fail(start,
                  "this is not a number JSON can read; write digits with at most one "
                  "'.', like 41.2 (no spaces, commas or units)");
    }
    out.type = json_value::kind::number;
    out.number_text = std::string(text_.substr(start, k - start));
    out.number = to_double(out.number_text, start);
    i_ = k;
    return true;
  }

  // -- what people write in numbers that JSON does not allow

  // Length of the character at `k` when it is `separator`; for ' ', also a non-breaking or a
  // thin space (what a word processor puts between thousands). 0 for anything else.
  std::size_t separator_at(std::size_t k, char separator) const {
    if (k >= text_.size()) return 0;
    if (text_[k] == separator) return 1;
    if (separator != ' ') return 0;
    std::string_view rest = text_.substr(k);
    if (rest.starts_with("\xC2\xA0")) return 2;
    if (rest.starts_with("\xE2\x80\xAF") || rest.starts_with("\xE2\x80\x89")) return 3;
    return 0;
  }

  struct grouped_number {
    std::size_t end = 0;  // just past the number
    std::string plain;    // the number as JSON needs it: 1234567.5
    int groups = 0;       // how many separators it has
  };

  // The number at `offset` with its thousands set apart by `separator`, like 1,234,567.5 or
  // 1 234; each separator must be followed by three digits. nullopt if no digit is there.
  std::optional<grouped_number> read_grouped(std::size_t offset, char separator) const {
    grouped_number number;
    std::size_t k = offset;
    if (k < text_.size() && text_[k] == '-') number.plain += text_[k++];
    if (!is_digit_at(k)) return std::nullopt;
    std::size_t digits_end = skip_digits(k);
    number.plain += text_.substr(k, digits_end - k);
    k = digits_end;
    while (std::size_t length = separator_at(k, separator)) {
      if (skip_digits(k + length) != k + length + 3) break;
      number.plain += text_.substr(k + length, 3);
      k += length + 3;
      ++number.groups;
    }
    if (k < text_.size() && text_[k] == '.' && is_digit_at(k + 1)) {
      std::size_t fraction_end = skip_digits(k + 1);
      number.plain += text_.substr(k, fraction_end - k);
      k = fraction_end;
    }
    number.end = k;
    return number;
  }

  // Whether a number can end at `k`: what follows is not more of it (a comma before a digit
  // would be).
  bool ends_number(std::size_t k) const {
    if (k >= text_.size()) return true;
    char c = text_[k];
    return !is_word_char(c) && c != '.' && !(c == ',' && is_digit_at(k + 1));
  }

  char peek_at(std::size_t k) const { return k < text_.size() ? text_[k] : '\0'; }

  // Just after the number `value` (at i_): a thousands comma or space, a decimal comma or a
  // '%', which people write in numbers and JSON does not allow. Reports it and returns false;
  // true when there is none. A comma is looked at in objects only: in a list, 1,234 is two
  // numbers.
  bool check_number_end(const json_value& value, bool in_object) {
    std::size_t end = i_, start = end - value.number_text.size();
    if (in_object && peek() == ',' && is_digit_at(end + 1)) return fail_number_comma(value, start);
    std::size_t k = end;
    while (std::size_t length = peek_at(k) == '\t' ? 1 : separator_at(k, ' ')) k += length;
    if (peek_at(k) == '%') {
      std::string message = "numbers are written without a '%' sign: write " + value.number_text +
                            ", not " + std::string(text_.substr(start, k + 1 - start));
      if (prefix_ == "stats") {
        message +=
            "; the '%' is shown for you when the figure or breakdown has \"unit\": "
            "\"percent\"";
      }
      return fail(k, std::move(message));
    }
    if (k == end || !is_digit_at(k)) return true;
    auto number = read_grouped(start, ' ');
    if (!number || number->groups == 0 || !ends_number(number->end)) return true;
    std::string message = "numbers are written without spaces: write " + number->plain + ", not " +
                          std::string(text_.substr(start, number->end - start));
    if (!in_object) message += "; if these are two items of the list, put a comma between them";
    return fail(k, std::move(message));
  }

  // A comma at i_, just after the number `value` that starts at `start`, with a digit after it.
  bool fail_number_comma(const json_value& value, std::size_t start) {
    std::size_t comma = i_;
    auto number = read_grouped(start, ',');
    if (number && number->groups > 0 && ends_number(number->end)) {
      return fail(comma, "numbers are written without commas: write " + number->plain + ", not " +
                             std::string(text_.substr(start, number->end - start)));
    }
    // 41,2: a decimal comma, as written in much of Europe.
    std::size_t fraction_end = skip_digits(comma + 1);
    if (value.number_text.find_first_of(".eE") == std::string::npos && ends_number(fraction_end)) {
      std::string written(text_.substr(start, fraction_end - start));
      std::string plain = written;
      plain[comma - start] = '.';
      return fail(comma, "a decimal is written with a point, not a comma: write " + plain +
                             ", not " + written);
    }
    return fail(comma,
                "numbers are written without commas: write only digits and at most one '.', "
                "like 1234 or 41.2");
  }

  // Decimal exponent of the first significant digit plus one: "123" -> 3, "0.05" -> -1.
  static long decimal_magnitude(std::string_view number) {
    if (!number.empty() && number.front() == '-') number.remove_prefix(1);
    long exponent = 0;
    if (auto e = number.find_first_of("eE"); e != std::string_view::npos) {
      std::string_view digits = number.substr(e + 1);
      if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
      // A huge exponent saturates rather than overflowing the long.
      bool negative = !digits.empty() && digits.front() == '-';
      if (negative) digits.remove_prefix(1);
      for (char d : digits) exponent = std::min(exponent * 10 + (d - '0'), 100000L);
      if (negative) exponent = -exponent;
      number = number.substr(0, e);
    }
    std::string_view whole = number.substr(0, number.find('.'));
    auto first = whole.find_first_not_of('0');
    if (first != std::string_view::npos) {
      return static_cast<long>(whole.size() - first) + exponent;
    }
    auto point = number.find('.');
    if (point == std::string_view::npos) return exponent;
    std::string_view fraction = number.substr(point + 1);
    auto leading = fraction.find_first_not_of('0');
    if (leading == std::string_view::npos) return exponent;
    return exponent - static_cast<long>(leading);
  }

  double to_double(const std::string& number, std::size_t start) {
    double value = 0;
    auto result = std::from_chars(number.data(), number.data() + number.size(), value);
    if (result.ec != std::errc::result_out_of_range) return value;
    if (decimal_magnitude(number) <= 0) return 0;  // too small to tell apart from zero
    report(start, ".syntax",
           "the number " + number + " is too large to work with; check it for a typing mistake");
    bool negative = number.front() == '-';
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  }
};

}  // namespace

std::optional<json_value> parse_json(std::string_view text, const std::string& file,
                                     const std::string& id_prefix, diagnostics& diags) {
  // The byte-order mark is on line 1 and is not part of any column (diag's source lines drop it
  // too), so positions are counted from after it.
  if (text.substr(0, byte_order_mark.size()) == byte_order_mark) {
    text.remove_prefix(byte_order_mark.size());
  }
  parser p(text, file, id_prefix, diags);
  return p.parse_document();
}

void warn_unknown_keys(const json_value& object, const std::vector<std::string>& known,
                       const std::string& where, const std::string& file, const std::string& id,
                       diagnostics& diags, const std::vector<std::string>& quiet) {
  for (std::size_t i = 0; i < object.members.size(); ++i) {
    const std::string& key = object.members[i].first;
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    if (std::find(quiet.begin(), quiet.end(), key) != quiet.end()) continue;
    std::string message = "unknown key \"" + key + "\" " + where + ", so it is ignored";
    if (std::string near = nearest_name(key, known); !near.empty()) {
      message += " (did you mean \"" + near + "\"?)";
    } else {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      message += "; the keys that can be used here are: " + list;
    }
    text_position p = i < object.key_positions.size() ? object.key_positions[i] : object.pos;
    diags.warning(file, p.line, p.col, id, std::move(message));
  }
}

}  // namespace tandem
