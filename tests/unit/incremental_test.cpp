// Incremental rebuilds: after every kind of edit, the rebuilt site must be exactly what a full
// build of the edited site gives, output and problems alike.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "fs.hpp"
#include "incremental.hpp"
#include "render.hpp"
#include "site.hpp"
#include "temp_site.hpp"

using namespace tandem;
namespace fs = std::filesystem;

namespace {

// A copy of the example site with templates and themes of its own (the built-in ones, as files),
// so that edits to them count.
struct example_copy : testing::temp_site {
  example_copy() { copy_example({"content", "templates", "themes"}); }
};

std::string describe(const diagnostic& d) {
  std::ostringstream out;
  out << d.file << ':' << d.line << ':' << d.col << ' '
      << (d.level == severity::error ? "E " : "W ") << d.id << ' ' << d.message;
  return out.str();
}

// The rebuilt site equals a full build: every output file, every page record and problem.
site_run check_equal_to_full_build(const site_run& rebuilt, const fs::path& site) {
  site_run full = load_and_render(site);
  std::vector<std::string> got, want;
  for (const auto& d : rebuilt.diags.sorted()) got.push_back(describe(d));
  for (const auto& d : full.diags.sorted()) want.push_back(describe(d));
  std::string only_one;
  for (const auto& line : got)
    if (std::find(want.begin(), want.end(), line) == want.end())
      only_one += "rebuild: " + line + "\n";
  for (const auto& line : want)
    if (std::find(got.begin(), got.end(), line) == got.end()) only_one += "full: " + line + "\n";
  CHECK_MESSAGE(got == want, only_one);
  REQUIRE(full.rendered.has_value());
  REQUIRE(rebuilt.rendered.has_value());
  const auto& a = rebuilt.rendered->out.entries();
  const auto& b = full.rendered->out.entries();
  CHECK(rebuilt.rendered->out.paths() == full.rendered->out.paths());
  for (const auto& [path, entry] : b) {
    auto found = a.find(path);
    REQUIRE_MESSAGE(found != a.end(), path);
    CHECK_MESSAGE(found->second.bytes == entry.bytes, path);
    CHECK(found->second.copy_from == entry.copy_from);
  }
  REQUIRE(rebuilt.rendered->pages.size() == full.rendered->pages.size());
  for (std::size_t i = 0; i < full.rendered->pages.size(); ++i) {
    const page_record& p = rebuilt.rendered->pages[i];
    const page_record& q = full.rendered->pages[i];
    CHECK(p.output_path == q.output_path);
    REQUIRE(p.figures.size() == q.figures.size());
    for (std::size_t k = 0; k < p.figures.size(); ++k) {
      CHECK(p.figures[k].key == q.figures[k].key);
      CHECK(p.figures[k].text == q.figures[k].text);
      CHECK(p.figures[k].line == q.figures[k].line);
    }
  }
  return full;
}

// What really differs between two full builds, as a rebuild must report it.
output_changes differences(const output_tree& before, const output_tree& after) {
  output_changes out;
  for (const auto& [path, entry] : after.entries()) {
    auto old = before.entries().find(path);
    if (old == before.entries().end()) {
      out.added.push_back(path);
    } else if (old->second.bytes != entry.bytes || old->second.copy_from != entry.copy_from) {
      out.changed.push_back(path);
    }
  }
  for (const auto& [path, entry] : before.entries())
    if (!after.contains(path)) out.removed.push_back(path);
  return out;
}

// The section pages among `paths` (not figures.json, assets ...).
std::vector<std::string> pages_among(const std::vector<std::string>& paths, const site_run& run) {
  std::vector<std::string> pages;
  for (const std::string& path : paths)
    for (const page_record& p : run.rendered->pages)
      if (p.output_path == path) pages.push_back(path);
  return pages;
}

bool has_problem(const site_run& run, const std::string& id) {
  for (const auto& d : run.diags.items())
    if (d.id == id) return true;
  return false;
}

// site.json with its two editions in the other order.
std::string editions_swapped(const std::string& json) {
  auto first = json.find("    {\n      \"id\"");
  auto second = json.find("    {\n      \"id\"", first + 1);
  auto end = json.find("    }\n", second);
  REQUIRE(first != std::string::npos);
  REQUIRE(second != std::string::npos);
  REQUIRE(end != std::string::npos);
  end += 6;
  std::string one = json.substr(first, json.rfind("},", second) + 1 - first);
  std::string two = json.substr(second, end - 1 - second);
  return json.substr(0, first) + two + ",\n" + one + "\n" + json.substr(end);
}

bool has_problem_in(const site_run& run, const std::string& id, const std::string& file) {
  for (const auto& d : run.diags.items())
    if (d.id == id && d.file == file) return true;
  return false;
}

}  // namespace

