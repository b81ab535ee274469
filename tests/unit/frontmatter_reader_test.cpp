// The direct front matter reader (src/frontmatter.cpp) against yaml-cpp: whenever it accepts a
// front matter, the page and every diagnostic must be exactly what yaml-cpp's path gives.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "frontmatter.hpp"

namespace fs = std::filesystem;
using namespace tandem;

namespace {

std::string dump(const diagnostics& diags) {
  std::string out;
  for (const auto& d : diags.sorted()) {
    out += d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.col) + ": " +
           (d.level == severity::error ? "error " : "warning ") + d.message + " [" + d.id + "]\n";
  }
  return out;
}

std::string dump(const std::optional<source_page>& page) {
  if (!page) return "(none)";
  const front_matter& m = page->meta;
  std::string out = "title=" + m.title + "|nav=" + m.nav_title + "|summary=" + m.summary +
                    "|layout=" + m.layout + "|role=" + m.role + "|name=" + m.name + "|editions=";
  if (m.editions) {
    out += "[";
    for (const auto& id : *m.editions) out += id + ";";
    out += "]@" + std::to_string(m.editions_pos.line) + ":" + std::to_string(m.editions_pos.col);
  } else {
    out += "none";
  }
  out += "|file=" + page->file + "|edition=" + page->edition +
         "|body_line=" + std::to_string(page->body_line) + "|body=" + page->body +
         "|head=" + page->head + "|size=" + std::to_string(page->text_size) +
         "|hash=" + std::to_string(page->text_hash);
  return out;
}

struct outcome {
  bool accepted = false;  // the direct reader took it
  std::string simple;
  std::string general;
};

// Reads `text` with both readers; when the direct one accepts it, both results are dumped.
outcome compare(const std::string& text, const std::string& file = "content/pages/01-a.md") {
  outcome out;
  diagnostics simple_diags;
  auto simple =
      parse_source_page_with(file, text, "formal", simple_diags, yaml_reader::simple_only);
  diagnostics general_diags;
  auto general =
      parse_source_page_with(file, text, "formal", general_diags, yaml_reader::yaml_cpp_only);
  out.general = dump(general) + "\n" + dump(general_diags);
  if (!simple) return out;
  out.accepted = true;
  out.simple = dump(simple) + "\n" + dump(simple_diags);
  return out;
}

void check_same(const std::string& text, const std::string& file = "content/pages/01-a.md") {
  CAPTURE(text);
  outcome out = compare(text, file);
  if (out.accepted) CHECK(out.simple == out.general);
}

void check_accepted(const std::string& text, const std::string& file = "content/pages/01-a.md") {
  CAPTURE(text);
  outcome out = compare(text, file);
  CHECK(out.accepted);
  CHECK(out.simple == out.general);
}

void check_declined(const std::string& text) {
  CAPTURE(text);
  CHECK_FALSE(compare(text).accepted);
}

std::string page(const std::string& yaml) {
  return "---\n" + yaml + "---\nBody text.\n";
}

// Values written after 'title: ' in the tests below: ordinary, odd and hostile.
const std::vector<std::string> tricky_values = {
    "Our promise",
    "Our promise  ",
    "Children's rights",
    "\"Our promise: to you\"",
    "'Our promise: to you'",
    "'It''s ours'",
    "''",
    "\"\"",
    "\"a \\\" b\"",
    "\"tab\\there\"",
    "'unclosed",
    "\"unclosed",
    "'a' trailing",
    "\"a\" # comment",
    "'a'   ",
    "a: b",
    "a:b",
    "ends with colon:",
    "a # comment",
    "a#b",
    "#comment",
    "Safe, happy, heard",
    ", leading comma",
    "- dash",
    "-dash",
    "? question",
    "?question",
    ":colon",
    "[a, b]",
    "[a, b",
    "{a: b}",
    "{a",
    "a [b] c",
    "a {b} c",
    "&anchor value",
    "*alias",
    "!tag value",
    "!!str value",
    "|",
    "|-",
    ">",
    "%percent",
    "@at",
    "`tick`",
    "~",
    "null",
    "Null",
    "NULL",
    "nULL",
    "nulls",
    "yes",
    "no",
    "true",
    "False",
    "on",
    "off",
    "0",
    "0x1F",
    "1e3",
    "-1",
    ".5",
    ".inf",
    ".nan",
    "2024-01-01",
    "12:30",
    "a|b",
    "a > b",
    "a & b",
    "a * b",
    "a ! b",
    "a % b",
    "a @ b",
    "a ` b",
    "a 'b' c",
    "a \"b\" c",
    "a\\b",
    "café",
    "naïve – “quoted” ’s",
    "emoji 😀",
    "non\xC2\xA0"
    "breaking",
    "line\xE2\x80\xA8"
    "separator",
    "next\xC2\x85"
    "line",
    "bom\xEF\xBB\xBF"
    "inside",
    "bell\x07",
    "del\x7F",
    "a\tb",
    "\tindented",
    "a  b   c",
    "---",
    "...",
    "--- a",
    "a --- b",
    "<<",
    "= equals",
    "a\\",
    "\\",
    "\"\\\\\"",
    "'\\'",
    "'a''",
    "'''",
    "\"a\"\"b\"",
    "'a' 'b'",
};

}  // namespace

