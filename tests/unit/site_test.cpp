// End-to-end: the example strategy, built through the same entry points as the command line.
#include <doctest/doctest.h>

#include <stdlib.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "fs.hpp"
#include "site.hpp"
#include "stats.hpp"
#include "temp_site.hpp"

using namespace tandem;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// A copy of the example site's content, for a test to build and edit.
struct example_copy : testing::temp_site {
  example_copy() { copy_example(); }
  json stats() const { return json::parse(read("content/data/stats.json")); }
  void write_stats(const json& stats) const { write("content/data/stats.json", stats.dump(2)); }
};

// The options that build `site` into its own public/ folder.
build_options public_options(const fs::path& site) {
  build_options opts;
  opts.site_dir = site;
  opts.out_dir = site / "public";
  return opts;
}

// Builds `site` into its public/ folder, the first build of a test, which must succeed: the
// options, to build it again once the test has changed it.
build_options first_build(const fs::path& site) {
  build_options opts = public_options(site);
  std::ostringstream out, err;
  REQUIRE_MESSAGE(run_build(opts, out, err) == 0, err.str());
  return opts;
}

std::map<std::string, std::string> html_pages(const fs::path& out) {
  std::map<std::string, std::string> pages;
  for (const auto& rel : list_files(out))
    if (rel.size() > 5 && rel.substr(rel.size() - 5) == ".html")
      pages[rel] = read_file(out / rel).value_or("");
  return pages;
}

// A different value of the same unit for every figure, so that nothing old can hide.
double changed_value(double old, const std::string& unit) {
  if (unit == "percent") return old <= 90 ? std::round((old + 7.3) * 10) / 10 : old - 7.3;
  if (unit == "number") return old + 1.5;
  return old + 13;
}

}  // namespace

