// The plain-language and figure checks (SPEC 8): what they report, where, and what they must
// leave alone.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "checks.hpp"
#include "model.hpp"
#include "temp_site.hpp"

using namespace tandem;
namespace fs = std::filesystem;

namespace {

figure make_figure(const std::string& key, double value, figure_unit unit,
                   const std::string& label) {
  figure f;
  f.key = key;
  f.label = label;
  f.value = value;
  std::ostringstream text;
  text << value;
  f.value_text = text.str();
  f.unit = unit;
  return f;
}

stats_data example_stats() {
  stats_data stats;
  stats.as_of = "2025-12-14";
  stats.as_of_year = 2025;
  stats.as_of_month = 12;
  stats.as_of_day = 14;
  for (const figure& f : {
           make_figure("children_in_care", 777, figure_unit::count, "children looked after"),
           make_figure("referrals", 1234, figure_unit::count, "referrals"),
           make_figure("university", 35, figure_unit::count, "care leavers at university"),
           make_figure("board_meetings", 4, figure_unit::count, "board meetings a year"),
           make_figure("foster_care", 41.2, figure_unit::percent, "living with foster carers"),
           make_figure("kinship", 18, figure_unit::percent, "with kinship carers"),
           make_figure("residential", 16.1, figure_unit::percent, "in children's homes"),
           make_figure("adoption", 3, figure_unit::percent, "placed for adoption"),
           make_figure("in_touch", 100, figure_unit::percent, "in touch"),
       }) {
    stats.figures[f.key] = f;
    stats.figure_order.push_back(f.key);
  }
  return stats;
}

prose_block block_of(const std::string& text, int line = 3) {
  prose_block block;
  block.file = "content/pages/01-a.md";
  // Each byte's column is its offset + 1 (the test texts are ASCII).
  block.append(text, {line, 1}, prose_block::counting::after_starts);
  return block;
}

std::vector<diagnostic> with_id(const diagnostics& diags, const std::string& id) {
  std::vector<diagnostic> found;
  for (const diagnostic& d : diags.sorted()) {
    if (d.id == id) found.push_back(d);
  }
  return found;
}

std::vector<diagnostic> literals(const std::string& text) {
  diagnostics diags;
  check_figure_literals(block_of(text), example_stats(), diags);
  for (const diagnostic& d : diags.items()) {
    CHECK(d.level == severity::warning);
    CHECK(d.id == "figure.literal");
  }
  return diags.sorted();
}

bool says(const diagnostic& d, const std::string& text) {
  return d.message.find(text) != std::string::npos;
}

// A small site of two editions that loads cleanly, which a test writes its own pages over.
class checks_site : public testing::temp_site {
 public:
  checks_site() {
    write("content/site.json", R"({
  "title": "Test",
  "editions": [
    { "id": "formal", "name": "Full", "path": "", "checks": { "max_grade": 12, "max_sentence_words": 30 } },
    { "id": "young", "name": "Young", "path": "young", "checks": { "max_grade": 5, "max_sentence_words": 12 } }
  ],
  "data": { "max_age_days": 400 }
}
)");
    write("content/data/stats.json", R"({
  "as_of": "2025-12-14",
  "figures": {
    "children_in_care": { "label": "children looked after", "value": 777 }
  },
  "breakdowns": {
    "ethnicity": { "label": "By ethnicity", "unit": "percent",
                   "parts": [ { "label": "A", "value": 72 }, { "label": "B", "value": 27.8 } ] }
  }
}
)");
    write("content/glossary.json", R"({ "PEP": { "means": "A plan for learning." } })");
    write("content/pages/index.md",
          "---\ntitle: Home\n---\nWe look after {{ children_in_care }} children.\n");
    write("content/pages/index.young.md",
          "---\ntitle: Home\n---\nWe look after you. Ask about your PEP.\n");
  }

  /// Loads the site and runs the checks as of `today`; the loader's own findings are dropped.
  diagnostics check(civil_date today = {2026, 1, 10}) const {
    diagnostics loading;
    auto model = load_site(dir(), loading);
    REQUIRE_MESSAGE(!loading.has_errors(), "the test site does not load");
    diagnostics diags;
    run_checks(*model, today, diags);
    return diags;
  }

  /// What loading the site reports (front matter, file names), which check() leaves out.
  diagnostics load_problems() const {
    diagnostics loading;
    load_site(dir(), loading);
    return loading;
  }

  std::string report() const {
    diagnostics loading;
    auto model = load_site(dir(), loading);
    REQUIRE(model);
    diagnostics diags;
    run_checks(*model, civil_date{2026, 1, 10}, diags);
    std::ostringstream out;
    print_check_report(out, *model, diags);
    return out.str();
  }
};

}  // namespace

// =============================================================================================
// figure.literal

