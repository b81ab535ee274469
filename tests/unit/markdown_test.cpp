#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "frontmatter.hpp"
#include "gfm.hpp"
#include "markdown.hpp"

using namespace tandem;

namespace {

figure make_figure(std::string key, std::string label, double value, std::string text,
                   figure_unit unit = figure_unit::count) {
  figure f;
  f.key = std::move(key);
  f.label = std::move(label);
  f.value = value;
  f.value_text = std::move(text);
  f.unit = unit;
  return f;
}

source_page make_page(std::string file, std::string edition, std::string body, int body_line = 1) {
  source_page page;
  page.file = std::move(file);
  page.edition = std::move(edition);
  page.body = std::move(body);
  page.body_line = body_line;
  return page;
}

// A small site: two editions, three figures, a breakdown, a glossary, two pledges, a picture.
site_model make_model() {
  site_model model;
  edition formal;
  formal.id = "formal";
  formal.name = "Full strategy";
  edition young;
  young.id = "young";
  young.name = "For young people";
  young.path = "young";
  model.config.title = "Our Children, Our Future";
  model.config.editions = {formal, young};

  auto& stats = model.stats;
  stats.as_of = "2025-12-14";
  stats.as_of_year = 2025;
  stats.as_of_month = 12;
  stats.as_of_day = 14;
  for (auto f : {make_figure("children_in_care", "children looked after", 777, "777"),
                 make_figure("care_leavers", "care leavers", 702, "702"),
                 make_figure("foster_care", "children living with foster carers", 41.2, "41.2",
                             figure_unit::percent),
                 make_figure("siblings", "brothers and sisters", 7, "7")}) {
    stats.figure_order.push_back(f.key);
    stats.figures[f.key] = f;
  }
  breakdown b;
  b.key = "children_ethnicity";
  b.label = "Children in care by ethnicity";
  b.unit = figure_unit::percent;
  b.parts = {{"White, White British", 72, "72", "", "", {}}, {"Mixed", 7.4, "7.4", "", "", {}}};
  stats.breakdowns[b.key] = b;
  stats.breakdown_order.push_back(b.key);

  glossary_entry sypac;
  sypac.term = "SYPAC";
  sypac.stands_for = "Supporting Young People After Care";
  sypac.means = "The forum for care leavers aged 18 to 25.";
  sypac.edition_means["young"] = "A group where young people who have left care meet.";
  glossary_entry pep;
  pep.term = "PEP";
  pep.stands_for = "Personal Education Plan";
  pep.means = "A plan for a child's education.";
  model.content.glossary = {pep, sypac};

  pledge director;
  director.slug = "director";
  director.order = 1;
  director.wordings["formal"] =
      make_page("content/pledges/01-director.md", "formal",
                "We will care for all {{ children_in_care }} children.\n", 5);
  director.wordings["formal"].meta.role = "Director of Children and Family Services";
  director.wordings["formal"].meta.name = "A. Director";
  director.wordings["young"] =
      make_page("content/pledges/01-director.young.md", "young", "We will look after you.\n", 4);
  director.wordings["young"].meta.role = "The boss of children's services";
  pledge leader;
  leader.slug = "leader";
  leader.order = 2;
  leader.wordings["formal"] = make_page("content/pledges/02-leader.md", "formal",
                                        "I will listen, and {{ children_in_kare }}.\n", 4);
  leader.wordings["formal"].meta.role = "Leader of the Council";
  model.content.pledges = {director, leader};

  model.content.media = {"charts/map.png", "x.png"};
  return model;
}

link_index make_links() {
  link_index links;
  links.pages[{"index", "formal"}] = {"index.html", {"welcome"}, "content/pages/index.md"};
  links.pages[{"index", "young"}] = {"young/index.html", {"hello"}, "content/pages/index.young.md"};
  links.pages[{"03-our-promise", "formal"}] = {
      "our-promise/index.html", {"our-pledge"}, "content/pages/03-our-promise.md"};
  links.pages[{"03-our-promise", "young"}] = {"young/our-promise/index.html",
                                              {"our-pledge", "what-we-will-do"},
                                              "content/pages/03-our-promise.young.md"};
  links.pages[{"04-governance", "formal"}] = {
      "governance/index.html", {"the-board"}, "content/pages/04-governance.md"};
  links.pages[{"05-words", "young"}] = {
      "young/words/index.html", {"term-sypac", "term-pep"}, "content/pages/05-words.young.md"};
  links.glossary_page["young"] = "young/words/index.html";
  return links;
}

/// Parses and renders a page as a test would see it.
struct rendered_page {
  rendered_markdown out;
  std::vector<heading> headings;
  diagnostics diags;

  bool has(const std::string& text) const { return out.html.find(text) != std::string::npos; }
  std::size_t count(const std::string& text) const {
    std::size_t n = 0;
    for (auto at = out.html.find(text); at != std::string::npos; at = out.html.find(text, at + 1))
      ++n;
    return n;
  }
  const diagnostic* find(const std::string& id) const {
    for (const auto& d : diags.items()) {
      if (d.id == id) return &d;
    }
    return nullptr;
  }
};

rendered_page render_in(const site_model& model, const std::string& body,
                        const std::string& edition_id = "formal",
                        const std::string& output_path = "index.html", int body_line = 1,
                        const std::string& file = "content/pages/index.md") {
  static const link_index links = make_links();
  rendered_page result;
  source_page page = make_page(file, edition_id, body, body_line);
  const edition& ed = *std::find_if(model.config.editions.begin(), model.config.editions.end(),
                                    [&](const edition& e) { return e.id == edition_id; });
  parsed_markdown parsed = parse_markdown(page, model, result.diags);
  result.headings = parsed.headings();
  markdown_env env{model, ed, output_path, links};
  result.out = render_markdown(parsed, page, env, result.diags);
  return result;
}

rendered_page render(const std::string& body, const std::string& edition_id = "formal",
                     const std::string& output_path = "index.html", int body_line = 1,
                     const std::string& file = "content/pages/index.md") {
  static const site_model model = make_model();
  return render_in(model, body, edition_id, output_path, body_line, file);
}

}  // namespace

TEST_CASE("a figure in a paragraph is replaced by its value wrapped in <data>") {
  auto page = render("We look after {{ children_in_care }} children.\n");
  CHECK(page.diags.empty());
  CHECK(page.out.html ==
        "<p>We look after <data value=\"777\" data-figure=\"children_in_care\">777</data> "
        "children.</p>\n");
  REQUIRE(page.out.figures.size() == 1);
  CHECK(page.out.figures[0].key == "children_in_care");
  CHECK(page.out.figures[0].format == "plain");
  CHECK(page.out.figures[0].text == "777");
  CHECK(page.out.figures[0].file == "content/pages/index.md");
  CHECK(page.out.figures[0].line == 1);
  CHECK(page.out.figures[0].col == 18);
}

