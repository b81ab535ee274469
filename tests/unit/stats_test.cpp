#include <doctest/doctest.h>

#include <string>

#include "stats.hpp"
#include "temp_site.hpp"

using namespace tandem;
using tandem::testing::temp_site;

namespace {

figure make_figure(double value, figure_unit unit, std::string key = "children_in_care") {
  figure f;
  f.key = std::move(key);
  f.label = "children looked after";
  f.value = value;
  f.unit = unit;
  return f;
}

std::string formatted(double value, figure_unit unit, figure_format format) {
  auto text = format_figure(make_figure(value, unit), format);
  REQUIRE(text.has_value());
  return *text;
}

std::string why_not(double value, figure_unit unit, figure_format format) {
  std::string why;
  auto text = format_figure(make_figure(value, unit), format, &why);
  CHECK_FALSE(text.has_value());
  return why;
}

const auto count = figure_unit::count;
const auto percent = figure_unit::percent;
const auto number = figure_unit::number;

}  // namespace

TEST_CASE("format_number uses thousands separators and the shortest exact decimals") {
  CHECK(format_number(0) == "0");
  CHECK(format_number(-0.0) == "0");
  CHECK(format_number(7) == "7");
  CHECK(format_number(777) == "777");
  CHECK(format_number(999) == "999");
  CHECK(format_number(1000) == "1,000");
  CHECK(format_number(1234) == "1,234");
  CHECK(format_number(1234.5) == "1,234.5");
  CHECK(format_number(1000000) == "1,000,000");
  CHECK(format_number(41.2) == "41.2");
  CHECK(format_number(0.1) == "0.1");
  CHECK(format_number(-1234.25) == "-1,234.25");
  CHECK(format_number(1e15) == "1,000,000,000,000,000");
}

TEST_CASE("plain figures") {
  CHECK(formatted(777, count, figure_format::plain) == "777");
  CHECK(formatted(1234, count, figure_format::plain) == "1,234");
  CHECK(formatted(1000000, count, figure_format::plain) == "1,000,000");
  CHECK(formatted(0, count, figure_format::plain) == "0");
  CHECK(formatted(41.2, percent, figure_format::plain) == "41.2%");
  CHECK(formatted(41.25, percent, figure_format::plain) == "41.25%");
  CHECK(formatted(100, percent, figure_format::plain) == "100%");
  CHECK(formatted(0, percent, figure_format::plain) == "0%");
  CHECK(formatted(12345.5, number, figure_format::plain) == "12,345.5");
  CHECK(formatted(3.5, number, figure_format::plain) == "3.5");
}

TEST_CASE("about: counts and numbers to 2 significant figures, percents to the whole number") {
  CHECK(formatted(777, count, figure_format::about) == "about 780");
  CHECK(formatted(702, count, figure_format::about) == "about 700");
  CHECK(formatted(1234, count, figure_format::about) == "about 1,200");
  CHECK(formatted(1250, count, figure_format::about) == "about 1,300");  // halves round up
  CHECK(formatted(785, count, figure_format::about) == "about 790");
  CHECK(formatted(35, count, figure_format::about) == "about 35");
  CHECK(formatted(7, count, figure_format::about) == "about 7");
  CHECK(formatted(0, count, figure_format::about) == "about 0");
  CHECK(formatted(999.5, number, figure_format::about) == "about 1,000");
  CHECK(formatted(995, count, figure_format::about) == "about 1,000");
  CHECK(formatted(1000000, count, figure_format::about) == "about 1,000,000");
  CHECK(formatted(1049999, count, figure_format::about) == "about 1,000,000");
  CHECK(formatted(3.14159, number, figure_format::about) == "about 3.1");
  CHECK(formatted(0.0123, number, figure_format::about) == "about 0.012");
  CHECK(formatted(41.2, percent, figure_format::about) == "about 41%");
  CHECK(formatted(41.5, percent, figure_format::about) == "about 42%");
  CHECK(formatted(7.4, percent, figure_format::about) == "about 7%");
  CHECK(formatted(99.6, percent, figure_format::about) == "about 100%");
  CHECK(formatted(100, percent, figure_format::about) == "about 100%");
  CHECK(formatted(0, percent, figure_format::about) == "about 0%");
  CHECK(formatted(0.3, percent, figure_format::about) == "less than 1%");
}