TEST_CASE("figure.literal: a figure's value typed in, with where it is and what to write") {
  auto found = literals("We look after 777 children.");
  REQUIRE(found.size() == 1);
  CHECK(found[0].file == "content/pages/01-a.md");
  CHECK(found[0].line == 3);
  CHECK(found[0].col == 15);
  CHECK(says(found[0], "'777'"));
  CHECK(says(found[0], "{{ children_in_care }}"));
}

TEST_CASE("figures in a title or summary: braces are an error, a number typed in is told apart") {
  checks_site site;
  site.write("content/pages/index.md",
             "---\ntitle: \"Our {{ children_in_care }} children\"\nsummary: We look after 777 "
             "children.\n---\nWe look after {{ children_in_care }} children.\n");
  diagnostics diags = site.check();
  auto braces = with_id(diags, "figure.front_matter");
  REQUIRE(braces.size() == 1);
  CHECK(braces[0].level == severity::error);
  CHECK(braces[0].file == "content/pages/index.md");
  CHECK(braces[0].line == 2);
  CHECK(braces[0].col == 13);
  CHECK(says(braces[0], "not filled in"));
  auto typed = with_id(diags, "figure.literal");
  REQUIRE(typed.size() == 1);
  CHECK(typed[0].line == 3);
  CHECK(typed[0].col == 24);
  // Not "write {{ }} instead" there, which would be shown as written: the page's text.
  CHECK(says(typed[0], "Leave the number out of the title or summary"));
  CHECK(says(typed[0], "in the page's text as {{ children_in_care }}"));
  CHECK_FALSE(says(typed[0], "instead"));
}

TEST_CASE("figures written unquoted at the start of a setting: the figure is named, not YAML") {
  // YAML would read 'title: {{ ... }} children' as a group of settings with an unclosed bracket.
  checks_site site;
  site.write("content/pages/index.md",
             "---\ntitle: {{ children_in_care }} children\nsummary: {{ children_in_care }}\n---\n"
             "We look after {{ children_in_care }} children.\n");
  site.write("content/pages/01-pledges.md", "---\ntitle: Pledges\n---\n{{ pledges }}\n");
  site.write("content/pages/01-pledges.young.md", "---\ntitle: Pledges\n---\n{{ pledges }}\n");
  site.write("content/pledges/01-director.md",
             "---\nrole: Director for {{ children_in_care }} children\nname: {{ as_of }}\n"
             "title: My pledge\n---\nI will listen to you.\n");
  diagnostics loading = site.load_problems();
  CHECK(with_id(loading, "frontmatter.syntax").empty());
  CHECK(with_id(loading, "frontmatter.type").empty());
  CHECK(with_id(loading, "frontmatter.required").empty());
  // A pledge has no title: it is not shown, so it is reported rather than quietly dropped.
  auto unknown = with_id(loading, "frontmatter.unknown_key");
  REQUIRE(unknown.size() == 1);
  CHECK(unknown[0].line == 4);
  CHECK(says(unknown[0], "role, name"));
  REQUIRE(loading.error_count() == 0);
  diagnostics diags = site.check();
  auto braces = with_id(diags, "figure.front_matter");
  REQUIRE(braces.size() == 4);
  CHECK(braces[0].file == "content/pages/index.md");
  CHECK(braces[0].line == 2);
  CHECK(braces[0].col == 8);
  CHECK(says(braces[0], "front matter's 'title'"));
  CHECK(braces[1].line == 3);
  CHECK(says(braces[1], "front matter's 'summary'"));
  // A pledge's role and name are shown on the pledges page: the same mistake.
  CHECK(braces[2].file == "content/pledges/01-director.md");
  CHECK(braces[2].line == 2);
  CHECK(braces[2].col == 20);
  CHECK(says(braces[2], "front matter's 'role'"));
  CHECK(braces[3].line == 3);
  CHECK(braces[3].col == 7);
}

TEST_CASE("figure.literal: every written form of a figure is found") {
  CHECK(says(literals("There were 1,234 referrals.").at(0), "{{ referrals }}"));
  CHECK(says(literals("There were 1234 referrals.").at(0), "{{ referrals }}"));
  CHECK(says(literals("In all, 41.2% live with foster carers.").at(0), "{{ foster_care }}"));
  CHECK(
      says(literals("In all, 41.2 per cent live with foster carers.").at(0), "{{ foster_care }}"));
  CHECK(says(literals("We look after about 780 children.").at(0), "{{ children_in_care:about }}"));
  CHECK(says(literals("We look after about 780 children.").at(0), "'about 780'"));
  CHECK(says(literals("We look after nearly 780 children.").at(0), "{{ children_in_care:about }}"));
  CHECK(says(literals("About 41% live with foster carers.").at(0), "{{ foster_care:about }}"));
  CHECK(says(literals("About 4 in 10 live with foster carers.").at(0), "{{ foster_care:in_ten }}"));
  CHECK(says(literals("About 4 in 10 live with foster carers.").at(0), "'About 4 in 10'"));
  CHECK(says(literals("Four in ten live with foster carers.").at(0), "{{ foster_care:in_ten }}"));
  CHECK(says(literals("4 out of 10 live with foster carers.").at(0), "{{ foster_care:in_ten }}"));
  CHECK(says(literals("Only 3% are placed for adoption.").at(0), "{{ adoption }}"));
  CHECK(says(literals("35 care leavers are at university.").at(0), "{{ university }}"));
  CHECK(says(literals("There are 35 care leavers at university.").at(0), "{{ university }}"));
  // Headings and table cells are text too: a bare number in a cell is found.
  CHECK(literals("777").size() == 1);
}

