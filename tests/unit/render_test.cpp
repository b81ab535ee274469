// Rendering on many threads: the output and the diagnostics must not depend on the number of
// threads, and values no template shows are not built.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gfm.hpp"
#include "model.hpp"
#include "render.hpp"
#include "temp_site.hpp"
#include "templates.hpp"

using namespace tandem;
using tandem::testing::temp_site;
namespace fs = std::filesystem;

namespace {

std::string two_digits(int n) {
  return (n < 10 ? "0" : "") + std::to_string(n);
}

// Forty sections in two editions, with figures, links between sections, glossary terms, and a
// mistake in every seventh section so that diagnostics come from many pages.
void write_many_sections(const temp_site& site) {
  site.write("content/site.json", R"({
  "title": "Many sections", "language": "en-GB", "base_url": "https://example.org/many/",
  "editions": [ { "id": "formal", "name": "Full", "path": "" },
                { "id": "young", "name": "Young", "path": "young" } ] })");
  site.write("content/data/stats.json", R"({ "as_of": "2025-12-14", "figures": {
  "children_in_care": { "label": "children looked after", "value": 777 },
  "foster_care": { "label": "in foster care", "value": 41.2, "unit": "percent" } } })");
  site.write("content/glossary.json",
             R"({ "SYPAC": { "stands_for": "Supporting Young People After Care",
                             "means": "A forum.", "young": "A group." } })");
  site.write("content/pages/index.md", "---\ntitle: Home\n---\nWelcome to {{ as_of }}.\n");
  site.write("content/pages/index.young.md", "---\ntitle: Home\n---\nHello.\n");
  site.write("content/pages/99-glossary.md", "---\ntitle: Words\n---\n{{ glossary }}\n");
  site.write("content/pages/99-glossary.young.md", "---\ntitle: Words\n---\n{{ glossary }}\n");
  for (int n = 1; n <= 40; ++n) {
    std::string stem = two_digits(n) + "-part-" + std::to_string(n);
    std::string next = two_digits(n % 40 + 1) + "-part-" + std::to_string(n % 40 + 1);
    std::string body =
        "## Where we are\n\nWe look after {{ children_in_care }} children and "
        "{{ foster_care:in_ten }} live with carers, with the SYPAC.\n\n"
        "## What comes next\n\nSee [the next part](" +
        next +
        ".md#where-we-are).\n\n| Figure | Now |\n|---|---|\n| "
        "Care | {{ children_in_care:about }} |\n\n"
        // Strikethrough and autolinks: cmark-gfm switches their characters on and off in a
        // table shared by every thread (src/gfm.hpp).
        "We ~~used to~~ meet at www.example.org/meet and ~~no longer~~ do.\n";
    if (n % 7 == 0) body += "\nA mistake: {{ children_in_kare }}.\n";
    site.write("content/pages/" + stem + ".md",
               "---\ntitle: Part " + std::to_string(n) + "\n---\n" + body);
    site.write("content/pages/" + stem + ".young.md",
               "---\ntitle: Part " + std::to_string(n) + " for you\n---\n" + body);
  }
}

struct rendered {
  render_result result;
  diagnostics diags;
};

rendered render_with_threads(const fs::path& dir, unsigned threads) {
  rendered r;
  auto model = load_site(dir, r.diags);
  REQUIRE(model.has_value());
  template_set templates = template_set::load(dir, r.diags);
  render_options options;
  options.threads = threads;
  r.result = render_site(*model, templates, r.diags, options);
  return r;
}

void check_same(const rendered& one, const rendered& many) {
  REQUIRE(one.result.out.paths() == many.result.out.paths());
  for (const auto& [path, entry] : one.result.out.entries()) {
    const auto& other = many.result.out.entries().at(path);
    CHECK_MESSAGE(entry.bytes == other.bytes, path);
    CHECK(entry.copy_from == other.copy_from);
  }
  REQUIRE(one.result.pages.size() == many.result.pages.size());
  for (std::size_t i = 0; i < one.result.pages.size(); ++i) {
    CHECK(one.result.pages[i].output_path == many.result.pages[i].output_path);
    CHECK(one.result.pages[i].figures.size() == many.result.pages[i].figures.size());
  }
  // The same problems in the same order, not only the same set.
  REQUIRE(one.diags.items().size() == many.diags.items().size());
  for (std::size_t i = 0; i < one.diags.items().size(); ++i) {
    const diagnostic& a = one.diags.items()[i];
    const diagnostic& b = many.diags.items()[i];
    CHECK(a.file == b.file);
    CHECK(a.line == b.line);
    CHECK(a.col == b.col);
    CHECK(a.id == b.id);
    CHECK(a.message == b.message);
  }
}

}  // namespace