TEST_CASE("after a data update every page of every edition shows the new figures, none the old") {
  example_copy copy;
  const fs::path& site = copy.dir();
  build_options opts = first_build(site);

  // Remember what the old build showed, then change every figure in stats.json.
  json stats = copy.stats();
  std::map<std::string, std::string> old_text, new_value_text;
  for (auto& [key, f] : stats["figures"].items()) {
    std::string unit = f.value("unit", "count");
    figure old_figure;
    old_figure.key = key;
    old_figure.value = f["value"].get<double>();
    old_figure.unit = unit == "percent"  ? figure_unit::percent
                      : unit == "number" ? figure_unit::number
                                         : figure_unit::count;
    old_text[key] = format_figure(old_figure, figure_format::plain).value();
    double now = changed_value(f["value"].get<double>(), unit);
    if (now == std::floor(now))
      f["value"] = static_cast<long long>(now);
    else
      f["value"] = now;
    new_value_text[key] = f["value"].dump();
  }
  copy.write_stats(stats);

  std::ostringstream out2, err2;
  REQUIRE_MESSAGE(run_build(opts, out2, err2) == 0, err2.str());
  CHECK(out2.str().find("Figures changed since the last build:") != std::string::npos);
  CHECK(out2.str().find("children_in_care: 777 -> 790") != std::string::npos);

  auto pages = html_pages(site / "public");
  REQUIRE(pages.count("index.html"));
  REQUIRE(pages.count("young/index.html"));
  static const std::regex data_tag(R"re(<data value="([^"]*)" data-figure="([a-z0-9_]+)")re");
  std::set<std::string> editions_showing;
  std::size_t shown = 0;
  for (const auto& [path, html] : pages) {
    for (auto it = std::sregex_iterator(html.begin(), html.end(), data_tag);
         it != std::sregex_iterator(); ++it) {
      std::string value = (*it)[1], key = (*it)[2];
      if (!new_value_text.count(key)) continue;  // breakdown parts carry their own keys
      CHECK_MESSAGE(value == new_value_text[key], path << " shows " << key << " = " << value);
      editions_showing.insert(path.rfind("young/", 0) == 0 ? "young" : "formal");
      ++shown;
    }
    for (const auto& [key, text] : old_text) {
      // Short numbers ("4") occur naturally in dates; long ones and percents must be gone.
      if (text.size() < 3 && text.find('%') == std::string::npos) continue;
      static const std::regex tags("<[^>]*>");
      std::string visible = std::regex_replace(html, tags, " ");
      std::regex old_number("(^|[^0-9.,])" +
                            std::regex_replace(text, std::regex(R"([.%])"), R"(\$&)") +
                            "($|[^0-9])");
      CHECK_MESSAGE(!std::regex_search(visible, old_number),
                    path << " still shows the old value of " << key << ": " << text);
    }
  }
  CHECK(shown > 10);
  CHECK(editions_showing == std::set<std::string>{"formal", "young"});
}

TEST_CASE("the figures that changed are listed whether figures.json is as written or rewritten") {
  example_copy copy;
  const fs::path& site = copy.dir();
  build_options opts = public_options(site);
  const json original = copy.stats();
  for (bool rewritten : {false, true}) {
    CAPTURE(rewritten);
    copy.write_stats(original);
    std::ostringstream out, err;
    REQUIRE_MESSAGE(run_build(opts, out, err) == 0, err.str());
    if (rewritten) {
      // The same manifest on one line, "values" before "uses": another tool saved it.
      json manifest = json::parse(read_file(site / "public/figures.json").value());
      std::ofstream(site / "public/figures.json")
          << "{\"values\":" << manifest["values"].dump() << ",\"uses\":" << manifest["uses"].dump()
          << ",\"as_of\":" << manifest["as_of"].dump() << "}";
    }
    json stats = original;
    stats["figures"]["children_in_care"]["value"] = 790;
    copy.write_stats(stats);
    std::ostringstream out2, err2;
    REQUIRE_MESSAGE(run_build(opts, out2, err2) == 0, err2.str());
    CHECK(out2.str().find("children_in_care: 777 -> 790") != std::string::npos);
  }
}

namespace {

// A small site for the change summary: two editions, each with a print page. children_in_care
// is shown on all four pages, meetings and foster_care on the formal numbers page only, the
// ethnicity chart on both numbers pages; spare on none.
class summary_site : public testing::temp_site {
 public:
  summary_site() {
    write("content/site.json", R"({ "title": "Summary test", "language": "en-GB",
  "base_url": "https://example.org/s/",
  "editions": [ { "id": "formal", "name": "Full strategy", "path": "" },
                { "id": "young", "name": "Young", "path": "young" } ] })");
    stats = json::parse(R"({ "as_of": "2025-12-14", "source": "Performance data",
  "figures": {
    "children_in_care": { "label": "children looked after", "value": 777 },
    "foster_care": { "label": "children living with foster carers", "value": 41.2,
                     "unit": "percent" },
    "meetings": { "label": "board meetings a year", "value": 4 },
    "spare": { "label": "shown nowhere", "value": 5 } },
  "breakdowns": {
    "ethnicity": { "label": "Children in care by ethnicity", "unit": "percent",
      "parts": [ { "label": "White, White British", "value": 72 },
                 { "label": "Mixed", "value": 7.4 }, { "label": "Other", "value": 20.6 } ] } } })");
    write("content/pages/index.md",
          "---\ntitle: Welcome\n---\nWe look after {{ children_in_care }} children.\n");
    write("content/pages/index.young.md",
          "---\ntitle: Hello\n---\nWe look after {{ children_in_care }} children.\n");
    write("content/pages/01-numbers.md",
          "---\ntitle: Numbers\n---\n{{ cards children_in_care meetings }}\n\n"
          "{{ chart foster_care }}\n\n{{ chart ethnicity }}\n");
    write("content/pages/01-numbers.young.md",
          "---\ntitle: Numbers\n---\n{{ cards children_in_care }}\n\n{{ chart ethnicity }}\n");
  }
  fs::path out() const { return dir() / "public"; }

  // Writes `stats` to stats.json and builds into out(): what the build printed after its first
  // line (the summary of changed figures, or nothing), without the note on the date of the
  // figures, which date_note() gives.
  std::string build() {
    write("content/data/stats.json", stats.dump(2));
    build_options opts = public_options(dir());
    std::ostringstream said, err;
    int code = run_build(opts, said, err);
    CHECK_MESSAGE(code == 0, err.str());
    std::string text = said.str();
    text = text.substr(std::min(text.size(), text.find('\n') + 1));
    auto note = text.find("The date of the figures is still");
    last_note = note == std::string::npos ? "" : text.substr(note);
    return text.substr(0, note);
  }
  // The note on the date of the figures the last build() printed, or "".
  const std::string& date_note() const { return last_note; }

  json stats;
  std::string last_note;
};

const std::string summary_heading = "Figures changed since the last build:\n";

}  // namespace