TEST_CASE("figure.literal: a number that two figures show names both") {
  auto found = literals("About 2 in 10 live with kinship carers.");
  REQUIRE(found.size() == 1);
  CHECK(says(found[0], "{{ kinship:in_ten }} or {{ residential:in_ten }}"));
}

TEST_CASE("figure.literal: ordinary numbers are not figures") {
  for (const char* text : {
           "Young people aged 16 to 25 can join.",
           "Children from 7 to 18 are welcome, and care leavers between 18 and 25.",
           "Young people aged 7-18.",
           "Under section 20 of the Children Act 1989.",
           "On 14 December 2025 we met, and again on December 15.",
           "For more than 24 hours in a row.",
           "After 35 years of service.",
           "We help care leavers until they are 35, and until 35 if they ask.",
           "When you turn 35 you can still call us.",
           "The strategy runs from 2026 to 2029, or 2026-2029.",
           "We meet 4 times a year.",
           "See page 35 and paragraph 777.",
           "Children in Year 10.",
           "It costs \u00a335.",
           "Call 0116 305 0505 today.",
           "Open 24/7, and at 10:30.",
           "Our 35th year.",
           "Write {{ children_in_care }} for the figure.",
           "We are in touch with 100% of care leavers.",
           "780 is not written as a rounded figure without a word like about.",
           "About 5 in 10 is not a share any figure shows.",
       }) {
    CAPTURE(text);
    CHECK(literals(text).empty());
  }
}

TEST_CASE("figure.literal: code is not prose") {
  auto prose = extract_prose(source_page{
      "content/pages/01-a.md", "formal", {}, "x", "Write `777` or\n\n```\n777\n```\n", 1});
  diagnostics diags;
  for (const prose_block& b : prose.blocks) check_figure_literals(b, example_stats(), diags);
  CHECK(diags.empty());
}

// =============================================================================================
// breakdown.sum

TEST_CASE("breakdown.sum: percent parts must add up to 100, give or take 0.5") {
  auto check_parts = [](std::vector<double> values, figure_unit unit = figure_unit::percent) {
    stats_data stats;
    breakdown b;
    b.key = "ethnicity";
    b.label = "Children in care by ethnicity";
    b.unit = unit;
    b.pos = {12, 5};
    for (double v : values) b.parts.push_back({"part", v, "", "", "", {}});
    stats.breakdowns[b.key] = b;
    stats.breakdown_order = {b.key};
    diagnostics diags;
    check_breakdown_sums(stats, diags);
    return diags.sorted();
  };
  auto off = check_parts({72, 26});
  REQUIRE(off.size() == 1);
  CHECK(off[0].id == "breakdown.sum");
  CHECK(off[0].level == severity::warning);
  CHECK(off[0].file == "content/data/stats.json");
  CHECK(off[0].line == 12);
  CHECK(says(off[0], "add up to 98%"));
  CHECK(check_parts({49.3, 27, 10, 5, 8.5}).empty());   // 99.8, as in the example
  CHECK(check_parts({72, 7.4, 5.2, 2, 13.4}).empty());  // 100 with floating-point dust
  CHECK(check_parts({50, 50.5}).empty());
  CHECK(check_parts({50, 50.6}).size() == 1);
  CHECK(check_parts({50, 49.4}).size() == 1);
  CHECK(check_parts({700, 77}, figure_unit::count).empty());  // counts need not add to 100
}

// =============================================================================================
// data.stale and the build date

TEST_CASE("data.stale: figures older than max_age_days, with their age and what to do") {
  checks_site site;
  // 2025-12-14 + 400 days is 2027-01-18.
  CHECK(with_id(site.check({2027, 1, 18}), "data.stale").empty());
  auto stale = with_id(site.check({2027, 1, 19}), "data.stale");
  REQUIRE(stale.size() == 1);
  CHECK(stale[0].level == severity::warning);
  CHECK(stale[0].file == "content/data/stats.json");
  CHECK(stale[0].line == 2);
  CHECK(says(stale[0], "401 days old"));
  CHECK(says(stale[0], "performance team"));
}