TEST_CASE("in_ten: percentages as 'about N in 10'") {
  CHECK(formatted(41.2, percent, figure_format::in_ten) == "about 4 in 10");
  CHECK(formatted(45, percent, figure_format::in_ten) == "about 5 in 10");
  CHECK(formatted(72, percent, figure_format::in_ten) == "about 7 in 10");
  CHECK(formatted(5, percent, figure_format::in_ten) == "about 1 in 10");
  CHECK(formatted(4.9, percent, figure_format::in_ten) == "fewer than 1 in 10");
  CHECK(formatted(0.5, percent, figure_format::in_ten) == "fewer than 1 in 10");
  CHECK(formatted(0, percent, figure_format::in_ten) == "none");
  CHECK(formatted(94.9, percent, figure_format::in_ten) == "about 9 in 10");
  CHECK(formatted(95, percent, figure_format::in_ten) == "more than 9 in 10");
  CHECK(formatted(99.9, percent, figure_format::in_ten) == "more than 9 in 10");
  CHECK(formatted(100, percent, figure_format::in_ten) == "all");
}

TEST_CASE("in_ten does not fit counts or numbers, and says why") {
  std::string why = why_not(777, count, figure_format::in_ten);
  CHECK(why.find("':in_ten' works only with percentages") == 0);
  CHECK(why.find("'children_in_care' is a count") != std::string::npos);
  CHECK(why_not(3.5, number, figure_format::in_ten).find("is a number") != std::string::npos);
  // The why pointer is optional.
  CHECK_FALSE(format_figure(make_figure(777, count), figure_format::in_ten).has_value());
}

TEST_CASE("words: whole numbers from 0 to 100") {
  CHECK(formatted(0, count, figure_format::words) == "zero");
  CHECK(formatted(7, count, figure_format::words) == "seven");
  CHECK(formatted(13, count, figure_format::words) == "thirteen");
  CHECK(formatted(20, count, figure_format::words) == "twenty");
  CHECK(formatted(21, count, figure_format::words) == "twenty-one");
  CHECK(formatted(99, count, figure_format::words) == "ninety-nine");
  CHECK(formatted(100, count, figure_format::words) == "one hundred");
  CHECK(formatted(72, percent, figure_format::words) == "seventy-two per cent");
  CHECK(formatted(4, number, figure_format::words) == "four");
}

TEST_CASE("words refuses numbers above 100 or not whole") {
  std::string why = why_not(101, count, figure_format::words);
  CHECK(why.find("whole numbers from 0 to 100") != std::string::npos);
  CHECK(why.find("101") != std::string::npos);
  CHECK(why_not(777, count, figure_format::words).find("777") != std::string::npos);
  CHECK(why_not(41.2, percent, figure_format::words).find("41.2") != std::string::npos);
  CHECK(why_not(-3, number, figure_format::words).find("-3") != std::string::npos);
}

TEST_CASE("label gives the figure's label") {
  CHECK(formatted(777, count, figure_format::label) == "children looked after");
}

TEST_CASE("format names") {
  CHECK(parse_figure_format("") == figure_format::plain);
  CHECK(parse_figure_format("about") == figure_format::about);
  CHECK(parse_figure_format("in_ten") == figure_format::in_ten);
  CHECK(parse_figure_format("words") == figure_format::words);
  CHECK(parse_figure_format("label") == figure_format::label);
  CHECK_FALSE(parse_figure_format("abuot").has_value());
  CHECK_FALSE(parse_figure_format("About").has_value());
  for (const auto& name : figure_format_names()) {
    auto parsed = parse_figure_format(name);
    REQUIRE(parsed.has_value());
    CHECK(figure_format_name(*parsed) == name);
  }
}