TEST_CASE("a breakdown's changed, added, removed, renamed and reordered parts are listed") {
  summary_site site;
  site.build();  // the first: nothing to compare with
  json& parts = site.stats["breakdowns"]["ethnicity"]["parts"];
  const std::string shown = " (shown on 2 pages and 2 print pages)\n";

  parts[1]["value"] = 8;
  parts[2]["value"] = 20;
  CHECK(site.build() ==
        summary_heading + "  ethnicity: \"Mixed\" 7.4% -> 8%; \"Other\" 20.6% -> 20%" + shown);
  CHECK(site.build() == "");  // built again unchanged

  parts.erase(0);
  parts.push_back({{"label", "Gypsy, Roma"}, {"value", 0.5}});
  CHECK(site.build() == summary_heading +
                            "  ethnicity: \"Gypsy, Roma\" 0.5% added; \"White, White British\" "
                            "72% removed" +
                            shown);

  parts[1]["label"] = "Any other";
  site.stats["breakdowns"]["ethnicity"]["label"] = "Children in care, by ethnicity";
  CHECK(site.build() == summary_heading +
                            "  ethnicity: label \"Children in care by ethnicity\" -> \"Children in "
                            "care, by ethnicity\"; \"Other\" 20% -> \"Any other\" 20%" +
                            shown);

  std::swap(parts[0], parts[2]);
  CHECK(site.build() == summary_heading + "  ethnicity: parts in a new order" + shown);

  // Many changes: the first three, then how many more.
  for (auto& part : parts) part["value"] = part["value"].get<double>() + 1;
  parts.push_back({{"label", "Black"}, {"value", 1}});
  parts.push_back({{"label", "Asian"}, {"value", 2}});
  CHECK(site.build() == summary_heading +
                            "  ethnicity: \"Gypsy, Roma\" 0.5% -> 1.5%; \"Any other\" 20% -> 21%; "
                            "\"Mixed\" 8% -> 9%; 2 more parts changed" +
                            shown);

  site.stats["breakdowns"]["ages"] = json::parse(
      R"({ "label": "By age", "unit": "count", "parts": [ { "label": "Under 5", "value": 10 },
           { "label": "5 and over", "value": 90 } ] })");
  CHECK(site.build() ==
        summary_heading + "  ages: new, breakdown of 2 parts (not shown on any page)\n");
  site.stats["breakdowns"]["ages"]["unit"] = "number";
  CHECK(site.build() == summary_heading + "  ages: unit count -> number (not shown on any page)\n");
  site.stats["breakdowns"].erase("ages");
  CHECK(site.build() == summary_heading + "  ages: removed (was a breakdown of 2 parts)\n");
}

TEST_CASE("a figure whose unit or label changed is listed, though its number did not") {
  summary_site site;
  site.build();
  site.stats["figures"]["children_in_care"]["label"] = "children in care";
  site.stats["figures"]["meetings"]["unit"] = "percent";
  site.stats["figures"]["spare"]["value"] = 6;
  CHECK(site.build() == summary_heading +
                            "  children_in_care: label \"children looked after\" -> \"children in "
                            "care\" (shown on 4 pages and 2 print pages)\n"
                            "  meetings: 4 -> 4%; unit count -> percent (shown on 1 page and 1 "
                            "print page)\n"
                            "  spare: 5 -> 6 (not shown on any page)\n");
  // A unit that reads the same is still named: stats.json says something else now.
  site.stats["figures"]["meetings"]["unit"] = "number";
  CHECK(site.build() == summary_heading +
                            "  meetings: 4% -> 4; unit percent -> number (shown on 1 page and 1 "
                            "print page)\n");
  site.stats["figures"]["meetings"]["unit"] = "count";
  CHECK(site.build() ==
        summary_heading + "  meetings: unit number -> count (shown on 1 page and 1 print page)\n");
}