TEST_CASE("a parallel render is byte-identical to a single-threaded one, problems included") {
  temp_site site;
  write_many_sections(site);
  rendered one = render_with_threads(site.dir(), 1);
  // The site renders, with one unknown figure in each of the 5 sections that have one, in each
  // edition: 10 problems, all reported.
  CHECK(one.result.pages.size() == 84);
  CHECK(one.diags.error_count() == 10);
  const std::string* page = one.result.out.bytes("young/part-3/index.html");
  REQUIRE(page != nullptr);
  CHECK(page->find("<del>used to</del>") != std::string::npos);
  CHECK(page->find("href=\"http://www.example.org/meet\"") != std::string::npos);
  for (unsigned threads : {2u, 3u, 8u, 8u, 8u}) {
    CAPTURE(threads);
    check_same(one, render_with_threads(site.dir(), threads));
  }
  // The renders above parsed on several threads at once, without the parse lock (gfm.hpp).
  CHECK_FALSE(parses_share_a_lock());
}

TEST_CASE("cmark-gfm parses on many threads at once find every strikethrough and autolink") {
  std::string body;
  for (int n = 0; n < 50; ++n)
    body += "Line " + std::to_string(n) + ": we ~~used to~~ meet at www.example.org/" +
            std::to_string(n) + " and | a | table |\n\n| a | b |\n|---|---|\n| ~~c~~ | d |\n\n";
  auto to_html = [&] {
    parser_ptr parser = new_gfm_parser(CMARK_OPT_DEFAULT);
    node_ptr document = parse_gfm(parser.get(), body);
    char* html = cmark_render_html(document.get(), CMARK_OPT_DEFAULT, nullptr);
    std::string out(html);
    gfm_memory()->free(html);  // from the parser's allocator
    return out;
  };
  const std::string expected = to_html();
  CHECK(expected.find("<del>used to</del>") != std::string::npos);
  CHECK(expected.find("<a href=\"http://www.example.org/49\">") != std::string::npos);
  CHECK_FALSE(parses_share_a_lock());
  std::atomic<int> different{0};
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < 8; ++t)
      threads.emplace_back([&] {
        for (int i = 0; i < 40; ++i)
          if (to_html() != expected) ++different;
      });
  }
  CHECK(different == 0);
}

TEST_CASE("pages rendered before every heading is known link to headings as if after") {
  // Each page is rendered as soon as it is parsed, and its links to headings checked once
  // every page is: links in both directions, to its own headings, and mistakes, come out as if
  // every page had been parsed first.
  temp_site site;
  write_many_sections(site);
  site.write("content/pages/50-plain.md",
             "---\ntitle: Plain\n---\n## A heading here\n\nNo anchors: [home](index.md), "
             "[up](#a-heading-here), [up, misspelt](#a-heading-hree).\n");
  site.write("content/pages/51-linking.md",
             "---\ntitle: Linking\n---\nSee [that](50-plain.md#a-heading-here), "
             "[this](52-late.md#late-heading) and [a typo](50-plain.md#a-heading-her).\n");
  site.write("content/pages/52-late.md",
             "---\ntitle: Late\n---\n## Late heading\n\n[Back](51-linking.md).\n");
  for (unsigned threads : {1u, 2u, 8u}) {
    CAPTURE(threads);
    rendered r = render_with_threads(site.dir(), threads);
    const std::string* linking = r.result.out.bytes("linking/index.html");
    REQUIRE(linking != nullptr);
    CHECK(linking->find("href=\"../plain/index.html#a-heading-here\"") != std::string::npos);
    CHECK(linking->find("href=\"../late/index.html#late-heading\"") != std::string::npos);
    std::vector<std::string> typos;
    for (const diagnostic& d : r.diags.sorted())
      if (d.id == "link.broken")
        typos.push_back(d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.col) + " " +
                        d.message.substr(0, d.message.find(';')));
    CHECK(typos == std::vector<std::string>{
                       "content/pages/50-plain.md:6:54 the link to '#a-heading-hree' leads to a "
                       "heading that is not on this page (did you mean '#a-heading-here'?)",
                       "content/pages/51-linking.md:4:77 the link to '50-plain.md#a-heading-her' "
                       "leads to a heading that is not in content/pages/50-plain.md (did you mean "
                       "'#a-heading-here'?)"});
  }
}

