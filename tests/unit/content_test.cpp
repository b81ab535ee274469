// Pages and pledges: front matter, file names, editions, order (src/frontmatter.cpp, content.cpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "content.hpp"
#include "temp_site.hpp"

namespace fs = std::filesystem;
using namespace tandem;

namespace {

site_config two_editions() {
  site_config config;
  config.title = "Test";
  edition formal;
  formal.id = "formal";
  edition young;
  young.id = "young";
  young.path = "young";
  config.editions = {formal, young};
  return config;
}

// A site folder with content/pages/ made, and pages written in a line each.
struct content_site : testing::temp_site {
  content_site() { make_folder("content/pages"); }

  void page(const std::string& name, const std::string& title = "A page") const {
    write("content/pages/" + name, "---\ntitle: " + title + "\n---\nText.\n");
  }
  // The home page in both editions: every site needs it.
  void homes() const {
    page("index.md", "Home");
    page("index.young.md", "Home");
  }
};

std::vector<diagnostic> with_id(const diagnostics& diags, const std::string& id) {
  std::vector<diagnostic> out;
  for (const auto& d : diags.sorted()) {
    if (d.id == id) out.push_back(d);
  }
  return out;
}

std::string all_messages(const diagnostics& diags) {
  std::string out;
  for (const auto& d : diags.sorted()) {
    out += d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.col) + ": " + d.message +
           " [" + d.id + "]\n";
  }
  return out;
}

std::vector<std::string> stems(const loaded_content& content) {
  std::vector<std::string> out;
  for (const auto& s : content.sections) out.push_back(s.stem);
  return out;
}

std::optional<source_page> parse(const std::string& text, diagnostics& diags,
                                 const std::string& file = "content/pages/01-a.md") {
  return parse_source_page(file, text, "formal", diags);
}

}  // namespace

TEST_CASE("front matter: a plain page is read with its body and where the body starts") {
  diagnostics diags;
  auto page = parse("---\ntitle: Our promise\nsummary: What we promise.\n---\n# Hi\n", diags);
  REQUIRE(page);
  CHECK(diags.empty());
  CHECK(page->meta.title == "Our promise");
  CHECK(page->meta.summary == "What we promise.");
  CHECK(page->meta.layout == "page");
  CHECK_FALSE(page->meta.editions);
  CHECK(page->body == "# Hi\n");
  CHECK(page->body_line == 5);
  CHECK(page->edition == "formal");
}

TEST_CASE("front matter: '...' also closes it, and trailing spaces on the lines are fine") {
  diagnostics diags;
  auto page = parse("---  \ntitle: A\n...\nBody", diags);
  REQUIRE(page);
  CHECK(diags.empty());
  CHECK(page->body == "Body");
  CHECK(page->body_line == 4);
}

TEST_CASE("front matter: a file without it is reported with the fix") {
  diagnostics diags;
  CHECK_FALSE(parse("# Our promise\n\nText.\n", diags));
  auto found = with_id(diags, "frontmatter.missing");
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 1);
  CHECK(found[0].col == 1);
  CHECK(found[0].message.find("start it with a line '---', then 'title: ...', then '---'") !=
        std::string::npos);
}

TEST_CASE("front matter: empty lines before it, or a long dash for its '---', are named") {
  auto message = [](const std::string& text) {
    diagnostics diags;
    CHECK_FALSE(parse(text, diags));
    auto found = with_id(diags, "frontmatter.missing");
    REQUIRE(found.size() == 1);
    return found[0].message;
  };
  CHECK(message("\n\n---\ntitle: A\n---\nText.\n") ==
        "this file has no front matter (it starts with empty lines: the '---' must be the very "
        "first line; delete the empty lines above it); start it with a line '---', then "
        "'title: ...', then '---'");
  CHECK(message("\u2014\ntitle: A\n\u2014\nText.\n")
            .find("(its first line is '\u2014', not three hyphens: a word processor may have "
                  "made them into a long dash; type '---' again") != std::string::npos);
  CHECK(message("# A\n").find("(it") == std::string::npos);
}

TEST_CASE("front matter: an empty file, and a pledge without it, are told what to start with") {
  diagnostics diags;
  CHECK_FALSE(parse("", diags));
  auto empty = with_id(diags, "frontmatter.missing");
  REQUIRE(empty.size() == 1);
  CHECK(
      empty[0].message.find("this file is empty; start it with a line '---', then 'title: ...'") !=
      std::string::npos);
  diagnostics pledge_diags;
  CHECK_FALSE(parse("I will listen.\n", pledge_diags, "content/pledges/01-director.young.md"));
  auto pledge = with_id(pledge_diags, "frontmatter.missing");
  REQUIRE(pledge.size() == 1);
  CHECK(pledge[0].message.find("this file has no front matter; start it with a line '---', then "
                               "'role: ...'") != std::string::npos);
}

TEST_CASE("front matter: one that is never closed points at the opening line") {
  diagnostics diags;
  CHECK_FALSE(parse("---\ntitle: A\n\nText.\n", diags));
  auto found = with_id(diags, "frontmatter.unclosed");
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 1);
  CHECK(found[0].message.find("no closing '---' line") != std::string::npos);
}