TEST_CASE("every incremental rebuild in a series of edits equals a full build") {
  example_copy site;
  incremental_builder builder(site.dir());
  const site_run& first = builder.build();
  REQUIRE(first.rendered.has_value());
  REQUIRE_FALSE(first.diags.has_errors());
  check_equal_to_full_build(first, site.dir());

  struct edit {
    std::string what;
    std::vector<std::string> files;
    std::function<void()> make;
  };
  const std::string virtual_school = "content/pages/13-officers-and-virtual-school.md";
  const std::string parent = "content/pages/03-being-a-corporate-parent.md";
  const std::string stats = "content/data/stats.json";
  const std::string glossary = "\n{{ glossary }}\n";
  const std::string young_home = "content/pages/index.young.md";
  const std::string footer = "templates/partials/footer.mustache";
  const std::string layout_figure = "<p>{{figures.care_leavers.text}} care leavers</p>\n";
  std::string huge_row = "\n";
  // 100,000 cells in 200 KB: under the size limit, over the one on cells.
  for (int n = 0; n < 100000; ++n) huge_row += "|a";
  huge_row += "|\n";
  std::vector<edit> edits = {
      {"body text of a section",
       {parent},
       [&] { site.replace(parent, "Everything we do", "All that we do"); }},
      {"body text of a young section",
       {"content/pages/03-being-a-corporate-parent.young.md"},
       [&] {
         site.replace("content/pages/03-being-a-corporate-parent.young.md", "We want you",
                      "We would like you");
       }},
      {"a section's title",
       {parent},
       [&] { site.replace(parent, "title: Being a corporate parent", "title: Our role"); }},
      {"a section's navigation title",
       {parent},
       [&] { site.replace(parent, "nav_title: Corporate parent", "nav_title: Our role"); }},
      {"a heading another page links to",
       {virtual_school},
       [&] { site.replace(virtual_school, "## The Virtual School", "## Our Virtual School"); }},
      {"the heading put back",
       {virtual_school},
       [&] { site.replace(virtual_school, "## Our Virtual School", "## The Virtual School"); }},
      {"a figure's value",
       {stats},
       [&] { site.replace(stats, "\"value\": 777", "\"value\": 790"); }},
      {"the date of the data",
       {stats},
       [&] { site.replace(stats, "\"as_of\": \"2025-12-14\"", "\"as_of\": \"2025-12-20\""); }},
      {"a glossary explanation",
       {"content/glossary.json"},
       [&] {
         site.replace("content/glossary.json", "When a new family becomes your family for good.",
                      "When a new family becomes yours for good.");
       }},
      {"a pledge",
       {"content/pledges/01-director.md"},
       [&] {
         std::string text = site.read("content/pledges/01-director.md");
         site.write("content/pledges/01-director.md", text + "\nWe will keep this promise.\n");
       }},
      {"a template",
       {"templates/page.mustache"},
       [&] { site.replace("templates/page.mustache", "</main>", "<p>Edited.</p>\n</main>"); }},
      {"a partial",
       {"templates/partials/footer.mustache"},
       [&] {
         site.replace("templates/partials/footer.mustache", "</footer>",
                      "<p>Also edited.</p>\n</footer>");
       }},
      {"a theme's style sheet",
       {"themes/council/assets/style.css"},
       [&] {
         std::string css = site.read("themes/council/assets/style.css");
         site.write("themes/council/assets/style.css", css + "\n.edited { color: #0b0c0c; }\n");
       }},
      {"the words to avoid",
       {"content/words.json"},
       [&] { site.replace("content/words.json", "    \"placement\": \"home\",\n", ""); }},
      {"the site's settings",
       {"content/site.json"},
       [&] {
         site.replace("content/site.json", "Corporate Parenting Strategy 2026 to 2029",
                      "Corporate Parenting Strategy 2026 to 2030");
       }},
      {"a number typed in that is no figure yet",
       {parent},
       [&] { site.replace(parent, "All that we do", "All that we do for 812 children"); }},
      {"the figure becomes that number",
       {stats},
       [&] { site.replace(stats, "\"value\": 790", "\"value\": 812"); }},
      {"the number replaced by the figure",
       {parent},
       [&] {
         site.replace(parent, "All that we do for 812 children",
                      "All that we do for {{ children_in_care }} children");
       }},
      {"a mistake: an unknown figure",
       {parent},
       [&] { site.replace(parent, "All that we do", "All {{ children_in_kare }} that we do"); }},
      {"the mistake put right",
       {parent},
       [&] { site.replace(parent, "All {{ children_in_kare }} that we do", "All that we do"); }},
      {"a mistake in stats.json: a colon left out",
       {stats},
       [&] {
         site.replace(stats, "\"label\": \"children looked after\"",
                      "\"label\" \"children looked after\"");
       }},
      {"a figure misspelt while stats.json cannot be read",
       {parent},
       [&] { site.replace(parent, "All that we do", "All {{ children_in_kare }} that we do"); }},
      {"the colon put back",
       {stats},
       [&] {
         site.replace(stats, "\"label\" \"children looked after\"",
                      "\"label\": \"children looked after\"");
       }},
      {"the misspelling put right",
       {parent},
       [&] { site.replace(parent, "All {{ children_in_kare }} that we do", "All that we do"); }},
      {"a mistake in glossary.json: a colon left out",
       {"content/glossary.json"},
       [&] { site.replace("content/glossary.json", "\"means\":", "\"means\""); }},
      {"the glossary's colon put back",
       {"content/glossary.json"},
       [&] { site.replace("content/glossary.json", "\"means\"", "\"means\":"); }},
      {"a new section",
       {"content/pages/19-new.md", "content/pages/19-new.young.md"},
       [&] {
         site.write("content/pages/19-new.md", "---\ntitle: New\n---\nA new section.\n");
         site.write("content/pages/19-new.young.md", "---\ntitle: New\n---\nA new part.\n");
       }},
      {"the new section deleted",
       {"content/pages/19-new.md", "content/pages/19-new.young.md"},
       [&] {
         site.remove("content/pages/19-new.md");
         site.remove("content/pages/19-new.young.md");
       }},
      {"a pledge links to a heading",
       {"content/pledges/01-director.md"},
       [&] {
         std::string text = site.read("content/pledges/01-director.md");
         site.write("content/pledges/01-director.md",
                    text + "\nThe [Virtual School](13-officers-and-virtual-school.md" +
                        "#the-virtual-school) will help.\n");
       }},
      {"the heading a pledge links to",
       {virtual_school},
       [&] { site.replace(virtual_school, "## The Virtual School", "## Our Virtual School"); }},
      {"the heading a pledge links to put back",
       {virtual_school},
       [&] { site.replace(virtual_school, "## Our Virtual School", "## The Virtual School"); }},
      // Outside the primary edition every term's explanation links to the glossary page.
      {"the young home page shows the glossary too",
       {young_home},
       [&] { site.write(young_home, site.read(young_home) + glossary); }},
      {"the young home page shows the glossary no more",
       {young_home},
       [&] { site.replace(young_home, glossary, ""); }},
      // So that only the cards on a page show the date of the data.
      {"the date of the data left out of the templates",
       {footer, "templates/partials/meta.mustache"},
       [&] {
         std::string text = site.read(footer);
         auto from = text.find("<p class=\"tandem-footer__data\">");
         REQUIRE(from != std::string::npos);
         site.write(footer, text.erase(from, text.find('\n', from) + 1 - from));
         site.write("templates/partials/meta.mustache", "");
       }},
      {"a section shows cards",
       {parent},
       [&] { site.write(parent, site.read(parent) + "\n{{ cards children_in_care }}\n"); }},
      {"the date of the data once more",
       {stats},
       [&] { site.replace(stats, "\"as_of\": \"2025-12-20\"", "\"as_of\": \"2025-12-27\""); }},
      {"a table row of 100,000 cells",
       {parent},
       [&] { site.write(parent, site.read(parent) + huge_row); }},
      {"the table row taken out", {parent}, [&] { site.replace(parent, huge_row, ""); }},
      {"the young edition first",
       {"content/site.json"},
       [&] { site.write("content/site.json", editions_swapped(site.read("content/site.json"))); }},
      {"the formal edition first again",
       {"content/site.json"},
       [&] { site.write("content/site.json", editions_swapped(site.read("content/site.json"))); }},
      // Every page's footer shows a figure: figures.json lists it on every page.
      {"a layout shows a figure",
       {footer},
       [&] { site.write(footer, site.read(footer) + layout_figure); }},
      {"that figure's value",
       {stats},
       [&] { site.replace(stats, "\"value\": 702", "\"value\": 704"); }},
      {"the layout's figure taken out", {footer}, [&] { site.replace(footer, layout_figure, ""); }},
      // Only stats.json's error: the chart and the share in ten of foster_care wait for it.
      {"a figure's unit misspelt",
       {stats},
       [&] {
         site.replace(stats, "41.2,\n      \"unit\": \"percent\"",
                      "41.2,\n      \"unit\": \"Percent\"");
       }},
      {"the unit put right",
       {stats},
       [&] {
         site.replace(stats, "41.2,\n      \"unit\": \"Percent\"",
                      "41.2,\n      \"unit\": \"percent\"");
       }},
  };
  site_run before = load_and_render(site.dir());
  for (const edit& e : edits) {
    CAPTURE(e.what);
    e.make();
    auto started = std::chrono::steady_clock::now();
    const site_run& rebuilt = builder.rebuild(e.files);
    auto took = std::chrono::steady_clock::now() - started;
    // A page over the Markdown limits is left out, not parsed: the rebuild stays quick.
    if (e.what == "a table row of 100,000 cells") {
      CHECK(has_problem(rebuilt, "limit.table"));
      CHECK(took < std::chrono::seconds(5));
    }
    if (e.what == "the heading a pledge links to")
      CHECK(has_problem_in(rebuilt, "link.broken", "content/pledges/01-director.md"));
    if (e.what == "the heading a pledge links to put back")
      CHECK_FALSE(has_problem(rebuilt, "link.broken"));
    if (e.what == "a figure's unit misspelt") {
      CHECK(has_problem(rebuilt, "stats.unit"));
      CHECK_FALSE(has_problem(rebuilt, "figure.format"));
    }
    site_run full = check_equal_to_full_build(rebuilt, site.dir());

    // The rebuild says exactly which files of the output changed, also after a rebuild that
    // had to render everything again (the first after a mistake).
    output_changes want = differences(before.rendered->out, full.rendered->out);
    const output_changes& got = builder.changes();
    CHECK(got.added == want.added);
    CHECK(got.removed == want.removed);
    CHECK(got.changed == want.changed);
    if (e.what == "body text of a section")
      CHECK(pages_among(got.changed, full) ==
            std::vector<std::string>{"being-a-corporate-parent/index.html"});
    if (e.what == "a figure's value") {
      // The pages that show it, and figures.json; not the others.
      CHECK(std::count(got.changed.begin(), got.changed.end(), "figures.json") == 1);
      CHECK(std::count(got.changed.begin(), got.changed.end(), "index.html") == 1);
      CHECK(std::count(got.changed.begin(), got.changed.end(), "young/index.html") == 1);
      CHECK(got.changed.size() < full.rendered->pages.size() / 2);
    }
    if (e.what == "the figure becomes that number") CHECK(has_problem(rebuilt, "figure.literal"));
    if (e.what == "the number replaced by the figure")
      CHECK_FALSE(has_problem(rebuilt, "figure.literal"));
    before = std::move(full);
    if (e.what == "a heading another page links to") CHECK(has_problem(rebuilt, "link.broken"));
    if (e.what == "a mistake: an unknown figure") CHECK(has_problem(rebuilt, "figure.unknown"));
    if (e.what == "the mistake put right") CHECK_FALSE(rebuilt.diags.has_errors());
    // The pages' own problems are still found; their figures wait for the statistics.
    if (e.what == "a mistake in stats.json: a colon left out")
      CHECK(has_problem(rebuilt, "stats.syntax"));
    if (e.what == "a figure misspelt while stats.json cannot be read") {
      CHECK(has_problem(rebuilt, "stats.syntax"));
      CHECK_FALSE(has_problem(rebuilt, "figure.unknown"));
    }
    if (e.what == "the colon put back") {
      CHECK_FALSE(has_problem(rebuilt, "stats.syntax"));
      CHECK(has_problem_in(rebuilt, "figure.unknown", parent));
    }
    if (e.what == "the misspelling put right") CHECK_FALSE(rebuilt.diags.has_errors());
    // The abbreviations the glossary explains wait for it, not reported as unexplained.
    if (e.what == "a mistake in glossary.json: a colon left out") {
      CHECK(has_problem(rebuilt, "glossary.syntax"));
      CHECK_FALSE(has_problem(rebuilt, "glossary.undefined"));
    }
    if (e.what == "the glossary's colon put back") CHECK_FALSE(rebuilt.diags.has_errors());
    CHECK(&builder.current() == &rebuilt);
  }
}