TEST_CASE("content.empty: a page or pledge with nothing below its settings, once a file") {
  checks_site site;
  site.write("content/pages/01-housing.md", "---\ntitle: Housing\n---\n\n  \n");
  site.write("content/pages/01-housing.young.md", "---\ntitle: Housing\n---\nA home.\n");
  site.write("content/pages/02-board.md",
             "---\ntitle: Board\neditions: [formal, young]\n---\n");  // read for both editions
  site.write("content/pages/02-board.young.md", "---\ntitle: Board\n---\n");
  site.write("content/pledges/01-parks.md",
             "---\nrole: Head of Parks\n---\n<!-- Draft: to come after the Board -->\n\n");
  site.write("content/pledges/02-roads.md",
             "---\nrole: Head of Roads\n---\n<!-- a note -->\nI will listen.\n");
  auto empty = with_id(site.check({2026, 1, 1}), "content.empty");
  REQUIRE(empty.size() == 4);
  CHECK(empty[0].file == "content/pages/01-housing.md");
  CHECK(empty[0].line == 4);
  CHECK(empty[0].level == severity::warning);
  CHECK(empty[0].message ==
        "this page has no text below its settings, so readers would find only its title: write "
        "the section under the closing '---', or delete the file");
  CHECK(empty[1].file == "content/pages/02-board.md");
  CHECK(empty[2].file == "content/pages/02-board.young.md");
  CHECK(empty[3].file == "content/pledges/01-parks.md");
  CHECK(says(empty[3], "this pledge has no words below its settings"));
}

TEST_CASE("data.future: figures dated after today, a typed year or month too far") {
  checks_site site;
  CHECK(with_id(site.check({2025, 12, 14}), "data.future").empty());
  auto future = with_id(site.check({2025, 12, 13}), "data.future");
  REQUIRE(future.size() == 1);
  CHECK(future[0].level == severity::warning);
  CHECK(future[0].file == "content/data/stats.json");
  CHECK(future[0].line == 2);
  CHECK(says(future[0], "as_of is 14 December 2025, which is after today (13 December 2025)"));
  CHECK(with_id(site.check({2025, 12, 13}), "data.stale").empty());
}

TEST_CASE("the build date comes from SOURCE_DATE_EPOCH when it is set") {
  const char* old = std::getenv("SOURCE_DATE_EPOCH");
  std::string saved = old ? old : "";
  ::setenv("SOURCE_DATE_EPOCH", "1767225600", 1);  // 2026-01-01T00:00:00Z
  civil_date d = build_date();
  CHECK(d.year == 2026);
  CHECK(d.month == 1);
  CHECK(d.day == 1);
  ::setenv("SOURCE_DATE_EPOCH", "1767311999", 1);  // 2026-01-01T23:59:59Z
  CHECK(build_date().day == 1);
  ::setenv("SOURCE_DATE_EPOCH", "not a number", 1);  // the clock instead
  CHECK(build_date().year >= 2025);
  if (old)
    ::setenv("SOURCE_DATE_EPOCH", saved.c_str(), 1);
  else
    ::unsetenv("SOURCE_DATE_EPOCH");
}

// =============================================================================================
// readability

TEST_CASE("readability.sentence: each sentence over the edition's limit, where it starts") {
  edition young;
  young.id = "young";
  young.checks.max_sentence_words = 10;
  prose_block block = block_of(
      "This short one is fine. "
      "This sentence has far too many words in it for a young reader to follow. "
      "Ten words exactly are allowed in one sentence, no more.");
  diagnostics diags;
  check_readability({block}, stats_data{}, young, "", diags);
  auto found = with_id(diags, "readability.sentence");
  REQUIRE(found.size() == 1);
  CHECK(found[0].level == severity::warning);
  CHECK(found[0].line == 3);
  CHECK(found[0].col == 25);
  CHECK(says(found[0], "15 words, more than 10"));
  CHECK(says(found[0], "\"This sentence has far too many ...\""));
}

TEST_CASE("readability.sentence: a long list item counts too, a long heading does not") {
  edition young;
  young.id = "young";
  young.checks.max_sentence_words = 5;
  auto prose = extract_prose(source_page{"content/pages/01-a.young.md",
                                         "young",
                                         {},
                                         "x",
                                         "## A heading with a great many words in it\n\n"
                                         "- a list item with a great many words in it\n",
                                         1});
  diagnostics diags;
  check_readability(prose.blocks, stats_data{}, young, "", diags);
  auto found = with_id(diags, "readability.sentence");
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 3);
  CHECK(says(found[0], "this list item has 10 words"));
}

TEST_CASE("readability.grade: a page above the edition's grade, and one below it") {
  edition young;
  young.id = "young";
  young.checks.max_grade = 5;
  prose_block hard = block_of(
      "Our organisational responsibilities necessitate comprehensive interdisciplinary "
      "collaboration. Accountability mechanisms facilitate continuous improvement.");
  prose_block easy = block_of("We look after you. We want you to be safe and happy.");
  diagnostics diags;
  readability r = check_readability({hard}, stats_data{}, young, "", diags);
  CHECK(r.grade() > 15);
  auto found = with_id(diags, "readability.grade");
  REQUIRE(found.size() == 1);
  CHECK(found[0].level == severity::warning);
  CHECK(found[0].line == 3);
  CHECK(says(found[0], "(Flesch-Kincaid)"));
  CHECK(says(found[0], "above the 5"));
  diagnostics none;
  CHECK(check_readability({easy}, stats_data{}, young, "", none).grade() < 5);
  CHECK(none.empty());
  // An edition without limits is not checked.
  edition free;
  free.id = "free";
  diagnostics unchecked;
  check_readability({hard}, stats_data{}, free, "", unchecked);
  CHECK(unchecked.empty());
}

