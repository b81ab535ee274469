#include "stats.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <system_error>

#include "components.hpp"
#include "fs.hpp"
#include "json.hpp"
#include "text.hpp"

namespace tandem {

// ---------------------------------------------------------------------------------------------
// Looking figures up

const figure* stats_data::find_figure(std::string_view key) const {
  auto it = figures.find(std::string(key));
  return it == figures.end() ? nullptr : &it->second;
}

const breakdown* stats_data::find_breakdown(std::string_view key) const {
  auto it = breakdowns.find(std::string(key));
  return it == breakdowns.end() ? nullptr : &it->second;
}

std::vector<std::string> stats_data::all_keys() const {
  std::vector<std::string> keys;
  for (const auto& [key, f] : figures) keys.push_back(key);
  for (const auto& [key, b] : breakdowns) keys.push_back(key);
  keys.push_back("as_of");
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

// ---------------------------------------------------------------------------------------------
// Loading

namespace {

const std::string data_file = stats_file;

const std::vector<std::string> top_keys = {"as_of", "source", "figures", "breakdowns"};
const std::vector<std::string> figure_keys = {"label", "value", "unit", "source", "note"};
const std::vector<std::string> breakdown_keys = {"label", "unit", "parts", "source", "note"};
const std::vector<std::string> part_keys = {"label", "value", "source", "note"};
const std::vector<std::string> unit_names = {"count", "percent", "number"};

// Larger than any real statistic of a council; a value above it is a typing mistake.
constexpr double largest_value = 1e15;

std::string in_quotes(const std::string& s) {
  return "\"" + s + "\"";
}

// [a-z][a-z0-9_]*
bool is_valid_key(const std::string& key) {
  if (key.empty() || key.front() < 'a' || key.front() > 'z') return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static const std::array<int, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap_year(year)) return 29;
  return days[static_cast<std::size_t>(month - 1)];
}

std::optional<int> digits_at(std::string_view text, std::size_t start, std::size_t count) {
  int value = 0;
  for (std::size_t i = start; i < start + count; ++i) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// Year, month and day of a date written "2025-12-14" (not checked to be a real date).
std::optional<std::array<int, 3>> iso_date_parts(std::string_view text) {
  auto year = digits_at(text, 0, 4), month = digits_at(text, 5, 2), day = digits_at(text, 8, 2);
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !year || !month || !day)
    return std::nullopt;
  return std::array<int, 3>{*year, *month, *day};
}

bool is_real_date(int year, int month, int day) {
  return year >= 1900 && month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

// Reads the parsed stats.json into stats_data, reporting each problem where it is.
class stats_reader {
 public:
  explicit stats_reader(diagnostics& diags) : diags_(diags) {}

  void error(text_position p, const std::string& id, std::string message) {
    diags_.error(data_file, p.line, p.col, id, std::move(message));
  }

  void warning(text_position p, const std::string& id, std::string message) {
    diags_.warning(data_file, p.line, p.col, id, std::move(message));
  }

  // The member `key` when it has the kind wanted; a `stats.type` error when it has another.
  const json_value* get(const json_value& object, std::string_view key, json_value::kind kind,
                        const std::string& whose) {
    const json_value* value = object.find(key);
    if (!value) return nullptr;
    if (value->type != kind) {
      std::string message = in_quotes(std::string(key)) + " of " + whose + " should be " +
                            json_value::kind_name(kind) + ", not " +
                            json_value::kind_name(value->type);
      if (kind == json_value::kind::number && value->is_string()) message += "; remove the quotes";
      error(value->pos, "stats.type", std::move(message));
      return nullptr;
    }
    return value;
  }

  // A text the pages show as written (a label, a note, a source): a figure in {{ }} is not
  // filled in there, and would reach readers braces and all (stats.text).
  std::string get_text(const json_value& object, std::string_view key, const std::string& whose) {
    const json_value* value = get(object, key, json_value::kind::string, whose);
    if (!value) return "";
    if (value->string.find("{{") != std::string::npos)
      error(value->pos, "stats.text",
            "the " + std::string(key) + " of " + whose +
                " is shown as written, so a figure in {{ }} is not filled in there; write the "
                "words or the number itself");
    return value->string;
  }

  // A required, non-empty text such as a label; `stats.required` when absent or empty.
  std::string required_text(const json_value& object, std::string_view key,
                            const std::string& whose, const std::string& example) {
    const json_value* value = object.find(key);
    auto blank = [](const std::string& text) {
      return std::all_of(text.begin(), text.end(), [](char c) { return is_space_or_tab(c); });
    };
    if (!value || (value->is_string() && blank(value->string))) {
      error(value ? value->pos : object.pos, "stats.required",
            whose + " has no " + in_quotes(std::string(key)) + "; add one, like " +
                in_quotes(std::string(key)) + ": " + example);
      return "";
    }
    return get_text(object, key, whose);
  }

  std::optional<figure_unit> read_unit(const json_value& object, const std::string& whose,
                                       figure_unit fallback) {
    const json_value* value = get(object, "unit", json_value::kind::string, whose);
    if (!value) return object.find("unit") ? std::nullopt : std::optional(fallback);
    if (value->string == "count") return figure_unit::count;
    if (value->string == "percent") return figure_unit::percent;
    if (value->string == "number") return figure_unit::number;
    std::string message = "unknown unit " + in_quotes(value->string) + " for " + whose;
    if (std::string near = nearest_name(value->string, unit_names); !near.empty()) {
      message += " (did you mean " + in_quotes(near) + "?)";
    }
    error(value->pos, "stats.unit",
          message + "; use \"count\" (a whole number), \"percent\" or \"number\"");
    return std::nullopt;
  }

  // The number in `value`, checked against `unit`; reports what does not fit.
  std::optional<double> read_value(const json_value& object, figure_unit unit,
                                   const std::string& whose, std::string& value_text) {
    const json_value* value = object.find("value");
    if (!value) {
      error(object.pos, "stats.required",
            whose + " has no \"value\"; add one, like \"value\": 777");
      return std::nullopt;
    }
    value = get(object, "value", json_value::kind::number, whose);
    if (!value) return std::nullopt;
    value_text = value->number_text;
    check_value(*value, unit, whose);
    return value->number;
  }

  void warn_unknown(const json_value& object, const std::vector<std::string>& known,
                    const std::string& where) {
    warn_unknown_keys(object, known, where, data_file, "stats.unknown_key", diags_);
  }

 private:
  diagnostics& diags_;

  void check_value(const json_value& value, figure_unit unit, const std::string& whose) {
    double v = value.number;
    const std::string& written = value.number_text;
    // parse_json has already reported a number too large to hold.
    if (!std::isfinite(v)) return;
    if (std::fabs(v) > largest_value) {
      error(value.pos, "stats.value",
            "the value " + written + " of " + whose +
                " is too large to be a real figure; check it for a typing mistake");
    } else if (unit == figure_unit::count && v < 0) {
      error(value.pos, "stats.value",
            whose + " is a count, so it cannot be negative (" + written +
                "); if it is a change or a rate, add \"unit\": \"number\"");
    } else if (unit == figure_unit::count && std::floor(v) != v) {
      error(value.pos, "stats.count",
            whose + " is a count, so its value should be a whole number, not " + written +
                "; if it is a percentage or a rate, add \"unit\": \"percent\" or \"unit\": "
                "\"number\"");
    } else if (unit == figure_unit::percent && (v < 0 || v > 100)) {
      error(value.pos, "stats.percent",
            whose + " is a percentage, so its value should be between 0 and 100, not " + written);
    }
  }
};

// Checks a figure's or a breakdown's key; "" when fine, else the message.
std::string key_problem(const std::string& key, bool of_figure) {
  if (key == "as_of") {
    return "\"as_of\" is the date of the data and cannot also be the key of a figure; choose "
           "another key";
  }
  const auto& components = component_names();
  if (of_figure && std::find(components.begin(), components.end(), key) != components.end()) {
    const std::string shows = key == "cards"   ? "{{ cards ... }} shows figures as cards"
                              : key == "chart" ? "{{ chart ... }} shows a chart"
                                               : "{{ " + key + " }} shows the " + key;
    return in_quotes(key) + " is the name of a block a page can show (" + shows + "), so {{ " +
           key + " }} could never show this figure; choose another key, like " +
           in_quotes(key + "_count");
  }
  if (!is_valid_key(key)) {
    return "the key " + in_quotes(key) +
           " should start with a lower-case letter and use only a-z, 0-9 and '_', like "
           "\"children_in_care\"";
  }
  return "";
}

void read_as_of(stats_reader& reader, const json_value& root, stats_data& data) {
  const json_value* value = root.find("as_of");
  if (!value) {
    reader.error(root.pos, "stats.required",
                 "stats.json has no \"as_of\", the date the figures are from; add it, like "
                 "\"as_of\": \"2025-12-14\"");
    return;
  }
  value = reader.get(root, "as_of", json_value::kind::string, "stats.json");
  if (!value) return;
  const std::string& text = value->string;
  auto parts = iso_date_parts(text);
  if (!parts) {
    reader.error(value->pos, "stats.date",
                 "\"as_of\" should be a date written as year-month-day, like \"2025-12-14\", "
                 "not " +
                     in_quotes(text));
    return;
  }
  auto [year, month, day] = *parts;
  if (!is_real_date(year, month, day)) {
    reader.error(value->pos, "stats.date",
                 in_quotes(text) +
                     " in \"as_of\" is not a real date; write it as year-month-day, "
                     "like \"2025-12-14\"");
    return;
  }
  data.as_of = text;
  data.as_of_year = year;
  data.as_of_month = month;
  data.as_of_day = day;
}

// A number written "0.412" a hundred times over, written as exactly: "41.2" (the point moved two
// places, not the double multiplied, which would give 41.199999999999996).
std::string hundred_times(const std::string& written) {
  std::string digits = written;
  std::size_t point = digits.find('.');
  if (point == std::string::npos) return digits + "00";
  digits.erase(point, 1);
  while (digits.size() < point + 2) digits += '0';
  digits.insert(point + 2, ".");
  if (digits.back() == '.') digits.pop_back();
  std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos || digits[first] == '.') first = first == 0 ? 0 : first - 1;
  return digits.substr(first);
}

std::optional<figure> read_figure(stats_reader& reader, const std::string& key,
                                  text_position key_pos, const json_value& object) {
  std::string whose = "figure " + in_quotes(key);
  if (!object.is_object()) {
    reader.error(object.pos, "stats.type",
                 whose + " should be an object in { } with a \"label\" and a \"value\", not " +
                     json_value::kind_name(object.type));
    return std::nullopt;
  }
  figure f;
  f.key = key;
  f.pos = key_pos;
  f.label = reader.required_text(object, "label", whose, "\"children looked after\"");
  f.source = reader.get_text(object, "source", whose);
  f.note = reader.get_text(object, "note", whose);
  auto unit = reader.read_unit(object, whose, figure_unit::count);
  if (unit) f.unit = *unit;
  f.unit_unknown = !unit;
  // With an unknown unit the value cannot be checked against it; the unit error says why.
  auto value = reader.read_value(object, unit.value_or(figure_unit::number), whose, f.value_text);
  if (value) f.value = *value;
  // 0.412 for 41.2%: a share as a spreadsheet keeps it, under a cell's "%" format. A real
  // percentage under 1 is seldom given to three places.
  std::size_t point = f.value_text.find('.');
  if (value && f.unit == figure_unit::percent && !f.unit_unknown && f.value > 0 && f.value < 1 &&
      point != std::string::npos && f.value_text.size() - point - 1 >= 3) {
    const json_value* written = object.find("value");
    reader.warning(written ? written->pos : object.pos, "stats.fraction",
                   whose + " is a percentage, and " + f.value_text +
                       " is under 1%: if it is a share written as a fraction, as a spreadsheet "
                       "keeps a percentage, write it as a percentage (" +
                       hundred_times(f.value_text) + " for " + f.value_text + ")");
  }
  reader.warn_unknown(object, figure_keys, "in " + whose);
  return f;
}

std::optional<breakdown_part> read_part(stats_reader& reader, const json_value& object,
                                        const std::string& whose, figure_unit unit) {
  if (!object.is_object()) {
    reader.error(object.pos, "stats.type",
                 whose + " should be an object in { } with a \"label\" and a \"value\", not " +
                     json_value::kind_name(object.type));
    return std::nullopt;
  }
  breakdown_part part;
  part.pos = object.pos;
  part.label = reader.required_text(object, "label", whose, "\"Mixed\"");
  part.source = reader.get_text(object, "source", whose);
  part.note = reader.get_text(object, "note", whose);
  if (auto value = reader.read_value(object, unit, whose, part.value_text)) part.value = *value;
  reader.warn_unknown(object, part_keys, "in " + whose);
  return part;
}

std::optional<breakdown> read_breakdown(stats_reader& reader, const std::string& key,
                                        text_position key_pos, const json_value& object) {
  std::string whose = "breakdown " + in_quotes(key);
  if (!object.is_object()) {
    reader.error(object.pos, "stats.type",
                 whose + " should be an object in { } with a \"label\" and \"parts\", not " +
                     json_value::kind_name(object.type));
    return std::nullopt;
  }
  breakdown b;
  b.key = key;
  b.pos = key_pos;
  b.label = reader.required_text(object, "label", whose, "\"Children in care by ethnicity\"");
  b.source = reader.get_text(object, "source", whose);
  b.note = reader.get_text(object, "note", whose);
  auto unit = reader.read_unit(object, whose, figure_unit::percent);
  if (unit) b.unit = *unit;
  const json_value* parts = object.find("parts");
  if (!parts || (parts->is_array() && parts->items.empty())) {
    reader.error(parts ? parts->pos : object.pos, "stats.required",
                 whose +
                     " has no \"parts\"; add the list of its parts, like \"parts\": [ { "
                     "\"label\": \"Mixed\", \"value\": 7.4 } ]");
  } else if ((parts = reader.get(object, "parts", json_value::kind::array, whose))) {
    for (std::size_t i = 0; i < parts->items.size(); ++i) {
      std::string part_whose = "part " + std::to_string(i + 1) + " of " + whose;
      auto part =
          read_part(reader, parts->items[i], part_whose, unit.value_or(figure_unit::number));
      if (part) b.parts.push_back(std::move(*part));
    }
    // Two bars of one name: the chart cannot say which is which, nor a build which changed.
    std::map<std::string, int> line_of;
    for (const breakdown_part& part : b.parts) {
      if (part.label.empty()) continue;
      auto [first, added] = line_of.try_emplace(part.label, part.pos.line);
      if (!added)
        reader.error(part.pos, "stats.duplicate",
                     "the part " + in_quotes(part.label) + " of " + whose +
                         " has the same label as the part on line " +
                         std::to_string(first->second) +
                         "; give each part a label of its own, or join the two into one part");
    }
  }
  reader.warn_unknown(object, breakdown_keys, "in " + whose);
  return b;
}

// What a figure holds that looks like a figure of its own ("adoption": { "label": ..., "value":
// ... }), or like the breakdowns: the '}' that ends the figure was left out before it.
bool looks_misplaced(const std::string& key, const json_value& value) {
  if (std::find(figure_keys.begin(), figure_keys.end(), key) != figure_keys.end()) return false;
  return key == "breakdowns" ||
         (value.is_object() && (value.find("label") != nullptr || value.find("value") != nullptr));
}

// Reads the members of `object` as figures: stats.json's "figures" (`outer` ""), or the figures
// found inside the figure `outer`, whose '}' was left out. Such a slip is reported once, where
// the first figure inside it starts, and the figures inside are read as well, so that the pages
// that show them are not each reported too.
void read_figure_members(stats_reader& reader, const json_value& object, const std::string& outer,
                         stats_data& data, bool& said_missing) {
  for (std::size_t i = 0; i < object.members.size(); ++i) {
    const auto& [key, value] = object.members[i];
    text_position key_pos = object.key_positions[i];
    if (!outer.empty() && !looks_misplaced(key, value)) continue;  // the outer figure's own
    if (key == "breakdowns") {
      // After a figure's '}' left out, the breakdowns are inside the figures by that alone.
      if (said_missing) continue;
      said_missing = true;
      reader.error(key_pos, "stats.syntax",
                   "\"breakdowns\" is inside " +
                       (outer.empty() ? std::string("\"figures\"") : "figure " + in_quotes(outer)) +
                       ": a '}' is probably missing before it, to end " +
                       (outer.empty() ? std::string("the figures") : in_quotes(outer)));
      continue;
    }
    if (std::string problem = key_problem(key, true); !problem.empty()) {
      reader.error(key_pos, "stats.key", problem);
      continue;
    }
    // The figure without what looks misplaced in it: that is read after it.
    const json_value* own = &value;
    json_value kept;
    std::size_t misplaced = value.is_object() ? value.members.size() : 0;
    for (std::size_t m = 0; m < misplaced; ++m)
      if (looks_misplaced(value.members[m].first, value.members[m].second)) misplaced = m;
    if (value.is_object() && misplaced < value.members.size()) {
      kept.type = value.type;
      kept.pos = value.pos;
      for (std::size_t m = 0; m < value.members.size(); ++m) {
        if (looks_misplaced(value.members[m].first, value.members[m].second)) continue;
        kept.members.push_back(value.members[m]);
        kept.key_positions.push_back(value.key_positions[m]);
      }
      own = &kept;
      said_missing = true;
      reader.error(value.key_positions[misplaced], "stats.syntax",
                   in_quotes(value.members[misplaced].first) + " is inside figure " +
                       in_quotes(key) +
                       ", but looks like a figure of its own: a '}' is probably missing just "
                       "before it, to end " +
                       in_quotes(key));
    }
    if (data.figures.count(key) == 0) {
      if (auto f = read_figure(reader, key, key_pos, *own)) {
        data.figure_order.push_back(key);
        data.figures.emplace(key, std::move(*f));
      }
    }
    if (own != &value) read_figure_members(reader, value, key, data, said_missing);
  }
}

void read_figures(stats_reader& reader, const json_value& root, stats_data& data) {
  if (!root.find("figures")) {
    reader.error(root.pos, "stats.required",
                 "stats.json has no \"figures\", the numbers the pages show; add them, like "
                 "\"figures\": { \"children_in_care\": { \"label\": \"children looked after\", "
                 "\"value\": 777 } }");
  }
  const json_value* figures = reader.get(root, "figures", json_value::kind::object, "stats.json");
  if (!figures) {
    // Without them no figure is known: the pages' uses of figures wait, as for a file that
    // cannot be read, rather than each be reported as unknown.
    data.unreadable = true;
    return;
  }
  bool said_missing = false;
  read_figure_members(reader, *figures, "", data, said_missing);
}

// "breakdowns" inside the figures, or inside a figure in them, where a '}' left out before it
// put it (reported by read_figure_members); null if it is not there.
const json_value* misplaced_breakdowns(const json_value& root) {
  const json_value* figures = root.find("figures");
  if (figures == nullptr || !figures->is_object()) return nullptr;
  if (const json_value* found = figures->find("breakdowns"); found && found->is_object())
    return found;
  for (const auto& [key, value] : figures->members) {
    if (!value.is_object()) continue;
    if (const json_value* found = value.find("breakdowns"); found && found->is_object())
      return found;
  }
  return nullptr;
}

void read_breakdowns(stats_reader& reader, const json_value& root, stats_data& data) {
  const json_value* breakdowns =
      root.find("breakdowns")
          ? reader.get(root, "breakdowns", json_value::kind::object, "stats.json")
          : misplaced_breakdowns(root);
  if (!breakdowns) return;
  for (std::size_t i = 0; i < breakdowns->members.size(); ++i) {
    const auto& [key, value] = breakdowns->members[i];
    text_position key_pos = breakdowns->key_positions[i];
    if (std::string problem = key_problem(key, false); !problem.empty()) {
      reader.error(key_pos, "stats.key", problem);
      continue;
    }
    if (const figure* same = data.find_figure(key)) {
      reader.error(key_pos, "stats.duplicate",
                   in_quotes(key) + " is both a figure (at " + place_text(same->pos) +
                       ") and a breakdown; give them different keys");
      continue;
    }
    if (auto b = read_breakdown(reader, key, key_pos, value)) {
      data.breakdown_order.push_back(key);
      data.breakdowns.emplace(key, std::move(*b));
    }
  }
}

}  // namespace

std::optional<stats_data> load_stats(const std::filesystem::path& site_dir, diagnostics& diags) {
  std::filesystem::path path = site_dir / data_file;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    diags.error(data_file, 0, 0, "stats.missing",
                "there is no " + data_file +
                    "; it holds every figure the pages show. Add it, starting with "
                    "{ \"as_of\": \"2025-12-14\", \"figures\": {} }");
    return std::nullopt;
  }
  std::string why;
  auto text = read_file(path, &why);
  if (!text) throw system_failure("cannot read " + path.string() + ": " + why);
  auto root = parse_json(*text, data_file, "stats", diags);
  if (!root) return std::nullopt;
  if (!root->is_object()) {
    diags.error(data_file, root->pos.line, root->pos.col, "stats.type",
                "stats.json should hold an object in { } with \"as_of\" and \"figures\", not " +
                    std::string(json_value::kind_name(root->type)));
    return std::nullopt;
  }
  stats_reader reader(diags);
  stats_data data;
  read_as_of(reader, *root, data);
  data.source = reader.get_text(*root, "source", "stats.json");
  read_figures(reader, *root, data);
  read_breakdowns(reader, *root, data);
  reader.warn_unknown(*root, top_keys, "in stats.json");
  return data;
}