TEST_CASE("a figure a layout shows is counted on the pages it makes, and listed once a place") {
  summary_site site;
  // The page layout shows `spare` on every page it makes (the numbers pages, and one more in
  // the formal edition), and its unit, which is a word and not the figure; the home pages
  // have their own layout.
  site.write("templates/page.mustache",
             "<p>{{figures.spare.text}} {{figures.spare.unit}}</p>\n{{{page.content}}}\n");
  site.write("content/pages/02-more.md",
             "---\ntitle: More\neditions: [formal]\n---\nMore to say.\n");
  site.build();
  site.stats["figures"]["spare"]["value"] = 6;
  // Not the print pages: they show the pages' bodies, not their layout.
  CHECK(site.build() == summary_heading + "  spare: 5 -> 6 (shown on 3 pages)\n");

  build_options opts = public_options(site.dir());
  std::ostringstream out, err;
  REQUIRE_MESSAGE(run_figures(opts, out, err) == 0, err.str());
  std::string said = out.str();
  auto listed = said.substr(said.find("spare = 6"));
  listed = listed.substr(0, listed.find("\nethnicity"));
  CHECK(listed ==
        "spare = 6  (shown nowhere)\n"
        "    templates/page.mustache:1:4  formal  plain  \"6\"  (on 2 pages)\n"
        "    templates/page.mustache:1:4  young  plain  \"6\"");

  json manifest = json::parse(read_file(site.out() / "figures.json").value());
  std::vector<std::string> uses;
  for (const json& use : manifest["uses"])
    if (use["key"] == "spare")
      uses.push_back(use["page"].get<std::string>() + " " + use["source"].get<std::string>() + ":" +
                     std::to_string(use["line"].get<int>()) + " " + use["text"].get<std::string>());
  CHECK(uses == std::vector<std::string>{"numbers/index.html templates/page.mustache:1 6",
                                         "more/index.html templates/page.mustache:1 6",
                                         "young/numbers/index.html templates/page.mustache:1 6"});
}

TEST_CASE("new numbers under the old date are followed by a note to change the date") {
  summary_site site;
  site.build();
  const std::string note =
      "The date of the figures is still 14 December 2025: if these are new figures, change "
      "as_of in content/data/stats.json to the date they are from.\n";
  site.stats["figures"]["children_in_care"]["value"] = 790;
  CHECK(site.build() ==
        summary_heading + "  children_in_care: 777 -> 790 (shown on 4 pages and 2 print pages)\n");
  CHECK(site.date_note() == note);
  site.stats["breakdowns"]["ethnicity"]["parts"][1]["value"] = 8;
  site.stats["breakdowns"]["ethnicity"]["parts"][2]["value"] = 20;
  site.build();
  CHECK(site.date_note() == note);
  // Not for a label, nor parts in a new order: no new numbers.
  site.stats["figures"]["children_in_care"]["label"] = "children in care";
  auto& parts = site.stats["breakdowns"]["ethnicity"]["parts"];
  std::swap(parts[0], parts[2]);
  CHECK_FALSE(site.build().empty());
  CHECK(site.date_note().empty());
  // Not when the date changes with them.
  site.stats["figures"]["children_in_care"]["value"] = 800;
  site.stats["as_of"] = "2026-03-31";
  CHECK_FALSE(site.build().empty());
  CHECK(site.date_note().empty());
}

TEST_CASE("a new date or source of the data is listed") {
  summary_site site;
  site.build();
  site.stats["as_of"] = "2026-03-31";
  site.stats["source"] = "Performance data, March return";
  CHECK(site.build() ==
        summary_heading +
            "  as_of: 14 December 2025 -> 31 March 2026\n"
            "  source: \"Performance data\" -> \"Performance data, March return\"\n");
  site.stats.erase("source");
  CHECK(site.build() == summary_heading + "  source: \"Performance data, March return\" -> none\n");
}

TEST_CASE("a figures.json edited by hand into other types says nothing wrong of them") {
  summary_site site;
  site.build();
  json manifest = json::parse(read_file(site.out() / "figures.json").value());
  manifest["values"]["children_in_care"]["text"] = 5;
  manifest["values"]["children_in_care"]["label"] = 7;
  manifest["breakdowns"]["ethnicity"] = {{"label", 5}, {"parts", {{{"label", 1}, {"value", "x"}}}}};
  manifest["as_of"] = 2025;
  std::ofstream(site.out() / "figures.json") << manifest.dump(2) << "\n";
  site.stats["figures"]["children_in_care"]["value"] = 790;
  site.stats["figures"]["children_in_care"]["label"] = "children in care";
  site.stats["breakdowns"]["ethnicity"]["parts"][1]["value"] = 8;
  // The number as it was is read from its value; the label and the breakdown are unknown.
  CHECK(site.build() ==
        summary_heading + "  children_in_care: 777 -> 790 (shown on 4 pages and 2 print pages)\n");
}