// =============================================================================================
// glossary.undefined

TEST_CASE("glossary.undefined: acronyms the glossary does not explain, once each") {
  std::vector<glossary_entry> glossary(3);
  glossary[0].term = "GP";
  glossary[1].term = "LGBT+";
  glossary[2].term = "Lead Member";
  edition young;
  young.id = "young";
  prose_block block = block_of(
      "Your PEP and your GP help. Ask the NHS. GPs and LGBT+ groups help. Your PEP again. "
      "Watch TV, it is OK. I can. Our Lead Member and the UK.");
  diagnostics diags;
  check_acronyms({block}, glossary, young, "", diags);
  auto found = with_id(diags, "glossary.undefined");
  REQUIRE(found.size() == 2);
  CHECK(found[0].col == 6);  // the first PEP
  CHECK(says(found[0], "'PEP'"));
  CHECK(says(found[0], "content/glossary.json"));
  CHECK(says(found[1], "'NHS'"));
}

TEST_CASE("glossary.undefined: only outside the primary edition") {
  checks_site site;
  site.write("content/pages/index.md", "---\ntitle: Home\n---\nThe IRO chairs reviews.\n");
  site.write("content/pages/index.young.md", "---\ntitle: Home\n---\nYour IRO and your SDQ.\n");
  auto found = with_id(site.check(), "glossary.undefined");
  REQUIRE(found.size() == 2);
  CHECK(found[0].file == "content/pages/index.young.md");
  CHECK(found[0].line == 4);
  CHECK(found[0].col == 6);
  CHECK(says(found[0], "'IRO'"));
  CHECK(says(found[1], "'SDQ'"));
}

// =============================================================================================
// words.avoid

TEST_CASE("words to avoid: whole words, plurals, phrases, capitals, and not when quoted") {
  std::vector<avoid_entry> list;
  for (const auto& [words, instead] : built_in_words_to_avoid()) {
    avoid_entry e;
    e.words = words;
    e.instead = instead;
    e.match_case = words.find_first_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos;
    std::string lower = words;
    if (!e.match_case) {
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    std::istringstream parts(lower);
    for (std::string part; parts >> part;) e.parts.push_back(part);
    list.push_back(e);
  }
  prose_block block = block_of(
      "Your Placements, a foster placement, and contact. We say \"placement\" and 'home'. "
      "Looked-after children and the LAC team, not lac or replacement or placementary. "
      "Brothers are siblings.");
  std::vector<std::string> found;
  for (const avoid_match& m : find_words_to_avoid(block, list)) found.push_back(m.found);
  CHECK(found == std::vector<std::string>{"Placements", "foster placement", "contact",
                                          "Looked-after children", "LAC", "siblings"});
}

TEST_CASE("words to avoid: of entries that match as much, the first in the list wins") {
  auto entry = [](std::string words, bool match_case) {
    avoid_entry e;
    e.words = words;
    e.instead = {"x"};
    e.match_case = match_case;
    std::istringstream parts(words);
    for (std::string part; parts >> part;) e.parts.push_back(part);
    return e;
  };
  prose_block block = block_of("The CP review and the cp file.");
  for (bool capitals_first : {true, false}) {
    CAPTURE(capitals_first);
    // "CP" in capitals is matched by both entries, "cp" by the lowercase one only.
    std::vector<avoid_entry> list = {entry("zz", false), entry("CP", true), entry("cp", false)};
    if (!capitals_first) std::swap(list[1], list[2]);
    std::vector<avoid_match> found = find_words_to_avoid(block, list);
    REQUIRE(found.size() == 2);
    CHECK(found[0].found == "CP");
    CHECK(found[0].entry->match_case == capitals_first);
    CHECK(found[1].found == "cp");
    CHECK_FALSE(found[1].entry->match_case);
  }
  // A longer phrase wins over a shorter one listed before it.
  std::vector<avoid_entry> list = {entry("cp", false), entry("CP review", true)};
  std::vector<avoid_match> found = find_words_to_avoid(block, list);
  REQUIRE(found.size() == 2);
  CHECK(found[0].found == "CP review");
  CHECK(found[1].found == "cp");
}
TEST_CASE("words.avoid: the built-in list for young readers, and not in the primary edition") {
  checks_site site;
  site.write("content/pages/index.md", "---\ntitle: Home\n---\nEach placement is reviewed.\n");
  site.write("content/pages/index.young.md",
             "---\ntitle: Your placement\n---\nTell us about your placement and contact.\n");
  auto found = with_id(site.check(), "words.avoid");
  REQUIRE(found.size() == 3);
  CHECK(found[0].file == "content/pages/index.young.md");
  CHECK(found[0].line == 2);  // the title
  CHECK(found[0].col == 13);
  CHECK(found[1].line == 4);
  CHECK(found[1].col == 20);
  CHECK(says(found[1], "write \"home\" instead"));
  CHECK(says(found[1], "tandem's list for young readers"));
  CHECK(says(found[2], "\"family time\" or \"get in touch\""));
}

TEST_CASE("words.avoid: content/words.json replaces the built-in list, per edition") {
  checks_site site;
  site.write("content/words.json",
             R"({ "formal": { "utilise": "use" }, "young": { "journey": ["way", "path"] },
                  "yuong": { "x": "y" } })");
  site.write("content/pages/index.md", "---\ntitle: Home\n---\nWe utilise data.\n");
  site.write("content/pages/index.young.md", "---\ntitle: Home\n---\nYour journey in placement.\n");
  diagnostics diags = site.check();
  auto found = with_id(diags, "words.avoid");
  REQUIRE(found.size() == 2);
  CHECK(found[0].file == "content/pages/index.md");
  CHECK(says(found[0], "\"use\""));
  CHECK(says(found[0], "content/words.json"));
  CHECK(found[1].file == "content/pages/index.young.md");
  CHECK(says(found[1], "\"way\" or \"path\""));
  auto unknown = with_id(diags, "words.unknown_edition");
  REQUIRE(unknown.size() == 1);
  CHECK(unknown[0].line == 2);
  CHECK(says(unknown[0], "did you mean 'young'"));
}