TEST_CASE("format_long_date") {
  CHECK(format_long_date(2025, 12, 14) == "14 December 2025");
  CHECK(format_long_date(2026, 1, 1) == "1 January 2026");
  CHECK(format_long_date(2024, 2, 29) == "29 February 2024");
}

// ---------------------------------------------------------------------------------------------
// Loading stats.json

namespace {

struct loaded {
  std::optional<stats_data> data;
  std::vector<diagnostic> problems;
};

loaded load(const std::string& json) {
  temp_site site;
  site.write("content/data/stats.json", json);
  diagnostics diags;
  auto data = load_stats(site.dir(), diags);
  return {std::move(data), diags.sorted()};
}

// A stats.json with the given figures (the inside of "figures": { ... }).
std::string with_figures(const std::string& figures) {
  return R"({"as_of": "2025-12-14", "figures": {)" + figures + "}}";
}

diagnostic only_problem(const loaded& l) {
  REQUIRE(l.problems.size() == 1);
  return l.problems.front();
}

bool mentions(const diagnostic& d, std::string_view text) {
  return d.message.find(text) != std::string::npos;
}

const char* spec_stats = R"({
  "as_of": "2025-12-14",
  "source": "Children and Family Services performance data",
  "figures": {
    "children_in_care": { "label": "children looked after", "value": 777 },
    "care_leavers":     { "label": "care leavers", "value": 702 },
    "foster_care":      { "label": "children living with foster carers", "value": 41.2, "unit": "percent" }
  },
  "breakdowns": {
    "children_ethnicity": {
      "label": "Children in care by ethnicity", "unit": "percent",
      "parts": [ { "label": "White, White British", "value": 72 },
                 { "label": "Mixed", "value": 7.4 } ]
    }
  }
})";

}  // namespace

TEST_CASE("the SPEC example loads with no problems") {
  auto l = load(spec_stats);
  CHECK(l.problems.empty());
  REQUIRE(l.data.has_value());
  const stats_data& d = *l.data;
  CHECK(d.as_of == "2025-12-14");
  CHECK(d.as_of_year == 2025);
  CHECK(d.as_of_month == 12);
  CHECK(d.as_of_day == 14);
  CHECK(d.source == "Children and Family Services performance data");
  CHECK(d.figure_order ==
        std::vector<std::string>{"children_in_care", "care_leavers", "foster_care"});
  const figure* care = d.find_figure("children_in_care");
  REQUIRE(care != nullptr);
  CHECK(care->label == "children looked after");
  CHECK(care->value == 777);
  CHECK(care->value_text == "777");
  CHECK(care->unit == figure_unit::count);
  CHECK(care->pos.line == 5);
  CHECK(care->pos.col == 5);
  const figure* foster = d.find_figure("foster_care");
  REQUIRE(foster != nullptr);
  CHECK(foster->unit == figure_unit::percent);
  CHECK(foster->value_text == "41.2");
  CHECK(format_figure(*foster, figure_format::plain) == "41.2%");
  CHECK(d.find_figure("children_ethnicity") == nullptr);
  const breakdown* eth = d.find_breakdown("children_ethnicity");
  REQUIRE(eth != nullptr);
  CHECK(eth->label == "Children in care by ethnicity");
  CHECK(eth->unit == figure_unit::percent);
  REQUIRE(eth->parts.size() == 2);
  CHECK(eth->parts[1].label == "Mixed");
  CHECK(eth->parts[1].value == 7.4);
  CHECK(eth->parts[1].value_text == "7.4");
  CHECK(eth->parts[1].pos.line == 13);
  CHECK(d.breakdown_order == std::vector<std::string>{"children_ethnicity"});
  CHECK(d.all_keys() == std::vector<std::string>{"as_of", "care_leavers", "children_ethnicity",
                                                 "children_in_care", "foster_care"});
}

