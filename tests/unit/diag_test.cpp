#include <doctest/doctest.h>

#include <sstream>

#include "diag.hpp"
#include "temp_site.hpp"

using namespace tandem;
using tandem::testing::temp_site;

TEST_CASE(
    "a diagnostic prints file:line:col, severity, message and id, then the line and a caret") {
  temp_site site;
  site.write("content/pages/03-who.md",
             "---\ntitle: Who\n---\nWe look after {{ children_in_kare }} children.\n");
  diagnostic d{"content/pages/03-who.md",
               4,
               18,
               severity::error,
               "figure.unknown",
               "unknown figure 'children_in_kare' (did you mean 'children_in_care'?)"};
  std::ostringstream out;
  print_diagnostic(out, d, site.dir());
  CHECK(out.str() ==
        "content/pages/03-who.md:4:18: error: unknown figure 'children_in_kare' (did you mean "
        "'children_in_care'?) [figure.unknown]\n"
        "    4 | We look after {{ children_in_kare }} children.\n"
        "      |                  ^\n");
}

TEST_CASE("the caret counts characters, not bytes, so it lines up after accented letters") {
  temp_site site;
  site.write("a.md", "Café {{ x }}\n");
  std::ostringstream out;
  print_diagnostic(out, {"a.md", 1, 9, severity::warning, "figure.unknown", "m"}, site.dir());
  CHECK(out.str().find("      |         ^\n") != std::string::npos);
}

TEST_CASE("a long line is shown around the column, cut with '...', the caret still under it") {
  temp_site site;
  // 300 code points: "é" then 'a' ... with a "{{ x }}" at column 201.
  std::string line = "\xC3\xA9" + std::string(199, 'a') + "{{ x }}" + std::string(93, 'b');
  site.write("a.md", line + "\n");
  std::ostringstream out;
  print_diagnostic(out, {"a.md", 1, 201, severity::error, "figure.unknown", "m"}, site.dir());
  std::string shown = "...";
  shown += std::string(40, 'a') + "{{ x }}" + std::string(53, 'b') + "...";
  CHECK(out.str() ==
        "a.md:1:201: error: m [figure.unknown]\n"
        "    1 | " +
            shown +
            "\n"
            "      | " +
            std::string(43, ' ') + "^\n");
  // At the start of a long line: no "..." before; at its end: none after.
  std::ostringstream start;
  print_diagnostic(start, {"a.md", 1, 2, severity::error, "figure.unknown", "m"}, site.dir());
  CHECK(start.str().find("    1 | \xC3\xA9" + std::string(60, 'a') + "...\n      |  ^\n") !=
        std::string::npos);
  std::ostringstream end;
  print_diagnostic(end, {"a.md", 1, 300, severity::error, "figure.unknown", "m"}, site.dir());
  CHECK(end.str().find("    1 | ..." + std::string(40, 'b') + "b\n") != std::string::npos);
}

TEST_CASE("a diagnostic without a readable file prints only its first line") {
  std::ostringstream out;
  print_diagnostic(out, {"missing.json", 2, 3, severity::warning, "site.unknown_key", "m"}, ".");
  CHECK(out.str() == "missing.json:2:3: warning: m [site.unknown_key]\n");
}

TEST_CASE("diagnostics are sorted by place and exact repeats are dropped") {
  diagnostics all;
  all.error("b.md", 1, 1, "x", "second");
  all.warning("a.md", 9, 1, "y", "first");
  all.error("b.md", 1, 1, "x", "second");
  auto sorted = all.sorted();
  REQUIRE(sorted.size() == 2);
  CHECK(sorted[0].file == "a.md");
  CHECK(all.error_count() == 1);
  CHECK(all.warning_count() == 1);
}

TEST_CASE("position_of gives 1-based lines and code-point columns") {
  std::string text = "ab\nçd{{";
  auto pos = position_of(text, text.find("{{"));
  CHECK(pos.line == 2);
  CHECK(pos.col == 3);
  CHECK(position_of(text, 0).line == 1);
  CHECK(position_of(text, 0).col == 1);
}

TEST_CASE("nearest_name suggests close names and nothing for unrelated words") {
  std::vector<std::string> keys = {"as_of", "care_leavers", "children_in_care", "foster_care"};
  CHECK(nearest_name("children_in_kare", keys) == "children_in_care");
  CHECK(nearest_name("care_leaver", keys) == "care_leavers");
  CHECK(nearest_name("zebra_crossings", keys) == "");
}

TEST_CASE("a flood of one problem in one file prints the first 20 and counts the rest") {
  temp_site site;
  std::string text;
  for (int i = 1; i <= 25000; ++i) text += "k" + std::to_string(i) + ": 1\n";
  site.write("a.md", text);
  diagnostics diags;
  for (int i = 1; i <= 25000; ++i)
    diags.warning("a.md", i, 1, "frontmatter.unknown_key", "unknown " + std::to_string(i));
  diags.error("a.md", 3, 1, "frontmatter.syntax", "other kind");
  diags.warning("b.md", 1, 1, "frontmatter.unknown_key", "another file");
  std::ostringstream out;
  print_diagnostics(out, diags, site.dir());
  std::string printed = out.str();
  CHECK(printed.find("a.md:20:1: warning: unknown 20 ") != std::string::npos);
  CHECK(printed.find("a.md:21:1:") == std::string::npos);
  CHECK(printed.find("a.md:3:1: error: other kind [frontmatter.syntax]") != std::string::npos);
  CHECK(printed.find("b.md:1:1: warning: another file") != std::string::npos);
  CHECK(printed.find("a.md: warning: 24,980 more like the 20 above are not shown") !=
        std::string::npos);
  CHECK(printed.find("b.md: warning:") == std::string::npos);
  CHECK(printed.find("   20 | k20: 1\n") != std::string::npos);
  CHECK(diags.warning_count() == 25001);
  CHECK(diags.has_errors());
}