TEST_CASE("front matter: YAML errors have the file's line and column, in characters") {
  diagnostics diags;
  CHECK_FALSE(parse("---\nsummary: x\ntitle: Notre été: x\n---\n", diags));
  auto found = with_id(diags, "frontmatter.syntax");
  REQUIRE(found.size() == 1);
  CHECK(found[0].file == "content/pages/01-a.md");
  CHECK(found[0].line == 3);
  CHECK(found[0].col == 17);  // the ':' after "été", counting é as one character
  CHECK(found[0].message.find("quotes") != std::string::npos);

  diagnostics tabs;
  CHECK_FALSE(parse("---\ntitle: a\n\tsummary: b\n---\n", tabs));
  auto tab = with_id(tabs, "frontmatter.syntax");
  REQUIRE(tab.size() == 1);
  CHECK(tab[0].line == 3);
  CHECK(tab[0].message.find("tab") != std::string::npos);
}

TEST_CASE("front matter: a quoted colon is fine") {
  diagnostics diags;
  auto page = parse("---\ntitle: \"Our promise: to you\"\n---\n", diags);
  REQUIRE(page);
  CHECK(diags.empty());
  CHECK(page->meta.title == "Our promise: to you");
}

TEST_CASE("front matter: text YAML would misread at its start is an error with the line to write") {
  // Each of these was published cut short or mangled, or reported as a bracket left open.
  auto problem = [](const std::string& yaml, const std::string& file = "content/pages/01-a.md") {
    diagnostics diags;
    parse("---\n" + yaml + "---\nText.\n", diags, file);
    auto found = with_id(diags, "frontmatter.syntax");
    REQUIRE_MESSAGE(found.size() == 1, all_messages(diags));
    return std::to_string(found[0].line) + ":" + std::to_string(found[0].col) + " " +
           found[0].message;
  };
  CHECK(problem("title: 'Tis the season\nnav_title: Season\nsummary: Winter support.\n") ==
        "2:8 the quote that starts this value is not closed on this line, so YAML reads on into "
        "the settings after it; put the whole value in double quotes, like this: title: \"'Tis "
        "the season\"");
  // Closed on a later line, then more: too long to show written as it should be.
  CHECK(problem("title: Q\nsummary: \"What this is for\n  and how you\" shape it.\n") ==
        "3:10 this value starts with a quote and goes on after the quote that closes it, on line "
        "4; put the whole value in double quotes, starting and ending it with them, or write it "
        "without quotes at its start");
  CHECK(problem("title: Q\nsummary: 'Our Promise' is what we say.\n") ==
        "3:10 this value starts with a quote and goes on after the closing quote; put the whole "
        "value in double quotes, like this: summary: \"'Our Promise' is what we say.\"");
  CHECK(problem("title: \"Our promise\" to you\n") ==
        "2:8 this value starts with a quote and goes on after the closing quote; to keep the "
        "quotes in the text, put the whole value in single quotes, like this: title: '\"Our "
        "promise\" to you'");
  CHECK(problem("title: [Draft] Our plan\n") ==
        "2:8 a value that starts with '[' is read as a list, not as text; put the whole value in "
        "double quotes, like this: title: \"[Draft] Our plan\"");
  CHECK(problem("title: !Important changes\n") ==
        "2:8 a value that starts with '!' is not read as text: YAML gives that character a "
        "meaning of its own; put the whole value in double quotes, like this: title: "
        "\"!Important changes\"");
  CHECK(problem("role: @home lead\n", "content/pledges/01-lead.md") ==
        "2:7 a value that starts with '@' is not read as text: YAML gives that character a "
        "meaning of its own; put the whole value in double quotes, like this: role: \"@home "
        "lead\"");
  CHECK(problem("title: % of children in care\n") ==
        "2:8 a value that starts with '%' is not read as text: YAML gives that character a "
        "meaning of its own; put the whole value in double quotes, like this: title: \"% of "
        "children in care\"");
  CHECK(problem("title: - our plan\n").rfind("2:8 a value that starts with '-'", 0) == 0);
  CHECK(problem("title: > Our plan\n").rfind("2:8 a value that starts with '>'", 0) == 0);
  // Words before the first setting: that line is named, not the setting after it.
  CHECK(problem("DRAFT - for comment\ntitle: Introduction\n") ==
        "2:1 this line is not a setting: write each setting as 'key: value' on a line of its "
        "own; to keep a note for writers here, start the line with '#'");
  // A line that carries on the setting above it, not indented, is not read on into it.
  CHECK(problem("title: Homes\nsummary: How we help care leavers find a home, a job\nand the "
                "support they need.\n") ==
        "4:1 this line is not a setting; if it carries on the summary from line "
        "3, join it to the end of that line (each setting is written on one line), or start it "
        "with two spaces; until then it is left out");

  // So is one with a colon or an address in it, unless its start is a setting's name misspelt.
  CHECK(problem("title: Homes\nsummary: Read more at\nhttps://www.example.gov.uk/plan\n")
            .rfind("4:1 this line is not a setting; if it carries on the summary from line 3", 0) ==
        0);
  CHECK(problem("title: Homes\nsummary: How children and\nyoung people shape our work: "
                "together.\n")
            .rfind("4:1 this line is not a setting; if it carries on the summary", 0) == 0);
  {
    diagnostics diags;
    parse("---\ntitle: Homes\nnav title: Homes\n---\nText.\n", diags);
    CHECK(with_id(diags, "frontmatter.unknown_key").size() == 1);  // did you mean 'nav_title'?
    CHECK(with_id(diags, "frontmatter.syntax").empty());
  }

  // What YAML reads as meant is fine: quotes around the whole value, a quoted value carried on
  // onto indented lines, a line carried on with spaces, and a list of editions.
  diagnostics fine;
  auto page = parse(
      "---\ntitle: \"[Draft] Our plan\"  # for now\nnav_title: 'It''s ours'\nsummary: 'One "
      "long\n  summary'\neditions: [formal]\n---\nText.\n",
      fine);
  REQUIRE(page);
  CHECK_MESSAGE(fine.empty(), all_messages(fine));
  CHECK(page->meta.title == "[Draft] Our plan");
  CHECK(page->meta.nav_title == "It's ours");
  CHECK(page->meta.summary == "One long summary");
  // A quoted value carried on onto a line at the start, as YAML also allows.
  page = parse(
      "---\ntitle: Homes\nsummary: \"What this is for, why it matters\nand how you shape it.\"\n"
      "---\n",
      fine);
  REQUIRE(page);
  CHECK_MESSAGE(fine.empty(), all_messages(fine));
  CHECK(page->meta.summary == "What this is for, why it matters and how you shape it.");
  page = parse("---\ntitle: Homes\nsummary: A home, a job\n  and support.\n---\n", fine);
  REQUIRE(page);
  CHECK_MESSAGE(fine.empty(), all_messages(fine));
  CHECK(page->meta.summary == "A home, a job and support.");
}