TEST_CASE("figures work without spaces, with formats, and for the data date") {
  auto page = render(
      "{{children_in_care}} / {{ children_in_care:about }} / {{ foster_care : in_ten }} / "
      "{{ siblings:words }} / {{ care_leavers:label }} / {{ foster_care }} / {{ as_of }}\n");
  CHECK(page.diags.empty());
  CHECK(page.has("<data value=\"777\" data-figure=\"children_in_care\">777</data>"));
  CHECK(
      page.has("<data value=\"777\" data-figure=\"children_in_care\" data-format=\"about\">about "
               "780</data>"));
  CHECK(page.has("data-format=\"in_ten\">about 4 in 10</data>"));
  CHECK(page.has("data-format=\"words\">seven</data>"));
  CHECK(page.has("<span data-figure=\"care_leavers\" data-format=\"label\">care leavers</span>"));
  CHECK(page.has("<data value=\"41.2\" data-figure=\"foster_care\">41.2%</data>"));
  CHECK(page.has("<time datetime=\"2025-12-14\" data-figure=\"as_of\">14 December 2025</time>"));
  CHECK(page.out.figures.size() == 7);
}

TEST_CASE("figures are found in table cells, emphasis, lists, links and headings") {
  auto page = render(
      "## About {{ children_in_care }} children\n\n"
      "| Group | Number |\n|---|---|\n| In care | {{ children_in_care }} |\n"
      "| Left care | **{{ care_leavers }}** |\n\n"
      "- *{{ foster_care }}* live with foster carers\n"
      "- see [{{ care_leavers }} people](https://example.org)\n"
      "- [x] ~~{{ siblings }}~~ done\n");
  CHECK(page.diags.empty());
  CHECK(page.has("<h2 id=\"about-children-in-care-children\">"));
  CHECK(page.has("About <data value=\"777\" data-figure=\"children_in_care\">777</data> children"));
  CHECK(page.has("<td><data value=\"777\" data-figure=\"children_in_care\">777</data></td>"));
  CHECK(page.has("<strong><data value=\"702\" data-figure=\"care_leavers\">702</data></strong>"));
  CHECK(page.has("<em><data value=\"41.2\" data-figure=\"foster_care\">41.2%</data></em>"));
  CHECK(page.has("<a href=\"https://example.org\"><data value=\"702\""));
  CHECK(page.has("<del><data value=\"7\" data-figure=\"siblings\">7</data></del> done"));
  CHECK(page.out.figures.size() == 6);
  REQUIRE(page.headings.size() == 1);
  CHECK(page.headings[0].text == "About 777 children");
}

TEST_CASE("figures in code spans and code blocks are left as written") {
  auto page = render(
      "Write `{{ children_in_care }}` to show the number.\n\n"
      "```\n{{ children_in_kare }}\n```\n\n    {{ nothing }}\n");
  CHECK(page.diags.empty());
  CHECK(page.out.figures.empty());
  CHECK(page.has("<code>{{ children_in_care }}</code>"));
  CHECK(page.has("<pre><code>{{ children_in_kare }}\n</code></pre>"));
  CHECK_FALSE(page.has("<data"));
}

TEST_CASE("a key that cmark splits at underscores and emphasis is still one figure") {
  auto page = render("a_b {{ children_in_care }} and _x_ {{ care_leavers }} c_d\n");
  CHECK(page.diags.empty());
  CHECK(page.has("<data value=\"777\" data-figure=\"children_in_care\">777</data>"));
  CHECK(page.has("<data value=\"702\" data-figure=\"care_leavers\">702</data>"));
}

TEST_CASE("an unknown figure is reported at its line and column in the file, with a suggestion") {
  // The body starts on line 5 of the file, after the front matter.
  auto page = render("Intro.\n\nWe look after {{ children_in_kare }} children.\n", "formal",
                     "index.html", 5, "content/pages/03-who-we-care-for.md");
  REQUIRE(page.diags.items().size() == 1);
  const diagnostic& d = page.diags.items()[0];
  CHECK(d.id == "figure.unknown");
  CHECK(d.file == "content/pages/03-who-we-care-for.md");
  CHECK(d.line == 7);
  CHECK(d.col == 18);
  CHECK(d.message == "unknown figure 'children_in_kare' (did you mean 'children_in_care'?)");
  CHECK(page.has("{{ children_in_kare }}"));
}

TEST_CASE("the second of two equal mistakes on a line is reported at its own column") {
  auto page =
      render("- é {{ nope }} and {{ nope }}\n  more {{ nope }}\n", "formal", "index.html", 3);
  auto sorted = page.diags.sorted();
  REQUIRE(sorted.size() == 3);
  CHECK(sorted[0].line == 3);
  CHECK(sorted[0].col == 8);  // "- é {{ " is 7 code points
  CHECK(sorted[1].line == 3);
  CHECK(sorted[1].col == 23);
  CHECK(sorted[2].line == 4);
  CHECK(sorted[2].col == 11);
}

TEST_CASE("a mistake is placed right even when the source escapes characters in it") {
  auto page = render("Text with \\_ {{ bad\\_key }} and &amp; {{ other }}\n");
  auto sorted = page.diags.sorted();
  REQUIRE(sorted.size() == 2);
  CHECK(sorted[0].col == 17);
  CHECK(sorted[0].message ==
        "unknown figure 'bad_key': check the spelling, or add it to "
        "content/data/stats.json");
  CHECK(sorted[1].col == 42);
}

TEST_CASE("formats that do not fit, unknown formats and breakdowns in text are reported") {
  auto page = render(
      "{{ children_in_care:in_ten }} {{ children_in_care:words }} {{ care_leavers:abuot }} "
      "{{ children_ethnicity }} {{ as_of:about }}\n");
  std::vector<std::string> messages;
  for (const auto& d : page.diags.sorted()) {
    CHECK(d.id == "figure.format");
    messages.push_back(d.message);
  }
  REQUIRE(messages.size() == 5);
  CHECK(std::any_of(messages.begin(), messages.end(), [](const std::string& m) {
    return m.find("unknown format 'abuot'") != std::string::npos &&
           m.find("did you mean 'about'?") != std::string::npos &&
           m.find("plain, about, in_ten, words and label") != std::string::npos;
  }));
  CHECK(std::any_of(messages.begin(), messages.end(), [](const std::string& m) {
    return m ==
           "'children_ethnicity' is a breakdown: show it with {{ chart children_ethnicity }} "
           "in a paragraph of its own";
  }));
  CHECK(page.out.figures.empty());
}