TEST_CASE("a figures.json from before it held breakdowns and the source says nothing of them") {
  for (bool rewritten : {false, true}) {
    CAPTURE(rewritten);
    summary_site site;
    site.build();
    // As an older tandem wrote it (and, rewritten, on one line by another tool).
    json manifest = json::parse(read_file(site.out() / "figures.json").value());
    REQUIRE(manifest.contains("breakdowns"));
    manifest.erase("breakdowns");
    manifest.erase("source");
    std::ofstream(site.out() / "figures.json") << manifest.dump(rewritten ? -1 : 2) << "\n";
    site.stats["breakdowns"]["ethnicity"]["parts"][1]["value"] = 8;
    site.stats["source"] = "Other data";
    site.stats["figures"]["children_in_care"]["label"] = "children in care";
    CHECK(site.build() == summary_heading +
                              "  children_in_care: label \"children looked after\" -> "
                              "\"children in care\" (shown on 4 pages and 2 print pages)\n");
    // The file this build wrote holds them: the next change is listed.
    site.stats["breakdowns"]["ethnicity"]["parts"][1]["value"] = 9;
    CHECK(site.build() == summary_heading +
                              "  ethnicity: \"Mixed\" 8% -> 9% (shown on 2 pages and 2 print "
                              "pages)\n");
  }
}

TEST_CASE("the pages counted for a changed figure are the pages that show it, print pages apart") {
  example_copy copy;
  const fs::path& site = copy.dir();
  build_options opts = first_build(site);
  json stats = copy.stats();
  stats["figures"]["children_in_care"]["value"] = 790;
  stats["breakdowns"]["children_ethnicity"]["parts"][0]["label"] = "White";
  copy.write_stats(stats);
  std::ostringstream out2, err2;
  REQUIRE_MESSAGE(run_build(opts, out2, err2) == 0, err2.str());
  // Counted from the HTML: the pages whose markup holds the key, and the print pages apart.
  auto shown_on = [&](const std::string& key) {
    std::size_t pages = 0, print_pages = 0;
    for (const auto& [path, html] : html_pages(site / "public")) {
      if (html.find("data-figure=\"" + key + "\"") == std::string::npos) continue;
      bool print = path == "print/index.html" ||
                   (path.size() > 17 && path.substr(path.size() - 17) == "/print/index.html");
      ++(print ? print_pages : pages);
    }
    return "(shown on " + std::to_string(pages) + " pages and " + std::to_string(print_pages) +
           " print pages)";
  };
  std::string said = out2.str();
  CHECK(said.find("  children_in_care: 777 -> 790 " + shown_on("children_in_care") + "\n") !=
        std::string::npos);
  CHECK(said.find("  children_ethnicity: \"White, White British\" 72% -> \"White\" 72% " +
                  shown_on("children_ethnicity") + "\n") != std::string::npos);
}

TEST_CASE("the build's summary counts the pages and the print pages it wrote") {
  example_copy site;
  build_options opts = public_options(site.dir());
  std::ostringstream out, err;
  REQUIRE_MESSAGE(run_build(opts, out, err) == 0, err.str());
  std::size_t pages = 0, print_pages = 0;
  for (const auto& [rel, html] : html_pages(opts.out_dir)) {
    if (rel.size() < 10 || rel.substr(rel.size() - 10) != "index.html") continue;
    bool print = rel == "print/index.html" || rel.find("/print/index.html") != std::string::npos;
    ++(print ? print_pages : pages);
  }
  CHECK(print_pages == 2);
  CHECK(out.str().rfind("Built 2 editions, " + std::to_string(pages) + " pages and " +
                            std::to_string(print_pages) + " print pages, ",
                        0) == 0);
}

