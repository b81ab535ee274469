#include <doctest/doctest.h>

#include <filesystem>
#include <random>
#include <string>

#include "fs.hpp"
#include "limits.hpp"

using namespace tandem;
namespace fs = std::filesystem;

namespace {

// The problems one check finds, as "id@line" in the order printed.
std::vector<std::string> problems_of(std::string_view body, const markdown_limits& limits,
                                     int first_line = 1) {
  diagnostics diags;
  check_markdown_limits(body, "content/pages/01-a.md", first_line, diags, limits);
  std::vector<std::string> out;
  for (const diagnostic& d : diags.sorted()) {
    CHECK(d.file == "content/pages/01-a.md");
    CHECK(d.level == severity::error);
    out.push_back(d.id + "@" + std::to_string(d.line));
  }
  return out;
}

std::string repeated(std::string_view unit, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += unit;
  return out;
}

using problems = std::vector<std::string>;

}  // namespace

TEST_CASE("limits: every page and pledge of the example strategy is far within every bound") {
  // The example's pages are real strategy writing; a quarter of each bound is still far above.
  markdown_limits quarter;
  quarter.max_page_bytes /= 4;
  quarter.max_line_chars /= 4;
  quarter.max_nesting /= 4;
  quarter.max_table_cells /= 4;
  quarter.max_brackets /= 4;
  quarter.max_emphasis /= 4;
  quarter.max_headings /= 4;
  quarter.max_link_destinations /= 4;
  int files = 0;
  for (const char* folder : {"content/pages", "content/pledges"}) {
    fs::path dir = fs::path(TANDEM_SOURCE_DIR) / folder;
    for (const std::string& name : list_files(dir)) {
      auto text = read_file(dir / name);
      REQUIRE(text);
      INFO(name);
      CHECK(problems_of(*text, quarter).empty());
      ++files;
    }
  }
  CHECK(files > 20);
}

TEST_CASE("limits: a page over the size bound is reported once, at the first line of its body") {
  markdown_limits limits;
  limits.max_page_bytes = 2048;
  CHECK(problems_of(std::string(2048, 'a'), limits, 5).empty());
  diagnostics diags;
  CHECK_FALSE(
      check_markdown_limits(std::string(2049, 'a'), "content/pages/01-a.md", 5, diags, limits));
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].id == "limit.size");
  CHECK(diags.items()[0].line == 5);
  CHECK(diags.items()[0].message.find("3 KB, more than the 2 KB") != std::string::npos);
  CHECK(diags.items()[0].message.find("split it") != std::string::npos);
}

TEST_CASE("limits: line length counts characters, not bytes") {
  markdown_limits limits;
  limits.max_line_chars = 10;
  CHECK(problems_of("caf\xC3\xA9 caf\xC3\xA9\n", limits).empty());  // 9 characters, 11 bytes
  CHECK(problems_of("0123456789\n", limits).empty());
  CHECK(problems_of("short\n0123456789x\nalso 0123456789x\n", limits, 4) ==
        problems{"limit.line@5"});
}

TEST_CASE("limits: nesting counts the quotes and list items opened at the start of a line") {
  markdown_limits limits;
  limits.max_nesting = 4;
  CHECK(problems_of("> > - 1. text\n", limits).empty());
  CHECK(problems_of("> > - 1. 2) text\n", limits) == problems{"limit.nesting@1"});
  CHECK(problems_of(">>>>>text\n", limits) == problems{"limit.nesting@1"});
  CHECK(problems_of("text\n\n- - + * 1. a\n", limits) == problems{"limit.nesting@3"});
  // A '>' or '-' inside the text opens nothing; nor does a thematic break of many dashes.
  CHECK(problems_of("a > b > c > d > e > f\n", limits).empty());
  CHECK(problems_of("- - - - - - - - - -\n", limits).empty());
  CHECK(problems_of("2025. 2026. 2027. 2028. 2029. The years\n", limits) ==
        problems{"limit.nesting@1"});
  CHECK(problems_of("2025.2026. The years\n", limits).empty());
}