TEST_CASE("the example site renders the same on one thread and on many") {
  fs::path example = fs::path(TANDEM_SOURCE_DIR);
  rendered one = render_with_threads(example, 1);
  CHECK_FALSE(one.diags.has_errors());
  CHECK(one.result.pages.size() > 30);
  check_same(one, render_with_threads(example, 4));
}

TEST_CASE("TANDEM_THREADS sets the number of threads unless the options do") {
  render_options automatic;
  render_options two;
  two.threads = 2;
  ::setenv("TANDEM_THREADS", "3", 1);
  CHECK(render_thread_count(automatic) == 3);
  CHECK(render_thread_count(two) == 2);
  ::setenv("TANDEM_THREADS", "many", 1);
  CHECK(render_thread_count(automatic) >= 1);
  ::unsetenv("TANDEM_THREADS");
}

TEST_CASE("a layout that shows no navigation still gets 'nav' suggested for a misspelling") {
  temp_site site;
  site.write("content/site.json",
             R"({ "title": "T", "editions": [ { "id": "formal", "path": "" } ] })");
  site.write("content/data/stats.json", R"({ "as_of": "2025-12-14", "figures": {} })");
  site.write("content/pages/index.md", "---\ntitle: Home\n---\nHello.\n");
  site.write("content/pages/01-a.md", "---\ntitle: A\n---\nHello.\n");
  site.write("templates/page.mustache", "<h1>{{page.title}}</h1>{{#navv}}x{{/navv}}\n");
  site.write("templates/home.mustache", "<h1>{{page.title}}</h1>\n");
  diagnostics diags;
  auto model = load_site(site.dir(), diags);
  REQUIRE(model.has_value());
  template_set templates = template_set::load(site.dir(), diags);
  CHECK_FALSE(templates.mentions("formal", "page", "nav"));
  CHECK(templates.mentions("formal", "page", "navv"));
  CHECK(templates.mentions("formal", "page", "page"));
  render_site(*model, templates, diags);
  bool suggested = false;
  for (const auto& d : diags.sorted())
    if (d.id == "template.variable" && d.message.find("did you mean 'nav'") != std::string::npos)
      suggested = true;
  CHECK(suggested);
}

TEST_CASE("a layout's figures are checked when stats.json can be read, and wait when it cannot") {
  temp_site site;
  site.write("content/site.json", R"({ "title": "T", "base_url": "https://example.org/",
    "editions": [ { "id": "formal", "path": "" } ] })");
  site.write("content/pages/index.md", "---\ntitle: Home\n---\nHello.\n");
  site.write("templates/home.mustache",
             "<p>{{figures.children_in_care.text}} {{figures.care_leaver.text}} {{pgae.title}}"
             "</p>\n");
  auto problems = [&](const std::string& stats) {
    site.write("content/data/stats.json", stats);
    diagnostics diags;
    auto model = load_site(site.dir(), diags);
    REQUIRE(model.has_value());
    template_set templates = template_set::load(site.dir(), diags);
    render_site(*model, templates, diags);
    std::vector<std::string> found;
    for (const auto& d : diags.sorted())
      found.push_back(d.id + " " + d.message.substr(0, d.message.find(' ', 1)));
    return found;
  };
  // Read: the misspelt figure is named, as is the misspelt page value.
  CHECK(problems(R"({ "as_of": "2025-12-14", "figures": {
      "children_in_care": { "label": "children looked after", "value": 777 } } })") ==
        std::vector<std::string>{"template.variable 'figures.care_leaver.text'",
                                 "template.variable 'pgae.title'"});
  // Not read (a colon left out): stats.json's own error, and the page value; no figure.
  CHECK(problems(R"({ "as_of": "2025-12-14", "figures": {
      "children_in_care": { "label" "children looked after", "value": 777 } } })") ==
        std::vector<std::string>{"stats.syntax expected", "template.variable 'pgae.title'"});
}

