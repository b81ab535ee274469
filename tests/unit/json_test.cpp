#include <doctest/doctest.h>

#include <string>

#include "json.hpp"

using namespace tandem;

namespace {

struct parsed {
  std::optional<json_value> value;
  std::vector<diagnostic> problems;
};

parsed parse(std::string_view text) {
  diagnostics diags;
  auto value = parse_json(text, "content/data/stats.json", "stats", diags);
  return {std::move(value), diags.sorted()};
}

// The one problem a parse reported; fails the test if there is not exactly one.
diagnostic only_problem(const parsed& p) {
  REQUIRE(p.problems.size() == 1);
  return p.problems.front();
}

bool mentions(const diagnostic& d, std::string_view text) {
  return d.message.find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("reads values with their positions") {
  auto p =
      parse("{\n  \"title\": \"Our Children\",\n  \"n\": [1, 2.50, -3e2, true, false, null]\n}");
  REQUIRE(p.value.has_value());
  CHECK(p.problems.empty());
  const json_value& root = *p.value;
  CHECK(root.is_object());
  CHECK(root.pos.line == 1);
  CHECK(root.pos.col == 1);
  REQUIRE(root.members.size() == 2);
  CHECK(root.members[0].first == "title");
  CHECK(root.key_positions[0].line == 2);
  CHECK(root.key_positions[0].col == 3);
  const json_value* title = root.find("title");
  REQUIRE(title != nullptr);
  CHECK(title->is_string());
  CHECK(title->string == "Our Children");
  CHECK(title->pos.line == 2);
  CHECK(title->pos.col == 12);
  const json_value* n = root.find("n");
  REQUIRE(n != nullptr);
  REQUIRE(n->is_array());
  REQUIRE(n->items.size() == 6);
  CHECK(n->items[1].number == 2.5);
  CHECK(n->items[1].number_text == "2.50");  // as written, not re-formatted
  CHECK(n->items[1].pos.col == 12);
  CHECK(n->items[2].number == -300);
  CHECK(n->items[2].number_text == "-3e2");
  CHECK(n->items[3].type == json_value::kind::boolean);
  CHECK(n->items[3].boolean);
  CHECK_FALSE(n->items[4].boolean);
  CHECK(n->items[5].type == json_value::kind::null);
  CHECK(root.find("missing") == nullptr);
}

TEST_CASE("columns count code points, not bytes") {
  auto p = parse("{\"caf\xC3\xA9 \xE2\x80\x94\": 1, \"b\": 2}");
  REQUIRE(p.value.has_value());
  CHECK(p.value->key_positions[1].col == 15);
  auto bad = parse("{\"\xC3\xA9\xC3\xA9\": x}");
  CHECK(only_problem(bad).col == 8);
}

TEST_CASE("string escapes") {
  auto p = parse(R"(["a\"b\\c\/d\n\t", "\u00e9", "\ud83d\ude00", "\u20AC"])");
  REQUIRE(p.value.has_value());
  CHECK(p.problems.empty());
  CHECK(p.value->items[0].string == "a\"b\\c/d\n\t");
  CHECK(p.value->items[1].string == "\xC3\xA9");
  CHECK(p.value->items[2].string == "\xF0\x9F\x98\x80");
  CHECK(p.value->items[3].string == "\xE2\x82\xAC");
}

TEST_CASE("a missing comma is reported where the next value starts, and the rest is read") {
  auto p = parse("{\n  \"care_leavers\": 702\n  \"foster_care\": 41.2\n}");
  REQUIRE(p.value.has_value());
  REQUIRE(p.value->members.size() == 2);
  CHECK(p.value->members[1].first == "foster_care");
  CHECK(p.value->members[1].second.number == 41.2);
  diagnostic d = only_problem(p);
  CHECK(d.file == "content/data/stats.json");
  CHECK(d.id == "stats.syntax");
  CHECK(d.level == severity::error);
  CHECK(d.line == 3);
  CHECK(d.col == 3);
  CHECK(d.message ==
        "expected ',' or '}' after the value of \"care_leavers\"; check for a missing comma");
}

TEST_CASE("a missing comma in a list") {
  auto p = parse("[1,\n 2\n 3, {\"a\": 1} [4] \"five\"]");
  auto problems = p.problems;
  REQUIRE(problems.size() == 3);
  CHECK(problems[0].line == 3);
  CHECK(problems[0].col == 2);
  CHECK(problems[0].message ==
        "expected ',' or ']' after item 2 of the list; check for a missing comma");
  CHECK(mentions(problems[1], "after item 4 of the list"));
  CHECK(mentions(problems[2], "after item 5 of the list"));
  REQUIRE(p.value.has_value());
  CHECK(p.value->items.size() == 6);
  // What cannot start an item is not taken for one.
  auto word = parse("[1 two]");
  CHECK_FALSE(word.value.has_value());
  CHECK(mentions(only_problem(word), "check for a missing comma"));
}

TEST_CASE("a trailing comma is reported at the comma, and the rest is read") {
  auto p = parse("{\n  \"a\": 1,\n}");
  auto d = only_problem(p);
  CHECK(d.line == 2);
  CHECK(d.col == 9);
  CHECK(mentions(d, "remove this comma"));
  REQUIRE(p.value.has_value());
  CHECK(p.value->members.size() == 1);
  auto list = parse("{\"x\": [1, 2, ], \"y\": 3}");
  auto in_list = only_problem(list);
  CHECK(in_list.col == 12);
  CHECK(mentions(in_list, "remove this comma"));
  REQUIRE(list.value.has_value());
  CHECK(list.value->members.size() == 2);
  CHECK(list.value->members[0].second.items.size() == 2);
}

TEST_CASE("past twenty commas left out or one too many, the parse stops") {
  std::string twenty = "{\"a0\": 0";
  for (int i = 1; i <= 20; ++i) twenty += " \"a" + std::to_string(i) + "\": 0";
  auto read = parse(twenty + "}");
  CHECK(read.problems.size() == 20);
  REQUIRE(read.value.has_value());
  CHECK(read.value->members.size() == 21);
  auto stopped = parse(twenty + " \"a21\": 0}");
  CHECK(stopped.problems.size() == 21);
  CHECK_FALSE(stopped.value.has_value());
}

TEST_CASE("the usual mistakes get plain messages") {
  auto single = only_problem(parse("{\"a\": 'x'}"));
  CHECK(single.col == 7);
  CHECK(mentions(single, "single quotes"));

  auto curly = only_problem(parse("{\"a\": \xE2\x80\x9Cx\xE2\x80\x9D}"));
  CHECK(mentions(curly, "curly quote"));

  auto unquoted = only_problem(parse("{\n  title: \"x\"\n}"));
  CHECK(unquoted.line == 2);
  CHECK(unquoted.col == 3);
  CHECK(mentions(unquoted, "write \"title\""));

  auto comment = only_problem(parse("{\"a\": // note\n 1}"));
  CHECK(mentions(comment, "comments"));

  auto capital = only_problem(parse("{\"a\": True}"));
  CHECK(mentions(capital, "lower case"));

  auto word = only_problem(parse("{\"title\": Our Children}"));
  CHECK(word.col == 11);
  CHECK(mentions(word, "expected the value of \"title\", but found 'Our'"));

  auto colon = only_problem(parse("{\"a\" 1}"));
  CHECK(mentions(colon, "expected ':' after the name \"a\""));

  auto plus = only_problem(parse("[+1]"));
  CHECK(mentions(plus, "'+'"));

  auto zero = only_problem(parse("[07]"));
  CHECK(mentions(zero, "write 7, not 07"));
  // The writer's own number, not an example.
  CHECK(mentions(only_problem(parse("[0777]")), "write 777, not 0777"));
  CHECK(mentions(only_problem(parse("[-0012]")), "write -12, not -0012"));
  CHECK(mentions(only_problem(parse("[000]")), "write 0, not 000"));

  auto point = only_problem(parse("[5.]"));
  CHECK(mentions(point, "cannot end with '.'"));
  CHECK(mentions(only_problem(parse("[777.]")), "write 777, not 777."));

  // A note where a name is expected says what it is too.
  auto note = only_problem(parse("{\n// updated March 2026\n\"a\": 1}"));
  CHECK(note.line == 2);
  CHECK(mentions(note, "JSON does not allow notes (comments)"));
  CHECK(mentions(only_problem(parse("{/* x */ \"a\": 1}")), "notes (comments)"));

  auto thousands = only_problem(parse("[1 234]"));
  CHECK(thousands.col == 4);

  auto unit = only_problem(parse("[41.2%]"));
  CHECK(unit.col == 6);

  auto percent_word = only_problem(parse("[12px]"));
  CHECK(percent_word.col == 2);
}

TEST_CASE("a number written with a thousands comma is reported at the comma") {
  // Before, the digits after the comma were taken for a name and the advice was to quote them.
  auto d = only_problem(parse("{\n  \"figures\": {\n    \"a\": { \"value\": 1,234 }\n  }\n}"));
  CHECK(d.id == "stats.syntax");
  CHECK(d.line == 3);
  CHECK(d.col == 22);
  CHECK(d.message == "numbers are written without commas: write 1234, not 1,234");

  CHECK(only_problem(parse("{\"a\": 1,234,567.5, \"b\": 2}")).message ==
        "numbers are written without commas: write 1234567.5, not 1,234,567.5");
  CHECK(only_problem(parse("{\"a\": -1,234}")).message ==
        "numbers are written without commas: write -1234, not -1,234");

  auto decimal = only_problem(parse("{\"a\": 41,2}"));
  CHECK(decimal.col == 9);
  CHECK(decimal.message == "a decimal is written with a point, not a comma: write 41.2, not 41,2");

  auto other = only_problem(parse("{\"a\": 1.234,5}"));
  CHECK(other.col == 12);
  CHECK(mentions(other, "numbers are written without commas: write only digits"));

  // In a list, 1,234 is two numbers; and a comma with a space after it is between two items.
  auto list = parse("[1,234]");
  REQUIRE(list.value.has_value());
  CHECK(list.value->items.size() == 2);
  CHECK(list.problems.empty());
  CHECK(parse("{\"a\":1,\"b\":2}").problems.empty());
  CHECK(mentions(only_problem(parse("{\"a\": 1, 234}")), "write \"234\""));
}

TEST_CASE("a number written with a '%' sign is reported at the sign") {
  auto d = only_problem(parse("{\n  \"value\": 41.2%,\n  \"unit\": \"percent\"\n}"));
  CHECK(d.id == "stats.syntax");
  CHECK(d.line == 2);
  CHECK(d.col == 16);
  CHECK(d.message ==
        "numbers are written without a '%' sign: write 41.2, not 41.2%; the '%' is shown for you "
        "when the figure or breakdown has \"unit\": \"percent\"");

  auto spaced = only_problem(parse("[41.2 %]"));
  CHECK(spaced.col == 7);
  CHECK(mentions(spaced, "write 41.2, not 41.2 %"));

  // The unit is a stats.json word; other files are told only to write the number.
  diagnostics diags;
  parse_json("{\"a\": 5%}", "content/site.json", "site", diags);
  REQUIRE(diags.sorted().size() == 1);
  CHECK(diags.sorted().front().message ==
        "numbers are written without a '%' sign: write 5, not 5%");
}

TEST_CASE("a number written with spaces or a currency sign") {
  const std::string nbsp = "\xC2\xA0", pound = "\xC2\xA3", euro = "\xE2\x82\xAC";
  auto spaced = only_problem(parse("{\"a\": 1 234}"));
  CHECK(spaced.col == 9);
  CHECK(spaced.message == "numbers are written without spaces: write 1234, not 1 234");
  std::string word_processor = "1" + nbsp + "234" + nbsp + "567";
  CHECK(only_problem(parse("{\"a\": " + word_processor + "}")).message ==
        "numbers are written without spaces: write 1234567, not " + word_processor);
  CHECK(only_problem(parse("[1 234]")).message ==
        "numbers are written without spaces: write 1234, not 1 234; if these are two items of "
        "the list, put a comma between them");
  // Not groups of three: a missing comma, as before.
  CHECK(mentions(only_problem(parse("{\"a\": 1 2}")), "check for a missing comma"));

  auto pounds = only_problem(parse("{\"a\": " + pound + "1,200}"));
  CHECK(pounds.col == 7);
  CHECK(pounds.message ==
        "numbers are written without a currency sign or commas: write 1200, not " + pound +
            "1,200");
  CHECK(only_problem(parse("{\"a\": $5.50, \"b\": 1}")).message ==
        "numbers are written without a currency sign: write 5.50, not $5.50");
  CHECK(mentions(only_problem(parse("{\"a\": " + euro + "1 }")), "write 1, not " + euro + "1"));
  // A sign without a number after it is not taken for money.
  CHECK(mentions(only_problem(parse("{\"a\": $x}")), "but found '$'"));
}

TEST_CASE("unclosed objects, lists and strings") {
  auto object = only_problem(parse("{\n  \"a\": {\n    \"b\": 1\n  }\n"));
  CHECK(object.line == 5);
  CHECK(mentions(object, "object that starts at line 1, column 1 is closed"));

  auto list = only_problem(parse("[1, 2"));
  CHECK(mentions(list, "list that starts at line 1, column 1"));

  auto text = only_problem(parse("{\"a\": \"no end\n}"));
  CHECK(text.line == 1);
  CHECK(text.col == 7);
  CHECK(mentions(text, "no closing double quote"));

  auto mismatched = only_problem(parse("{\"a\": 1]"));
  CHECK(mentions(mismatched, "found ']' where '}' should close"));
}

TEST_CASE("at an end that comes too soon, what the file holds is still read, once reported") {
  // Two objects left open: the innermost is named, once, and both are taken as closed there.
  auto p = parse("{\n  \"a\": {\n    \"b\": 1,\n    \"c\": [1, 2\n");
  REQUIRE(p.value.has_value());
  auto d = only_problem(p);
  CHECK(d.line == 5);
  CHECK(mentions(d, "the file ends before the list that starts at line 4"));
  const json_value* a = p.value->find("a");
  REQUIRE(a != nullptr);
  CHECK(a->find("b")->number == 1);
  CHECK(a->find("c")->items.size() == 2);
}

TEST_CASE("a name with an object after a plain value may be a '}' left out, and says so") {
  auto d = parse("{\"a\": {\"label\": \"A\", \"unit\": \"percent\"\n \"b\": {\"label\": \"B\"}}}")
               .problems.at(0);
  CHECK(d.line == 2);
  CHECK(mentions(d, "check for a missing comma, or a '}' missing before this line"));
  // After an object, the comma is the more likely slip: no more is said.
  auto comma = parse("{\"a\": {\"label\": \"A\"}\n \"b\": {\"label\": \"B\"}}").problems.at(0);
  CHECK(comma.message == "expected ',' or '}' after the value of \"a\"; check for a missing comma");
}

TEST_CASE("text after the end") {
  auto d = only_problem(parse("{\"a\": 1}\n}"));
  CHECK(d.line == 2);
  CHECK(d.col == 1);
  CHECK(mentions(d, "after the end"));
}

TEST_CASE("empty files") {
  for (std::string_view text : {"", "   \n\t\r\n", "\xEF\xBB\xBF"}) {
    auto p = parse(text);
    CHECK_FALSE(p.value.has_value());
    auto d = only_problem(p);
    CHECK(d.id == "stats.syntax");
    CHECK(d.message.find("the file is empty; it should hold a JSON object") == 0);
  }
}

TEST_CASE("duplicate keys are all reported, naming the first place, and the first is kept") {
  auto p = parse("{\n  \"a\": 1,\n  \"b\": 2,\n  \"a\": 3,\n  \"a\": 4\n}");
  REQUIRE(p.value.has_value());
  REQUIRE(p.problems.size() == 2);
  CHECK(p.problems[0].id == "stats.duplicate");
  CHECK(p.problems[0].line == 4);
  CHECK(p.problems[0].col == 3);
  CHECK(mentions(p.problems[0], "\"a\" is written twice"));
  CHECK(mentions(p.problems[0], "first at line 2, column 3"));
  CHECK(p.problems[1].line == 5);
  CHECK(mentions(p.problems[1], "first at line 2, column 3"));
  CHECK(p.value->members.size() == 2);
  CHECK(p.value->find("a")->number == 1);
}

TEST_CASE("the same key in different objects is not a duplicate") {
  auto p = parse(R"({"x": {"label": "a", "value": 1}, "y": {"label": "b", "value": 2}})");
  REQUIRE(p.value.has_value());
  CHECK(p.problems.empty());
}

TEST_CASE("duplicates inside nested objects are found") {
  auto p = parse("{\"figures\": {\"x\": {\"value\": 1, \"value\": 2}}}");
  REQUIRE(p.value.has_value());
  auto d = only_problem(p);
  CHECK(d.id == "stats.duplicate");
  CHECK(d.col == 32);
}

TEST_CASE("a byte-order mark is skipped and does not shift columns") {
  auto p = parse("\xEF\xBB\xBF{\"a\": 1}");
  REQUIRE(p.value.has_value());
  CHECK(p.problems.empty());
  CHECK(p.value->key_positions[0].col == 2);
  auto bad = only_problem(parse("\xEF\xBB\xBF{\"a\": x}"));
  CHECK(bad.line == 1);
  CHECK(bad.col == 7);
}

TEST_CASE("CRLF line endings") {
  auto p = parse("{\r\n  \"a\": 1,\r\n  \"b\": \"two\"\r\n}\r\n");
  REQUIRE(p.value.has_value());
  CHECK(p.problems.empty());
  CHECK(p.value->key_positions[1].line == 3);
  CHECK(p.value->key_positions[1].col == 3);
  CHECK(p.value->find("b")->string == "two");
  auto bad = only_problem(parse("{\r\n  \"a\": 1\r\n  \"b\": 2\r\n}"));
  CHECK(bad.line == 3);
  CHECK(bad.col == 3);
}

TEST_CASE("invalid UTF-8 is reported at every place, and the file is still read") {
  // 0xA3 is a pound sign saved as Latin-1.
  auto p = parse(
      "{\n  \"a\": \"\xA3"
      "5\",\n  \"b\": \"\xA3\xA3"
      "6\"\n}");
  REQUIRE(p.value.has_value());
  REQUIRE(p.problems.size() == 2);
  CHECK(p.problems[0].id == "stats.syntax");
  CHECK(p.problems[0].line == 2);
  CHECK(p.problems[0].col == 9);
  CHECK(mentions(p.problems[0], "UTF-8"));
  CHECK(p.problems[1].line == 3);
}

TEST_CASE("overlong forms, surrogates and truncated sequences are invalid UTF-8") {
  for (std::string_view bad : {"[\"\xC0\xAF\"]", "[\"\xED\xA0\x80\"]", "[\"\xE2\x82\"]",
                               "[\"\xF4\x90\x80\x80\"]", "[\"\xFF\"]"}) {
    auto p = parse(bad);
    CHECK(p.problems.size() == 1);
  }
  // Four-byte characters (emoji) are fine.
  CHECK(parse("[\"\xF0\x9F\x98\x80\"]").problems.empty());
}

TEST_CASE("NUL bytes") {
  auto p = parse(std::string_view("{\"a\": \0}", 8));
  CHECK_FALSE(p.value.has_value());
  auto d = only_problem(p);
  CHECK(d.col == 7);
  CHECK(mentions(d, "NUL"));
  CHECK_FALSE(parse(R"(["\u0000"])").value.has_value());
}

TEST_CASE("a file saved as UTF-16 is named as such, at its start") {
  for (std::string bom : {std::string("\xFF\xFE"), std::string("\xFE\xFF")}) {
    std::string text = bom;
    for (char c : std::string("{\"a\": 1}")) {
      text += bom[0] == '\xFF' ? std::string{c, '\0'} : std::string{'\0', c};
    }
    auto p = parse(text);
    CHECK_FALSE(p.value.has_value());
    auto d = only_problem(p);
    CHECK(d.line == 1);
    CHECK(d.col == 1);
    CHECK(mentions(d, "saved as UTF-16 (\"Unicode\" in Notepad or Excel); save it again as UTF-8"));
  }
}

TEST_CASE("lone surrogate escapes are errors") {
  CHECK_FALSE(parse(R"(["\ud83d"])").value.has_value());
  CHECK_FALSE(parse(R"(["\ude00"])").value.has_value());
  CHECK_FALSE(parse(R"(["\u12"])").value.has_value());
  auto d = only_problem(parse(R"(["C:\Users"])"));
  CHECK(mentions(d, "'\\U' is not a valid escape"));
}

TEST_CASE("numbers too large for a double are errors; tiny ones read as zero") {
  auto big = parse("{\"a\": 1e999, \"b\": -2e400}");
  REQUIRE(big.problems.size() == 2);
  CHECK(big.problems[0].col == 7);
  CHECK(mentions(big.problems[0], "1e999 is too large"));
  auto tiny = parse("[1e-999, 0.0000e5]");
  REQUIRE(tiny.value.has_value());
  CHECK(tiny.problems.empty());
  CHECK(tiny.value->items[0].number == 0);
}

TEST_CASE("nesting depth is bounded") {
  std::string ok = std::string(200, '[') + std::string(200, ']');
  CHECK(parse(ok).value.has_value());
  std::string deep = std::string(300, '[') + std::string(300, ']');
  auto p = parse(deep);
  CHECK_FALSE(p.value.has_value());
  CHECK(mentions(only_problem(p), "nested more than 256 deep"));
  std::string hostile(1000000, '[');
  CHECK_FALSE(parse(hostile).value.has_value());
}

TEST_CASE("kind names read well in messages") {
  CHECK(std::string(json_value::kind_name(json_value::kind::number)) == "a number");
  CHECK(std::string(json_value::kind_name(json_value::kind::object)) == "an object in { }");
}