TEST_CASE("value_text keeps the number as written") {
  auto l = load(with_figures(R"("a": {"label": "A", "value": 41.20, "unit": "percent"},
                                "b": {"label": "B", "value": 1e3})"));
  CHECK(l.problems.empty());
  CHECK(l.data->find_figure("a")->value_text == "41.20");
  CHECK(l.data->find_figure("b")->value_text == "1e3");
  CHECK(l.data->find_figure("b")->value == 1000);
}

TEST_CASE("a missing stats.json") {
  temp_site site;
  site.make_folder("content/data");  // there, without stats.json in it
  diagnostics diags;
  CHECK_FALSE(load_stats(site.dir(), diags).has_value());
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].id == "stats.missing");
  CHECK(diags.items()[0].file == "content/data/stats.json");
}

TEST_CASE("a syntax error") {
  auto l = load(
      "{\n  \"as_of\": \"2025-12-14\",\n  \"figures\": {\n    \"a\": {\"label\": \"A\", "
      "\"value\": 1},\n    \"b\" {}\n  }\n}");
  CHECK_FALSE(l.data.has_value());
  auto d = only_problem(l);
  CHECK(d.id == "stats.syntax");
  CHECK(d.line == 5);
  CHECK(d.col == 9);
  CHECK(d.message == "expected ':' after the name \"b\", but found '{'");
}

TEST_CASE("a comma left out is reported, and the figures after it are read") {
  auto l = load(
      "{\n  \"as_of\": \"2025-12-14\",\n  \"figures\": {\n    \"a\": {\"label\": \"A\", "
      "\"value\": 1}\n    \"b\": {\"label\": \"B\", \"value\": 2},\n  }\n}");
  REQUIRE(l.data.has_value());
  CHECK(l.data->figure_order == std::vector<std::string>{"a", "b"});
  REQUIRE(l.problems.size() == 2);
  CHECK(l.problems[0].id == "stats.syntax");
  CHECK(l.problems[0].line == 5);
  CHECK(l.problems[0].col == 5);
  CHECK(l.problems[0].message ==
        "expected ',' or '}' after the value of \"a\"; check for a missing comma");
  CHECK(l.problems[1].line == 5);
  CHECK(mentions(l.problems[1], "remove this comma"));
}

TEST_CASE("duplicate figures are reported with both places") {
  auto l = load(
      "{\"as_of\": \"2025-12-14\", \"figures\": {\n"
      "  \"care_leavers\": {\"label\": \"A\", \"value\": 1},\n"
      "  \"care_leavers\": {\"label\": \"B\", \"value\": 2}\n}}");
  auto d = only_problem(l);
  CHECK(d.id == "stats.duplicate");
  CHECK(d.line == 3);
  CHECK(d.col == 3);
  CHECK(mentions(d, "first at line 2, column 3"));
  CHECK(l.data->find_figure("care_leavers")->value == 1);
}

TEST_CASE("a key that is both a figure and a breakdown") {
  auto l = load(R"({"as_of": "2025-12-14", "figures": {"x": {"label": "X", "value": 1}},
    "breakdowns": {"x": {"label": "X", "parts": [{"label": "a", "value": 100}]}}})");
  auto d = only_problem(l);
  CHECK(d.id == "stats.duplicate");
  CHECK(d.line == 2);
  CHECK(mentions(d, "both a figure (at line 1, column 37)"));
}

TEST_CASE("a count that is not whole, a percent outside 0-100") {
  auto count = only_problem(load(with_figures(R"("a": {"label": "A", "value": 3.5})")));
  CHECK(count.id == "stats.count");
  CHECK(count.col == 66);
  CHECK(mentions(count, "whole number, not 3.5"));

  auto over =
      only_problem(load(with_figures(R"("a": {"label": "A", "value": 100.5, "unit": "percent"})")));
  CHECK(over.id == "stats.percent");
  CHECK(mentions(over, "between 0 and 100, not 100.5"));

  auto under =
      only_problem(load(with_figures(R"("a": {"label": "A", "value": -1, "unit": "percent"})")));
  CHECK(under.id == "stats.percent");

  auto negative = only_problem(load(with_figures(R"("a": {"label": "A", "value": -4})")));
  CHECK(negative.id == "stats.value");

  auto huge = only_problem(load(with_figures(R"("a": {"label": "A", "value": 2e15})")));
  CHECK(huge.id == "stats.value");
  CHECK(mentions(huge, "2e15"));

  auto infinite = load(with_figures(R"("a": {"label": "A", "value": 1e999})"));
  CHECK(only_problem(infinite).id == "stats.syntax");
}