TEST_CASE("the lists of editions are there for layouts that show them, and suggested to others") {
  temp_site site;
  site.write("content/site.json", R"({ "title": "T", "editions": [
    { "id": "formal", "name": "Full", "path": "" },
    { "id": "young", "name": "Young", "path": "young" } ] })");
  site.write("content/data/stats.json", R"({ "as_of": "2025-12-14", "figures": {} })");
  for (const char* page : {"index", "01-a"}) {
    site.write(std::string("content/pages/") + page + ".md", "---\ntitle: A\n---\nHello.\n");
    site.write(std::string("content/pages/") + page + ".young.md", "---\ntitle: A\n---\nHi.\n");
  }
  site.write("templates/page.mustache",
             "<p>{{#editions}}{{name}}={{url}};{{/editions}}|"
             "{{#other_editions}}{{name}}={{url}};{{/other_editions}}|"
             "{{has_other_editions}}{{#primary_edition}}{{name}}{{/primary_edition}}</p>\n");
  site.write("templates/home.mustache", "<p>{{#editons}}x{{/editons}}</p>\n");
  diagnostics diags;
  auto model = load_site(site.dir(), diags);
  REQUIRE(model.has_value());
  template_set templates = template_set::load(site.dir(), diags);
  render_result result = render_site(*model, templates, diags);
  const std::string* page = result.out.bytes("young/a/index.html");
  REQUIRE(page != nullptr);
  CHECK(page->find(
            "<p>Full=../../a/index.html;Young=index.html;|Full=../../a/index.html;|Full</p>") !=
        std::string::npos);
  bool suggested = false;
  for (const auto& d : diags.sorted())
    if (d.id == "template.variable" &&
        d.message.find("did you mean 'editions'?") != std::string::npos)
      suggested = true;
  CHECK(suggested);
}

TEST_CASE("layers of template values render as one object would") {
  temp_site site;
  site.write("templates/page.mustache",
             "{{site.title}}|{{page.title}}|{{#nav}}[{{title}}{{#is_current}}*{{/is_current}}]"
             "{{/nav}}|{{site.missing}}\n");
  diagnostics diags;
  template_set templates = template_set::load(site.dir(), diags);
  nlohmann::json shared = {{"site", {{"title", "S"}}}};
  nlohmann::json page = {
      {"page", {{"title", "P"}}},
      {"nav", {{{"title", "a"}, {"is_current", false}}, {{"title", "b"}, {"is_current", true}}}}};
  nlohmann::json merged = shared;
  merged.update(page);
  diagnostics one_diags, layered_diags;
  auto one = templates.render("formal", "page", merged, one_diags);
  template_values shared_values(shared), page_values(page);
  auto layered = templates.render("formal", "page", {&shared_values, &page_values}, layered_diags);
  REQUIRE(one.has_value());
  REQUIRE(layered.has_value());
  CHECK(*one == "S|P|[a][b*]|\n");
  CHECK(*layered == *one);
  REQUIRE(one_diags.sorted().size() == 1);
  REQUIRE(layered_diags.sorted().size() == 1);
  CHECK(layered_diags.sorted()[0].message == one_diags.sorted()[0].message);
}

TEST_CASE("figures.json is the manifest of every figure shown, written as JSON with indents") {
  temp_site site;
  write_many_sections(site);
  rendered r = render_with_threads(site.dir(), 2);
  const std::string* written = r.result.out.bytes("figures.json");
  REQUIRE(written != nullptr);
  auto model_diags = diagnostics();
  auto model = load_site(site.dir(), model_diags);
  REQUIRE(model.has_value());
  CHECK(*written == figures_manifest(*model, r.result.pages).dump(2) + "\n");
  auto parsed = nlohmann::json::parse(*written);
  // The formal home page's date, and three figures in each section of each edition (the
  // unknown figures are not shown).
  CHECK(parsed["uses"].size() == 1 + 2 * 40 * 3);
  CHECK(parsed["uses"][0]["key"] == "as_of");
}