// ---------------------------------------------------------------------------------------------
// Formatting

namespace {

// The shortest decimal text that reads back as `value`, never in exponent form: "41.2", "1000".
std::string shortest_fixed(double value) {
  if (value == 0) value = 0;  // turns -0 into 0
  std::array<char, 400> buffer{};
  auto result =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed);
  if (result.ec != std::errc()) return "0";
  return std::string(buffer.data(), result.ptr);
}

double parse_decimal(const std::string& text) {
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// Rounds the decimal text of `value` (as shortest_fixed writes it) to `decimals` places after
// the point, halves away from zero; a negative `decimals` rounds to tens, hundreds... Working on
// the written digits means 0.785 rounds to 0.79 the way a reader would do it by hand.
double round_decimal(double value, int decimals) {
  if (!std::isfinite(value)) return value;
  std::string text = shortest_fixed(value);
  bool negative = !text.empty() && text.front() == '-';
  if (negative) text.erase(0, 1);
  std::string whole = text, fraction;
  if (auto point = text.find('.'); point != std::string::npos) {
    whole = text.substr(0, point);
    fraction = text.substr(point + 1);
  }
  whole.insert(0, "0");  // room for a carry: 99.5 -> 100
  std::string digits = whole + fraction;
  long cut = static_cast<long>(whole.size()) + decimals;
  if (cut < 1) return 0;
  if (cut >= static_cast<long>(digits.size())) return value;
  bool round_up = digits[static_cast<std::size_t>(cut)] >= '5';
  digits.resize(static_cast<std::size_t>(cut));
  for (long i = cut - 1; round_up && i >= 0; --i) {
    char& d = digits[static_cast<std::size_t>(i)];
    if (d == '9') {
      d = '0';
    } else {
      ++d;
      round_up = false;
    }
  }
  std::string rounded;
  if (decimals >= 0) {
    rounded = digits.substr(0, whole.size()) + "." + digits.substr(whole.size()) + "0";
  } else {
    rounded = digits + std::string(static_cast<std::size_t>(-decimals), '0');
  }
  double result = parse_decimal(rounded);
  return negative ? -result : result;
}

// Rounds to `figures` significant figures: 777 -> 780, 1234 -> 1200, 0.0123 -> 0.012.
double round_significant(double value, int figures) {
  if (value == 0 || !std::isfinite(value)) return value;
  std::string text = shortest_fixed(std::fabs(value));
  auto point = text.find('.');
  std::string whole = text.substr(0, point);
  int decimals = 0;
  if (whole != "0") {
    decimals = figures - static_cast<int>(whole.size());
  } else {
    std::string fraction = text.substr(point + 1);
    auto first = fraction.find_first_not_of('0');
    decimals = static_cast<int>(first) + figures;
  }
  return round_decimal(value, decimals);
}

bool is_whole(double value) {
  return std::isfinite(value) && std::floor(value) == value;
}

std::string with_thousands_separators(const std::string& digits) {
  std::string out;
  std::size_t n = digits.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

const char* unit_description(figure_unit unit) {
  switch (unit) {
    case figure_unit::count:
      return "a count";
    case figure_unit::percent:
      return "a percentage";
    case figure_unit::number:
      return "a number";
  }
  return "a number";
}

std::string about_text(const figure& f) {
  if (f.unit == figure_unit::percent) {
    if (f.value > 0 && f.value < 0.5) return "less than 1%";
    return "about " + format_number(round_decimal(f.value, 0)) + "%";
  }
  return "about " + format_number(round_significant(f.value, 2));
}

std::optional<std::string> in_ten_text(const figure& f, std::string* why) {
  if (f.unit != figure_unit::percent) {
    if (why) {
      *why = "':in_ten' works only with percentages; '" + f.key + "' is " +
             unit_description(f.unit) + ". Write {{ " + f.key + " }} or {{ " + f.key +
             ":about }} instead";
    }
    return std::nullopt;
  }
  if (f.value <= 0) return "none";
  if (f.value >= 100) return "all";
  if (f.value >= 95) return "more than 9 in 10";
  if (f.value < 5) return "fewer than 1 in 10";
  auto tenths = static_cast<int>(round_decimal(f.value, -1) / 10);
  return "about " + std::to_string(tenths) + " in 10";
}

std::string number_in_words(int n) {
  static const std::array<const char*, 20> small = {
      "zero",     "one",     "two",     "three",     "four",     "five",    "six",
      "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",  "thirteen",
      "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
  static const std::array<const char*, 10> tens = {"",      "",      "twenty",  "thirty", "forty",
                                                   "fifty", "sixty", "seventy", "eighty", "ninety"};
  if (n == 100) return "one hundred";
  if (n < 20) return small[static_cast<std::size_t>(n)];
  std::string out = tens[static_cast<std::size_t>(n / 10)];
  if (n % 10 != 0) out += std::string("-") + small[static_cast<std::size_t>(n % 10)];
  return out;
}

std::optional<std::string> words_text(const figure& f, std::string* why) {
  if (!is_whole(f.value) || f.value < 0 || f.value > 100) {
    if (why) {
      *why = "':words' writes whole numbers from 0 to 100 in words, but '" + f.key + "' is " +
             format_number(f.value) + ". Write {{ " + f.key + " }} or {{ " + f.key +
             ":about }} instead";
    }
    return std::nullopt;
  }
  std::string words = number_in_words(static_cast<int>(f.value));
  if (f.unit == figure_unit::percent) words += " per cent";
  return words;
}

}  // namespace

std::string format_number(double value) {
  if (!std::isfinite(value)) return shortest_fixed(0);
  std::string text = shortest_fixed(value);
  std::string sign;
  if (text.front() == '-') {
    sign = "-";
    text.erase(0, 1);
  }
  auto point = text.find('.');
  std::string whole = text.substr(0, point);
  std::string rest = point == std::string::npos ? "" : text.substr(point);
  return sign + with_thousands_separators(whole) + rest;
}

std::optional<figure_format> parse_figure_format(std::string_view name) {
  if (name.empty() || name == "plain") return figure_format::plain;
  if (name == "about") return figure_format::about;
  if (name == "in_ten") return figure_format::in_ten;
  if (name == "words") return figure_format::words;
  if (name == "label") return figure_format::label;
  return std::nullopt;
}

const char* figure_format_name(figure_format f) {
  switch (f) {
    case figure_format::plain:
      return "plain";
    case figure_format::about:
      return "about";
    case figure_format::in_ten:
      return "in_ten";
    case figure_format::words:
      return "words";
    case figure_format::label:
      return "label";
  }
  return "plain";
}

std::vector<std::string> figure_format_names() {
  return {"plain", "about", "in_ten", "words", "label"};
}

std::string format_in_unit(double value, figure_unit unit) {
  return format_number(value) + (unit == figure_unit::percent ? "%" : "");
}

std::optional<std::string> format_figure(const figure& f, figure_format format, std::string* why) {
  switch (format) {
    case figure_format::plain:
      return format_in_unit(f.value, f.unit);
    case figure_format::about:
      return about_text(f);
    case figure_format::in_ten:
      return in_ten_text(f, why);
    case figure_format::words:
      return words_text(f, why);
    case figure_format::label:
      return f.label;
  }
  return std::nullopt;
}

std::string format_long_date(int year, int month, int day) {
  static const std::array<const char*, 12> months = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  if (month < 1 || month > 12) return std::to_string(year);
  return std::to_string(day) + " " + months[static_cast<std::size_t>(month - 1)] + " " +
         std::to_string(year);
}

std::string format_long_date(const std::string& iso) {
  auto parts = iso_date_parts(iso);
  if (!parts || !is_real_date((*parts)[0], (*parts)[1], (*parts)[2])) return iso;
  return format_long_date((*parts)[0], (*parts)[1], (*parts)[2]);
}

}  // namespace tandem