TEST_CASE("direct front matter reader: the common forms are taken, and agree with yaml-cpp") {
  check_accepted(page("title: Our promise\nnav_title: Promise\nsummary: What we promise.\n"));
  check_accepted(page("title: Children's rights, and ours\n"));
  check_accepted(page("title: \"Our promise: to you\"\n"));
  check_accepted(page("title: 'It''s ours: all of it'\n"));
  check_accepted(page("title: A\neditions: [formal]\n"));
  check_accepted(page("title: A\neditions: [ formal , young ]\n"));
  check_accepted(page("title: A\neditions: []\n"));
  check_accepted(page("title: A\n\n\nlayout: home\n"));
  check_accepted(page("title: café – “quoted” ’s 😀\n"));
  check_accepted(page(""));
  check_accepted("---\n---\n");
  check_accepted("---\n...\nbody");
  check_accepted("---\ntitle: A\n---");
  check_accepted("---   \ntitle: A\n---  \n\n# Body\n");
}

TEST_CASE("direct front matter reader: diagnostics and positions match yaml-cpp's") {
  check_accepted(page("titel: A\n"));                      // unknown, with a suggestion
  check_accepted(page("title: A\ncolour: red\n"));         // unknown, no suggestion
  check_accepted(page("title: A\ntitle: B\n"));            // duplicate
  check_accepted(page("title: A\nlayout: Big Page\n"));    // bad layout
  check_accepted(page("title: A\nlayout: 'Big Page'\n"));  // bad layout, quoted: its position
  check_accepted(page("title: A\nlayout: \"x y\"\n"));     // bad layout, double-quoted
  check_accepted(page("title: A\neditions: formal\n"));    // not a list
  check_accepted(page("title: A\neditions: 'formal'\n"));  // not a list
  check_accepted(page("title: [a, b]\n"));                 // a list where text belongs
  check_accepted(page("summary: x\n"));                    // no title
  check_accepted(page("title: ''\n"));                     // empty title
  check_accepted(page("role: Director\nname: A\n"));       // a pledge's keys on a page
  check_accepted(page("role: Director\nname: A\n"), "content/pledges/01-director.md");
  check_accepted(page("title: A\n"), "content/pledges/01-director.md");  // no role
  check_accepted(page("title: A\neditions: [formal, young]\neditions: [formal]\n"));
  check_accepted(
      "\xEF\xBB\xBF"
      "---\r\ntitle: A\r\n---\r\nBody\r\n");  // BOM and CRLF cleaned first
}

TEST_CASE("direct front matter reader: declines what it does not read itself") {
  check_declined(page("title:\n"));
  check_declined(page("title: ~\n"));
  check_declined(page("title: null\n"));
  check_declined(page("null: A\n"));
  check_declined(page("title: A # comment\n"));
  check_declined(page("# comment\ntitle: A\n"));
  check_declined(page("title: A\n  continued\n"));
  check_declined(page(" title: A\n"));
  check_declined(page("title:\tA\n"));
  check_declined(page("title : A\n"));
  check_declined(page("title:A\n"));
  check_declined(page("title: &a A\n"));
  check_declined(page("title: \"a \\\" b\"\n"));
  check_declined(page("editions:\n  - formal\n"));
  check_declined(page("editions: [formal, ]\n"));
  check_declined(page("editions: [formal, ~]\n"));
  check_declined(page("editions: [[formal]]\n"));
  check_declined(page("title: A\n   \n"));
  check_declined(page("title: " + std::string(17 * 1024, 'a') + "\n"));
}

TEST_CASE("direct front matter reader: tricky values agree with yaml-cpp wherever taken") {
  for (const auto& value : tricky_values) {
    check_same(page("title: " + value + "\n"));
    check_same(page("title: A\nlayout: " + value + "\n"));
    check_same(page("title: A\neditions: " + value + "\n"));
    check_same(page("title: A\neditions: [formal, " + value + "]\n"));
    check_same(page(value + ": A\ntitle: B\n"));
    check_same(page("title: B\n" + value + "\n"));
    check_same(page("title: " + value + "\nsummary: " + value + "\n"));
  }
}

