// Small text helpers that several modules share.
#pragma once

#include <string_view>

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

/// `text` without white space at either end; `is_space` says what is white space.
constexpr std::string_view trimmed(std::string_view text, bool (*is_space)(char) = is_ascii_space) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace tandem