TEST_CASE("HTML in a page is left out, and said so once for each block; comments quietly") {
  auto page = render(
      "Before.\n\n<div class=\"box\">\nImportant notice.\n</div>\n\n"
      "We <b>really</b> care.<br>Next line.\n\n<!-- a note for writers -->\n\nAfter <!-- x -->.\n");
  auto found = page.diags.sorted();
  REQUIRE(found.size() == 2);
  for (const auto& d : found) {
    CHECK(d.id == "markdown.html");
    CHECK(d.level == severity::warning);
  }
  CHECK(found[0].line == 3);
  CHECK(found[0].col == 1);
  CHECK(found[0].message.find("'<div class=\"box\">'") != std::string::npos);
  CHECK(found[0].message.find("up to a blank line") != std::string::npos);
  CHECK(found[1].line == 7);
  CHECK(found[1].col == 4);
  CHECK(found[1].message.find("'<b>'") != std::string::npos);
  CHECK_FALSE(page.has("Important notice"));  // safe mode, as before
  CHECK(page.has("really"));
}

TEST_CASE("braces that are not closed are reported, and other words in braces too") {
  auto page = render("Use {{ children_in_care to count.\n");
  auto unclosed = page.diags.sorted();
  REQUIRE(unclosed.size() == 1);
  CHECK(unclosed[0].id == "figure.unclosed");
  CHECK(unclosed[0].level == severity::error);
  CHECK(unclosed[0].line == 1);
  CHECK(unclosed[0].col == 5);
  CHECK(unclosed[0].message.find("{{ name }}") != std::string::npos);
  CHECK(page.has("{{ children_in_care to count."));  // shown as written (nothing is published)
  // A figure broken over two lines, one missing a brace before another figure, and one after.
  auto more = render(
      "We look after {{\nchildren_in_care }} children.\n\n"
      "We have {{ children_in_care } and {{ children_in_care }} and {{ x.\n");
  auto found = more.diags.sorted();
  REQUIRE(found.size() == 3);
  for (const auto& d : found) CHECK(d.id == "figure.unclosed");
  CHECK(found[0].line == 1);
  CHECK(found[0].col == 15);
  CHECK(found[1].line == 4);
  CHECK(found[1].col == 9);
  CHECK(found[2].line == 4);
  CHECK(found[2].col == 62);
  CHECK(more.out.figures.size() == 1);  // the one closed figure is still shown
  // Code spans keep braces as they are: no problem there.
  CHECK(render("Write `{{ name` to start a figure.\n").diags.empty());
  auto other = render("Hello {{ Children_In_Care }} and {{ cards children_in_care }}.\n");
  auto sorted = other.diags.sorted();
  REQUIRE(sorted.size() == 2);
  CHECK(sorted[0].id == "figure.unknown");
  CHECK(sorted[0].message.find("did you mean 'children_in_care'?") != std::string::npos);
  CHECK(sorted[1].id == "figure.format");
  CHECK(sorted[1].message.find("must be a paragraph of its own") != std::string::npos);
}

TEST_CASE("custom markup is written as it is, while raw HTML and javascript: links are not") {
  auto page = render(
      "<script>alert(1)</script>\n\nHi <b onclick=\"x()\">there</b> "
      "[click](javascript:alert(1)) {{ children_in_care }}\n");
  CHECK_FALSE(page.has("<script"));
  CHECK_FALSE(page.has("onclick"));
  CHECK_FALSE(page.has("javascript:"));
  CHECK(page.has("<a href=\"\">click</a>"));
  CHECK(page.has("<data value=\"777\""));
}

TEST_CASE("headings get ids from their text, with -2, -3 for repeats, and a table of contents") {
  auto page = render("# Title\n\n## Our plan\n\n### Our plan\n\n## Our plan\n\n#### Deep\n");
  REQUIRE(page.headings.size() == 5);
  CHECK(page.headings[1].id == "our-plan");
  CHECK(page.headings[2].id == "our-plan-2");
  CHECK(page.headings[3].id == "our-plan-3");
  CHECK(page.headings[1].line == 3);
  CHECK(page.has("<h2 id=\"our-plan\">"));
  CHECK(page.has("<h3 id=\"our-plan-2\">"));
  CHECK(page.has("<h1 id=\"title\">"));
  REQUIRE(page.out.toc.size() == 3);
  CHECK(page.out.toc[0].level == 2);
  CHECK(page.out.toc[1].level == 3);
}

TEST_CASE("heading ids keep clear of the ids of components") {
  auto page = render("## Chart children ethnicity\n\n{{ chart children_ethnicity }}\n");
  REQUIRE(page.headings.size() == 1);
  CHECK(page.headings[0].id == "chart-children-ethnicity-2");
  CHECK(page.has("<figure class=\"tandem-chart\" id=\"chart-children-ethnicity\">"));
}

TEST_CASE("slugify") {
  CHECK(slugify("Our Promise to You") == "our-promise-to-you");
  CHECK(slugify("  Hello, World!  ") == "hello-world");
  // Accented letters keep their letter (Welsh, French, German ...); other scripts are dropped.
  CHECK(slugify("Café & Co.") == "cafe-co");
  CHECK(slugify("Über uns & café") == "uber-uns-cafe");
  CHECK(slugify("Gwasanaethau i bobl ifanc: ŵyr, ŷd, Ẁ") == "gwasanaethau-i-bobl-ifanc-wyr-yd-w");
  CHECK(slugify("Straße, Œuvre, Łódź") == "strasse-oeuvre-lodz");
  CHECK(slugify("3 × 4") == "3-4");
  CHECK(slugify("Our 💙 plan") == "our-plan");
  CHECK(slugify("日本 care") == "care");
  CHECK(slugify("bad \xC3") == "bad");  // a cut-off character is dropped
  CHECK(slugify("Children’s rights") == "childrens-rights");
  CHECK(slugify("2026 to 2029") == "2026-to-2029");
  // Spaces and dashes from a word processor part words as spaces do.
  CHECK(slugify("Our\u00A0promise\u202Fto\u2009you") == "our-promise-to-you");
  CHECK(slugify("2026\u20132029 \u2014 our plan") == "2026-2029-our-plan");
  CHECK(slugify("") == "section");
  CHECK(slugify("???") == "section");
}

TEST_CASE("cards show each figure with its label") {
  auto page = render("{{ cards children_in_care care_leavers }}\n");
  CHECK(page.diags.empty());
  CHECK(page.has("<ul class=\"tandem-cards\">"));
  CHECK(
      page.has("<span class=\"tandem-card__value\"><data value=\"777\" "
               "data-figure=\"children_in_care\">777</data></span>"));
  CHECK(page.has("<span class=\"tandem-card__label\">care leavers</span>"));
  CHECK_FALSE(page.has("<p>"));
  REQUIRE(page.out.figures.size() == 2);
  CHECK(page.out.figures[1].format == "cards");
  CHECK(page.out.figures[1].col == 27);
}

TEST_CASE("cards report unknown keys and breakdowns") {
  auto page = render("\n{{ cards children_in_care care_leavrs children_ethnicity }}\n");
  auto sorted = page.diags.sorted();
  REQUIRE(sorted.size() == 2);
  CHECK(sorted[0].id == "figure.unknown");
  CHECK(sorted[0].line == 2);
  CHECK(sorted[0].col == 27);
  CHECK(sorted[0].message == "unknown figure 'care_leavrs' (did you mean 'care_leavers'?)");
  CHECK(sorted[1].id == "figure.format");
  CHECK(page.has("data-figure=\"children_in_care\""));
}

