// The faster paths of the checks give what the general ones give: positions of text written as
// it is, a page parsed by the caller, tokens made once for every check, files read on several
// threads.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "checks.hpp"
#include "gfm.hpp"
#include "markdown.hpp"
#include "model.hpp"
#include "render.hpp"
#include "temp_site.hpp"
#include "templates.hpp"

using namespace tandem;
using tandem::testing::temp_site;
namespace fs = std::filesystem;

namespace {

source_page page_with_body(const std::string& body, int body_line = 4) {
  source_page page;
  page.file = "content/pages/01-fast.young.md";
  page.edition = "young";
  page.body = body;
  page.head = std::string(static_cast<std::size_t>(body_line - 1), '\n');
  page.body_line = body_line;
  return page;
}

// Prose that takes every path: text written as it is (ASCII, accents, emoji, CJK), escapes and
// entities (matched byte by byte), code, breaks, emphasis, links, images, tables, lists, task
// lists, strikethrough, autolinks, headings, quotes and raw HTML.
const char* const tricky_body =
    "Caf\u00e9 \u00e0 la cr\u00e8me, na\u00efve \U0001F600 emoji and \u4e2d\u6587 text.\n"
    "Second &amp; line with \\*escapes\\* and &copy; entities, `code 777` too.\n"
    "Hard break here  \n"
    "and a backslash one\\\n"
    "then *emphasis* **strong** [a link](x.md) ![alt 702](a.png) <span>raw</span> end.\n"
    "\n"
    "## A heading with caf\u00e9 and \u2018quotes\u2019\n"
    "\n"
    "- item *two* end\n"
    "  next line \u00e9\u00e9\u00e9\n"
    "- [ ] a task with placement\n"
    "- [x] done ~~struck~~ www.example.org\n"
    "\n"
    "| th\u00e9 | caf\u00e9 | z\u00e9ro |\n"
    "|---|:-:|--:|\n"
    "| 777 | \\| pipe | a &lt; b |\n"
    "\n"
    "> quoted 41.2% text\n"
    "\n"
    "    indented code\n"
    "\n"
    "{{ pledges }}\n";

/// Line and column (in code points) of byte `byte` of body line `line`, counted from scratch.
text_position expected_position(const source_page& page, int line, std::size_t byte) {
  std::size_t start = 0;
  for (int k = 1; k < line; ++k) start = page.body.find('\n', start) + 1;
  int col = 1;
  for (std::size_t k = start; k < start + byte; ++k) {
    if ((static_cast<unsigned char>(page.body[k]) & 0xC0) != 0x80) ++col;
  }
  return {line + page.body_line - 1, col};
}

bool same_blocks(const prose_page& a, const prose_page& b) {
  if (a.components != b.components || a.blocks.size() != b.blocks.size()) return false;
  for (std::size_t i = 0; i < a.blocks.size(); ++i) {
    const prose_block& x = a.blocks[i];
    const prose_block& y = b.blocks[i];
    if (x.kind != y.kind || x.file != y.file || x.text != y.text) return false;
    for (std::size_t k = 0; k < x.text.size(); ++k) {
      text_position p = x.position_at(k), q = y.position_at(k);
      if (p.line != q.line || p.col != q.col) return false;
    }
  }
  return true;
}

bool same_sentences(const std::vector<sentence>& a, const std::vector<sentence>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].file != b[i].file || a[i].pos.line != b[i].pos.line || a[i].pos.col != b[i].pos.col ||
        a[i].words != b[i].words || a[i].syllables != b[i].syllables ||
        a[i].opening() != b[i].opening()) {
      return false;
    }
  }
  return true;
}