TEST_CASE("front matter: a byte-order mark and Windows line endings are taken in stride") {
  diagnostics diags;
  auto page = parse("\xEF\xBB\xBF---\r\ntitle: Hi\r\n---\r\nLine one\r\nLine two\r\n", diags);
  REQUIRE(page);
  CHECK(diags.empty());
  CHECK(page->meta.title == "Hi");
  CHECK(page->body == "Line one\nLine two\n");
  CHECK(page->body_line == 4);
  CHECK(page->head == "---\ntitle: Hi\n---\n");
  CHECK(page->text_size == page->head.size() + page->body.size());
}

TEST_CASE("front matter: a BOM does not shift the columns of errors on the first lines") {
  diagnostics diags;
  CHECK_FALSE(parse("\xEF\xBB\xBF---\r\ntitle: a: b\r\n---\r\n", diags));
  auto found = with_id(diags, "frontmatter.syntax");
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 2);
  CHECK(found[0].col == 9);
}

TEST_CASE("front matter: bytes that are not UTF-8, and NUL bytes, are reported where they are") {
  diagnostics diags;
  auto page = parse("---\ntitle: A\n---\nCaf\xE9 au lait\n", diags);
  REQUIRE(page);  // the rest of the page is still checked
  auto found = with_id(diags, "frontmatter.encoding");
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 4);
  CHECK(found[0].col == 4);
  CHECK(found[0].message.find("UTF-8") != std::string::npos);

  diagnostics nul;
  parse(std::string("---\ntitle: A\n---\nab\0c\n", 22), nul);
  auto nuls = with_id(nul, "frontmatter.encoding");
  REQUIRE(nuls.size() == 1);
  CHECK(nuls[0].line == 4);
  CHECK(nuls[0].col == 3);
  CHECK(nuls[0].message.find("NUL") != std::string::npos);

  diagnostics fine;
  parse("---\ntitle: Café — “quoted” 😀\n---\n", fine);
  CHECK(fine.empty());
}

TEST_CASE("front matter: an unknown key is a warning that suggests the nearest one") {
  diagnostics diags;
  auto page = parse("---\ntitle: A\nsumary: B\n---\n", diags);
  REQUIRE(page);
  CHECK_FALSE(diags.has_errors());
  auto found = with_id(diags, "frontmatter.unknown_key");
  REQUIRE(found.size() == 1);
  CHECK(found[0].level == severity::warning);
  CHECK(found[0].line == 3);
  CHECK(found[0].col == 1);
  CHECK(found[0].message.find("did you mean 'summary'?") != std::string::npos);
  CHECK(page->meta.summary.empty());
}