TEST_CASE("a rebuild shows an edit and a data update in every edition") {
  example_copy site;
  incremental_builder builder(site.dir());
  builder.build();
  site.replace("content/data/stats.json", "\"value\": 777", "\"value\": 790");
  const site_run& run = builder.rebuild({"content/data/stats.json"});
  const std::string* formal = run.rendered->out.bytes("index.html");
  const std::string* young = run.rendered->out.bytes("young/index.html");
  REQUIRE(formal != nullptr);
  REQUIRE(young != nullptr);
  CHECK(formal->find(">790<") != std::string::npos);
  CHECK(young->find(">790<") != std::string::npos);
  CHECK(formal->find(">777<") == std::string::npos);
}

TEST_CASE(
    "in a long edition a title edit renders the pages near it again and equals a full build") {
  example_copy site;
  // 30 more sections of the full strategy: its navigation then lists the pages near each page.
  for (int n = 20; n < 50; ++n) {
    std::string num = std::to_string(n);
    site.write("content/pages/" + num + "-extra-" + num + ".md",
               "---\ntitle: Extra " + num + "\neditions: [formal]\n---\nMore to read.\n");
  }
  incremental_builder builder(site.dir());
  builder.build();
  const std::string extra = "content/pages/35-extra-35.md";
  site.replace(extra, "title: Extra 35", "title: Extra thirty-five");
  check_equal_to_full_build(builder.rebuild({extra}), site.dir());
  // The page, the five either side of it and the home page: not all 49 of the edition.
  CHECK(builder.pages_rendered() == 1 + 2 * nav_near_either_side + 1);
  // The home page's title is on every page of its edition.
  site.replace("content/pages/index.md", "nav_title: Home", "nav_title: Start");
  check_equal_to_full_build(builder.rebuild({"content/pages/index.md"}), site.dir());
  CHECK(builder.pages_rendered() >= 49);
}