TEST_CASE(
    "figures.json holds the data's source and each breakdown's parts as its chart shows them") {
  temp_site site;
  site.write("content/site.json", R"({ "title": "T", "language": "en-GB",
  "base_url": "https://example.org/t/", "editions": [ { "id": "formal", "name": "Full", "path": "" } ] })");
  site.write("content/data/stats.json", R"({ "as_of": "2025-12-14", "source": "Our data",
  "figures": { "children_in_care": { "label": "children looked after", "value": 777 } },
  "breakdowns": {
    "ethnicity": { "label": "By ethnicity", "unit": "percent",
                   "parts": [ { "label": "White", "value": 72 }, { "label": "Mixed", "value": 27.5 } ] },
    "ages": { "label": "By age", "unit": "count", "parts": [ { "label": "Under 5", "value": 1200 } ] } } })");
  site.write("content/pages/index.md", "---\ntitle: Home\n---\n{{ chart ethnicity }}\n");
  rendered r = render_with_threads(site.dir(), 1);
  CHECK_FALSE(r.diags.has_errors());
  const std::string* written = r.result.out.bytes("figures.json");
  REQUIRE(written != nullptr);
  auto parsed = nlohmann::json::parse(*written);
  CHECK(parsed["source"] == "Our data");
  CHECK(parsed["breakdowns"] == nlohmann::json::parse(R"({
    "ethnicity": { "label": "By ethnicity", "unit": "percent", "parts": [
      { "label": "White", "value": 72, "text": "72%" },
      { "label": "Mixed", "value": 27.5, "text": "27.5%" } ] },
    "ages": { "label": "By age", "unit": "count", "parts": [
      { "label": "Under 5", "value": 1200, "text": "1,200" } ] } })"));
  // Breakdowns come before "uses", the long list, as "as_of" and "source" do.
  CHECK(written->find("\n  \"breakdowns\": {") < written->find("\n  \"uses\": ["));
}

namespace {

// Two editions; the young one lacks section B. Links between sections, a heading link inside a
// page, a picture, a figure and a glossary term.
void write_print_site(const temp_site& site) {
  site.write("content/site.json", R"({
  "title": "Print test", "language": "en-GB", "base_url": "https://example.org/p/",
  "editions": [ { "id": "formal", "name": "Full strategy", "path": "" },
                { "id": "young", "name": "Young", "path": "young" } ] })");
  site.write("content/data/stats.json", R"({ "as_of": "2025-12-14", "figures": {
  "children_in_care": { "label": "children looked after", "value": 777 } } })");
  site.write("content/glossary.json", R"({ "SYPAC": { "means": "A forum." } })");
  site.write("content/media/x.png", "not really a picture");
  site.write("content/pages/index.md",
             "---\ntitle: Welcome\n---\n## Hello\n\nWe look after {{ children_in_care }}.\n\n"
             "![A map](media/x.png)\n");
  site.write("content/pages/index.young.md", "---\ntitle: Hi\n---\nHello.\n");
  site.write("content/pages/01-a.md",
             "---\ntitle: Part A\n---\n## One\n\n### Sub\n\nSee [two](02-b.md#two), "
             "[all of B](02-b.md), [one](#one) and [elsewhere](https://example.com/).\n");
  site.write("content/pages/01-a.young.md",
             "---\ntitle: Part A for you\n---\n## One\n\nAsk the SYPAC.\n");
  site.write("content/pages/02-b.md",
             "---\ntitle: Part B\neditions: [formal]\n---\n## Two\n\nBack to [A](01-a.md).\n");
  site.write("content/pages/03-words.md", "---\ntitle: Words\n---\n{{ glossary }}\n");
  site.write("content/pages/03-words.young.md", "---\ntitle: Words\n---\n{{ glossary }}\n");
}

std::string page_text(const rendered& r, const std::string& path) {
  const std::string* text = r.result.out.bytes(path);
  REQUIRE_MESSAGE(text != nullptr, path);
  return *text;
}