TEST_CASE("a chart of a breakdown is a bar chart, of a percentage an icon array") {
  auto page = render("{{ chart children_ethnicity }}\n\n{{ chart foster_care }}\n");
  CHECK(page.diags.empty());
  CHECK(page.has("<figure class=\"tandem-chart\" id=\"chart-children-ethnicity\">"));
  CHECK(page.has("<table class=\"tandem-chart__table\">"));
  CHECK(page.has("<figure class=\"tandem-icon-array\" id=\"chart-foster-care\">"));
  REQUIRE(page.out.figures.size() == 2);
  CHECK(page.out.figures[0].key == "children_ethnicity");
  CHECK(page.out.figures[0].format == "chart");
  CHECK(page.out.figures[0].text == "72%, 7.4%");
  CHECK(page.out.figures[1].text == "41.2%");
}

TEST_CASE("a chart of a count is reported") {
  auto page = render("{{ chart children_in_care }}\n");
  REQUIRE(page.diags.items().size() == 1);
  CHECK(page.diags.items()[0].id == "figure.format");
  CHECK(page.diags.items()[0].message.find("a chart needs a breakdown or a percentage") == 0);
  CHECK(page.diags.items()[0].col == 10);
}

TEST_CASE("pledges show each pledge in the edition's own wording, else the primary's") {
  auto formal = render("{{ pledges }}\n");
  CHECK(formal.has("<ul class=\"tandem-pledges\">"));
  CHECK(formal.has("<li class=\"tandem-pledge\" id=\"pledge-director\">"));
  CHECK(
      formal.has("<p class=\"tandem-pledge__role\">Director of Children and Family Services</p>"));
  CHECK(formal.has("<p class=\"tandem-pledge__name\">A. Director</p>"));
  CHECK(
      formal.has("<div class=\"tandem-pledge__body\">\n<p>We will care for all <data "
                 "value=\"777\" data-figure=\"children_in_care\">777</data> children.</p>"));
  // The figure inside a pledge is reported against the pledge's file.
  REQUIRE(formal.diags.items().size() == 1);
  const diagnostic& d = formal.diags.items()[0];
  CHECK(d.file == "content/pledges/02-leader.md");
  CHECK(d.line == 4);
  CHECK(d.col == 23);
  REQUIRE(formal.out.figures.size() == 1);
  CHECK(formal.out.figures[0].file == "content/pledges/01-director.md");
  CHECK(formal.out.figures[0].line == 5);

  auto young = render("{{ pledges }}\n", "young", "young/index.html");
  CHECK(young.has("<p class=\"tandem-pledge__role\">The boss of children&#39;s services</p>"));
  CHECK(young.has("We will look after you."));
  CHECK(young.has("<p class=\"tandem-pledge__role\">Leader of the Council</p>"));
  CHECK(young.count("<li class=\"tandem-pledge\"") == 2);
}

TEST_CASE("the glossary lists every term with its meaning for the edition") {
  auto formal = render("{{ glossary }}\n");
  CHECK(formal.diags.empty());
  CHECK(formal.has("<dl class=\"tandem-glossary\">"));
  CHECK(
      formal.has("<dt id=\"term-sypac\"><span class=\"tandem-glossary__term\">SYPAC</span> "
                 "<span class=\"tandem-glossary__stands-for\">(Supporting Young People After "
                 "Care)</span></dt>"));
  CHECK(formal.has("<dd>The forum for care leavers aged 18 to 25.</dd>"));
  auto young = render("{{ glossary }}\n", "young", "young/words/index.html");
  CHECK(young.has("<dt id=\"term-sypac\"><span class=\"tandem-glossary__term\">SYPAC</span></dt>"));
  CHECK(young.has("<dd>A group where young people who have left care meet.</dd>"));
  CHECK(young.has("<dd>A plan for a child&#39;s education.</dd>"));
}

TEST_CASE("links to source pages become links to this edition's pages") {
  auto formal = render("[our promise](03-our-promise.md#our-pledge) and [home](./index.md)\n");
  CHECK(formal.diags.empty());
  CHECK(formal.has("<a href=\"our-promise/index.html#our-pledge\">our promise</a>"));
  CHECK(formal.has("<a href=\"index.html\">home</a>"));

  auto young =
      render("[promise](03-our-promise.md#what-we-will-do)\n", "young", "young/index.html");
  CHECK(young.diags.empty());
  CHECK(young.has("<a href=\"our-promise/index.html#what-we-will-do\">"));

  // From a nested page, and to a section the young edition does not have (the formal page).
  auto nested = render("[a](03-our-promise.md) [b](04-governance.md#the-board)\n", "young",
                       "young/words/index.html");
  CHECK(nested.diags.empty());
  CHECK(nested.has("<a href=\"../our-promise/index.html\">a</a>"));
  CHECK(nested.has("<a href=\"../../governance/index.html#the-board\">b</a>"));

  // A file name with an edition links to that edition's page.
  auto across =
      render("[young version](03-our-promise.young.md)\n", "formal", "our-promise/index.html");
  CHECK(across.has("<a href=\"../young/our-promise/index.html\">"));
}

TEST_CASE("headings start at two '#' and go one level deeper at a time") {
  auto fine = render("## A\n\n### B\n\n#### C\n\n## D\n\n### E\n\nF\n---\n");
  CHECK(fine.diags.empty());
  auto page = render(
      "# Our homes\n\nText.\n\n#### Near *your* [school](03-our-promise.md) ##\n\n## Money\n\n"
      "### Help\n\n##### Grants\n\nOur plan\n========\n",
      "formal", "index.html", 5);
  auto sorted = page.diags.sorted();
  REQUIRE(sorted.size() == 4);
  for (const auto& d : sorted) CHECK(d.id == "heading.order");
  CHECK(sorted[0].line == 5);
  CHECK(sorted[0].message ==
        "a heading with one '#' is a second title: the page's title comes from 'title' in its "
        "front matter; write the heading as '## Our homes', or leave it out if it repeats the "
        "title");
  CHECK(sorted[1].line == 9);
  // Written as it should be with its Markdown kept: the emphasis and the link.
  CHECK(sorted[1].message ==
        "this heading (####) skips a level: it comes after a # heading, and headings go one level "
        "deeper at a time; write it as '## Near *your* [school](03-our-promise.md)'");
  CHECK(sorted[2].line == 15);
  CHECK(sorted[2].message.find("after a ### heading") != std::string::npos);
  CHECK(sorted[2].message.find("'#### Grants'") != std::string::npos);
  CHECK(sorted[3].line == 17);
  CHECK(sorted[3].message.rfind("a heading underlined with '=' is a second title", 0) == 0);
  CHECK(sorted[3].message.find("'## Our plan'") != std::string::npos);
  // The first heading of the text comes after the title.
  auto first = render("### Straight in\n");
  REQUIRE(first.diags.sorted().size() == 1);
  CHECK(first.diags.sorted()[0].message.find("it comes after the page's title") !=
        std::string::npos);
}