TEST_CASE("values at the edges are accepted") {
  auto l = load(with_figures(R"("a": {"label": "A", "value": 0},
    "b": {"label": "B", "value": 100, "unit": "percent"},
    "c": {"label": "C", "value": 0, "unit": "percent"},
    "d": {"label": "D", "value": -3.5, "unit": "number"},
    "e": {"label": "E", "value": 1e15},
    "f": {"label": "F", "value": 3.0})"));
  CHECK(l.problems.empty());
  CHECK(l.data->figures.size() == 6);
}

TEST_CASE("units") {
  auto l = load(with_figures(R"("a": {"label": "A", "value": 41.2, "unit": "percentage"})"));
  auto d = only_problem(l);
  CHECK(d.id == "stats.unit");
  CHECK(mentions(d, "did you mean \"percent\"?"));
  CHECK(only_problem(load(with_figures(R"("a": {"label": "A", "value": 4, "unit": 5})"))).id ==
        "stats.type");
}

TEST_CASE("keys") {
  auto upper = load(with_figures(R"("Children": {"label": "A", "value": 1},
                                    "ok_2": {"label": "B", "value": 2})"));
  CHECK(only_problem(upper).id == "stats.key");
  CHECK(upper.data->find_figure("ok_2") != nullptr);
  CHECK(only_problem(load(with_figures(R"("in-care": {"label": "A", "value": 1})"))).id ==
        "stats.key");
  CHECK(only_problem(load(with_figures(R"("2025": {"label": "A", "value": 1})"))).id ==
        "stats.key");
  CHECK(only_problem(load(with_figures(R"("as_of": {"label": "A", "value": 1})"))).id ==
        "stats.key");
  // A figure named as a block of the page could never be shown: {{ pledges }} shows the pledges.
  for (std::string name : {"pledges", "glossary", "cards", "chart"}) {
    CAPTURE(name);
    auto d = only_problem(load(with_figures("\"" + name + "\": {\"label\": \"A\", \"value\": 1}")));
    CHECK(d.id == "stats.key");
    CHECK(mentions(
        d, "could never show this figure; choose another key, like \"" + name + "_count\""));
  }
  // A breakdown may be: {{ chart pledges }} shows it.
  CHECK(load(R"({"as_of": "2025-12-14", "figures": {}, "breakdowns": {
    "pledges": {"label": "P", "parts": [{"label": "a", "value": 100}]}}})")
            .problems.empty());
}

TEST_CASE("a stats.json without figures is an error, and no figure is known until it has them") {
  for (std::string text :
       {R"({"as_of": "2025-12-14"})",
        R"({"as_of": "2025-12-14", "Figures": {"a": {"label": "A", "value": 1}}})",
        R"({"as_of": "2025-12-14", "figures": [1]})"}) {
    CAPTURE(text);
    auto l = load(text);
    REQUIRE(l.data.has_value());
    CHECK(l.data->unreadable);
    bool said = false;
    for (const auto& d : l.problems)
      said = said || (d.level == severity::error && mentions(d, "\"figures\""));
    CHECK(said);
  }
  // Empty is fine: a site may show no figures yet.
  auto empty = load(R"({"as_of": "2025-12-14", "figures": {}})");
  CHECK(empty.problems.empty());
  CHECK_FALSE(empty.data->unreadable);
}