TEST_CASE("front matter: a '#' after a space in a shown value is a warning to quote the value") {
  diagnostics diags;
  auto page = parse(
      "---\ntitle: We are #1 for care leavers\nsummary: Our plan - see section #4 for details.\n"
      "---\n",
      diags);
  REQUIRE(page);
  CHECK(page->meta.title == "We are");  // what YAML reads, as the warning says
  CHECK_FALSE(diags.has_errors());
  auto found = with_id(diags, "frontmatter.comment");
  REQUIRE(found.size() == 2);
  CHECK(found[0].level == severity::warning);
  CHECK(found[0].line == 2);
  CHECK(found[0].col == 15);
  CHECK(found[0].message ==
        "the text from this '#' on is left out of 'title' (\"#1 for care leavers\"), because a "
        "'#' after a space starts a note that is not published; put the whole value in double "
        "quotes to keep it, like this: title: \"We are #1 for care leavers\"");
  CHECK(found[1].line == 3);
  CHECK(found[1].col == 33);
  CHECK(found[1].message.find("summary: \"Our plan - see section #4 for details.\"") !=
        std::string::npos);

  // Quoted values, notes on lines of their own or after settings that are not shown, and '#'
  // with no space before it are fine.
  diagnostics fine;
  parse(
      "---\n# a note\ntitle: \"We are #1\"\nsummary: 'See section #4.'\nnav_title: No#1\n"
      "layout: page # the default\neditions: [formal] # no young file yet\n  # a note\n---\n",
      fine);
  CHECK(all_messages(fine).empty());

  // A value that is only a note, a note on the line that continues a value, a tab before the
  // '#', a pledge's role, and columns in characters.
  diagnostics more;
  parse("---\ntitle: A\t#1\nnav_title: #1\nsummary: Our plan\n\n  for you #4\n---\n", more);
  found = with_id(more, "frontmatter.comment");
  REQUIRE(found.size() == 3);
  CHECK(found[0].line == 2);
  CHECK(found[0].col == 10);
  CHECK(found[1].line == 3);
  CHECK(found[1].col == 12);
  CHECK(found[1].message.find("like this: nav_title: \"#1\"") != std::string::npos);
  CHECK(found[2].line == 6);
  CHECK(found[2].col == 11);
  CHECK(found[2].message.find("like this") == std::string::npos);  // the value is on two lines

  diagnostics pledge;
  parse("---\nrole: Café #1 \\ \"best\" \n---\nWe will.\n", pledge, "content/pledges/01-a.md");
  found = with_id(pledge, "frontmatter.comment");
  REQUIRE(found.size() == 1);
  CHECK(found[0].col == 12);
  CHECK(found[0].message.find("(\"#1 \\ \"best\"\")") != std::string::npos);
  CHECK(found[0].message.find("role: \"Café #1 \\\\ \\\"best\\\"\"") != std::string::npos);
}

TEST_CASE("front matter: a missing or empty title is an error; other keys are optional") {
  diagnostics diags;
  parse("---\nsummary: B\n---\n", diags);
  auto found = with_id(diags, "frontmatter.required");
  REQUIRE(found.size() == 1);
  CHECK(found[0].message.find("title") != std::string::npos);

  diagnostics empty;
  parse("---\ntitle:\n---\n", empty);
  CHECK(with_id(empty, "frontmatter.required").size() == 1);

  diagnostics none_at_all;
  parse("---\n---\n", none_at_all);
  CHECK(with_id(none_at_all, "frontmatter.required").size() == 1);
}

TEST_CASE("front matter: values of the wrong kind are reported at the value") {
  diagnostics diags;
  parse("---\ntitle: [a, b]\neditions: formal\n---\n", diags);
  auto found = with_id(diags, "frontmatter.type");
  REQUIRE(found.size() == 2);
  CHECK(found[0].line == 2);
  CHECK(found[0].col == 8);
  CHECK(found[1].line == 3);
  CHECK(found[1].message.find("editions: [formal, young]") != std::string::npos);

  diagnostics nested;
  parse("---\ntitle: A\neditions: [formal, [young]]\n---\n", nested);
  CHECK(with_id(nested, "frontmatter.type").size() == 1);

  diagnostics list_root;
  CHECK_FALSE(parse("---\n- title\n---\n", list_root));
  CHECK(with_id(list_root, "frontmatter.type").size() == 1);
}

TEST_CASE("front matter: editions and its position are kept for the loader") {
  diagnostics diags;
  auto page = parse("---\ntitle: A\n  \neditions:\n  - formal\n---\n", diags);
  REQUIRE(page);
  CHECK(diags.empty());
  REQUIRE(page->meta.editions);
  CHECK(*page->meta.editions == std::vector<std::string>{"formal"});
  CHECK(page->meta.editions_pos.line == 4);
  CHECK(page->meta.editions_pos.col == 1);
}

TEST_CASE("front matter: layout must be a template name; a key set twice is an error") {
  diagnostics diags;
  auto page = parse("---\ntitle: A\nlayout: ../secret\n---\n", diags);
  REQUIRE(page);
  CHECK(with_id(diags, "frontmatter.layout").size() == 1);
  CHECK(page->meta.layout == "page");

  diagnostics good;
  auto cards = parse("---\ntitle: A\nlayout: big_cards-2\n---\n", good);
  CHECK(good.empty());
  CHECK(cards->meta.layout == "big_cards-2");

  diagnostics twice;
  parse("---\ntitle: A\ntitle: B\n---\n", twice);
  auto found = with_id(twice, "frontmatter.duplicate");
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 3);
}

