// Syllables, prose from Markdown, tokens, sentences and the Flesch-Kincaid grade.
#include <doctest/doctest.h>

#include <algorithm>
#include <deque>
#include <string>
#include <thread>
#include <vector>

#include "prose.hpp"
#include "readability.hpp"

using namespace tandem;

namespace {

source_page page_with_body(const std::string& body, int body_line = 5) {
  source_page page;
  page.file = "content/pages/01-test.young.md";
  page.edition = "young";
  page.body = body;
  page.head = std::string(static_cast<std::size_t>(body_line - 1), '\n');
  page.body_line = body_line;
  return page;
}

stats_data small_stats() {
  stats_data stats;
  stats.as_of = "2025-12-14";
  stats.as_of_year = 2025;
  stats.as_of_month = 12;
  stats.as_of_day = 14;
  figure care;
  care.key = "children_in_care";
  care.label = "children looked after";
  care.value = 777;
  care.value_text = "777";
  figure foster;
  foster.key = "foster_care";
  foster.label = "children living with foster carers";
  foster.value = 41.2;
  foster.value_text = "41.2";
  foster.unit = figure_unit::percent;
  stats.figures = {{care.key, care}, {foster.key, foster}};
  stats.figure_order = {care.key, foster.key};
  return stats;
}

// The blocks stay for the whole test run: a sentence's opening is read from its block's text.
std::vector<sentence> sentences_of(const std::string& text) {
  static std::deque<prose_block> blocks;
  prose_block& block = blocks.emplace_back();
  block.file = "f.md";
  block.append(text, text_position{1, 1});
  return split_sentences(block, small_stats());
}

std::vector<int> word_counts(const std::vector<sentence>& sentences) {
  std::vector<int> counts;
  for (const sentence& s : sentences) counts.push_back(s.words);
  return counts;
}

std::vector<std::string> token_texts(const std::string& text, token_kind kind) {
  std::vector<std::string> out;
  for (const prose_token& t : tokenize(text)) {
    if (t.kind == kind) out.emplace_back(t.text);
  }
  return out;
}

}  // namespace

TEST_CASE("syllables: vowel groups, silent e, -es and -ed endings") {
  CHECK(count_syllables("cat") == 1);
  CHECK(count_syllables("the") == 1);
  CHECK(count_syllables("a") == 1);
  CHECK(count_syllables("make") == 1);
  CHECK(count_syllables("makes") == 1);
  CHECK(count_syllables("boxes") == 2);
  CHECK(count_syllables("pages") == 2);
  CHECK(count_syllables("looked") == 1);
  CHECK(count_syllables("wanted") == 2);
  CHECK(count_syllables("needed") == 2);
  CHECK(count_syllables("table") == 2);
  CHECK(count_syllables("tables") == 2);
  CHECK(count_syllables("troubled") == 2);
  CHECK(count_syllables("called") == 1);
  CHECK(count_syllables("centre") == 2);
  CHECK(count_syllables("whole") == 1);
  CHECK(count_syllables("happy") == 2);
  CHECK(count_syllables("myth") == 1);
  CHECK(count_syllables("yes") == 1);
}

TEST_CASE("syllables: vowels sounded apart, and ones that are not") {
  CHECK(count_syllables("going") == 2);
  CHECK(count_syllables("being") == 2);
  CHECK(count_syllables("studying") == 3);
  CHECK(count_syllables("player") == 2);
  CHECK(count_syllables("create") == 2);
  CHECK(count_syllables("idea") == 3);
  CHECK(count_syllables("usual") == 3);
  CHECK(count_syllables("radio") == 3);
  CHECK(count_syllables("period") == 3);
  CHECK(count_syllables("science") == 2);
  CHECK(count_syllables("quiet") == 2);
  CHECK(count_syllables("society") == 4);
  CHECK(count_syllables("nation") == 2);
  CHECK(count_syllables("special") == 2);
  CHECK(count_syllables("friend") == 1);
  CHECK(count_syllables("people") == 2);
  CHECK(count_syllables("great") == 1);
  CHECK(count_syllables("language") == 2);
  CHECK(count_syllables("question") == 2);
  CHECK(count_syllables("autism") == 3);
  CHECK(count_syllables("rhythm") == 2);
}