TEST_CASE("a rebuild told only of folders, as after lost events, equals a full build") {
  example_copy site;
  incremental_builder builder(site.dir());
  builder.build();
  const std::string parent = "content/pages/03-being-a-corporate-parent.md";
  struct round {
    std::vector<std::string> told;
    std::function<void()> make;
  };
  std::vector<round> rounds = {
      // inotify's queue overflowed: every watched folder is named, nothing else.
      {{"content", "templates", "themes"},
       [&] {
         site.replace(parent, "title: Being a corporate parent", "title: Our part");
         site.replace("content/data/stats.json", "\"value\": 777", "\"value\": 781");
         site.replace("templates/partials/footer.mustache", "</footer>", "<p>More.</p>\n</footer>");
         site.write("themes/council/assets/style.css",
                    site.read("themes/council/assets/style.css") + "\n.more { margin: 0; }\n");
       }},
      // A folder of pages was added, then removed.
      {{"content/pages"},
       [&] {
         site.write("content/pages/20-extra.md", "---\ntitle: Extra\n---\nMore to read.\n");
         site.write("content/pages/20-extra.young.md", "---\ntitle: Extra\n---\nMore.\n");
       }},
      {{"content/pages"},
       [&] {
         site.remove("content/pages/20-extra.md");
         site.remove("content/pages/20-extra.young.md");
       }},
      {{"templates/partials"},
       [&] { site.replace("templates/partials/footer.mustache", "<p>More.</p>\n", ""); }},
      {{"themes"}, [&] { site.remove("themes/bright"); }},
  };
  for (std::size_t n = 0; n < rounds.size(); ++n) {
    CAPTURE(n);
    rounds[n].make();
    const site_run& rebuilt = builder.rebuild(rounds[n].told);
    check_equal_to_full_build(rebuilt, site.dir());
  }
  const std::string* young = builder.current().rendered->out.bytes("young/index.html");
  REQUIRE(young != nullptr);
  CHECK(young->find(">781<") != std::string::npos);
}