TEST_CASE("a build with an unknown figure exits 1 and leaves the published site unchanged") {
  example_copy copy;
  const fs::path& site = copy.dir();
  build_options opts = first_build(site);
  auto before = html_pages(site / "public");

  fs::path page = site / "content/pages/index.md";
  std::string text = read_file(page).value();
  std::ofstream(page) << text << "\nWe look after {{ children_in_kare }} children.\n";
  std::ostringstream out2, err2;
  CHECK(run_build(opts, out2, err2) == 1);
  CHECK(err2.str().find("content/pages/index.md:") != std::string::npos);
  CHECK(err2.str().find("did you mean 'children_in_care'") != std::string::npos);
  CHECK(err2.str().find("[figure.unknown]") != std::string::npos);
  CHECK(html_pages(site / "public") == before);
  // The pages it wrote as it rendered them are gone with the folder they were written into.
  std::set<std::string> beside;
  for (const auto& entry : fs::directory_iterator(site)) beside.insert(entry.path().filename());
  CHECK(beside == std::set<std::string>{"content", "public"});
}

namespace {

// Builds `site` on one thread and on four, and checks that both wrote what it renders to in
// memory.
void check_build_equals_render(const fs::path& site) {
  build_options opts;
  opts.site_dir = site;
  auto build_with = [&](const char* threads, const fs::path& out_dir) {
    ::setenv("TANDEM_THREADS", threads, 1);
    opts.out_dir = out_dir;
    std::ostringstream out, err;
    int code = run_build(opts, out, err);
    ::unsetenv("TANDEM_THREADS");
    REQUIRE_MESSAGE(code == 0, err.str());
  };
  build_with("1", site / "one");
  build_with("4", site / "many");
  site_run memory = load_and_render(site);
  REQUIRE(memory.rendered);
  const output_tree& tree = memory.rendered->out;
  CHECK(list_files(site / "one") == tree.paths());
  CHECK(list_files(site / "many") == tree.paths());
  for (const auto& [path, entry] : tree.entries()) {
    std::string expected =
        entry.copy_from.empty() ? entry.bytes : read_file(entry.copy_from).value_or("?");
    CHECK_MESSAGE(read_file(site / "one" / path) == expected, path);
    CHECK_MESSAGE(read_file(site / "many" / path) == expected, path);
  }
}

}  // namespace

TEST_CASE("a build writes what the site renders to in memory, the same on one thread and many") {
  example_copy copy;
  const fs::path& site = copy.dir();
  check_build_equals_render(site);
}

TEST_CASE("print pages are the same built or rendered in memory, whatever the layouts show") {
  // A written page's print section is made from its file when the page shows its body as
  // rendered; these layouts show it escaped (so it is kept instead), and a print layout that
  // shows each section twice is rendered whole rather than from its skeleton.
  example_copy copy;
  const fs::path& site = copy.dir();
  fs::create_directories(site / "templates");
  std::ofstream(site / "templates/print.mustache")
      << "<!DOCTYPE html><html lang=\"en\"><head><title>All</title></head><body><main>"
         "{{#sections}}<section id=\"{{anchor}}\"><h1>{{title}}</h1>{{{content}}}"
         "<pre>{{content}}</pre></section>{{/sections}}</main></body></html>\n";
  check_build_equals_render(site);
  std::string whole = read_file(site / "one/print/index.html").value_or("");
  CHECK(whole.find("&lt;p&gt;") != std::string::npos);  // a section's content, escaped
  std::ofstream(site / "templates/page.mustache")
      << "<!DOCTYPE html><html lang=\"en\"><head><title>{{page.title}}</title></head><body>"
         "<main><pre>{{page.content}}</pre></main></body></html>\n";
  fs::remove(site / "templates/print.mustache");
  check_build_equals_render(site);
}