TEST_CASE("words.json: a malformed list is an error that says how to write it") {
  checks_site site;
  site.write("content/words.json", R"({ "young": { "placement": 3 } })");
  diagnostics loading;
  auto model = load_site(site.dir(), loading);
  REQUIRE(model);
  diagnostics diags;
  run_checks(*model, civil_date{2026, 1, 10}, diags);
  auto found = with_id(diags, "words.type");
  REQUIRE(found.size() == 1);
  CHECK(found[0].level == severity::error);
  CHECK(found[0].file == "content/words.json");
  CHECK(says(found[0], "instead of 'placement'"));
}

// =============================================================================================
// The whole site

TEST_CASE("a clean site has nothing to report") {
  checks_site site;
  CHECK(site.check().empty());
}

TEST_CASE("the example strategy and the invalid-site base pass every check") {
  for (const char* dir : {"", "tests/invalid/_base"}) {
    CAPTURE(dir);
    diagnostics loading;
    auto model = load_site(fs::path(TANDEM_SOURCE_DIR) / dir, loading);
    REQUIRE(model);
    diagnostics diags;
    run_checks(*model, civil_date{2026, 1, 10}, diags);
    std::ostringstream printed;
    print_diagnostics(printed, diags, model->dir);
    CHECK_MESSAGE(diags.empty(), printed.str());
  }
}

TEST_CASE("every check at once: each planted problem is reported in one run") {
  checks_site site;
  site.write("content/data/stats.json", R"({
  "as_of": "2020-01-01",
  "figures": {
    "children_in_care": { "label": "children looked after", "value": 777 }
  },
  "breakdowns": {
    "ethnicity": { "label": "By ethnicity", "unit": "percent",
                   "parts": [ { "label": "A", "value": 72 }, { "label": "B", "value": 26 } ] }
  }
}
)");
  site.write("content/pages/index.young.md",
             "---\ntitle: Home\n---\n"
             "We look after 777 children.\n"
             "\n"
             "Your IRO checks your placement.\n"
             "\n"
             "Sometimes the organisational responsibilities of the council and its partners "
             "necessitate comprehensive interdisciplinary collaboration with everybody.\n");
  diagnostics diags = site.check();
  auto at = [&](const std::string& id) {
    auto found = with_id(diags, id);
    REQUIRE_MESSAGE(found.size() >= 1, id);
    return found[0];
  };
  CHECK(at("figure.literal").line == 4);
  CHECK(at("glossary.undefined").line == 6);
  CHECK(at("words.avoid").line == 6);
  CHECK(at("readability.sentence").line == 8);
  CHECK(at("readability.grade").file == "content/pages/index.young.md");
  CHECK(at("breakdown.sum").file == "content/data/stats.json");
  CHECK(at("data.stale").file == "content/data/stats.json");
  CHECK(diags.error_count() == 0);
}

// Pledges pages in both editions, and the director's pledge with a word the young edition
// avoids ("placement"), in the formal wording only.
void write_pledge_pages(const checks_site& site) {
  site.write("content/pages/01-pledges.md", "---\ntitle: Pledges\n---\n{{ pledges }}\n");
  site.write("content/pages/01-pledges.young.md", "---\ntitle: Pledges\n---\n{{ pledges }}\n");
  site.write("content/pledges/01-director.md",
             "---\nrole: Director\n---\nI will make sure that every placement is reviewed.\n");
}