TEST_CASE("syllables: silent e at the seam of a suffix or a compound") {
  CHECK(count_syllables("placement") == 2);
  CHECK(count_syllables("lovely") == 2);
  CHECK(count_syllables("careful") == 2);
  CHECK(count_syllables("something") == 2);
  CHECK(count_syllables("sometimes") == 2);
  CHECK(count_syllables("homework") == 2);
  CHECK(count_syllables("safeguarding") == 3);
  CHECK(count_syllables("element") == 3);  // not ele + ment
}

TEST_CASE("syllables: case, apostrophes, hyphens, letters said one by one") {
  CHECK(count_syllables("Children's") == 2);
  CHECK(count_syllables("don\u2019t") == 1);
  CHECK(count_syllables("care-experienced") == 5);
  CHECK(count_syllables("PLACEMENT") == 2);
  CHECK(count_syllables("tv") == 2);
  CHECK(count_syllables("café") == 2);
  CHECK(count_syllables("") == 1);
}

TEST_CASE("Flesch-Kincaid grade is the published formula") {
  // 100 words, 5 sentences, 150 syllables: 0.39 * 20 + 11.8 * 1.5 - 15.59
  CHECK(flesch_kincaid_grade(100, 5, 150) == doctest::Approx(9.91));
  CHECK(flesch_kincaid_grade(10, 2, 10) == doctest::Approx(0.39 * 5 + 11.8 - 15.59));
  CHECK(flesch_kincaid_grade(0, 0, 0) == 0);
}

TEST_CASE("tokens: words, numbers with commas and decimals, percents, figures, code") {
  std::string text =
      "We look after 1,234 children (41.2% of them), e.g. in {{ a:b }} or `x` LGBT+.";
  text.replace(text.find("`x`"), 3, std::string(1, code_placeholder));
  CHECK(token_texts(text, token_kind::number) == std::vector<std::string>{"1,234", "41.2%"});
  CHECK(token_texts(text, token_kind::figure) == std::vector<std::string>{"{{ a:b }}"});
  CHECK(token_texts(text, token_kind::code).size() == 1);
  auto words = token_texts(text, token_kind::word);
  CHECK(std::find(words.begin(), words.end(), "e.g.") != words.end());
  CHECK(std::find(words.begin(), words.end(), "LGBT+") != words.end());
  // A comma not followed by three digits separates numbers; "25th" is a word.
  CHECK(token_texts("1,2 and 3,45 and 25th", token_kind::number) ==
        std::vector<std::string>{"1", "2", "3", "45"});
  CHECK(token_texts("care-experienced don\u2019t", token_kind::word) ==
        std::vector<std::string>{"care-experienced", "don\u2019t"});
}

TEST_CASE("acronyms are two capitals or more, with + or a plural s") {
  CHECK(is_acronym("PEP"));
  CHECK(is_acronym("UASC"));
  CHECK(is_acronym("LGBT+"));
  CHECK(is_acronym("GPs"));
  CHECK_FALSE(is_acronym("I"));
  CHECK_FALSE(is_acronym("Pep"));
  CHECK_FALSE(is_acronym("As"));
}

TEST_CASE("sentences: abbreviations, decimals, initials and web addresses do not end one") {
  auto s = sentences_of(
      "Dr. Smith met us at 9 a.m. on Monday. We looked at 41.2% of cases, e.g. reviews. "
      "Then we left! Did you? J. Smith runs www.example.org for us.");
  CHECK(word_counts(s) == std::vector<int>{9, 8, 3, 2, 6});
  CHECK(s[0].opening() == "Dr. Smith met us at 9 ...");
  CHECK(s[2].opening() == "Then we left");
  // Line breaks and runs of spaces are one space; code is "...".
  std::string code(1, code_placeholder);
  auto spaced = sentences_of("We  will\nlook at\t" + code + " and" + code + "it, then stop. " +
                             "We\n" + code + "it  now.");
  REQUIRE(spaced.size() == 2);
  CHECK(spaced[0].opening() == "We will look at ... and ...");
  CHECK(spaced[1].opening() == "We ...it now");
}

TEST_CASE("sentences: a closing quote or bracket stays with its sentence") {
  auto s = sentences_of("He said \"We care.\" Then he went (quickly.) Done.");
  CHECK(word_counts(s) == std::vector<int>{4, 4, 1});
}