TEST_CASE("front matter: pledges need a role and have their own keys") {
  diagnostics diags;
  auto p =
      parse("---\nname: Sam\nsummary: x\n---\nWe will.\n", diags, "content/pledges/01-director.md");
  REQUIRE(p);
  auto required = with_id(diags, "frontmatter.required");
  REQUIRE(required.size() == 1);
  CHECK(required[0].message.find("role") != std::string::npos);
  CHECK(with_id(diags, "frontmatter.unknown_key").size() == 1);  // summary is a page key

  diagnostics fine;
  auto ok = parse("---\nrole: Director\nname: Sam\n---\nWe will.\n", fine,
                  "content/pledges/01-director.md");
  CHECK(fine.empty());
  // A pledge's title would be shown nowhere: said, not dropped quietly.
  diagnostics titled;
  parse("---\nrole: Director\ntitle: Our pledge\n---\nWe will.\n", titled,
        "content/pledges/01-director.md");
  CHECK(with_id(titled, "frontmatter.unknown_key").size() == 1);
  CHECK(ok->meta.role == "Director");
  CHECK(ok->meta.name == "Sam");
}

TEST_CASE("pages: a complete two-edition site loads in order with nothing reported") {
  content_site site;
  site.homes();
  for (std::string stem : {"10-ten", "2-two", "02-alpha"}) {
    site.page(stem + ".md");
    site.page(stem + ".young.md");
  }
  diagnostics diags;
  auto content = load_content(site.dir(), two_editions(), diags);
  CHECK_MESSAGE(diags.empty(), all_messages(diags));
  CHECK(stems(content) == std::vector<std::string>{"index", "02-alpha", "2-two", "10-ten"});
  const section& home = content.sections[0];
  CHECK(home.is_home());
  CHECK(home.order == -1);
  CHECK(home.editions == std::vector<std::string>{"formal", "young"});
  const section& ten = content.sections[3];
  CHECK(ten.slug == "ten");
  CHECK(ten.order == 10);
  REQUIRE(ten.pages.count("young"));
  CHECK(ten.pages.at("young").file == "content/pages/10-ten.young.md");
  CHECK(ten.pages.at("young").edition == "young");
}

TEST_CASE("pages: a missing young file names the file to add and the editions line to write") {
  content_site site;
  site.homes();
  site.page("03-our-promise.md", "Our promise");
  diagnostics diags;
  auto content = load_content(site.dir(), two_editions(), diags);
  auto found = with_id(diags, "edition.missing");
  REQUIRE(found.size() == 1);
  CHECK(found[0].file == "content/pages/03-our-promise.md");
  CHECK(found[0].line == 1);
  CHECK(found[0].message.find(
            "add content/pages/03-our-promise.young.md, or write 'editions: [formal]' in the "
            "front matter if the young edition should not have this section") != std::string::npos);
  REQUIRE(content.sections.size() == 2);
  CHECK(content.sections[1].editions == std::vector<std::string>{"formal"});
  CHECK(content.sections[1].pages.count("young") == 0);
}

TEST_CASE("pages: 'editions: [formal]' means no young file is expected") {
  content_site site;
  site.homes();
  site.write("content/pages/03-terms.md", "---\ntitle: Terms\neditions: [formal]\n---\n");
  diagnostics diags;
  auto content = load_content(site.dir(), two_editions(), diags);
  CHECK_MESSAGE(diags.empty(), all_messages(diags));
  CHECK(content.sections[1].editions == std::vector<std::string>{"formal"});

  // ... and a young file there anyway is not used.
  site.page("03-terms.young.md");
  diagnostics unused;
  load_content(site.dir(), two_editions(), unused);
  auto found = with_id(unused, "edition.unused");
  REQUIRE(found.size() == 1);
  CHECK(found[0].level == severity::warning);
  CHECK(found[0].file == "content/pages/03-terms.young.md");
}

TEST_CASE("pages: a missing file is reported at the editions line when there is one") {
  content_site site;
  site.homes();
  site.write("content/pages/03-terms.md",
             "---\ntitle: Terms\nsummary: x\neditions: [formal, young]\n---\n");
  diagnostics diags;
  load_content(site.dir(), two_editions(), diags);
  auto found = with_id(diags, "edition.missing");
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 4);
}

TEST_CASE("pages: editions must name editions of site.json and include the main one") {
  content_site site;
  site.homes();
  site.write("content/pages/03-terms.md", "---\ntitle: Terms\neditions: [formal, yung]\n---\n");
  site.write("content/pages/04-more.md", "---\ntitle: More\neditions: [young]\n---\n");
  site.page("04-more.young.md");
  diagnostics diags;
  auto content = load_content(site.dir(), two_editions(), diags);
  auto found = with_id(diags, "frontmatter.editions");
  REQUIRE(found.size() == 2);
  CHECK(found[0].file == "content/pages/03-terms.md");
  CHECK(found[0].line == 3);
  CHECK(found[0].col == 20);
  CHECK(found[0].message.find("did you mean 'young'?") != std::string::npos);
  CHECK(found[1].file == "content/pages/04-more.md");
  CHECK(found[1].message.find("editions: [formal, young]") != std::string::npos);
  CHECK(with_id(diags, "edition.missing").empty());
  CHECK(content.sections[2].editions == std::vector<std::string>{"formal", "young"});
}