std::vector<std::string> attribute_values(const std::string& html, const std::string& name) {
  std::vector<std::string> values;
  std::string marker = " " + name + "=\"";
  for (auto at = html.find(marker); at != std::string::npos; at = html.find(marker, at + 1)) {
    auto start = at + marker.size();
    values.push_back(html.substr(start, html.find('"', start) - start));
  }
  return values;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("each edition gets a print page with every section in order, inside one page") {
  temp_site site;
  write_print_site(site);
  rendered r = render_with_threads(site.dir(), 2);
  CHECK_FALSE(r.diags.has_errors());
  using edition_page = std::pair<std::string, std::string>;
  CHECK(r.result.print_pages == std::vector<edition_page>{{"formal", "print/index.html"},
                                                          {"young", "young/print/index.html"}});
  std::string print = page_text(r, "print/index.html");
  // The sections, in the order of the navigation, each under its own h2.
  auto home =
      print.find("<h2 class=\"tandem-print__title\" id=\"section-home-title\">Welcome</h2>");
  auto a = print.find("id=\"section-a-title\">Part A</h2>");
  auto b = print.find("id=\"section-b-title\">Part B</h2>");
  auto words = print.find("id=\"section-words-title\">Words</h2>");
  CHECK(home < a);
  CHECK(a < b);
  CHECK(b < words);
  CHECK(words != std::string::npos);
  // Headings one level down, ids prefixed with the section's anchor.
  CHECK(has(print, "<h3 id=\"section-a--one\">\nOne\n</h3>"));
  CHECK(has(print, "<h4 id=\"section-a--sub\">\nSub\n</h4>"));
  CHECK(has(print, "<h3 id=\"section-b--two\">\nTwo\n</h3>"));
  // Links between sections stay inside the page; other links are unchanged.
  CHECK(has(print, "<a href=\"#section-b--two\">two</a>"));
  CHECK(has(print, "<a href=\"#section-b\">all of B</a>"));
  CHECK(has(print, "<a href=\"#section-a--one\">one</a>"));
  CHECK(has(print, "<a href=\"#section-a\">A</a>"));
  CHECK(has(print, "<a href=\"https://example.com/\">elsewhere</a>"));
  // Pictures from the print page's folder; figures as everywhere.
  CHECK(has(print, "<img src=\"../media/x.png\" alt=\"A map\" />"));
  CHECK(has(print, "data-figure=\"children_in_care\">777</data>"));
  // Every id once, and every link inside the page to an id that exists.
  auto ids = attribute_values(print, "id");
  std::set<std::string> unique(ids.begin(), ids.end());
  CHECK(unique.size() == ids.size());
  for (const std::string& href : attribute_values(print, "href")) {
    if (href.rfind("#", 0) != 0) continue;
    CHECK_MESSAGE(unique.count(href.substr(1)) == 1, href);
  }
  // The young print page has only the young edition's sections, with its popovers prefixed.
  std::string young = page_text(r, "young/print/index.html");
  CHECK(has(young, "id=\"section-a-title\">Part A for you</h2>"));
  CHECK_FALSE(has(young, "Part B"));
  CHECK(has(young, "popovertarget=\"section-a--tandem-term-sypac\""));
  CHECK(has(young, "id=\"section-a--tandem-term-sypac\" popover=\"auto\""));
  CHECK(has(young, "href=\"#section-words--term-sypac\">See all the words</a>"));
  // In the sitemap, not in the list of section pages.
  std::string sitemap = page_text(r, "sitemap.xml");
  CHECK(has(sitemap, "<loc>https://example.org/p/print/</loc>"));
  CHECK(has(sitemap, "<loc>https://example.org/p/young/print/</loc>"));
  for (const page_record& p : r.result.pages)
    CHECK(p.output_path.find("print/") == std::string::npos);
}

TEST_CASE("every page links to its edition's print page and the young one to the full strategy") {
  temp_site site;
  write_print_site(site);
  rendered r = render_with_threads(site.dir(), 1);
  CHECK(has(page_text(r, "a/index.html"), "href=\"../print/index.html\">Print or save"));
  CHECK(has(page_text(r, "index.html"), "href=\"print/index.html\">Print or save"));
  std::string young_a = page_text(r, "young/a/index.html");
  CHECK(has(young_a, "href=\"../../young/print/index.html\">Print or save"));
  // "Read the full strategy" goes to the same section there.
  CHECK(has(young_a,
            "<a class=\"tandem-more__link\" href=\"../../a/index.html\">Read the full "
            "strategy</a>"));
  CHECK_FALSE(has(page_text(r, "a/index.html"), "Read the full strategy"));
  // The date of the figures is said only where figures are shown.
  CHECK(has(page_text(r, "index.html"), "Figures on this page are as of"));
  CHECK_FALSE(has(page_text(r, "a/index.html"), "Figures on this page are as of"));
}

TEST_CASE("a page whose address is print/ keeps it; the print page is left out with a warning") {
  temp_site site;
  write_print_site(site);
  site.write("content/pages/04-print.md",
             "---\ntitle: Print me\neditions: [formal]\n---\nHello.\n");
  rendered r = render_with_threads(site.dir(), 1);
  CHECK(has(page_text(r, "print/index.html"), "Print me"));
  CHECK_FALSE(has(page_text(r, "print/index.html"), "tandem-print__section"));
  bool warned = false;
  for (const auto& d : r.diags.items())
    if (d.id == "page.duplicate_path" && d.level == severity::warning) warned = true;
  CHECK(warned);
  CHECK(r.result.out.bytes("young/print/index.html") != nullptr);
  // Only the print page made is listed (a build counts it as showing the edition's figures).
  using edition_page = std::pair<std::string, std::string>;
  CHECK(r.result.print_pages == std::vector<edition_page>{{"young", "young/print/index.html"}});
}

namespace {

// The hrefs of the navigation's links, in order.
std::vector<std::string> nav_hrefs(const std::string& html) {
  std::vector<std::string> hrefs;
  std::string marker = "class=\"tandem-nav__link\" href=\"";
  for (auto at = html.find(marker); at != std::string::npos; at = html.find(marker, at + 1)) {
    auto start = at + marker.size();
    hrefs.push_back(html.substr(start, html.find('"', start) - start));
  }
  return hrefs;
}

}  // namespace

TEST_CASE("every page's navigation leads to every page of its edition, relative to the page") {
  temp_site site;
  write_print_site(site);
  // A page whose folder holds the media: links into it read differently from its siblings.
  site.write("content/pages/05-media.md",
             "---\ntitle: Pictures\neditions: [formal]\n---\n![A map](media/x.png)\n");
  rendered r = render_with_threads(site.dir(), 2);
  std::map<std::string, std::vector<std::string>> edition_pages;
  for (const page_record& p : r.result.pages) edition_pages[p.edition].push_back(p.output_path);
  for (const page_record& p : r.result.pages) {
    std::vector<std::string> expected;
    for (const std::string& to : edition_pages.at(p.edition))
      expected.push_back(relative_url(p.output_path, to));
    std::string html = page_text(r, p.output_path);
    CHECK_MESSAGE(nav_hrefs(html) == expected, p.output_path);
    std::string current =
        "href=\"" + relative_url(p.output_path, p.output_path) + "\" aria-current=\"page\">";
    CHECK_MESSAGE(has(html, current), p.output_path);
  }
  CHECK(nav_hrefs(page_text(r, "a/index.html")).at(1) == "index.html");
}

namespace {

// A site of one edition: its home page and `sections` sections, numbered from 1.
void write_long_site(const temp_site& site, int sections) {
  site.write("content/site.json", R"({ "title": "Long", "language": "en-GB",
  "editions": [ { "id": "formal", "name": "Full strategy", "path": "" } ] })");
  site.write("content/data/stats.json", R"({ "as_of": "2025-12-14", "figures": {} })");
  site.write("content/pages/index.md", "---\ntitle: Welcome\n---\nHello.\n");
  for (int n = 1; n <= sections; ++n) {
    std::string num = (n < 10 ? "0" : "") + std::to_string(n);
    site.write("content/pages/" + num + "-part-" + num + ".md",
               "---\ntitle: Part " + num + "\n---\nText.\n");
  }
}

}  // namespace