TEST_CASE("required fields and types") {
  auto no_label = only_problem(load(with_figures(R"("a": {"value": 1})")));
  CHECK(no_label.id == "stats.required");
  CHECK(mentions(no_label, "figure \"a\" has no \"label\""));
  auto no_value = only_problem(load(with_figures(R"("a": {"label": "A"})")));
  CHECK(no_value.id == "stats.required");
  auto text_value = only_problem(load(with_figures(R"("a": {"label": "A", "value": "777"})")));
  CHECK(text_value.id == "stats.type");
  CHECK(mentions(text_value, "remove the quotes"));
  CHECK(only_problem(load(with_figures(R"("a": 777)"))).id == "stats.type");
  auto no_date = only_problem(load(R"({"figures": {}})"));
  CHECK(no_date.id == "stats.required");
  CHECK(mentions(no_date, "\"as_of\""));
  auto list = load("[]");
  CHECK_FALSE(list.data.has_value());
  CHECK(only_problem(list).id == "stats.type");
}

TEST_CASE("as_of must be a real ISO date") {
  for (const char* bad : {"14/12/2025", "2025-12-1", "2025-13-01", "2025-02-29", "2025-04-31",
                          "2025-00-10", "2025-12-14T10:00", ""}) {
    CAPTURE(bad);
    auto l = load(std::string(R"({"as_of": ")") + bad + R"(", "figures": {}})");
    CHECK(only_problem(l).id == "stats.date");
  }
  auto leap = load(R"({"as_of": "2024-02-29", "figures": {}})");
  CHECK(leap.problems.empty());
  CHECK(leap.data->as_of_day == 29);
  CHECK(load(R"({"as_of": "2000-02-29", "figures": {}})").problems.empty());
  CHECK(only_problem(load(R"({"as_of": "1900-02-29", "figures": {}})")).id == "stats.date");
}

TEST_CASE("breakdowns") {
  auto l = load(R"({"as_of": "2025-12-14", "figures": {}, "breakdowns": {
    "placements": {"label": "Where children live", "unit": "count",
                   "parts": [{"label": "Foster care", "value": 320, "source": "SSDA903"},
                             {"label": "Residential", "value": 12.5}]},
    "empty": {"label": "Empty", "parts": []},
    "default_unit": {"label": "D", "parts": [{"label": "a", "value": 101}, {"value": 1}]}
  }})");
  REQUIRE(l.data.has_value());
  REQUIRE(l.problems.size() == 4);
  CHECK(l.problems[0].id == "stats.count");     // 12.5 of a count breakdown
  CHECK(l.problems[1].id == "stats.required");  // empty parts
  CHECK(l.problems[2].id == "stats.percent");   // 101 in a percent breakdown
  CHECK(l.problems[3].id == "stats.required");  // part without label
  CHECK(mentions(l.problems[3], "part 2 of breakdown \"default_unit\" has no \"label\""));
  const breakdown* placements = l.data->find_breakdown("placements");
  REQUIRE(placements != nullptr);
  CHECK(placements->unit == figure_unit::count);
  CHECK(placements->parts[0].source == "SSDA903");
  CHECK(l.data->find_breakdown("default_unit")->unit == figure_unit::percent);
}

TEST_CASE("a breakdown's parts each need a label of their own, and a label of spaces is none") {
  auto l = load(R"({"as_of": "2025-12-14", "figures": {"a": {"label": "  ", "value": 1}},
  "breakdowns": { "ethnicity": {"label": "By ethnicity", "parts": [
    {"label": "White", "value": 72},
    {"label": "Other", "value": 7.4},
    {"label": "Other", "value": 20.6},
    {"label": " ", "value": 0}]}}})");
  REQUIRE(l.data.has_value());
  REQUIRE(l.problems.size() == 3);
  CHECK(l.problems[0].id == "stats.required");  // the figure's label of spaces
  CHECK(mentions(l.problems[0], "figure \"a\" has no \"label\""));
  CHECK(l.problems[1].id == "stats.duplicate");
  CHECK(l.problems[1].line == 5);
  CHECK(mentions(l.problems[1],
                 "the part \"Other\" of breakdown \"ethnicity\" has the same label "
                 "as the part on line 4"));
  CHECK(l.problems[2].id == "stats.required");  // the part's label of spaces
  CHECK(l.problems[2].line == 6);
}

