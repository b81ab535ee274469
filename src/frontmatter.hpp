// Front matter readers: a direct reader for the common simple form and yaml-cpp for the rest.
// parse_source_page (content.hpp) is the entry point; this header exists for tests that compare
// the two readers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "content.hpp"
#include "diag.hpp"

namespace tandem {

/// Which reader parse_source_page uses for the YAML between the '---' lines.
enum class yaml_reader {
  simple_first,   // the direct reader when the front matter is in its subset, else yaml-cpp
  yaml_cpp_only,  // always yaml-cpp (what the direct reader must agree with)
  simple_only,    // the direct reader or nothing: nullopt and no diagnostics when it declines
};

/// parse_source_page with a chosen reader. With `simple_only`, returns nullopt (reporting
/// nothing) when the front matter is outside the direct reader's subset.
std::optional<source_page> parse_source_page_with(const std::string& file, std::string text,
                                                  const std::string& edition, diagnostics& diags,
                                                  yaml_reader reader);

/// True when `text` is valid UTF-8 without NUL bytes: what a source file's text always is once
/// loaded (parse_source_page reports and replaces anything else).
bool is_clean_utf8(std::string_view text);

}  // namespace tandem