TEST_CASE("pledges are checked in each edition that shows them, borrowed wording included") {
  checks_site site;
  write_pledge_pages(site);
  diagnostics diags = site.check();
  auto found = with_id(diags, "words.avoid");
  REQUIRE(found.size() == 1);
  CHECK(found[0].file == "content/pledges/01-director.md");
  CHECK(says(found[0], "add content/pledges/01-director.young.md"));
}

TEST_CASE("a pledge whose own wording cannot be read is not checked in the main one's") {
  checks_site site;
  write_pledge_pages(site);
  site.write("content/pledges/01-director.young.md", "---\nrole: [oops\n---\nI will check.\n");
  diagnostics loading;
  auto model = load_site(site.dir(), loading);
  REQUIRE(model);
  CHECK(with_id(loading, "frontmatter.syntax").size() == 1);
  diagnostics diags;
  run_checks(*model, civil_date{2026, 1, 10}, diags);
  CHECK(with_id(diags, "words.avoid").empty());
  for (const diagnostic& d : diags.sorted()) CHECK_FALSE(says(d, "01-director.young.md"));
}

TEST_CASE("check --report: every page of every edition, the ones with most to fix first") {
  checks_site site;
  site.write("content/pages/01-about.young.md",
             "---\ntitle: About\n---\nYour placement and contact are reviewed by your IRO.\n");
  site.write("content/pages/01-about.md", "---\ntitle: About\n---\nAll about us.\n");
  std::string report = site.report();
  CHECK(report.find("Full (formal): grade up to 12, sentences up to 30 words") !=
        std::string::npos);
  CHECK(report.find("Young (young): grade up to 5, sentences up to 12 words") != std::string::npos);
  std::size_t young = report.find("Young (young)");
  std::size_t about = report.find("content/pages/01-about.young.md", young);
  std::size_t home = report.find("content/pages/index.young.md", young);
  REQUIRE(about != std::string::npos);
  REQUIRE(home != std::string::npos);
  CHECK(about < home);  // three problems before one
  std::string about_line = report.substr(about, report.find('\n', about) - about);
  CHECK(about_line.find("glossary.undefined 1") != std::string::npos);
  CHECK(about_line.find("words.avoid 2") != std::string::npos);
  // The row shows the grade and the longest sentence.
  std::string row = report.substr(report.rfind('\n', about) + 1, about - report.rfind('\n', about));
  CHECK(row.find("   9 ") != std::string::npos);
}