TEST_CASE("a figure's name in single braces is an error, not published braces and all") {
  auto page = render(
      "We look after { children_in_care } children and {care_leavers:about} more, "
      "{{ foster_care }} in foster care.\n\n| A | B |\n|---|---|\n| x | {as_of} |\n");
  auto sorted = page.diags.sorted();
  REQUIRE(sorted.size() == 3);
  for (const auto& d : sorted) CHECK(d.id == "figure.braces");
  CHECK(sorted[0].line == 1);
  CHECK(sorted[0].col == 15);
  CHECK(sorted[0].message ==
        "'{ children_in_care }' would be shown as written: a figure is written with two braces "
        "on each side, like {{ children_in_care }}");
  CHECK(sorted[1].col == 49);
  CHECK(sorted[1].message.find("like {{ care_leavers:about }}") != std::string::npos);
  CHECK(sorted[2].line == 5);
  // Three braces, or three on one side: the others would be shown.
  auto triple = render("Triple {{{ children_in_care }}} and {{ children_in_care }}} here.\n");
  auto extra = triple.diags.sorted();
  REQUIRE(extra.size() == 2);
  CHECK(extra[0].id == "figure.braces");
  CHECK(extra[0].col == 8);
  CHECK(extra[0].message ==
        "'{{{ children_in_care }}}' has more braces than a figure takes, and the others would be "
        "shown: write it with two on each side, like {{ children_in_care }}");
  CHECK(extra[1].message.rfind("'{{ children_in_care }}}' has more braces", 0) == 0);
  // Braces around other words, in code, and around a figure's doubled braces are not figures.
  auto fine = render(
      "A set {a, b}, { not_a_figure }, `{ children_in_care }`, \\{ children_in_care \\} and "
      "{{ children_in_care }}.\n");
  CHECK(fine.diags.empty());
}

TEST_CASE("a list pasted with bullet characters is a warning once for each run of lines") {
  auto page = render(
      "We will:\n\u2022\tlisten to you\n\u2022\tbe there for you\n \u2022 help with money\n\n"
      "Text.\n\n```\n\u2022 in code\n```\n\n\u25AA one more\n\n    \u2022 indented code\n\n"
      "<!-- to do:\n\u2022 a note\n-->\n\n\uF0B7\tfrom Word\n\u25CF web bullet\n",
      "formal", "index.html", 4);
  auto sorted = page.diags.sorted();
  REQUIRE(sorted.size() == 3);
  for (const auto& d : sorted) CHECK(d.id == "markdown.list");
  CHECK(sorted[0].line == 5);
  CHECK(sorted[0].message ==
        "this line starts with '\u2022', which does not make a list in Markdown: the 3 lines "
        "from here are shown as ordinary text, not a list; start each item with '- ' (a dash and "
        "a space) instead");
  CHECK(sorted[1].line == 15);
  CHECK(sorted[1].message.find("'\u25AA'") != std::string::npos);
  CHECK(sorted[1].message.find("it is shown as ordinary text;") != std::string::npos);
  CHECK(sorted[2].line == 23);
  CHECK(sorted[2].message.find("starts with Word's bullet character, which") != std::string::npos);
  CHECK(sorted[2].message.find("the 2 lines from here") != std::string::npos);
  CHECK(render("- one\n- two\n\n* three\n\nOpening times \u00B7 Monday\n").diags.empty());
}

TEST_CASE("a figure with a non-breaking space in its braces says so") {
  auto page = render("We look after {{\u00A0children_in_care\u00A0}} children.\n");
  auto sorted = page.diags.sorted();
  REQUIRE(sorted.size() == 1);
  CHECK(sorted[0].id == "figure.unknown");
  CHECK(sorted[0].col == 15);
  CHECK(sorted[0].message.find("has a space that is not an ordinary space between its braces") !=
        std::string::npos);
  CHECK(sorted[0].message.find("type them again") != std::string::npos);
}

TEST_CASE("a share in ten that reads 'none' asks for the sentence to be read again") {
  site_model model = make_model();
  model.stats.figures["foster_care"].value = 0;
  model.stats.figures["foster_care"].value_text = "0";
  auto page = render_in(model,
                        "This has happened to {{ foster_care:in_ten }} children, "
                        "{{ foster_care }} of them.\n");
  auto sorted = page.diags.sorted();
  REQUIRE(sorted.size() == 1);
  CHECK(sorted[0].id == "figure.none");
  CHECK(sorted[0].level == severity::warning);
  CHECK(sorted[0].col == 25);
  CHECK(sorted[0].message ==
        "'{{ foster_care:in_ten }}' now reads \"none\" (foster_care is 0%): check that the "
        "sentence still reads well, like \"none of the children\", not \"none children\"");
  CHECK(page.has(">none</data> children"));
  CHECK(render("{{ foster_care:in_ten }} of the children.\n").diags.empty());
}

TEST_CASE("external links are left alone") {
  auto page = render("[gov](https://www.gov.uk/x.md) [mail](mailto:a@b.org) [t](tel:123)\n");
  CHECK(page.diags.empty());
  CHECK(page.has("href=\"https://www.gov.uk/x.md\""));
  CHECK(page.has("href=\"mailto:a@b.org\""));
}

TEST_CASE("broken links and anchors are reported with a suggestion") {
  auto page = render(
      "Text.\n\nSee [x](03-our-promis.md) and\n[y](03-our-promise.md#our-plege) "
      "[z](#welcom) [w](../pages/03-our-promise.md)\n",
      "formal", "index.html", 3);
  auto sorted = page.diags.sorted();
  REQUIRE(sorted.size() == 4);
  for (const auto& d : sorted) CHECK(d.id == "link.broken");
  CHECK(sorted[0].line == 5);
  CHECK(sorted[0].col == 5);
  CHECK(sorted[0].message.find("did you mean '03-our-promise.md'?") != std::string::npos);
  CHECK(sorted[1].line == 6);
  CHECK(sorted[1].col == 1);
  CHECK(sorted[1].message.find("did you mean '#our-pledge'?") != std::string::npos);
  CHECK(sorted[1].message.find("is not in content/pages/03-our-promise.md") != std::string::npos);
  CHECK(sorted[2].message.find("is not on this page") != std::string::npos);
  CHECK(sorted[2].message.find("did you mean '#welcome'?") != std::string::npos);
  CHECK(sorted[3].message.find("file name alone, like (03-our-promise.md)") != std::string::npos);
}

