// content/data/stats.json: figures and breakdowns, and how figures are written in text (SPEC 3, 5).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diag.hpp"

namespace tandem {

enum class figure_unit { count, percent, number };

struct figure {
  std::string key;
  std::string label;
  double value = 0;
  std::string value_text;  // as written in stats.json ("41.2"); used in <data value="...">
  figure_unit unit = figure_unit::count;
  /// Its "unit" in stats.json is none of the units (an error there): `unit` is a stand-in, and
  /// the formats and components that need a unit are not checked against it until it is fixed.
  bool unit_unknown = false;
  std::string source;
  std::string note;
  text_position pos;
};

struct breakdown_part {
  std::string label;
  double value = 0;
  std::string value_text;
  std::string source;
  std::string note;
  text_position pos;
};

struct breakdown {
  std::string key;
  std::string label;
  figure_unit unit = figure_unit::percent;
  std::vector<breakdown_part> parts;
  std::string source;
  std::string note;
  text_position pos;
};

struct stats_data {
  std::string as_of;  // ISO date, "2025-12-14"
  int as_of_year = 0, as_of_month = 0, as_of_day = 0;
  std::string source;
  std::map<std::string, figure> figures;        // by key
  std::vector<std::string> figure_order;        // keys in file order
  std::map<std::string, breakdown> breakdowns;  // by key
  std::vector<std::string> breakdown_order;
  /// stats.json could not be read at all (missing, not JSON, not an object), or has no
  /// "figures" object: no figure is known, and the uses of figures are not checked against it
  /// until it is fixed. The rest of the site
  /// is still checked, so that every problem is listed in one run.
  bool unreadable = false;

  const figure* find_figure(std::string_view key) const;
  const breakdown* find_breakdown(std::string_view key) const;
  /// Every key a `{{ }}` may name (figures, breakdowns, and "as_of"), sorted; for suggestions.
  std::vector<std::string> all_keys() const;
};

inline constexpr const char* stats_file = "content/data/stats.json";

/// Loads and validates content/data/stats.json under `site_dir` (`stats.*` ids): keys
/// [a-z][a-z0-9_]*, units, whole counts, percents 0-100, finite values, ISO `as_of`, duplicates.
std::optional<stats_data> load_stats(const std::filesystem::path& site_dir, diagnostics& diags);

/// The ways a figure can be written (SPEC 5): {{ key }}, {{ key:about }} ...
enum class figure_format { plain, about, in_ten, words, label };
std::optional<figure_format> parse_figure_format(std::string_view name);  // "" -> plain
const char* figure_format_name(figure_format f);                          // "plain", "about" ...
std::vector<std::string> figure_format_names();

/// Formats a figure: "777", "1,234", "41.2%", "about 780", "about 4 in 10", "seven", the label.
/// Returns nullopt and sets `why` (a sentence for the user) when the format does not fit the unit
/// or value (e.g. :words above 100, :in_ten on a count).
std::optional<std::string> format_figure(const figure& f, figure_format format,
                                         std::string* why = nullptr);

/// A number as the site shows it: thousands separators, shortest exact decimals ("1,234.5").
std::string format_number(double value);

/// A value in its unit as the site shows it: format_number, with "%" for a percent ("41.2%").
std::string format_in_unit(double value, figure_unit unit);

/// "14 December 2025" for "2025-12-14".
std::string format_long_date(int year, int month, int day);

/// "14 December 2025" for "2025-12-14"; text that is not such a date, as it is.
std::string format_long_date(const std::string& iso);

}  // namespace tandem