TEST_CASE("sentences: a figure counts as the words it shows, a number as one short word") {
  auto s = sentences_of("We look after {{ children_in_care:about }} children.");
  REQUIRE(s.size() == 1);
  CHECK(s[0].words == 6);  // We look after about 780 children
  CHECK(s[0].syllables == 1 + 1 + 2 + 2 + 1 + 2);
  auto numbers = sentences_of("We look after 1,234 children.");
  REQUIRE(numbers.size() == 1);
  CHECK(numbers[0].words == 5);
  CHECK(numbers[0].syllables == 1 + 1 + 2 + 1 + 2);
  // An acronym is said letter by letter.
  auto acronym = sentences_of("The NHS helps.");
  REQUIRE(acronym.size() == 1);
  CHECK(acronym[0].syllables == 1 + 3 + 1);
}

TEST_CASE("prose from Markdown: kinds of block, code and images left out, components noted") {
  auto prose = extract_prose(page_with_body(
      "## A heading\n"
      "\n"
      "A paragraph with *emphasis*, a [link](x.md), `code 777` and ![alt 702](a.png) here.\n"
      "\n"
      "- a fragment\n"
      "- A full sentence.\n"
      "\n"
      "| cell one | cell two |\n"
      "|---|---|\n"
      "| 777 | x |\n"
      "\n"
      "```\n"
      "code block 777\n"
      "```\n"
      "\n"
      "{{ pledges }}\n"));
  REQUIRE(prose.blocks.size() >= 6);
  CHECK(prose.blocks[0].kind == prose_kind::heading);
  CHECK(prose.blocks[1].kind == prose_kind::paragraph);
  CHECK(prose.blocks[1].text ==
        std::string("A paragraph with emphasis, a link, ") + code_placeholder + " and  here.");
  CHECK(prose.blocks[2].kind == prose_kind::list_item);
  CHECK(prose.blocks[2].is_fragment());
  CHECK(prose.blocks[3].kind == prose_kind::list_item);
  CHECK_FALSE(prose.blocks[3].is_fragment());
  CHECK(prose.blocks[4].kind == prose_kind::table_cell);
  for (const prose_block& b : prose.blocks) CHECK(b.text.find("code block") == std::string::npos);
  CHECK(prose.components == std::vector<std::string>{"pledges"});
}

TEST_CASE("prose positions: file lines after the front matter, columns in code points") {
  auto prose =
      extract_prose(page_with_body("Caf\u00e9 first. Second &amp; more \\*here\\*.\n"
                                   "Third line continues.\n"
                                   "\n"
                                   "- item *two* end\n"
                                   "  next line\n",
                                   7));
  REQUIRE(prose.blocks.size() == 2);
  const prose_block& p = prose.blocks[0];
  auto at = [&](const std::string& needle) { return p.position_at(p.text.find(needle)); };
  CHECK(at("Second").line == 7);
  CHECK(at("Second").col == 13);  // "Café first. " is 12 code points
  CHECK(at("more").col == 26);    // "&amp;" is one character in the text, five in the file
  CHECK(at("here").col == 33);
  CHECK(at("Third").line == 8);
  CHECK(at("Third").col == 1);
  const prose_block& item = prose.blocks[1];
  CHECK(item.position_at(item.text.find("two")).line == 10);
  CHECK(item.position_at(item.text.find("two")).col == 9);
  CHECK(item.position_at(item.text.find("next")).line == 11);
  CHECK(item.position_at(item.text.find("next")).col == 3);
}

TEST_CASE("front matter prose: title, nav_title and summary on their lines") {
  source_page page;
  page.file = "content/pages/01-x.md";
  page.head = "---\ntitle: \"Our placement\"\nlayout: page\nsummary: A short one.\n---\n";
  page.body = "Body\n";
  page.body_line = 6;
  auto blocks = front_matter_prose(page);
  REQUIRE(blocks.size() == 2);
  CHECK(blocks[0].text == "Our placement");
  CHECK(blocks[0].position_at(4).line == 2);
  CHECK(blocks[0].position_at(4).col == 13);
  CHECK(blocks[1].text == "A short one.");
  CHECK(blocks[1].position_at(0).line == 4);
}

TEST_CASE("readability counts only prose: headings, table cells and fragments are left out") {
  auto prose = extract_prose(
      page_with_body("## Understanding organisational responsibilities\n"
                     "\n"
                     "We care. You matter.\n"
                     "\n"
                     "- characteristically bureaucratic administrative considerations\n"
                     "- We listen.\n"
                     "\n"
                     "| institutionalisation | internationalisation |\n"
                     "|---|---|\n"
                     "| x | y |\n"));
  readability r = measure_readability(prose.blocks, small_stats());
  CHECK(r.sentences == 3);
  CHECK(r.words == 6);
  CHECK(r.syllables == 8);  // we care you mat-ter we lis-ten
  CHECK(r.fragments.size() == 1);
  CHECK(r.longest() == 4);  // the fragment's length is still known
  CHECK(r.grade() == doctest::Approx(flesch_kincaid_grade(6, 3, 8)));
}