TEST_CASE("the first build adds every file and a rebuild that changes nothing changes none") {
  example_copy site;
  incremental_builder builder(site.dir());
  const site_run& first = builder.build();
  CHECK(builder.changes().added == first.rendered->out.paths());
  CHECK(builder.changes().changed.empty());
  builder.rebuild({"content/pages/03-being-a-corporate-parent.md"});
  CHECK(builder.changes().empty());
  builder.rebuild({"content/data/stats.json"});
  CHECK(builder.changes().empty());
}

TEST_CASE("statistics updates patch figures in running text and equal a full build") {
  example_copy site;
  const std::string parent = "content/pages/03-being-a-corporate-parent.md";
  const std::string young = "content/pages/03-being-a-corporate-parent.young.md";
  const std::string stats = "content/data/stats.json";
  // Figures where a patch would be wrong: in a heading (its id and the table of contents), in
  // alt text (plain text), a label, and twice in one paragraph.
  site.replace(parent, "## Our approach",
               "## Our {{ care_leavers }} care leavers\n\nWe support {{ care_leavers }} and "
               "{{ care_leavers:about }} care leavers, and {{ uasc }} and {{ uasc }} again.\n\n"
               "## Our approach");
  site.replace(young, "Right now,", "![{{ foster_kinship }} children](media/home.svg) Right now,");
  site.replace(young, "Right now,", "{{ residential_homes:label }} Right now,");
  incremental_builder builder(site.dir());
  REQUIRE(builder.build().rendered.has_value());

  struct edit {
    std::string what;
    std::string from, to;
    bool patches;  // some page is patched instead of rendered
  };
  const std::vector<edit> edits = {
      {"a figure in running text (and in cards and a chart elsewhere)", "\"value\": 777",
       "\"value\": 1790", true},
      {"again, to a longer number", "\"value\": 1790", "\"value\": 123456", true},
      {"a figure in a heading", "\"value\": 702", "\"value\": 703", false},
      {"a figure shown twice in one paragraph", "\"value\": 14,", "\"value\": 15,", true},
      {"a figure in alt text", "\"value\": 18,", "\"value\": 19,", false},
      // The same figure updated again: its page is rendered a second time.
      {"the figure in alt text again", "\"value\": 19,", "\"value\": 20,", false},
      {"a figure shown as a label", "living in residential children's homes",
       "living in children's homes", false},
      {"a figure in a chart", "\"value\": 41.2", "\"value\": 42.5", false},
      {"the date of the data", "\"as_of\": \"2025-12-14\"", "\"as_of\": \"2025-12-15\"", false},
      {"back after the date", "\"value\": 123456", "\"value\": 777", true},
      // "none" in ten brings a warning, and takes it away again.
      {"a share in ten down to none", "\"value\": 7,\n      \"unit\"",
       "\"value\": 0,\n      \"unit\"", false},
      {"the share back from none", "\"value\": 0,\n      \"unit\"", "\"value\": 7,\n      \"unit\"",
       false},
  };
  for (const edit& e : edits) {
    CAPTURE(e.what);
    site.replace(stats, e.from, e.to);
    const site_run& run = builder.rebuild({stats});
    REQUIRE(run.rendered.has_value());
    check_equal_to_full_build(run, site.dir());
    if (e.patches) CHECK(builder.pages_patched() > 0);
  }
}

