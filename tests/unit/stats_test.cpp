#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "stats.hpp"

using namespace tandem;

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