TEST_CASE("syllables: a word counts the same every time, in any case and on any thread") {
  // Counts are remembered per thread after the first: the remembered answer must be the
  // rules' answer, and must not leak between words that share a beginning.
  const std::vector<std::pair<std::string, int>> words = {
      {"placement", 2}, {"place", 1},      {"placements", 2},       {"care-experienced", 5},
      {"PLACEMENT", 2}, {"Children's", 2}, {"responsibilities", 6}, {"tv", 2}};
  for (int round = 0; round < 3; ++round) {
    for (const auto& [word, expected] : words) CHECK(count_syllables(word) == expected);
  }
  std::vector<int> on_other_thread;
  std::thread other([&] {
    for (const auto& entry : words) on_other_thread.push_back(count_syllables(entry.first));
  });
  other.join();
  for (std::size_t i = 0; i < words.size(); ++i) CHECK(on_other_thread[i] == words[i].second);
}

TEST_CASE("syllables: remembered counts stay right past the most words a thread remembers") {
  // 150,000 different words of 1 to 6 pieces: more than the 65,536 a thread remembers, so
  // the table grows, then is emptied and filled again.
  const std::vector<std::string> pieces = {"ca", "re", "ex",   "pe", "ri",  "en", "ced",  "ment",
                                           "s",  "lo", "oked", "af", "ter", "ly", "tion", "y"};
  std::vector<std::string> words;
  for (std::size_t n = 0; words.size() < 150000; ++n) {
    std::string word;
    for (std::size_t k = n + 1; k > 0; k /= pieces.size()) word += pieces[k % pieces.size()];
    words.push_back(word);
  }
  words.push_back(std::string(100, 'a') + "e");  // too long to be remembered
  std::vector<int> first, again;
  // 20,000 words: the table grows several times, and keeps what it has.
  std::thread growing([&] {
    for (std::size_t i = 0; i < 20000; ++i) first.push_back(count_syllables(words[i]));
    for (std::size_t i = 0; i < 20000; ++i) again.push_back(count_syllables(words[i]));
  });
  growing.join();
  CHECK(first == again);
  first.clear();
  again.clear();
  std::thread counter([&] {
    for (const std::string& w : words) first.push_back(count_syllables(w));
    for (std::size_t i = words.size(); i-- > 0;) again.push_back(count_syllables(words[i]));
  });
  counter.join();
  std::reverse(again.begin(), again.end());
  CHECK(first == again);
  // A fresh thread counts each word for the first time, by the rules.
  std::vector<int> fresh;
  std::thread other([&] {
    for (std::size_t i = 0; i < words.size(); i += 997) fresh.push_back(count_syllables(words[i]));
  });
  other.join();
  for (std::size_t i = 0, k = 0; i < words.size(); i += 997, ++k) CHECK(fresh[k] == first[i]);
  CHECK(count_syllables("careexperienced") == 5);
}
TEST_CASE("prose positions: columns stay right along a long line and across table cells") {
  std::string line;
  for (int i = 0; i < 200; ++i) line += "caf\u00e9 ";  // 5 code points, 6 bytes each
  line += "end of line.";
  auto prose = extract_prose(page_with_body(line + "\n\n| th\u00e9 | caf\u00e9 | z\u00e9ro |\n"
                                                   "|---|---|---|\n"
                                                   "| \u00e9t\u00e9 | bon | fin |\n",
                                            3));
  REQUIRE(prose.blocks.size() == 7);
  const prose_block& p = prose.blocks[0];
  CHECK(p.position_at(p.text.find("end")).line == 3);
  CHECK(p.position_at(p.text.find("end")).col == 1001);
  CHECK(p.position_at(p.text.find("caf", 500)).col == 5 * 84 + 1);
  auto cell = [&](std::size_t i) { return prose.blocks[i].position_at(0); };
  CHECK(cell(1).line == 5);
  CHECK(cell(1).col == 3);  // "| " before "thé"
  CHECK(cell(2).col == 9);  // "| thé | "
  CHECK(cell(3).col == 16);
  CHECK(cell(4).line == 7);
  CHECK(cell(4).col == 3);
  CHECK(cell(5).col == 9);  // "| été | "
}