TEST_CASE("direct front matter reader: tricky keys and line shapes agree with yaml-cpp") {
  const std::vector<std::string> keys = {
      "title",  "Title",   "TITLE", "nav_title", "nav-title", "_x",      "-x",      "x-",
      "1",      "12title", "yes",   "no",        "true",      "null",    "~",       "é",
      "ti tle", "a.b",     "a/b",   "<<",        "? title",   "- title", "'title'", "\"title\""};
  const std::vector<std::string> separators = {": ", ":  ", ":", " : ", ":\t", "::"};
  for (const auto& key : keys) {
    for (const auto& separator : separators) {
      check_same(page(key + separator + "A\n"));
      check_same(page("title: A\n" + key + separator + "B\n"));
    }
  }
}

TEST_CASE("direct front matter reader: every Markdown file of the repository agrees") {
  const fs::path root = TANDEM_SOURCE_DIR;
  int compared = 0;
  int accepted = 0;
  for (const char* dir : {"content", "tests", "themes", "docs", "bench"}) {
    std::error_code ec;
    if (!fs::is_directory(root / dir, ec)) continue;
    for (fs::recursive_directory_iterator it(root / dir, ec), end; !ec && it != end;
         it.increment(ec)) {
      const auto& path = it->path();
      if (it->is_directory() && path.filename() == "node_modules") {
        it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file() || path.extension() != ".md") continue;
      std::ifstream in(path, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      std::string rel = fs::relative(path, root).generic_string();
      CAPTURE(rel);
      outcome out = compare(text.str(), rel);
      if (out.accepted) {
        ++accepted;
        CHECK(out.simple == out.general);
      }
      ++compared;
    }
  }
  CHECK(compared > 50);
  CHECK(accepted > compared / 2);  // the direct reader does take the usual pages
}

namespace {

// Valid UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF) without NUL,
// decoded one character at a time.
bool valid_utf8_without_nul(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    unsigned c = static_cast<unsigned char>(s[i]);
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t more = 0;
    unsigned value = 0, least = 0;
    if ((c & 0xE0) == 0xC0) {
      more = 1, value = c & 0x1F, least = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      more = 2, value = c & 0x0F, least = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      more = 3, value = c & 0x07, least = 0x10000;
    } else {
      return false;
    }
    if (i + more >= s.size()) return false;
    for (std::size_t k = 1; k <= more; ++k) {
      unsigned b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      value = (value << 6) | (b & 0x3F);
    }
    if (value < least || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return false;
    i += more + 1;
  }
  return true;
}

}  // namespace

TEST_CASE("clean UTF-8 is recognised in long ASCII runs and around every kind of bad byte") {
  std::mt19937 random(20261124);
  const std::vector<std::string> pieces = {"\xC3\xA9",
                                           "\xE2\x80\x94",
                                           "\xF0\x9F\x98\x80",
                                           "\xF4\x8F\xBF\xBF",  // valid
                                           std::string(1, '\0'),
                                           "\xFF",
                                           "\x80",
                                           "\xC3",
                                           "\xE2\x80",
                                           "\xC0\xAF",  // not
                                           "\xED\xA0\x80",
                                           "\xF4\x90\x80\x80",
                                           "\xF8\x88\x80\x80\x80"};
  std::size_t clean = 0, checked = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int parts = static_cast<int>(random() % 6);
    for (int p = 0; p < parts; ++p) {
      text += std::string(random() % 150, static_cast<char>('a' + random() % 26));
      // Mostly valid characters, so that many texts are clean and bad bytes stand alone.
      const std::size_t pick = random() % 10 < 8 ? random() % 4 : random() % pieces.size();
      text += pieces[pick];
    }
    text += std::string(random() % 130, 'z');
    CAPTURE(text);
    REQUIRE(is_clean_utf8(text) == valid_utf8_without_nul(text));
    clean += valid_utf8_without_nul(text) ? 1 : 0;
    ++checked;
  }
  CHECK(clean > checked / 4);  // both answers were asked often
  CHECK(clean < checked);
  CHECK(is_clean_utf8(std::string(1000, 'a')));
  CHECK_FALSE(is_clean_utf8(std::string(1000, 'a') + '\0'));
  CHECK_FALSE(is_clean_utf8(std::string(63, 'a') + "\xE2\x80"));  // cut off at the end
}