std::string all_of(const diagnostics& diags) {
  std::string out;
  for (const diagnostic& d : diags.items()) {
    out += d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.col) + " " + d.id + " " +
           d.message + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("prose positions: every byte of text written as it is sits where the source has it") {
  source_page page = page_with_body(
      "Caf\u00e9 \u00e0 la cr\u00e8me \U0001F600 and \u4e2d\u6587 text, then more words.\n"
      "second line \u00e9\u00e9\u00e9 end\n");
  prose_page prose = extract_prose(page);
  REQUIRE(prose.blocks.size() == 1);
  const prose_block& p = prose.blocks[0];
  std::size_t second = p.text.find("second");
  REQUIRE(second != std::string::npos);
  // The first line's bytes, then (after the soft break's space) the second line's.
  for (std::size_t k = 0; k + 1 < second; ++k) {
    text_position want = expected_position(page, 1, k);
    CHECK(p.position_at(k).line == want.line);
    CHECK(p.position_at(k).col == want.col);
  }
  for (std::size_t k = second; k < p.text.size(); ++k) {
    text_position want = expected_position(page, 2, k - second);
    CHECK(p.position_at(k).line == want.line);
    CHECK(p.position_at(k).col == want.col);
  }
  // The soft break stands where the first line's last byte is.
  CHECK(p.position_at(second - 1).col == p.position_at(second - 2).col);
}

TEST_CASE("prose from a tree the caller parsed is the prose extract_prose parses itself") {
  for (const std::string& body :
       {std::string(tricky_body), std::string(""), std::string("just one line"),
        std::string("{{ chart x }}\n\n# Title\n\ntext\r\nwith CRLF\r\n")}) {
    source_page page = page_with_body(body);
    parser_ptr parser = new_gfm_parser(CMARK_OPT_VALIDATE_UTF8);
    node_ptr document = parse_gfm(parser.get(), page.body);
    CHECK(same_blocks(extract_prose(page, document.get()), extract_prose(page)));
  }
}

TEST_CASE("tokens made once: sentences and words to avoid are what they are with fresh tokens") {
  stats_data stats;
  std::vector<avoid_entry> list;
  avoid_entry entry;
  entry.words = "placement";
  entry.parts = {"placement"};
  entry.instead = {"home"};
  list.push_back(entry);
  prose_page prose = extract_prose(page_with_body(tricky_body));
  REQUIRE(prose.blocks.size() > 5);
  for (const prose_block& block : prose.blocks) {
    std::vector<prose_token> tokens = tokenize(block.text);
    CHECK(same_sentences(split_sentences(block, tokens, stats), split_sentences(block, stats)));
    auto shared = find_words_to_avoid(block, tokens, list);
    auto fresh = find_words_to_avoid(block, list);
    REQUIRE(shared.size() == fresh.size());
    for (std::size_t i = 0; i < shared.size(); ++i) {
      CHECK(shared[i].offset == fresh[i].offset);
      CHECK(shared[i].found == fresh[i].found);
    }
    readability one;
    measure_block(block, tokens, stats, one);
    const std::vector<prose_block> just_this{block};  // the sentences' openings read it
    readability all = measure_readability(just_this, stats);
    CHECK(same_sentences(one.all, all.all));
    CHECK(same_sentences(one.fragments, all.fragments));
    CHECK(one.words == all.words);
    CHECK(one.syllables == all.syllables);
    CHECK(one.sentences == all.sentences);
  }
}

TEST_CASE("checks on several threads find what one thread finds, in the same order") {
  temp_site site;
  site.write("content/site.json", R"({
  "title": "Test",
  "editions": [
    { "id": "formal", "name": "Full", "path": "", "checks": { "max_grade": 6, "max_sentence_words": 12 } },
    { "id": "young", "name": "Young", "path": "young", "checks": { "max_grade": 3, "max_sentence_words": 8 } }
  ]
}
)");
  site.write("content/data/stats.json", R"({ "as_of": "2025-12-14", "figures": {
    "children_in_care": { "label": "children looked after", "value": 777 } } })");
  // Enough files for the checks to share them out between threads.
  for (int i = 0; i < 40; ++i) {
    std::string name = "content/pages/" + std::string(i < 10 ? "0" : "") + std::to_string(i) + "-p";
    std::string body = "---\ntitle: Page " + std::to_string(i) + " about placement\n---\n" +
                       tricky_body + "\nWe look after 777 children in a placement, and the NHS " +
                       "and CAMHS extraordinarily collaboratively support " + std::to_string(i) +
                       "00 families with responsibilities and opportunities every single day.\n";
    site.write(name + ".md", body);
    if (i % 2 == 0) site.write(name + ".young.md", body);
  }
  for (int i = 0; i < 12; ++i) {
    site.write("content/pledges/" + std::to_string(10 + i) + "-x.md",
               "---\nrole: Lead\n---\nI will stop every placement move, about 780 of them, LAC.\n");
  }
  const char* before = std::getenv("TANDEM_THREADS");
  std::string saved = before ? before : "";
  auto run_with = [&](const char* threads) {
    ::setenv("TANDEM_THREADS", threads, 1);
    diagnostics loading;
    auto model = load_site(site.dir(), loading);
    REQUIRE(model);
    diagnostics diags;
    run_checks(*model, civil_date{2026, 1, 10}, diags);
    return all_of(diags);
  };
  std::string one = run_with("1");
  CHECK(one.find("words.avoid") != std::string::npos);
  CHECK(one.find("figure.literal") != std::string::npos);
  CHECK(one.find("readability.sentence") != std::string::npos);
  CHECK(run_with("2") == one);
  CHECK(run_with("5") == one);
  if (before)
    ::setenv("TANDEM_THREADS", saved.c_str(), 1);
  else
    ::unsetenv("TANDEM_THREADS");
}