TEST_CASE("checks kept from one run to the next give what checking everything again gives") {
  checks_site site;
  check_cache cache;
  auto describe = [](const diagnostics& diags) {
    std::vector<std::string> out;
    for (const diagnostic& d : diags.items())
      out.push_back(d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.col) + " " +
                    d.id + " " + d.message);
    return out;
  };
  // Runs the checks with the cache and without, and returns what both found (in order).
  auto both = [&] {
    diagnostics loading;
    auto model = load_site(site.dir(), loading);
    REQUIRE(model);
    diagnostics cached, fresh;
    run_checks(*model, civil_date{2026, 1, 10}, cache, cached);
    run_checks(*model, civil_date{2026, 1, 10}, fresh);
    CHECK(describe(cached) == describe(fresh));
    return fresh;
  };
  const std::string stats_head = R"({
  "as_of": "2025-12-14",
  "figures": {
)";
  const std::string stats_tail = R"(
  },
  "breakdowns": {
    "ethnicity": { "label": "By ethnicity", "unit": "percent",
                   "parts": [ { "label": "A", "value": 72 }, { "label": "B", "value": 27.8 } ] }
  }
}
)";
  auto stats_with = [&](const std::string& figures) {
    site.write("content/data/stats.json", stats_head + figures + stats_tail);
  };
  // Eleven words and a label of three: 14 words, over the young edition's 12.
  site.write("content/pages/01-about.young.md",
             "---\ntitle: About\n---\nThere are 812 of us. Your IRO helps.\n\n"
             "We count the {{ children_in_care:label }} in our care every single day and night.\n");
  site.write("content/pages/01-about.md", "---\ntitle: About\n---\nAbout us.\n");
  diagnostics first = both();
  CHECK(with_id(first, "figure.literal").empty());
  CHECK(with_id(first, "readability.sentence").size() == 1);
  CHECK(with_id(first, "glossary.undefined").size() == 1);

  SUBCASE("a figure's value becomes a number typed in, and its label gets shorter") {
    stats_with(R"("children_in_care": { "label": "children looked after", "value": 812 })");
    CHECK(with_id(both(), "figure.literal").size() == 1);
    stats_with(R"("children_in_care": { "label": "children", "value": 812 })");
    diagnostics now = both();
    CHECK(with_id(now, "readability.sentence").empty());
    CHECK(with_id(now, "figure.literal").size() == 1);
  }
  SUBCASE("a pledge hidden while a figure it shows changes is measured again when shown") {
    // 13 words in the young edition, which allows 12, while the label has three words.
    site.write("content/pledges/01-director.md",
               "---\nrole: Director\n---\nI will count the {{ children_in_care:label }} in our "
               "care every single day.\n");
    site.write("content/pages/02-pledges.young.md", "---\ntitle: Pledges\n---\n{{ pledges }}\n");
    site.write("content/pages/02-pledges.md", "---\ntitle: Pledges\n---\nOur pledges.\n");
    auto pledge_too_long = [](const diagnostics& diags) {
      auto found = with_id(diags, "readability.sentence");
      return std::any_of(found.begin(), found.end(), [](const diagnostic& d) {
        return d.file == "content/pledges/01-director.md";
      });
    };
    CHECK(pledge_too_long(both()));
    site.write("content/pages/02-pledges.young.md", "---\ntitle: Pledges\n---\nNone yet.\n");
    stats_with(R"("children_in_care": { "label": "children", "value": 777 })");
    CHECK_FALSE(pledge_too_long(both()));  // not shown
    both();                                // nothing changed
    site.write("content/pages/02-pledges.young.md", "---\ntitle: Pledges\n---\n{{ pledges }}\n");
    CHECK_FALSE(pledge_too_long(both()));  // shown again, with the one-word label
  }
  SUBCASE("the glossary explains the acronym, then the words list names a word") {
    site.write("content/glossary.json", R"({ "PEP": { "means": "A plan for learning." },
  "IRO": { "means": "The person who checks your plan." } })");
    CHECK(with_id(both(), "glossary.undefined").empty());
    site.write("content/words.json", R"({ "young": { "helps": "gives a hand" } })");
    CHECK(with_id(both(), "words.avoid").size() == 1);
    site.write("content/words.json", R"({ "young": { "count": "add up" } })");
    auto found = with_id(both(), "words.avoid");
    REQUIRE(found.size() == 1);
    CHECK(says(found[0], "'count'"));
  }
  SUBCASE("an empty glossary, then one that cannot be read, then empty again") {
    site.write("content/glossary.json", "{}");
    CHECK(with_id(both(), "glossary.undefined").size() == 2);  // PEP and IRO
    site.write("content/glossary.json", R"({ "PEP" })");
    CHECK(with_id(both(), "glossary.undefined").empty());  // they wait for it
    site.write("content/glossary.json", "{}");
    CHECK(with_id(both(), "glossary.undefined").size() == 2);
  }
  SUBCASE("a page edited, a page added and a page deleted") {
    site.write("content/pages/01-about.young.md",
               "---\ntitle: About\n---\nThere are many of us. Your IRO and your PEP help.\n");
    diagnostics now = both();
    CHECK(with_id(now, "readability.sentence").empty());
    CHECK(with_id(now, "glossary.undefined").size() == 1);
    site.write("content/pages/02-more.young.md", "---\ntitle: More\n---\nAsk your SW.\n");
    site.write("content/pages/02-more.md", "---\ntitle: More\n---\nMore.\n");
    CHECK(with_id(both(), "glossary.undefined").size() == 2);
    site.remove("content/pages/02-more.young.md");
    site.remove("content/pages/02-more.md");
    CHECK(with_id(both(), "glossary.undefined").size() == 1);
  }
}

TEST_CASE("checks kept from one run to the next follow which edition is the main one") {
  checks_site site;
  site.write("content/pages/index.md", "---\ntitle: Home\n---\nThe SDQ is a questionnaire.\n");
  site.write("content/pages/index.young.md", "---\ntitle: Home\n---\nYour IRO helps.\n");
  // The same words for both editions, so that the lists do not change with the order.
  site.write("content/words.json",
             R"({ "formal": { "utilise": "use" }, "young": { "utilise": "use" } })");
  diagnostics loading;
  auto model = load_site(site.dir(), loading);
  REQUIRE(model);
  const civil_date today{2026, 1, 10};
  check_cache cache;
  diagnostics first;
  run_checks(*model, today, cache, first);
  auto found = with_id(first, "glossary.undefined");
  REQUIRE(found.size() == 1);
  CHECK(found[0].file == "content/pages/index.young.md");

  // As when site.json is saved with the young edition first while `tandem serve` runs.
  std::reverse(model->config.editions.begin(), model->config.editions.end());
  diagnostics cached, fresh;
  run_checks(*model, today, cache, cached);
  run_checks(*model, today, fresh);
  found = with_id(cached, "glossary.undefined");
  REQUIRE(found.size() == 1);
  CHECK(found[0].file == "content/pages/index.md");
  CHECK(says(found[0], "'SDQ'"));
  CHECK(with_id(fresh, "glossary.undefined").size() == 1);
}