TEST_CASE("pages: file names that do not fit are reported with the expected shape") {
  content_site site;
  site.homes();
  site.page("3 Our Promise.md");
  site.page("Promise.md");
  site.page("03-our-promise.yung.md");
  site.page("04-extra.formal.md");
  site.page("05-x.MD");
  site.page("28-accent-caf\u00E9.md");
  site.write("content/pages/notes.txt", "notes");
  site.write("content/pages/.DS_Store", "");
  diagnostics diags;
  auto content = load_content(site.dir(), two_editions(), diags);
  CHECK(stems(content) == std::vector<std::string>{"index"});

  auto names = with_id(diags, "page.filename");
  REQUIRE(names.size() == 4);
  CHECK(names[0].file == "content/pages/05-x.MD");
  // An accented letter keeps its letter, as tandem new and headings' ids do.
  CHECK(names[1].file == "content/pages/28-accent-caf\u00E9.md");
  CHECK(names[1].message.find("rename it to 28-accent-cafe.md") != std::string::npos);
  CHECK(names[2].file == "content/pages/3 Our Promise.md");
  CHECK(names[2].message.find("NN-slug.md") != std::string::npos);
  CHECK(names[2].message.find("rename it to 3-our-promise.md") != std::string::npos);
  CHECK(names[3].file == "content/pages/Promise.md");

  auto editions = with_id(diags, "page.edition");
  REQUIRE(editions.size() == 2);
  CHECK(editions[0].file == "content/pages/03-our-promise.yung.md");
  CHECK(editions[0].message.find("did you mean 'young'?") != std::string::npos);
  CHECK(editions[1].file == "content/pages/04-extra.formal.md");
  CHECK(editions[1].message.find("rename this file to 04-extra.md") != std::string::npos);

  auto ignored = with_id(diags, "page.ignored");
  REQUIRE(ignored.size() == 1);
  CHECK(ignored[0].file == "content/pages/notes.txt");
  CHECK(ignored[0].level == severity::warning);
}

TEST_CASE("pages saved with another ending than .md are named with the name to give them") {
  content_site site;
  site.homes();
  site.page("19-housing.md.txt");
  site.page("20-money.markdown");
  site.write("content/pages/21-school.txt", "\xEF\xBB\xBF---\ntitle: School\n---\nText.\n");
  site.write("content/pages/notes.txt", "Ask Sam about the numbers.\n");
  site.write("content/pages/.txt", "---\n");
  diagnostics diags;
  auto content = load_content(site.dir(), two_editions(), diags);
  CHECK(stems(content) == std::vector<std::string>{"index"});
  auto names = with_id(diags, "page.filename");
  REQUIRE(names.size() == 3);
  CHECK(names[0].file == "content/pages/19-housing.md.txt");
  CHECK(names[0].level == severity::error);
  CHECK(names[0].message ==
        "this file is read only when its name ends in '.md'; rename it to 19-housing.md");
  CHECK(names[1].message.find("rename it to 20-money.md") != std::string::npos);
  CHECK(names[2].message.find("rename it to 21-school.md") != std::string::npos);
  // A text file that is not a page is still only left out.
  auto ignored = with_id(diags, "page.ignored");
  REQUIRE(ignored.size() == 1);
  CHECK(ignored[0].file == "content/pages/notes.txt");
}

TEST_CASE("pages: two sections with the same slug are reported at both files") {
  content_site site;
  site.homes();
  for (std::string stem : {"03-promise", "04-promise", "05-other"}) {
    site.page(stem + ".md");
    site.page(stem + ".young.md");
  }
  diagnostics diags;
  load_content(site.dir(), two_editions(), diags);
  auto found = with_id(diags, "page.duplicate_slug");
  REQUIRE(found.size() == 2);
  CHECK(found[0].file == "content/pages/03-promise.md");
  CHECK(found[1].file == "content/pages/04-promise.md");
  CHECK(found[0].message.find("03-promise.md and 04-promise.md") != std::string::npos);
}

TEST_CASE("pages: slugs that are output folders are refused") {
  content_site site;
  site.homes();
  for (std::string stem : {"03-young", "04-media", "05-younger"}) {
    site.write("content/pages/" + stem + ".md", "---\ntitle: A\neditions: [formal]\n---\n");
  }
  diagnostics diags;
  load_content(site.dir(), two_editions(), diags);
  auto found = with_id(diags, "page.reserved_slug");
  REQUIRE(found.size() == 2);
  CHECK(found[0].file == "content/pages/03-young.md");
  CHECK(found[1].file == "content/pages/04-media.md");
}

TEST_CASE("pages: the home page is required in every edition") {
  content_site site;
  site.page("03-a.md");
  site.page("03-a.young.md");
  diagnostics diags;
  load_content(site.dir(), two_editions(), diags);
  CHECK(with_id(diags, "page.missing_home").size() == 1);

  site.page("index.md");
  diagnostics young;
  load_content(site.dir(), two_editions(), young);
  CHECK(with_id(young, "page.missing_home").empty());
  auto found = with_id(young, "edition.missing");
  REQUIRE(found.size() == 1);
  CHECK(found[0].file == "content/pages/index.md");
  CHECK(found[0].message.find("add content/pages/index.young.md") != std::string::npos);
}