TEST_CASE("a link to a page's file from the server's root is reported, other root links not") {
  auto page =
      render("[a](/03-our-promise.md#our-pledge) [b](/contact-us) [c](//example.org/x.md)\n");
  auto sorted = page.diags.sorted();
  REQUIRE(sorted.size() == 1);
  CHECK(sorted[0].id == "link.broken");
  CHECK(sorted[0].col == 1);
  CHECK(sorted[0].message.find("like (03-our-promise.md#our-pledge)") != std::string::npos);
  CHECK(page.has("href=\"/contact-us\""));
}

TEST_CASE("a link from the server's root is checked inside the site's folder, named outside") {
  site_model model = make_model();
  model.config.base_url = "https://www.example.gov.uk/corporate-parenting/";
  // Inside the site's folder on the server: a page, the home page, a file; all fine.
  auto fine = render_in(model,
                        "[a](/corporate-parenting/our-promise/) [b](/corporate-parenting/) "
                        "[c](/corporate-parenting) [d](/corporate-parenting/figures.json) "
                        "[e](/services/housing) [f](/our-promis/) "
                        "[g](/corporate-parenting/our-promise) [h](/corporate-parenting/young) "
                        "![i](/corporate-parenting/media/x.png) ![j](/images/a.png)\n",
                        "young", "young/words/index.html");
  CHECK(fine.diags.empty());
  // A picture of the site is written relative to the page, as any other; one of elsewhere on
  // the server is left as it is.
  CHECK(fine.has("src=\"../../media/x.png\""));
  CHECK(fine.has("src=\"/images/a.png\""));
  CHECK(fine.has("href=\"/corporate-parenting/our-promise/\""));  // published as written
  CHECK(fine.has("href=\"/services/housing\""));  // another part of the council's website

  auto page = render_in(model,
                        "[a](/corporate-parenting/our-promis/) [b](/our-promise/#our-pledge) "
                        "[c](/corporate-parenting/governance.html)\n");
  auto sorted = page.diags.sorted();
  REQUIRE(sorted.size() == 3);
  for (const auto& d : sorted) CHECK(d.id == "link.broken");
  CHECK(sorted[0].col == 1);
  CHECK(sorted[0].message.find("leads nowhere: no page or file of the site is there") !=
        std::string::npos);
  CHECK(sorted[1].message ==
        "the link to '/our-promise/#our-pledge' leads outside this site (it is at "
        "/corporate-parenting/ on the web server): to link to another page, write its file "
        "name, like (03-our-promise.md#our-pledge); tandem then gives each edition's page the "
        "right address");
  CHECK(sorted[2].message.find("like (04-governance.md)") != std::string::npos);

  // At the top of the server, every root address is the site's.
  model.config.base_url = "https://www.example.gov.uk/";
  auto top = render_in(model, "[a](/our-promise/) [b](/contact-us)\n");
  REQUIRE(top.diags.sorted().size() == 1);
  CHECK(top.diags.sorted()[0].col == 20);
}

TEST_CASE("a link written as an address in the site must lead to one of its pages or files") {
  // From the young edition's words page: addresses a browser follows from young/words/.
  auto fine = render(
      "[a](../our-promise/) [b](../index.html#hello) [c](../../governance/index.html) "
      "[d](../../assets/bright/site.css) [e](../print/) [f](../../figures.json) "
      "[g](../../media/x.png) [h](./) [i](?page=2)\n",
      "young", "young/words/index.html");
  CHECK(fine.diags.empty());
  CHECK(fine.has("<a href=\"../our-promise/\">a</a>"));  // published as written

  auto page = render(
      "[a](our-promise) [b](03-our-promise#our-pledge) [c](www.example.gov.uk/help)\n"
      "[d](example.org) [e](../../../index.html) [f](contact-us.html) [g](../governance/)\n",
      "young", "young/words/index.html");
  auto sorted = page.diags.sorted();
  REQUIRE(sorted.size() == 7);
  for (const auto& d : sorted) CHECK(d.id == "link.broken");
  CHECK(sorted[0].col == 1);
  CHECK(sorted[0].message.find("write its file name, like (03-our-promise.md)") !=
        std::string::npos);
  CHECK(sorted[1].message.find("like (03-our-promise.md#our-pledge)") != std::string::npos);
  CHECK(sorted[2].message.find("write (https://www.example.gov.uk/help)") != std::string::npos);
  CHECK(sorted[3].message.find("write (https://example.org)") != std::string::npos);
  // Out of the site, a page that does not exist, and a formal page one folder too few up.
  CHECK(sorted[4].message.find("no page or file of the site is there") != std::string::npos);
  CHECK(sorted[5].message.find("no page or file of the site is there") != std::string::npos);
  CHECK(sorted[6].message.find("like (04-governance.md)") != std::string::npos);
}

TEST_CASE("a link or picture Markdown cannot read is reported, not published unnoticed") {
  auto page = render(
      "Intro.\n\n![A map](media/county map.png)\n\nSee [the plan](our plan.pdf) and "
      "`[code](a b)`.\n\n[fine](03-our-promise.md) [also](<media/x.png>)\n");
  auto sorted = page.diags.sorted();
  REQUIRE(sorted.size() == 2);
  CHECK(sorted[0].id == "markdown.link");
  CHECK(sorted[0].level == severity::warning);
  CHECK(sorted[0].line == 3);
  CHECK(sorted[0].col == 1);
  CHECK(sorted[0].message.find("this picture is shown as written") != std::string::npos);
  CHECK(sorted[0].message.find("like (<media/county map.png>)") != std::string::npos);
  CHECK(sorted[1].line == 5);
  CHECK(sorted[1].col == 5);
  CHECK(sorted[1].message.find("this link is shown as written") != std::string::npos);
  CHECK(page.has("[the plan](our plan.pdf)"));  // what readers would see
}

TEST_CASE("a link or picture Markdown cannot read is reported when its words have emphasis") {
  auto page = render(
      "[a](03-our-promise.md) then [*our* plan](our plan.pdf).\n\n"
      "Here ![a **big** map](media/county map.png)\n\n"
      "[*fine*](03-our-promise.md) and a [bracket] *alone* with (a b) after it.\n");
  auto sorted = page.diags.sorted();
  REQUIRE(sorted.size() == 2);
  CHECK(sorted[0].id == "markdown.link");
  CHECK(sorted[0].line == 1);
  CHECK(sorted[0].col == 29);  // the '[' of "[*our* plan]", not the first link's
  CHECK(sorted[0].message.find("this link is shown as written") != std::string::npos);
  CHECK(sorted[0].message.find("like (<our plan.pdf>)") != std::string::npos);
  CHECK(sorted[1].line == 3);
  CHECK(sorted[1].col == 6);  // the '!'
  CHECK(sorted[1].message.find("this picture is shown as written") != std::string::npos);
  CHECK(sorted[1].message.find("like (<media/county map.png>)") != std::string::npos);
}

TEST_CASE("anchors to headings of the same page are checked against that page") {
  auto page = render(
      "## Our aims\n\nSee [aims](#our-aims) and [pledge](#pledge-director).\n\n"
      "{{ pledges }}\n");
  CHECK(page.find("link.broken") == nullptr);
  CHECK(page.has("<a href=\"#our-aims\">aims</a>"));
  CHECK(page.has("<a href=\"#pledge-director\">pledge</a>"));
}