TEST_CASE(
    "a page rendered again after a statistics update shows the new figures, not ones "
    "its thread remembers") {
  // On one thread, every render is on the thread that rendered the page before.
  struct one_thread {
    const char* before = std::getenv("TANDEM_THREADS");
    const std::string saved = before ? before : "";
    one_thread() { ::setenv("TANDEM_THREADS", "1", 1); }
    ~one_thread() {
      if (before)
        ::setenv("TANDEM_THREADS", saved.c_str(), 1);
      else
        ::unsetenv("TANDEM_THREADS");
    }
  } on_one_thread;
  example_copy site;
  const std::string young = "content/pages/03-being-a-corporate-parent.young.md";
  const std::string stats = "content/data/stats.json";
  // In alt text: the page is rendered again rather than patched.
  site.replace(young, "Right now,", "![{{ foster_kinship }} children](media/home.svg) Right now,");
  incremental_builder builder(site.dir());
  REQUIRE(builder.build().rendered.has_value());
  for (const auto& [from, to] :
       {std::pair<std::string, std::string>{"\"value\": 18,", "\"value\": 19,"},
        {"\"value\": 19,", "\"value\": 20,"}}) {
    CAPTURE(to);
    site.replace(stats, from, to);
    const site_run& run = builder.rebuild({stats});
    REQUIRE(run.rendered.has_value());
    CHECK(builder.pages_rendered() > 0);
    check_equal_to_full_build(run, site.dir());
  }
}

TEST_CASE("layouts that also show a body escaped are rendered in full, not patched or spliced") {
  example_copy site;
  const std::string stats = "content/data/stats.json";
  // The page body a second time, escaped (as a template might for a share text), and each
  // print section's content the same way.
  site.replace("templates/page.mustache", "{{{page.content}}}",
               "{{{page.content}}}\n<template>{{page.content}}</template>");
  site.replace("templates/print.mustache", "{{{content}}}",
               "{{{content}}}\n<template>{{content}}</template>");
  incremental_builder builder(site.dir());
  const site_run& first = builder.build();
  REQUIRE(first.rendered.has_value());
  check_equal_to_full_build(first, site.dir());
  const std::string* print = first.rendered->out.bytes("print/index.html");
  REQUIRE(print != nullptr);
  CHECK(print->find("tandem:print-section") == std::string::npos);
  CHECK(print->find("&lt;p&gt;") != std::string::npos);  // the sections, escaped, in full

  site.replace(stats, "\"value\": 777", "\"value\": 1790");
  const site_run& run = builder.rebuild({stats});
  REQUIRE(run.rendered.has_value());
  check_equal_to_full_build(run, site.dir());
  CHECK(builder.pages_patched() == 0);
}