TEST_CASE("the starter navigation lists every section in a short edition") {
  temp_site site;
  write_long_site(site, static_cast<int>(nav_near_whole) - 1);  // with the home page: 25
  rendered r = render_with_threads(site.dir(), 1);
  std::string html = page_text(r, "part-12/index.html");
  CHECK(nav_hrefs(html).size() == nav_near_whole);
  CHECK(has(html, ">All sections</h2>"));
  CHECK_FALSE(has(html, "See all sections"));
  CHECK(has(html, "class=\"tandem-header__menu\" href=\"#tandem-sections\""));
}

TEST_CASE("in a long edition a page lists the sections near it, the home page all of them") {
  temp_site site;
  write_long_site(site, 60);
  rendered r = render_with_threads(site.dir(), 2);
  // The home page: every page, itself current.
  std::string home = page_text(r, "index.html");
  CHECK(nav_hrefs(home).size() == 61);
  CHECK(has(home, ">All sections</h2>"));
  CHECK(has(home, "href=\"index.html\" aria-current=\"page\">Welcome</a>"));
  // A page in the middle: the home page, the five either side of it, itself, then the link to
  // the home page's list (the header's "All sections" goes there too).
  std::string middle = page_text(r, "part-30/index.html");
  std::vector<std::string> expected = {"../index.html"};
  for (int n = 25; n <= 35; ++n)
    expected.push_back(n == 30 ? "index.html" : "../part-" + std::to_string(n) + "/index.html");
  expected.push_back("../index.html#tandem-sections");
  CHECK(nav_hrefs(middle) == expected);
  CHECK(has(middle, ">Sections near this one</h2>"));
  CHECK(has(middle, "href=\"index.html\" aria-current=\"page\">Part 30</a>"));
  CHECK(has(middle, "class=\"tandem-header__menu\" href=\"../index.html#tandem-sections\""));
  // At the ends the list is cut short, not shifted.
  CHECK(nav_hrefs(page_text(r, "part-01/index.html")).size() == 1 + 6 + 1);
  CHECK(nav_hrefs(page_text(r, "part-60/index.html")).size() == 1 + 6 + 1);
  // No section page's navigation grows with the edition: twice the sections, the same size.
  temp_site longer;
  write_long_site(longer, 120);
  rendered r2 = render_with_threads(longer.dir(), 2);
  CHECK(page_text(r2, "part-30/index.html").size() == middle.size());
}