TEST_CASE("checking a site finds what building it finds, keeping no page's HTML") {
  example_copy copy;
  const fs::path& site = copy.dir();
  {
    std::ofstream bad(site / "content/pages/90-mistakes.md");
    bad << "---\ntitle: Mistakes\n---\nA [broken link](nowhere.md) and "
           "[a missing heading](index.md#no-such-heading), {{ no.such.figure }}.\n";
  }
  auto listed = [](const site_run& run) {
    std::vector<std::string> all;
    for (const diagnostic& d : run.diags.sorted())
      all.push_back(d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.col) + " " +
                    d.id + " " + d.message);
    return all;
  };
  for (bool broken : {true, false}) {
    CAPTURE(broken);
    if (!broken) fs::remove(site / "content/pages/90-mistakes.md");
    site_run rendered = load_and_render(site);
    site_run checked = load_and_check(site);
    REQUIRE(checked.model);
    CHECK(listed(checked) == listed(rendered));
    CHECK(checked.diags.has_errors() == broken);
    if (broken) continue;
    REQUIRE(rendered.rendered);
    REQUIRE(checked.rendered);
    const output_tree& kept = rendered.rendered->out;
    const output_tree& dropped = checked.rendered->out;
    CHECK(dropped.paths() == kept.paths());
    REQUIRE(checked.rendered->pages.size() == rendered.rendered->pages.size());
    CHECK(checked.rendered->pages.size() > 30);
    for (const page_record& page : checked.rendered->pages) {
      CAPTURE(page.output_path);
      CHECK(kept.bytes(page.output_path) != nullptr);
      CHECK(dropped.bytes(page.output_path) == nullptr);
    }
    // Every figure's uses, as `tandem figures` lists them.
    auto uses_of = [](const site_run& run) {
      std::vector<std::string> uses;
      for (const page_record& page : run.rendered->pages)
        for (const figure_use& u : page.figures)
          uses.push_back(page.output_path + " " + u.key + " " + u.text + " " + u.file + ":" +
                         std::to_string(u.line) + ":" + std::to_string(u.col));
      return uses;
    };
    CHECK(uses_of(checked) == uses_of(rendered));
    CHECK(uses_of(checked).size() > 20);
    CHECK(dropped.bytes("figures.json") == nullptr);
  }
}

TEST_CASE("commands that leave their memory for the process's exit say and write the same") {
  // The command line's build, check and figures leave their run for the system to take back
  // at exit (build_options::free_memory). The sanitizer build's leak checker runs this test
  // too: what is left must stay reachable.
  example_copy copy;
  const fs::path& site = copy.dir();
  struct said {
    int code;
    std::string out, err;
  };
  auto command = [&](int (*run)(const build_options&, std::ostream&, std::ostream&), bool free,
                     const fs::path& out_dir) {
    build_options opts;
    opts.site_dir = site;
    opts.out_dir = out_dir;
    opts.free_memory = free;
    std::ostringstream out, err;
    int code = run(opts, out, err);
    std::string printed = std::regex_replace(out.str(), std::regex(" in [0-9]+ ms "), " in - ms ");
    return said{code, printed, err.str()};
  };
  for (auto run : {&run_build, &run_check, &run_figures}) {
    said freed = command(run, true, site / "freed");
    said left = command(run, false, site / "left");
    CHECK(freed.code == exit_ok);
    CHECK(left.code == freed.code);
    CHECK(left.err == freed.err);
    CHECK(left.out == std::regex_replace(freed.out, std::regex("freed"), "left"));
    CHECK_FALSE(freed.out.empty());
  }
  std::vector<std::string> files = list_files(site / "freed");
  CHECK(files.size() > 30);
  CHECK(list_files(site / "left") == files);
  for (const std::string& file : files)
    CHECK_MESSAGE(read_file(site / "left" / file) == read_file(site / "freed" / file), file);

  // A run freed with the caller's other work: its checks' memory goes on a thread of its own.
  site_run run = load_and_render(site);
  REQUIRE(run.spent);
  run.free_spent();
  CHECK_FALSE(run.spent);
}

TEST_CASE("an output folder that is, holds or lies among the site's sources is refused") {
  example_copy copy;
  const fs::path& site = copy.dir();
  std::set<std::string> sources_before;
  for (const auto& rel : list_files(site)) sources_before.insert(rel);
  for (const fs::path& out_dir :
       {site, site.parent_path(), site / "content", site / "content/pages", site / "templates",
        site / "themes/mine", site / "." / "content/.."}) {
    build_options opts;
    opts.site_dir = site;
    opts.out_dir = out_dir;
    std::ostringstream out, err;
    CHECK_MESSAGE(run_build(opts, out, err) == exit_usage, out_dir);
    CHECK(err.str().find("would delete your own files") != std::string::npos);
  }
  std::set<std::string> sources_after;
  for (const auto& rel : list_files(site)) sources_after.insert(rel);
  CHECK(sources_after == sources_before);

  build_options opts = public_options(site);
  std::ostringstream out, err;
  CHECK_MESSAGE(run_build(opts, out, err) == exit_ok, err.str());
}