// The link problems of a page of the formal edition with `body`, in a site of `model` and `links`.
std::vector<diagnostic> link_problems(const site_model& model, const link_index& links,
                                      const std::string& body) {
  diagnostics diags;
  source_page page = make_page("content/pages/index.md", "formal", body);
  parsed_markdown parsed = parse_markdown(page, model, diags);
  markdown_env env{model, model.config.editions.front(), "index.html", links};
  render_markdown(parsed, page, env, diags);
  return diags.sorted();
}

TEST_CASE("links to the headings of a page whose file could not be read are not checked") {
  site_model model = make_model();
  link_index links = make_links();
  links.pages.at({"04-governance", "formal"}).unread = true;
  auto found = link_problems(model, links,
                             "[a](04-governance.md#anything) [b](03-our-promise.md#nowhere)\n");
  REQUIRE(found.size() == 1);  // only the link to the page that was read
  CHECK(found[0].message.find("'03-our-promise.md#nowhere'") != std::string::npos);

  // The same when the links wait until every page's headings are known.
  auto waiting = [](const std::string& stem, const std::string& fragment, int col) {
    pending_anchor link;
    link.file = "content/pages/index.md";
    link.at = {1, col};
    link.written = stem + ".md#" + fragment;
    link.fragment = fragment;
    link.page = {stem, "formal"};
    return link;
  };
  std::vector<pending_anchor> pending = {waiting("04-governance", "anything", 1),
                                         waiting("03-our-promise", "nowhere", 32)};
  diagnostics later;
  check_pending_anchors(pending, links, later);
  REQUIRE(later.sorted().size() == 1);
  CHECK(later.sorted()[0].col == 32);
}

TEST_CASE("a link to a file of an edition left out because of its error is not checked") {
  site_model model = make_model();
  model.config.dropped_editions = {"easy"};
  auto found = link_problems(model, make_links(),
                             "[a](03-our-promise.easy.md#nowhere) [b](03-our-promise.esay.md)\n");
  REQUIRE(found.size() == 1);  // "esay" is not an edition site.json names
  CHECK(found[0].id == "link.broken");
  CHECK(found[0].message.find("'03-our-promise.esay.md'") != std::string::npos);
}

TEST_CASE("pictures need alt text unless they are decorative, and must be in content/media") {
  auto page = render(
      "![A map of the county](media/charts/map.png)\n\n![](media/x.png)\n\n"
      "![](../media/x.png \"decorative\")\n\n![Gone](media/gone.png)\n\n![Out](pic.png)\n",
      "young", "young/words/index.html");
  auto sorted = page.diags.sorted();
  REQUIRE(sorted.size() == 3);
  CHECK(sorted[0].id == "image.alt");
  CHECK(sorted[0].line == 3);
  CHECK(sorted[0].message.find("\"decorative\"") != std::string::npos);
  CHECK(sorted[1].id == "link.broken");
  CHECK(sorted[1].line == 7);
  CHECK(sorted[2].id == "link.broken");
  CHECK(sorted[2].line == 9);
  CHECK(page.has("<img src=\"../../media/charts/map.png\" alt=\"A map of the county\" />"));
  CHECK(page.has("<img src=\"../../media/x.png\" alt=\"\" />"));
  CHECK_FALSE(page.has("decorative"));
}

TEST_CASE("the first use of a glossary term on a page is marked, and only the first") {
  auto page = render(
      "## SYPAC\n\nThe `SYPAC` and [SYPAC](https://x.org) meet. SYPAC, then SYPAC again. "
      "SYPACS is not it. Your PEP.\n");
  CHECK(page.count("<abbr") == 2);
  CHECK(
      page.has("meet. <abbr class=\"tandem-term\" title=\"Supporting Young People After Care: "
               "The forum for care leavers aged 18 to 25.\">SYPAC</abbr>, then SYPAC again."));
  CHECK(
      page.has("<abbr class=\"tandem-term\" title=\"Personal Education Plan: A plan for a "
               "child&#39;s education.\">PEP</abbr>"));
  CHECK(page.out.glossary_terms == std::set<std::string>{"PEP", "SYPAC"});
}

TEST_CASE("in other editions a glossary term opens its explanation in a popover, no script") {
  auto page = render("Come to SYPAC.\n\n| a |\n|---|\n| your PEP |\n", "young",
                     "young/our-promise/index.html");
  CHECK(page.has(
      "Come to <span class=\"tandem-term-wrap\"><button type=\"button\" "
      "class=\"tandem-term__button\" popovertarget=\"tandem-term-sypac\">SYPAC</button><span "
      "class=\"tandem-term__popover\" id=\"tandem-term-sypac\" popover=\"auto\"><strong "
      "class=\"tandem-term__word\">SYPAC</strong> <span class=\"tandem-term__means\">Supporting "
      "Young People After Care: A group where young people who have left care meet.</span><span "
      "class=\"tandem-term__actions\"><a class=\"tandem-term__more\" "
      "href=\"../words/index.html#term-sypac\">See all the words</a> <button type=\"button\" "
      "class=\"tandem-term__close\" popovertarget=\"tandem-term-sypac\" "
      "popovertargetaction=\"hide\">Close</button></span></span></span>."));
  CHECK(
      page.has("<td>your <span class=\"tandem-term-wrap\"><button type=\"button\" "
               "class=\"tandem-term__button\" popovertarget=\"tandem-term-pep\">PEP</button>"));
  CHECK(page.has("href=\"../words/index.html#term-pep\">See all the words</a>"));
  CHECK_FALSE(page.has("<abbr"));
  CHECK(page.out.glossary_terms == std::set<std::string>{"PEP", "SYPAC"});
}

TEST_CASE("a popover's id never takes a heading's id") {
  auto page =
      render("## Tandem term SYPAC\n\nCome to SYPAC.\n", "young", "young/our-promise/index.html");
  CHECK(page.has("<h2 id=\"tandem-term-sypac\">"));
  CHECK(page.has("popovertarget=\"tandem-term-sypac-2\""));
  CHECK(page.has("id=\"tandem-term-sypac-2\" popover=\"auto\""));
}

TEST_CASE("the primary edition marks terms with <abbr> and no popover") {
  auto page = render("Come to SYPAC.\n", "formal", "our-promise/index.html");
  CHECK(page.has("<abbr class=\"tandem-term\""));
  CHECK_FALSE(page.has("popover"));
}