TEST_CASE("pages: an edition's file without the main file names the main file to add") {
  content_site site;
  site.homes();
  site.page("07-extra.young.md");
  diagnostics diags;
  auto content = load_content(site.dir(), two_editions(), diags);
  auto found = with_id(diags, "edition.missing");
  REQUIRE(found.size() == 1);
  CHECK(found[0].file == "content/pages/07-extra.young.md");
  CHECK(found[0].message.find("add content/pages/07-extra.md") != std::string::npos);
  CHECK(stems(content) == std::vector<std::string>{"index"});
}

TEST_CASE("pages: a broken file is reported and the rest is still loaded and checked") {
  content_site site;
  site.homes();
  site.write("content/pages/02-broken.md", "---\ntitle: a: b\n---\n");
  site.page("02-broken.young.md");
  site.write("content/pages/03-fine.md", "---\ntitle: Fine\ntitel: x\n---\n");
  diagnostics diags;
  auto content = load_content(site.dir(), two_editions(), diags);
  CHECK(with_id(diags, "frontmatter.syntax").size() == 1);
  CHECK(with_id(diags, "frontmatter.unknown_key").size() == 1);
  auto missing = with_id(diags, "edition.missing");
  REQUIRE(missing.size() == 1);  // only 03-fine's: 02-broken's young file exists
  CHECK(missing[0].file == "content/pages/03-fine.md");
  CHECK(stems(content) == std::vector<std::string>{"index", "02-broken", "03-fine"});
  CHECK(content.sections[1].pages.at("formal").meta.title == "Broken");
  CHECK(content.sections[1].pages.at("formal").stand_in);
  CHECK_FALSE(content.sections[1].pages.at("young").stand_in);
}

TEST_CASE(
    "an edition left out because of its error in site.json: its files are neither read "
    "nor reported") {
  site_config config = two_editions();
  config.editions.pop_back();
  config.dropped_editions = {"young"};
  content_site site;
  site.homes();
  site.write("content/pages/03-terms.md", "---\ntitle: Terms\neditions: [formal, young]\n---\n");
  site.page("03-terms.young.md");
  site.page("04-more.easy.md");
  site.write("content/pledges/01-director.md", "---\nrole: Director\n---\nFormal.\n");
  site.write("content/pledges/01-director.young.md", "---\nrole: Director\n---\nPlain.\n");
  diagnostics diags;
  auto content = load_content(site.dir(), config, diags);
  auto found = diags.sorted();
  REQUIRE_MESSAGE(found.size() == 1, all_messages(diags));  // "easy" is not in site.json at all
  CHECK(found[0].id == "page.edition");
  CHECK(found[0].file == "content/pages/04-more.easy.md");
  CHECK(stems(content) == std::vector<std::string>{"index", "03-terms"});
  CHECK(content.sections[1].editions == std::vector<std::string>{"formal"});
  CHECK(content.sections[1].pages.count("young") == 0);
  REQUIRE(content.pledges.size() == 1);
  CHECK(content.pledges[0].wordings.count("young") == 0);
}

TEST_CASE("pledges: ordered, with and without an edition's own wording") {
  content_site site;
  site.homes();
  site.write("content/pledges/02-chair.md", "---\nrole: Chair\n---\nWe will listen.\n");
  site.write("content/pledges/1-director.md", "---\nrole: Director\nname: Sam\n---\nFormal.\n");
  site.write("content/pledges/1-director.young.md", "---\nrole: Director\n---\nPlain.\n");
  site.write("content/pledges/10-lead.md", "---\nrole: Lead\n---\nText.\n");
  diagnostics diags;
  auto content = load_content(site.dir(), two_editions(), diags);
  CHECK_MESSAGE(diags.empty(), all_messages(diags));
  REQUIRE(content.pledges.size() == 3);
  CHECK(content.pledges[0].slug == "director");
  CHECK(content.pledges[0].order == 1);
  CHECK(content.pledges[0].wordings.size() == 2);
  CHECK(content.pledges[0].wordings.at("young").body == "Plain.\n");
  CHECK(content.pledges[0].wordings.at("formal").meta.name == "Sam");
  CHECK(content.pledges[1].slug == "chair");
  CHECK(content.pledges[1].wordings.size() == 1);
  CHECK(content.pledges[1].wordings.count("formal") == 1);
  CHECK(content.pledges[2].slug == "lead");
}

TEST_CASE("pledges: a wording that cannot be read has a stand-in, not the main wording") {
  content_site site;
  site.homes();
  site.write("content/pledges/01-director.md", "---\nrole: Director\n---\nFormal.\n");
  site.write("content/pledges/01-director.young.md", "---\nrole: [oops\n---\nPlain.\n");
  diagnostics diags;
  auto content = load_content(site.dir(), two_editions(), diags);
  REQUIRE_MESSAGE(diags.sorted().size() == 1, all_messages(diags));
  CHECK(with_id(diags, "frontmatter.syntax").size() == 1);
  REQUIRE(content.pledges.size() == 1);
  const source_page& young = content.pledges[0].wordings.at("young");
  CHECK(young.stand_in);
  CHECK(young.file == "content/pledges/01-director.young.md");
  CHECK(young.body.empty());
  CHECK_FALSE(content.pledges[0].wordings.at("formal").stand_in);
}