TEST_CASE("the prose the renderer keeps is what the checks would read, and checks the same") {
  // The example, a site of three editions, and one with every check's warning planted.
  fs::path source = fs::path(TANDEM_SOURCE_DIR);
  temp_site planted;
  planted.copy(source / "tests/invalid/_base");
  planted.copy(source / "tests/invalid/every-check-at-once/content", "content");
  for (const fs::path& site : {source, source / "tests/sites/three-editions", planted.dir()}) {
    CAPTURE(site);
    diagnostics loading;
    auto model = load_site(site, loading);
    REQUIRE(model);
    diagnostics ignored;
    template_set templates = template_set::load(site, ignored);
    render_options options;
    options.keep_prose = true;
    site_renderer renderer(options);
    renderer.render(*model, templates, ignored);
    auto kept = renderer.take_prose();
    std::size_t pages = 0;
    for (const section& sec : model->content.sections) pages += sec.pages.size();
    CHECK(kept.size() == pages);
    for (const auto& [page, prose] : kept) {
      CAPTURE(page->file);
      CHECK(same_blocks(prose, extract_prose(*page)));
    }
    CHECK(renderer.take_prose().empty());  // handed over once

    // The checks given that prose find what they find reading every page themselves.
    const civil_date today{2026, 1, 10};
    diagnostics offered, read;
    check_cache cache;
    cache.offer_prose(std::move(kept));
    run_checks(*model, today, cache, offered);
    run_checks(*model, today, read);
    CHECK(all_of(offered) == all_of(read));
    // And dropping each file's tokens as soon as they are used changes nothing either.
    diagnostics once;
    check_cache used_once;
    used_once.use_once();
    run_checks(*model, today, used_once, once);
    CHECK(all_of(once) == all_of(read));
    if (site == planted.dir()) CHECK(offered.warning_count() >= 7);
  }
}

TEST_CASE("prose read while the page is parsed for rendering sits where the source has it") {
  // Read from the tree as cmark-gfm gives it, before the renderer joins adjacent text nodes,
  // as extract_prose reads it: entities, backslash escapes, headings, lists and tables.
  site_model model;
  for (std::string body :
       {"We will&mdash;deliver more, 20&nbsp;per cent &amp; more.\n",
        "A \\*starred\\* word, a \\[bracket\\] and caf&eacute; &#8212; then words.\n",
        "# Heading &amp; more\n\n- item&nbsp;one\n- item \\_two\\_\n\n| a&amp;b | c "
        "|\n|---|---|\n| "
        "d&lt;e | f |\n"}) {
    CAPTURE(body);
    source_page page = page_with_body(body);
    diagnostics diags;
    parsed_markdown parsed = parse_markdown(page, model, diags, true);
    std::optional<prose_page> kept = parsed.take_prose();
    REQUIRE(kept);
    CHECK(same_blocks(*kept, extract_prose(page)));
    CHECK_FALSE(parsed.take_prose());  // handed over once
  }
  // Not asked for: none.
  diagnostics diags;
  parsed_markdown plain = parse_markdown(page_with_body("Some words.\n"), model, diags);
  CHECK_FALSE(plain.take_prose());
}