TEST_CASE("a Markdown table sits in a focusable region that scrolls, named by its header row") {
  auto page = render(
      "| What you said | What we did |\n|---|---|\n| a | b |\n\n| x |\n|---|\n| 1 |\n\n"
      "| x |\n|---|\n| 2 |\n\nNo table here.\n");
  CHECK(
      page.has("<div class=\"tandem-table\" role=\"region\" aria-label=\"Table: What you "
               "said, What we did\" tabindex=\"0\">\n<table>"));
  CHECK(page.has("aria-label=\"Table: x\" tabindex"));
  // Two regions with one name could not be told apart.
  CHECK(page.has("aria-label=\"Table: x (2)\" tabindex"));
  CHECK(page.count("<div class=\"tandem-table\"") == 3);
  CHECK(page.count("</table>\n</div>") == 3);
  CHECK(page.has("<p>No table here.</p>"));
}

TEST_CASE("charts and cards in a page say the date of the figures") {
  auto page = render("{{ cards children_in_care }}\n\n{{ chart foster_care }}\n");
  CHECK(page.count("Figures at <time datetime=\"") == 2);
}

TEST_CASE("rendering the same parsed page twice gives the same HTML") {
  static const site_model model = make_model();
  static const link_index links = make_links();
  diagnostics diags;
  source_page page = make_page("content/pages/index.md", "formal",
                               "## A {{ children_in_care }}\n\n{{ chart foster_care }}\n");
  parsed_markdown parsed = parse_markdown(page, model, diags);
  markdown_env env{model, model.config.editions[0], "index.html", links};
  auto first = render_markdown(parsed, page, env, diags);
  auto second = render_markdown(parsed, page, env, diags);
  CHECK(first.html == second.html);
  CHECK(first.html.find("<h2 id=\"a-children-in-care\">") != std::string::npos);
}

namespace {

// The page's body and its print variant from one render, against the print body rendered on
// its own (a fresh parse with the print page's path), as the site renderer did it before.
void check_print_variant(const std::string& body, const std::string& edition_id,
                         const std::string& output_path, const std::string& print_path) {
  static const site_model model = make_model();
  static const link_index links = make_links();
  source_page page = make_page("content/pages/index.md", edition_id, body);
  const edition& ed = *std::find_if(model.config.editions.begin(), model.config.editions.end(),
                                    [&](const edition& e) { return e.id == edition_id; });
  diagnostics diags;
  parsed_markdown parsed = parse_markdown(page, model, diags);
  markdown_env env{model, ed, output_path, links};
  std::string print_html;
  rendered_markdown both = render_markdown(parsed, page, env, diags, print_path, print_html);

  diagnostics alone_diags;
  parsed_markdown alone_parsed = parse_markdown(page, model, alone_diags);
  rendered_markdown alone = render_markdown(alone_parsed, page, env, alone_diags);
  markdown_env print_env{model, ed, print_path, links};
  diagnostics ignored;
  parsed_markdown fresh;
  rendered_markdown print_alone = render_markdown(fresh, page, print_env, ignored);

  CHECK(both.html == alone.html);
  CHECK(print_html == print_alone.html);
  CHECK(diags.items().size() == alone_diags.items().size());
  CHECK(both.glossary_terms == alone.glossary_terms);
}

}  // namespace

TEST_CASE("a body and its print variant from one parse equal two separate renders") {
  const std::string body =
      "# Welcome\n\nThe PEP and SYPAC meet. [our promise](03-our-promise.md#our-pledge), "
      "[home](index.md), [words](05-words.young.md#term-pep), [x](media/x.png#top) and "
      "![a map](../media/charts/map.png \"Map\") ![](media/x.png \"decorative\").\n\n"
      "| PEP | b |\n|---|---|\n| SYPAC {{ children_in_care }} | [p](03-our-promise.md) |\n\n"
      "[broken](nowhere.md) and [bad anchor](03-our-promise.md#nope) and "
      "<https://example.org/PEP>.\n";
  for (const char* edition_id : {"formal", "young"}) {
    check_print_variant(body, edition_id, "our-promise/index.html", "print/index.html");
    check_print_variant(body, edition_id, "index.html", "a/b/print/index.html");
    check_print_variant(body, edition_id, "young/words/index.html", "young/print/index.html");
  }
  // Pledges are rendered to HTML inside the page: the variant is rendered on its own.
  check_print_variant("{{ pledges }}\n\nSee [home](index.md).\n", "formal", "x/index.html",
                      "print/index.html");
  check_print_variant("{{ glossary }}\n\nPEP.\n", "young", "young/words/index.html",
                      "young/print/index.html");
}

namespace {

// The first use of each term, found the slow way: every term searched for in every text.
std::vector<std::string> marked_in_order(const rendered_page& page) {
  std::vector<std::string> marked;
  const std::string open = "<abbr class=\"tandem-term\" title=\"";
  for (auto at = page.out.html.find(open); at != std::string::npos;
       at = page.out.html.find(open, at + 1)) {
    std::size_t text = page.out.html.find('>', at) + 1;
    marked.push_back(page.out.html.substr(text, page.out.html.find('<', text) - text));
  }
  return marked;
}

}  // namespace

TEST_CASE("glossary terms are marked at their first whole-word use, earliest first") {
  CHECK(marked_in_order(render("PEPS and xPEP and PEP_ are not uses; SYPAC, then PEP.\n")) ==
        std::vector<std::string>{"SYPAC", "PEP"});
  CHECK(marked_in_order(render("(PEP) SYPAC’s PEP\n")) == std::vector<std::string>{"PEP", "SYPAC"});
  CHECK(marked_in_order(render("PEP\n")) == std::vector<std::string>{"PEP"});
  CHECK(marked_in_order(render("aPEP PE PEP\n")) == std::vector<std::string>{"PEP"});
  CHECK(marked_in_order(render("SYPAC SYPAC PEP PEP\n")) ==
        std::vector<std::string>{"SYPAC", "PEP"});
  // Not in links, headings or code.
  CHECK(marked_in_order(render("## PEP\n\n[PEP](https://x.org) `PEP` PEP\n")) ==
        std::vector<std::string>{"PEP"});
  CHECK(render("## PEP\n\n[PEP](https://x.org) `PEP`\n").out.glossary_terms.empty());
}

TEST_CASE("bytes that are not UTF-8 are repaired by the parser; valid text skips its check") {
  // Loaded pages are always clean (frontmatter.encoding replaces bad bytes); a body handed over
  // some other way is repaired by cmark-gfm as before.
  for (const std::string& bad :
       {std::string("Caf\xE9 and \xFF\xFE"), std::string("\xC0\xAF"),
        std::string("A \xED\xA0\x80 surrogate"), std::string("nul \0 byte", 10)}) {
    CAPTURE(bad);
    rendered_page page = render(bad + " in care.\n");
    CHECK(is_clean_utf8(page.out.html));
    CHECK(page.has("\xEF\xBF\xBD"));
  }
  CHECK(render("Caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80 in care.\n")
            .has("Caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80 in care."));
  const int options = CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES;
  CHECK(parse_options_for("plain \xC3\xA9", options) == CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES);
  CHECK(parse_options_for("bad \xE9", options) == options);
  CHECK(parse_options_for(std::string_view("nul \0", 5), options) == options);
}