TEST_CASE("limits: cells per table row") {
  markdown_limits limits;
  limits.max_table_cells = 6;
  CHECK(problems_of("| a | b |\n|---|---|\n| 1 | 2 | 3 | 4 | 5 |\n", limits).empty());
  CHECK(problems_of("| a | b |\n|---|---|\n| 1 | 2 | 3 | 4 | 5 | 6 |\n", limits) ==
        problems{"limit.table@3"});
}

TEST_CASE("limits: brackets and emphasis are counted per paragraph, reset by a blank line") {
  markdown_limits limits;
  limits.max_brackets = 8;
  limits.max_emphasis = 6;
  CHECK(problems_of("[a] [b]\n[c] [d]\n\n[e] [f] [g] [h]\n", limits).empty());
  CHECK(problems_of("[a] [b]\n[c] [d]\n[e]\n", limits) == problems{"limit.brackets@3"});
  CHECK(problems_of("[a] [b]\n[c] [d]\n  \t \n[e]\n", limits).empty());
  CHECK(problems_of("*a* _b_\n**c**\n", limits) == problems{"limit.emphasis@2"});
  CHECK(problems_of("*a* _b_\n\n**c**\n", limits).empty());
  CHECK(problems_of("~~a~~ ~b\n", limits).empty());
  CHECK(problems_of("~~a~~ ~~b~\n", limits) == problems{"limit.emphasis@1"});
}

TEST_CASE("limits: headings and links are counted over the whole page") {
  markdown_limits limits;
  limits.max_headings = 3;
  limits.max_link_destinations = 2;
  CHECK(problems_of("# a\n\n## b\n\nText\n---\n\nNot #a heading\n", limits).empty());
  CHECK(problems_of("# a\n\n## b\n\nText\n===\n\n###### d\n", limits) ==
        problems{"limit.headings@8"});
  // A thematic break after a blank line is not a heading underline.
  CHECK(problems_of("# a\n\n## b\n\n### c\n\n---\n", limits).empty());
  CHECK(problems_of("[a](x)\n\n![b](y)\n\n[c]\n", limits).empty());
  CHECK(problems_of("[a](x)\n\n![b](y)\n\n[c](z)\n", limits) == problems{"limit.links@5"});
}

TEST_CASE("limits: each bound is reported once, where it is first passed, every bound at once") {
  markdown_limits limits;
  limits.max_line_chars = 20;
  limits.max_nesting = 2;
  std::string body = "ok\n" + repeated(">", 30) + "\n" + repeated(">", 40) + "\n";
  CHECK(problems_of(body, limits, 10) == problems{"limit.line@11", "limit.nesting@11"});
}

TEST_CASE("limits: the hostile inputs of issue 7 are caught by the default bounds") {
  CHECK(!within_markdown_limits(repeated("- ", 10000) + "a\n"));
  CHECK(!within_markdown_limits(repeated("![[]()", 40000)));
  CHECK(!within_markdown_limits(repeated("![[]()\n", 2000)));
  CHECK(!within_markdown_limits(repeated(">", 10000) + repeated("a*", 10)));
  CHECK(!within_markdown_limits("| a | b |\n| --- | --- |\n" + repeated("|x", 4000) + "|\n"));
  CHECK(!within_markdown_limits(repeated("## a\n\n", 1001)));
  // ... and ordinary writing of the same kinds is not.
  CHECK(within_markdown_limits(repeated("- a list item with **bold** and a [link](x.md)\n", 200)));
  CHECK(within_markdown_limits(repeated("> a quote\n", 500)));
  CHECK(within_markdown_limits("| a | b |\n| --- | --- |\n" + repeated("| x | y |\n", 2000)));
}