TEST_CASE("the 404 and print pages list every page in nav and nav_near for layouts naming them") {
  temp_site site;
  write_long_site(site, 30);
  site.write("templates/404.mustache",
             "{{#nav}}[{{title}}]{{/nav}}|{{#nav_near}}({{title}}){{/nav_near}}\n");
  site.write("templates/print.mustache",
             "{{#sections}}<{{title}}>{{/sections}}|{{#nav}}[{{title}}]{{/nav}}|"
             "{{#nav_near}}({{title}}){{/nav_near}}\n");
  rendered r = render_with_threads(site.dir(), 2);
  CHECK_FALSE(r.diags.has_errors());
  for (const std::string path : {"404.html", "print/index.html"}) {
    CAPTURE(path);
    std::string html = page_text(r, path);
    auto count = [&](char c) { return std::count(html.begin(), html.end(), c); };
    CHECK(count('[') == 31);
    CHECK(count('(') == 31);
    CHECK(has(html, "[Welcome][Part 01]"));
    CHECK(has(html, "(Part 29)(Part 30)"));
  }
}

TEST_CASE("a page's body in the print page reads links to itself and into its folder from there") {
  temp_site site;
  write_print_site(site);
  site.write("content/pages/01-a.md",
             "---\ntitle: Part A\n---\n## One\n\nSee [this part](01-a.md#one) and "
             "[this page](01-a.md).\n");
  site.write("content/pages/05-media.md",
             "---\ntitle: Pictures\neditions: [formal]\n---\n![A plan](media/x.png)\n");
  rendered r = render_with_threads(site.dir(), 1);
  CHECK(has(page_text(r, "a/index.html"), "<a href=\"index.html#one\">this part</a>"));
  CHECK(has(page_text(r, "media/index.html"), "<img src=\"x.png\" alt=\"A plan\" />"));
  std::string print = page_text(r, "print/index.html");
  CHECK(has(print, "<a href=\"#section-a--one\">this part</a>"));
  CHECK(has(print, "<a href=\"#section-a\">this page</a>"));
  CHECK(has(print, "<img src=\"../media/x.png\" alt=\"A plan\" />"));
  // The glossary's own terms link to the glossary within the print page.
  std::string young = page_text(r, "young/print/index.html");
  CHECK(has(young, "href=\"#section-words--term-sypac\">See all the words</a>"));
}