TEST_CASE("a figure's '}' left out: said where, and the figures after it still read") {
  // The '}' of "b" is missing: "c", "d" and the breakdowns end up inside it, and the file ends
  // with the top object open.
  auto l = load(R"({"as_of": "2025-12-14", "figures": {
    "a": {"label": "A", "value": 1},
    "b": {"label": "B", "value": 2,
    "c": {"label": "C", "value": 3},
    "d": {"label": "D", "value": 4}
  },
  "breakdowns": {"e": {"label": "E", "parts": [{"label": "x", "value": 100}]}}
})");
  REQUIRE(l.data.has_value());
  std::vector<std::string> said;
  for (const auto& d : l.problems) said.push_back(std::to_string(d.line) + " " + d.message);
  REQUIRE(said.size() == 2);
  CHECK(said[0] ==
        "4 \"c\" is inside figure \"b\", but looks like a figure of its own: a '}' is "
        "probably missing just before it, to end \"b\"");
  CHECK(said[1].find("the file ends before the object that starts at line 1") != std::string::npos);
  for (std::string key : {"a", "b", "c", "d"}) CHECK(l.data->find_figure(key) != nullptr);
  CHECK(l.data->find_figure("b")->value == 2);
  CHECK(l.data->find_breakdown("e") != nullptr);
}

TEST_CASE("a figure in {{ }} in a label, note or source is an error: they are shown as written") {
  auto l = load(R"({"as_of": "2025-12-14", "figures": {
    "a": {"label": "A", "value": 1, "note": "Of these, {{ b }} live with carers."},
    "b": {"label": "{{ a }} children", "value": 2, "source": "PEP data"}}})");
  REQUIRE(l.problems.size() == 2);
  CHECK(l.problems[0].id == "stats.text");
  CHECK(l.problems[0].line == 2);
  CHECK(mentions(l.problems[0],
                 "the note of figure \"a\" is shown as written, so a figure in "
                 "{{ }} is not filled in there"));
  CHECK(mentions(l.problems[1], "the label of figure \"b\""));
}

TEST_CASE("a percentage written as a fraction, as a spreadsheet keeps it, is a warning") {
  auto l = load(with_figures(R"("a": {"label": "A", "value": 0.412, "unit": "percent"},
    "b": {"label": "B", "value": 0.5, "unit": "percent"},
    "c": {"label": "C", "value": 0.412, "unit": "number"})"));
  REQUIRE(l.problems.size() == 1);  // 0.5% is a real percentage; a number may be anything
  CHECK(l.problems[0].id == "stats.fraction");
  CHECK(l.problems[0].level == severity::warning);
  CHECK(mentions(l.problems[0],
                 "figure \"a\" is a percentage, and 0.412 is under 1%: if it is a "
                 "share written as a fraction, as a spreadsheet keeps a percentage, "
                 "write it as a percentage (41.2 for 0.412)"));
  CHECK(l.data->find_figure("a")->value == 0.412);  // shown as written until it is changed
}

TEST_CASE("unknown keys are warnings with suggestions") {
  auto l = load(R"({"as_of": "2025-12-14", "sources": "x",
    "figures": {"a": {"label": "A", "valeu": 1, "value": 2, "notes": "n"}}})");
  REQUIRE(l.data.has_value());
  REQUIRE(l.problems.size() == 3);
  for (const auto& d : l.problems) {
    CHECK(d.id == "stats.unknown_key");
    CHECK(d.level == severity::warning);
  }
  CHECK(mentions(l.problems[0], "did you mean \"source\"?"));
  CHECK(mentions(l.problems[1], "did you mean \"value\"?"));
  CHECK(mentions(l.problems[2], "did you mean \"note\"?"));
}

TEST_CASE("source and note are kept") {
  auto l = load(with_figures(
      R"("a": {"label": "A", "value": 1, "source": "SSDA903", "note": "At 31 March"})"));
  CHECK(l.problems.empty());
  CHECK(l.data->find_figure("a")->source == "SSDA903");
  CHECK(l.data->find_figure("a")->note == "At 31 March");
}