TEST_CASE("limits: a page over a bound is replaced by a stand-in with an empty body") {
  source_page page;
  page.file = "content/pages/02-b.young.md";
  page.edition = "young";
  page.meta.title = "B";
  page.body_line = 4;
  page.body = "Fine text.\n";
  diagnostics diags;
  CHECK_FALSE(stand_in_if_over_limits(page, diags).has_value());
  CHECK(diags.empty());

  page.body = "Fine text.\n\n" + repeated("> ", 100) + "deep\n";
  auto stand_in = stand_in_if_over_limits(page, diags);
  REQUIRE(stand_in.has_value());
  CHECK(stand_in->body.empty());
  CHECK(stand_in->file == page.file);
  CHECK(stand_in->edition == "young");
  CHECK(stand_in->meta.title == "B");
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].file == "content/pages/02-b.young.md");
  CHECK(diags.items()[0].line == 6);
  CHECK(diags.items()[0].id == "limit.nesting");
}

TEST_CASE("limits: each count is exact at its bound, across lines, multi-byte text and tabs") {
  markdown_limits limits;
  limits.max_line_chars = 4;
  CHECK(problems_of("éééé\n\t\t\t\t\nabcd", limits).empty());
  CHECK(problems_of("ab\nééééé\n", limits) == std::vector<std::string>{"limit.line@2"});
  limits = {};
  limits.max_table_cells = 3;
  CHECK(problems_of("|a|b|\n|c|d|\n", limits).empty());
  CHECK(problems_of("|a|b|\n|c|d||\n", limits) == std::vector<std::string>{"limit.table@2"});
  limits = {};
  limits.max_link_destinations = 3;
  CHECK(problems_of("[a](b) [c](d)\n](](x\n", limits) == std::vector<std::string>{"limit.links@2"});
  CHECK(problems_of("[a](b) [c](d)\n]\n(\n", limits).empty());  // "](" split over two lines
  limits = {};
  limits.max_emphasis = 3;
  CHECK(problems_of("*_~\n \t \n*_~\n", limits).empty());  // a line of blanks ends a paragraph
  CHECK(problems_of("*_~\nx*\n", limits) == std::vector<std::string>{"limit.emphasis@2"});
}

TEST_CASE("limits: a page the loader has checked is not scanned again for the stand-in") {
  source_page page;
  page.body = repeated("> ", 100) + "deep\n";
  page.limits_checked = true;  // as the loader leaves it (it would have emptied this body)
  diagnostics diags;
  CHECK_FALSE(stand_in_if_over_limits(page, diags).has_value());
  CHECK(diags.empty());
  page.limits_checked = false;
  CHECK(stand_in_if_over_limits(page, diags).has_value());
  CHECK(diags.items().size() == 1);
}

TEST_CASE(
    "limits: the shortcut for pages plainly within the bounds finds what the full walk finds") {
  // Random bodies from the bytes the bounds count, near small bounds: some are plainly within,
  // some just over one bound or another, on some line.
  std::mt19937 random(20261123);
  const std::string alphabet = "ab >>--*_~|[]](#1.)\t\n\n";
  int within = 0, over = 0;
  for (int round = 0; round < 4000; ++round) {
    markdown_limits limits;
    std::uniform_int_distribution<int> small(0, 12);
    limits.max_page_bytes = 40 + static_cast<std::size_t>(small(random)) * 4;
    limits.max_line_chars = small(random) + 4;
    limits.max_nesting = small(random) / 3;
    limits.max_table_cells = small(random);
    limits.max_brackets = small(random);
    limits.max_emphasis = small(random);
    limits.max_headings = small(random);
    limits.max_link_destinations = small(random);
    std::string body;
    std::uniform_int_distribution<std::size_t> length(0, 60), pick(0, alphabet.size() - 1);
    for (std::size_t n = length(random); n > 0; --n) body += alphabet[pick(random)];
    diagnostics fast, full;
    bool fast_ok = check_markdown_limits(body, "content/pages/01-a.md", 3, fast, limits);
    bool full_ok =
        check_markdown_limits_line_by_line(body, "content/pages/01-a.md", 3, full, limits);
    CAPTURE(body);
    REQUIRE(fast_ok == full_ok);
    REQUIRE(fast.sorted().size() == full.sorted().size());
    (fast_ok ? within : over)++;
  }
  // Both kinds were met often.
  CHECK(within > 400);
  CHECK(over > 400);
}
