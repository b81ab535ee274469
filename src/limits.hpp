// Bounds on a Markdown page, so that no page can hang a build. cmark-gfm 0.29.0.gfm.6 (Debian's)
// takes seconds to minutes on some inputs (deep block quotes full of emphasis, long runs of
// brackets, table rows with many thousands of cells), and so do some passes over its tree. A
// page over a bound is reported and not parsed: the build fails fast and says what to change.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "content.hpp"
#include "diag.hpp"

namespace tandem {

/// The bounds. The defaults are far above anything a strategy page needs (the largest page of
/// the example site is 6 KB with lines under 400 characters) and far below where any known slow
/// input takes a second (tests/hostile measures each one at its bound).
struct markdown_limits {
  std::size_t max_page_bytes = 256 * 1024;
  int max_line_chars = 10000;        // code points on one line
  int max_nesting = 16;              // block quotes and list items opened on one line
  int max_table_cells = 200;         // '|' on one line
  int max_brackets = 5000;           // '[' and ']' in one paragraph
  int max_emphasis = 5000;           // '*', '_' and '~' in one paragraph
  int max_headings = 1000;           // headings on one page
  int max_link_destinations = 5000;  // "](" (links and pictures) on one page
};

/// Checks a page's Markdown body against `limits` and reports the first place each bound is
/// passed (`limit.size`, `limit.line`, `limit.nesting`, `limit.table`, `limit.brackets`,
/// `limit.emphasis`, `limit.headings`, `limit.links`) as an error in `file`, counting lines from
/// `first_line` (the line of the file where the body starts). Code blocks are counted like the
/// rest, so a slow input cannot hide in what only looks like one. Returns true when within every
/// bound. Linear in the size of the body.
bool check_markdown_limits(std::string_view body, const std::string& file, int first_line,
                           diagnostics& diags, const markdown_limits& limits = {});

/// check_markdown_limits without its shortcut (a page whose counts over the whole body are within
/// every bound is not walked line by line): for tests that the shortcut changes nothing.
bool check_markdown_limits_line_by_line(std::string_view body, const std::string& file,
                                        int first_line, diagnostics& diags,
                                        const markdown_limits& limits = {});

/// True when `body` is within `limits`; reports nothing. For every other reader of page bodies
/// (readability checks, pledges): skip a page over the limits, parse_markdown reports it.
bool within_markdown_limits(std::string_view body, const markdown_limits& limits = {});

/// For parse_markdown: nullopt when `page` is within the default limits; otherwise (the problems
/// reported) a copy of `page` with an empty body, to parse instead, so the rest of the build
/// still checks everything else and stays fast. A page the loader has already checked
/// (`limits_checked`) is not scanned again: nullopt at once.
std::optional<source_page> stand_in_if_over_limits(const source_page& page, diagnostics& diags);

}  // namespace tandem