TEST_CASE("pledges: an edition's wording without the main file, and a missing role") {
  content_site site;
  site.homes();
  site.write("content/pledges/03-extra.young.md", "---\nrole: Chair\n---\nText.\n");
  site.write("content/pledges/04-norole.md", "---\nname: Sam\n---\nText.\n");
  site.write("content/pledges/index.md", "---\nrole: Chair\n---\nText.\n");
  diagnostics diags;
  auto content = load_content(site.dir(), two_editions(), diags);
  auto missing = with_id(diags, "edition.missing");
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].file == "content/pledges/03-extra.young.md");
  CHECK(missing[0].message.find("add content/pledges/03-extra.md") != std::string::npos);
  auto required = with_id(diags, "frontmatter.required");
  REQUIRE(required.size() == 1);
  CHECK(required[0].file == "content/pledges/04-norole.md");
  CHECK(with_id(diags, "pledge.filename").size() == 1);
  REQUIRE(content.pledges.size() == 1);
  CHECK(content.pledges[0].slug == "norole");
}

TEST_CASE("media: files are listed sorted; links to outside the site are errors") {
  content_site site;
  site.homes();
  site.write("content/media/b.png", "png");
  site.write("content/media/docs/a.pdf", "pdf");
  site.write("outside-content.txt", "x");  // inside the site, outside media: fine
  fs::create_symlink(site.dir() / "outside-content.txt", site.dir() / "content/media/link.txt");
  fs::create_symlink("/etc/hostname", site.dir() / "content/media/secret.txt");
  diagnostics diags;
  auto content = load_content(site.dir(), two_editions(), diags);
  CHECK(content.media == std::vector<std::string>{"b.png", "docs/a.pdf", "link.txt"});
  auto found = with_id(diags, "media.symlink");
  REQUIRE(found.size() == 1);
  CHECK(found[0].file == "content/media/secret.txt");
}

TEST_CASE("front matter: a ',' where a setting should start is a syntax error, not a hang") {
  // yaml-cpp 0.7 loops for ever on these when asked for every document.
  for (const std::string& yaml :
       {std::string(",\n"), std::string("\"a\"\n,\n"), std::string(", title: A\n")}) {
    diagnostics diags;
    CHECK_FALSE(parse("---\n" + yaml + "---\nHello.\n", diags));
    auto found = with_id(diags, "frontmatter.syntax");
    REQUIRE(found.size() == 1);
    CHECK(found[0].line == (yaml[0] == ',' ? 2 : 3));
    CHECK(found[0].col == 1);
    CHECK(found[0].message.find("','") != std::string::npos);
  }
  diagnostics fine;
  auto page = parse("---\ntitle: Safe, happy, heard\n---\n", fine);
  REQUIRE(page);
  CHECK(fine.empty());
  CHECK(page->meta.title == "Safe, happy, heard");
}

TEST_CASE("front matter: too big or too deeply nested is reported before YAML reads it") {
  std::string settings;
  for (int i = 0; settings.size() <= 16 * 1024; ++i) settings += "k" + std::to_string(i) + ": 1\n";
  diagnostics big;
  CHECK_FALSE(parse("---\ntitle: A\n" + settings + "---\n", big));
  REQUIRE(with_id(big, "frontmatter.size").size() == 1);
  CHECK(with_id(big, "frontmatter.size")[0].message.find("16 KB") != std::string::npos);
  CHECK(with_id(big, "frontmatter.unknown_key").empty());

  diagnostics deep;
  CHECK_FALSE(parse("---\ntitle: A\nsummary: " + std::string(30, '[') + "\n---\n", deep));
  auto found = with_id(deep, "frontmatter.syntax");
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 3);
  CHECK(found[0].col == 10 + 20);  // the 21st '['

  diagnostics shallow;
  auto page = parse("---\ntitle: A\neditions: [formal, young]\n---\n", shallow);
  REQUIRE(page);
  CHECK(shallow.empty());
}

TEST_CASE("front matter: a very long layout is refused quickly and quoted short") {
  diagnostics diags;
  auto page = parse("---\ntitle: A\nlayout: " + std::string(12000, 'a') + "B\n---\n", diags);
  REQUIRE(page);
  auto found = with_id(diags, "frontmatter.layout");
  REQUIRE(found.size() == 1);
  CHECK(found[0].message.size() < 300);
  CHECK(page->meta.layout == "page");
}

TEST_CASE("pages: a body over the Markdown limits is reported once and left out") {
  content_site site;
  site.homes();
  site.write("content/pages/01-a.md", "---\ntitle: A\n---\n" + std::string(40000, '>') + "a\n");
  site.page("01-a.young.md");
  diagnostics diags;
  auto content = load_content(site.dir(), two_editions(), diags);
  auto found = with_id(diags, "limit.nesting");
  REQUIRE(found.size() == 1);
  CHECK(found[0].file == "content/pages/01-a.md");
  CHECK(found[0].line == 4);
  auto a = std::find_if(content.sections.begin(), content.sections.end(),
                        [](const section& s) { return s.stem == "01-a"; });
  REQUIRE(a != content.sections.end());
  CHECK(a->pages.at("formal").body.empty());
  CHECK(a->pages.at("young").body == "Text.\n");
}
