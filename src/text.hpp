// Small text helpers that several modules share.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace tandem {

/// Space, tab, line feed or carriage return: white space as Markdown, front matter and
/// templates have it.
constexpr bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// Space or tab: white space within a line.
constexpr bool is_space_or_tab(char c) {
  return c == ' ' || c == '\t';
}

/// White space as `std::isspace` has it in the "C" locale: also vertical tab and form feed.
constexpr bool is_c_space(char c) {
  return is_ascii_space(c) || c == '\v' || c == '\f';
}

/// The code point starting at text[i] and its length in bytes (a stray byte counts alone).
constexpr std::pair<char32_t, std::size_t> decode(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char first = byte(i);
  std::size_t length = first < 0x80           ? 1
                       : (first >> 5) == 0x6  ? 2
                       : (first >> 4) == 0xE  ? 3
                       : (first >> 3) == 0x1E ? 4
                                              : 1;
  if (i + length > text.size()) return {first, 1};
  if (length == 1) return {first, 1};
  char32_t cp = first & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {first, 1};
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  return {cp, length};
}

/// `text` without white space at either end; `is_space` says what is white space.
constexpr std::string_view trimmed(std::string_view text, bool (*is_space)(char) = is_ascii_space) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

/// A-Z as a-z; any other byte as it is.
constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// `text` with A-Z as a-z; other bytes as they are.
inline std::string ascii_lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

/// `text` with each run of white space made one space, and none at either end.
inline std::string collapse_spaces(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (is_ascii_space(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace tandem
