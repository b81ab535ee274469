#include "checks.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <iomanip>
#include <map>
#include <mutex>
#include <optional>
#include <ostream>
#include <set>
#include <span>
#include <sstream>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "fs.hpp"
#include "parallel.hpp"
#include "render.hpp"
#include "scaffold.hpp"
#include "text.hpp"

namespace tandem {

namespace {

// =============================================================================================
// Small helpers

bool same_value(double a, double b) {
  return std::fabs(a - b) < 1e-9;
}

std::string one_decimal(double value) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << value;
  return out.str();
}

std::string plural(std::size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string edition_words(const edition& ed) {
  return "the " + ed.id + " edition";
}

// =============================================================================================
// figure.literal

/// One figure a number in the text may be, and how to write it instead.
struct figure_guess {
  const figure* f = nullptr;
  figure_format format = figure_format::plain;
};

std::string written_as(const figure_guess& g) {
  if (g.format == figure_format::plain) return "{{ " + g.f->key + " }}";
  return "{{ " + g.f->key + ":" + figure_format_name(g.format) + " }}";
}

const std::set<std::string>& month_names() {
  static const std::set<std::string> names = {
      "january",   "february", "march",    "april",    "may",  "june", "july", "august",
      "september", "october",  "november", "december", "jan",  "feb",  "mar",  "apr",
      "jun",       "jul",      "aug",      "sep",      "sept", "oct",  "nov",  "dec"};
  return names;
}

// A number followed by one of these is a time, a duration or an age: "24 hours", "25 years".
const std::set<std::string>& units_after() {
  static const std::set<std::string> units = {
      "second",    "seconds",    "minute",    "minutes", "min",  "mins",    "hour",
      "hours",     "hr",         "hrs",       "day",     "days", "week",    "weeks",
      "fortnight", "fortnights", "month",     "months",  "year", "years",   "yr",
      "yrs",       "am",         "pm",        "a.m.",    "p.m.", "o'clock", "o\u2019clock",
      "decade",    "decades",    "miles",     "mile",    "km",   "metres",  "meters",
      "pounds",    "pence",      "percentile"};
  return units;
}

// A number after one of these is a name or a place in a list: "section 20", "page 35",
// "Year 10", "aged 16".
const std::set<std::string>& words_before() {
  static const std::set<std::string> words = {
      "section",     "sections",   "chapter",    "chapters", "part",      "parts",     "page",
      "pages",       "paragraph",  "paragraphs", "para",     "article",   "articles",  "step",
      "steps",       "number",     "no",         "clause",   "clauses",   "schedule",  "regulation",
      "regulations", "rule",       "rules",      "standard", "standards", "principle", "principles",
      "question",    "questions",  "item",       "items",    "line",      "lines",     "point",
      "points",      "phase",      "stage",      "level",    "levels",    "year",      "grade",
      "room",        "flat",       "house",      "route",    "bus",       "version",   "aged",
      "age",         "ages",       "turn",       "turns",    "turned",    "turning",   "act",
      "priority",    "priorities", "outcome",    "outcomes", "goal",      "goals",     "appendix",
      "annex",       "figure",     "table",      "chart",    "unit",      "block",     "floor",
      "ward",        "tier",       "band"};
  return words;
}

const std::set<std::string>& approximators() {
  static const std::set<std::string> words = {"about",  "around", "roughly", "approximately",
                                              "nearly", "almost", "over",    "under",
                                              "some",   "just",   "circa",   "approx"};
  return words;
}

/// 1 to 10 for "one" to "ten" in any case, else 0. Every word of prose is asked: no copy.
int small_number_word(std::string_view word) {
  static constexpr std::array<std::string_view, 10> names = {
      "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};
  if (word.size() < 3 || word.size() > 5) return 0;
  std::array<char, 5> lower{};
  for (std::size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    lower[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  std::string_view lowered(lower.data(), word.size());
  for (std::size_t n = 0; n < names.size(); ++n) {
    // The first letter first: this runs for most words of the prose.
    if (names[n][0] == lowered[0] && names[n] == lowered) return static_cast<int>(n) + 1;
  }
  return 0;
}

bool is_joiner(std::string_view punct) {
  return punct == "-" || punct == "\u2013" || punct == "\u2014" || punct == "/" || punct == ":" ||
         punct == "." || punct == "x" || punct == "\u00D7";
}

bool is_currency(std::string_view punct) {
  return punct == "\u00A3" || punct == "$" || punct == "\u20AC" || punct == "#";
}

/// The number a count figure shows rounded ("about 780" -> 780), if it has one.
std::optional<double> shown_number(const figure& f, figure_format format) {
  auto text = format_figure(f, format);
  if (!text) return std::nullopt;
  std::string digits;
  bool seen = false;
  for (char c : *text) {
    if ((c >= '0' && c <= '9') || (c == '.' && seen)) {
      digits.push_back(c);
      seen = true;
    } else if (c == ',' && seen) {
      continue;
    } else if (seen) {
      break;
    }
  }
  if (digits.empty()) return std::nullopt;
  return std::strtod(digits.c_str(), nullptr);
}

/// The n of "about n in 10" that a percent figure shows with :in_ten, if it shows one.
std::optional<int> in_ten_numerator(const figure& f) {
  auto text = format_figure(f, figure_format::in_ten);
  if (!text || text->find(" in 10") == std::string::npos) return std::nullopt;
  auto n = shown_number(f, figure_format::in_ten);
  if (!n) return std::nullopt;
  return static_cast<int>(*n);
}

/// A number in prose that may be a figure typed in. Whether it is one depends on the figures;
/// finding it does not, so it is found once per version of a file.
struct literal_candidate {
  enum class kind { percent, count, in_ten };
  kind what = kind::count;
  double value = 0;
  bool approximate = false;  // "about 780", "more than 700": a count may be shown rounded
  std::string quoted;        // the words as written, spaces collapsed
  std::string file;
  text_position pos;
  bool in_front_matter = false;  // a title or summary: figures are not filled in there
};

class literal_finder {
 public:
  literal_finder(const prose_block& block, const std::vector<prose_token>& tokens)
      : block_(block), tokens_(tokens) {}

  std::vector<literal_candidate> run() {
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      if (tokens_[i].kind == token_kind::number) {
        check_number(i);
      } else if (tokens_[i].kind == token_kind::word) {
        if (int n = small_number_word(tokens_[i].text)) check_in_ten(i, n);
      }
    }
    return std::move(found_);
  }

 private:
  std::string word_at(std::size_t i) const {
    if (i >= tokens_.size() || tokens_[i].kind != token_kind::word) return "";
    return ascii_lowercase(tokens_[i].text);
  }
  bool punct_at(std::size_t i, bool (*test)(std::string_view)) const {
    return i < tokens_.size() && tokens_[i].kind == token_kind::punct && test(tokens_[i].text);
  }
  bool number_at(std::size_t i) const {
    return i < tokens_.size() && tokens_[i].kind == token_kind::number;
  }

  static double value_of(std::string_view text) {
    std::string digits;
    for (char c : text) {
      if ((c >= '0' && c <= '9') || c == '.') digits.push_back(c);
    }
    return std::strtod(digits.c_str(), nullptr);
  }

  // "24/7", "2026-2029", "10:30", "1.2.3", "£35", "0116 305 0505": not a figure.
  bool is_compound(std::size_t i) const {
    const prose_token& t = tokens_[i];
    if (t.text.size() > 1 && t.text[0] == '0' && t.text[1] != '.') return true;
    if (i >= 1 && !t.space_before && punct_at(i - 1, is_currency)) return true;
    if (i >= 2 && !t.space_before && punct_at(i - 1, is_joiner) && number_at(i - 2) &&
        !tokens_[i - 1].space_before) {
      return true;
    }
    if (i + 2 < tokens_.size() && !tokens_[i + 1].space_before && punct_at(i + 1, is_joiner) &&
        number_at(i + 2) && !tokens_[i + 2].space_before) {
      return true;
    }
    if (number_at(i + 1) || (i >= 1 && number_at(i - 1))) return true;  // a phone number
    return false;
  }

  // "16 to 25", "7-18", "between 18 and 25", "18 or 21".
  bool is_in_range(std::size_t i) const {
    auto connects = [&](std::size_t k, bool after_between) {
      std::string w = word_at(k);
      if (w == "to" || w == "or" || (w == "and" && after_between)) return true;
      return k < tokens_.size() && tokens_[k].kind == token_kind::punct &&
             (tokens_[k].text == "-" || tokens_[k].text == "\u2013" || tokens_[k].text == "\u2014");
    };
    bool between_before = i >= 1 && word_at(i - 1) == "between";
    if (number_at(i + 2) && connects(i + 1, between_before)) return true;
    bool between_two_before = i >= 3 && word_at(i - 3) == "between";
    if (i >= 2 && number_at(i - 2) && connects(i - 1, between_two_before)) return true;
    return false;
  }

  // Years, dates, times, ages, durations, numbered things: numbers that are not statistics.
  bool is_ordinary(std::size_t i, double value) const {
    const prose_token& t = tokens_[i];
    bool whole = same_value(value, std::floor(value));
    bool has_comma = t.text.find(',') != std::string_view::npos;
    if (whole && !has_comma && value >= 1900 && value <= 2099) return true;
    if (month_names().count(word_at(i + 1)) || (i >= 1 && month_names().count(word_at(i - 1)))) {
      return true;
    }
    if (units_after().count(word_at(i + 1))) return true;
    if (i >= 1 && words_before().count(word_at(i - 1))) return true;
    if (i >= 2 && word_at(i - 1) == "of" && word_at(i - 2) == "age") return true;  // "age of 25"
    if (i >= 1 && (word_at(i - 1) == "until" || word_at(i - 1) == "till")) return true;
    if (is_age_at_end_of_clause(i)) return true;
    return is_in_range(i);
  }

  // "until they are 25.", "when you turn 18,": a number that ends the clause after a verb of
  // being or becoming is an age ("there are 35 care leavers" goes on, and is a count).
  bool is_age_at_end_of_clause(std::size_t i) const {
    static const std::set<std::string> verbs = {"are",    "is",    "am",      "be",
                                                "was",    "were",  "turn",    "turns",
                                                "turned", "reach", "reaches", "reached"};
    if (i == 0 || !verbs.count(word_at(i - 1))) return false;
    return i + 1 == tokens_.size() || tokens_[i + 1].kind == token_kind::punct ||
           word_at(i + 1) == "and" || word_at(i + 1) == "or";
  }

  /// Where an approximation starts: "about 780", "more than 700", "nearly 4 in 10".
  std::size_t approximation_start(std::size_t i) const {
    if (i == 0) return i;
    std::string before = word_at(i - 1);
    if (approximators().count(before)) {
      if (i >= 2 && word_at(i - 2) == "just") return i - 2;
      return i - 1;
    }
    if (before == "than" && i >= 2) {
      std::string w = word_at(i - 2);
      if (w == "more" || w == "fewer" || w == "less") return i - 2;
    }
    if (before == "to" && i >= 2 && word_at(i - 2) == "close") return i - 2;
    return i;
  }

  /// The token that closes "n in 10", "n out of 10", "n in every 10" after the number at `i`.
  std::optional<std::size_t> in_ten_end(std::size_t i) const {
    std::size_t k = i + 1;
    if (word_at(k) == "in") {
      ++k;
    } else if (word_at(k) == "out" && word_at(k + 1) == "of") {
      k += 2;
    } else {
      return std::nullopt;
    }
    if (word_at(k) == "every") ++k;
    if (word_at(k) == "ten") return k;
    if (number_at(k) && tokens_[k].text == "10") return k;
    return std::nullopt;
  }

  void check_number(std::size_t i) {
    if (is_compound(i)) return;
    double value = value_of(tokens_[i].text);
    if (auto end = in_ten_end(i)) {
      check_in_ten(i, value);
      return;
    }
    std::size_t last = i;
    bool percent = tokens_[i].percent;
    if (!percent && word_at(i + 1) == "per" && word_at(i + 2) == "cent") {
      percent = true;
      last = i + 2;
    } else if (!percent && word_at(i + 1) == "percent") {
      percent = true;
      last = i + 1;
    }
    std::size_t start = approximation_start(i);
    if (percent) {
      check_percent(start, last, value);
    } else if (!is_ordinary(i, value)) {
      check_count(start, i, value);
    }
  }

  void check_percent(std::size_t start, std::size_t last, double value) {
    // "100% committed" and "0%" are said of many things.
    if (same_value(value, 0) || same_value(value, 100)) return;
    add(literal_candidate::kind::percent, start, last, value, false);
  }

  void check_count(std::size_t start, std::size_t last, double value) {
    if (value < 10) return;  // small counts are too common to be told apart from a figure
    add(literal_candidate::kind::count, start, last, value, start != last);
  }

  void check_in_ten(std::size_t i, double value) {
    auto end = in_ten_end(i);
    if (!end) return;
    add(literal_candidate::kind::in_ten, approximation_start(i), *end, value, false);
  }

  void add(literal_candidate::kind what, std::size_t first, std::size_t last, double value,
           bool approximate) {
    std::size_t from = tokens_[first].offset;
    std::size_t to = tokens_[last].offset + tokens_[last].text.size();
    found_.push_back({what, value, approximate,
                      collapse_spaces(std::string_view(block_.text).substr(from, to - from)),
                      block_.file, block_.position_at(from),
                      block_.kind == prose_kind::front_matter});
  }

  const prose_block& block_;
  const std::vector<prose_token>& tokens_;
  std::vector<literal_candidate> found_;
};

/// The figures, with what each shows rounded, to tell which of them a number typed in is.
class figure_matcher {
 public:
  explicit figure_matcher(const stats_data& stats) {
    for (const std::string& key : stats.figure_order) {
      const figure& f = stats.figures.at(key);
      known k{&f, std::nullopt, std::nullopt};
      if (f.unit == figure_unit::percent) {
        k.in_ten = in_ten_numerator(f);
      } else {
        k.about = shown_number(f, figure_format::about);
      }
      figures_.push_back(k);
    }
  }

  /// Adds a `figure.literal` warning when `c` is what one or more figures show.
  void report(const literal_candidate& c, diagnostics& diags) const {
    std::vector<figure_guess> guesses = guesses_for(c);
    if (guesses.empty()) return;
    const char* why = ", so that it changes when the figures are updated";
    // The figures' keys, and how each is written, as "a, b or c".
    std::string keys, writes;
    for (std::size_t k = 0; k < guesses.size(); ++k) {
      std::string sep = k == 0 ? "" : k + 1 == guesses.size() ? " or " : ", ";
      keys += sep + "'" + guesses[k].f->key + "'";
      writes += sep + written_as(guesses[k]);
    }
    std::string message;
    if (c.in_front_matter) {
      // Figures are not filled in in the front matter: the advice is the page's text.
      message = "'" + c.quoted + "' is what the figure" + (guesses.size() == 1 ? " " : "s ") +
                keys + (guesses.size() == 1 ? " shows" : " show") +
                ", typed into the front matter, where figures are not filled in: it will not "
                "change when the figures are updated. Leave the number out of the title or "
                "summary, and give it in the page's text as " +
                writes;
    } else if (guesses.size() == 1) {
      const figure& f = *guesses[0].f;
      std::string now = format_figure(f, figure_format::plain).value_or(f.value_text);
      const char* how = guesses[0].format == figure_format::about    ? " rounded and typed in"
                        : guesses[0].format == figure_format::in_ten ? " typed in as a share"
                                                                     : " typed in";
      message = "'" + c.quoted + "' is the figure '" + f.key + "' (" + f.label + ": " + now + ")" +
                how + ": write " + written_as(guesses[0]) + " instead" + why;
    } else {
      message = "'" + c.quoted + "' is what the figures " + keys + " show, typed in: write " +
                writes + " (the one it means) instead" + why;
    }
    diags.warning(c.file, c.pos.line, c.pos.col, "figure.literal", message);
  }

 private:
  struct known {
    const figure* f = nullptr;
    std::optional<double> about;  // counts: the number `:about` shows
    std::optional<int> in_ten;    // percents: the n of "about n in 10"
  };

  std::vector<figure_guess> guesses_for(const literal_candidate& c) const {
    std::vector<figure_guess> guesses;
    auto each = [&](auto&& matches, figure_format format) {
      for (const known& k : figures_)
        if (matches(k)) guesses.push_back({k.f, format});
    };
    bool percent = c.what != literal_candidate::kind::count;
    auto right_unit = [&](const known& k) {
      return (k.f->unit == figure_unit::percent) == percent;
    };
    switch (c.what) {
      case literal_candidate::kind::percent:
        each([&](const known& k) { return right_unit(k) && same_value(k.f->value, c.value); },
             figure_format::plain);
        if (guesses.empty()) {
          each(
              [&](const known& k) {
                return right_unit(k) && same_value(std::round(k.f->value), c.value);
              },
              figure_format::about);
        }
        break;
      case literal_candidate::kind::count:
        each([&](const known& k) { return right_unit(k) && same_value(k.f->value, c.value); },
             figure_format::plain);
        if (guesses.empty() && c.approximate) {
          each(
              [&](const known& k) {
                return right_unit(k) && k.about && same_value(*k.about, c.value);
              },
              figure_format::about);
        }
        break;
      case literal_candidate::kind::in_ten:
        each(
            [&](const known& k) {
              return right_unit(k) && k.in_ten && same_value(*k.in_ten, c.value);
            },
            figure_format::in_ten);
        break;
    }
    return guesses;
  }

  std::vector<known> figures_;
};

// =============================================================================================
// data.stale

std::chrono::sys_days to_days(civil_date d) {
  using namespace std::chrono;
  return sys_days{year{d.year} / month{static_cast<unsigned>(d.month)} /
                  day{static_cast<unsigned>(d.day)}};
}

civil_date from_days(std::chrono::sys_days days) {
  std::chrono::year_month_day ymd{days};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

/// Where the value of "as_of" is written in stats.json (line 1 if it cannot be found).
text_position as_of_position(const site_model& model) {
  auto text = read_file(model.dir / stats_file);
  if (!text) return {};
  std::size_t key = text->find("\"as_of\"");
  if (key == std::string::npos) return {};
  std::size_t value = text->find('"', text->find(':', key));
  return position_of(*text, value == std::string::npos ? key : value);
}

/// "lines 7 and 9, content/pledges/01-a.md line 5": places in the page's own file first.
std::string places_text(const std::vector<std::pair<std::string, int>>& places,
                        const std::string& own_file) {
  std::map<std::string, std::vector<int>> by_file;
  for (const auto& [file, line] : places) by_file[file].push_back(line);
  auto lines_text = [](const std::vector<int>& lines) {
    std::string out = lines.size() == 1 ? "line " : "lines ";
    for (std::size_t k = 0; k < lines.size(); ++k) {
      out += (k == 0 ? "" : k + 1 == lines.size() ? " and " : ", ") + std::to_string(lines[k]);
    }
    return out;
  };
  std::string out;
  if (by_file.count(own_file)) out = lines_text(by_file[own_file]);
  for (const auto& [file, lines] : by_file) {
    if (file == own_file) continue;
    out += (out.empty() ? "" : "; ") + file + " " + lines_text(lines);
  }
  return out;
}

// =============================================================================================
// Which files each edition shows

/// Readability measured in parts (a file's blocks, a page's files) seen as one: the counts
/// added up and the sentences of each part one after another, without copying them.
struct measures {
  int sentences = 0;
  int words = 0;
  int syllables = 0;
  std::vector<const readability*> parts;

  void add(const readability& r) {
    sentences += r.sentences;
    words += r.words;
    syllables += r.syllables;
    parts.push_back(&r);
  }
  void add(const measures& m) {
    sentences += m.sentences;
    words += m.words;
    syllables += m.syllables;
    parts.insert(parts.end(), m.parts.begin(), m.parts.end());
  }
  double grade() const { return flesch_kincaid_grade(words, sentences, syllables); }
  /// Every sentence of every part, then every list item without a full stop.
  template <class F>
  void each_sentence(F f) const {
    for (const readability* r : parts)
      for (const sentence& s : r->all) f(s);
  }
  template <class F>
  void each_fragment(F f) const {
    for (const readability* r : parts)
      for (const sentence& s : r->fragments) f(s);
  }
};

/// The key a `{{ key:format }}` token names.
std::string figure_key(std::string_view token) {
  std::string_view inner = figure_inner(token);
  std::string_view key = inner.substr(0, inner.find(':'));
  while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
  return std::string(key);
}

/// What the checks keep of one version of one file: its prose, the numbers in it that may be
/// figures typed in, and what the checks that read more than the file found last time.
struct checked_file {
  /// The readability of one block of prose, and what the figures it shows were then.
  struct measured_block {
    std::vector<std::string> figure_keys;  // the key of every {{ }} in the block
    std::uint64_t measured_in = 0;         // the run that measured it
    std::optional<readability> measured;
  };

  // The whole file as it was read, known by its length and a 64-bit hash of its bytes, not by
  // a copy, which would hold every file twice (two versions of a file of the same length with
  // the same hash are as unlikely as 1 in 2^64).
  std::size_t text_size = 0;
  std::size_t text_hash = 0;

  bool read_from(const source_page& source) const {
    return text_size == source.text_size && text_hash == source.text_hash;
  }
  prose_page prose;  // front matter blocks first
  // The tokens of each block of `prose`, made once for every check (or dropped after each use,
  // see block_tokens): views into the blocks' text, which stays where it is when the
  // checked_file is moved (the vector's buffer moves).
  std::vector<std::vector<prose_token>> tokens;
  std::vector<literal_candidate> literals;
  // A "{{" in a setting that is shown (title, nav_title, summary, a pledge's role or name), and
  // the setting's name.
  std::vector<std::pair<std::string_view, text_position>> front_matter_figures;
  // The words `tandem new` wrote for the writer to replace, still there, and where.
  std::vector<std::pair<std::string_view, text_position>> placeholders;
  std::vector<measured_block> blocks;  // one per block of `prose`
  std::optional<measures> measured;    // all of them, made again when one of them is
  std::uint64_t measured_in = 0;       // the last run that measured them or found them current
  std::map<std::string, diagnostics> wording;  // acronyms and words to avoid, by context
  bool seen = false;                           // used by the current run

  /// `tokens`, made again if they were dropped.
  const std::vector<std::vector<prose_token>>& block_tokens() {
    if (tokens.size() != prose.blocks.size()) {
      tokens.clear();
      tokens.reserve(prose.blocks.size());
      for (const prose_block& block : prose.blocks) tokens.push_back(tokenize(block.text));
    }
    return tokens;
  }
  /// Frees the tokens (they take about five times the prose's own size).
  void drop_tokens() { std::vector<std::vector<prose_token>>().swap(tokens); }
};

/// The prose of every file, read once per version of the file.
class prose_cache {
 public:
  checked_file& file(const source_page& source) {
    checked_file& f = files_[source.file];  // a hash table: paths share long beginnings
    if (!f.seen && (!f.read_from(source) || f.prose.blocks.empty())) f = read(source);
    f.seen = true;
    return f;
  }
  /// Reads every file of `sources` that `file` would read, on `threads` threads at once; then
  /// `file` finds them read. What is read is the same as `file` reading them one by one.
  /// `after_read`, if given, is called on each file read, on the thread that read it.
  void read_ahead(
      const std::vector<const source_page*>& sources, unsigned threads,
      const std::function<void(checked_file&, const source_page&)>& after_read = nullptr) {
    std::vector<std::pair<checked_file*, const source_page*>> to_read;
    for (const source_page* source : sources) {
      checked_file& f = files_[source->file];
      if (f.seen) continue;
      if (!f.read_from(*source) || f.prose.blocks.empty()) to_read.emplace_back(&f, source);
      f.seen = true;
    }
    // A few files (a preview rebuild) are read on this thread: a thread costs more than that.
    for_each_at_once(
        to_read.size(), threads,
        [&](std::size_t i) {
          checked_file& f = *to_read[i].first;
          f = read(*to_read[i].second);
          if (after_read) after_read(f, *to_read[i].second);
          if (!keep_tokens) f.drop_tokens();
        },
        8);
    for (auto& [f, source] : to_read) f->seen = true;
  }
  const prose_page& page(const source_page& source) { return file(source).prose; }
  const std::vector<prose_block>& blocks(const source_page& source) {
    return file(source).prose.blocks;
  }

  /// Starts a run: files the run does not use are forgotten when it ends.
  void begin_run() {
    for (auto& [name, f] : files_) f.seen = false;
  }
  void end_run() {
    std::erase_if(files_, [](const auto& entry) { return !entry.second.seen; });
    offered_.clear();
  }
  /// Prose read elsewhere, used instead of parsing those pages again.
  void offer(std::vector<std::pair<const source_page*, prose_page>> prose) {
    for (auto& [source, page] : prose) offered_.insert_or_assign(source, std::move(page));
  }
  /// Forgets what the acronym and word checks found (the glossary or a list changed).
  void forget_wording() {
    for (auto& [name, f] : files_) f.wording.clear();
  }

 private:
  // Reads only its own entry of offered_: safe on several threads at once.
  checked_file read(const source_page& source) {
    checked_file f;
    f.text_size = source.text_size;
    f.text_hash = source.text_hash;
    auto offered = offered_.find(&source);
    f.prose = offered != offered_.end() ? std::move(offered->second) : extract_prose(source);
    std::vector<prose_block> blocks = front_matter_prose(source);
    // The file's blocks are kept until the checks are done: no spare room.
    blocks.reserve(blocks.size() + f.prose.blocks.size());
    for (prose_block& b : f.prose.blocks) blocks.push_back(std::move(b));
    f.prose.blocks = std::move(blocks);
    f.tokens.reserve(f.prose.blocks.size());
    f.blocks.reserve(f.prose.blocks.size());
    find_placeholders(source, f);
    find_front_matter_figures(source, f);
    for (const prose_block& block : f.prose.blocks) {
      const std::vector<prose_token>& tokens = f.tokens.emplace_back(tokenize(block.text));
      std::vector<literal_candidate> found = literal_finder(block, tokens).run();
      f.literals.insert(f.literals.end(), std::make_move_iterator(found.begin()),
                        std::make_move_iterator(found.end()));
      checked_file::measured_block& measured = f.blocks.emplace_back();
      for (const prose_token& t : tokens)
        if (t.kind == token_kind::figure) measured.figure_keys.emplace_back(figure_key(t.text));
    }
    return f;
  }

  // Figures are not filled in in the front matter: a "{{" on the line of a setting that is shown.
  static void find_front_matter_figures(const source_page& source, checked_file& f) {
    static constexpr std::string_view page_keys[] = {"title", "nav_title", "summary"};
    static constexpr std::string_view pledge_keys[] = {"role", "name"};
    const bool pledge = source.file.rfind("content/pledges/", 0) == 0;
    for_each_setting_line(
        source.head,
        pledge ? std::span<const std::string_view>(pledge_keys)
               : std::span<const std::string_view>(page_keys),
        [&](std::string_view key, int line, std::string_view content) {
          std::size_t at = content.find("{{", key.size());
          if (at != std::string_view::npos)
            f.front_matter_figures.emplace_back(
                key, text_position{line, count_code_points(content.substr(0, at)) + 1});
        });
  }

  // As `tandem new` wrote them, in the front matter or the text. Searched for by skipping ahead
  // (they are long): the text of every page is read once for each of them.
  static void find_placeholders(const source_page& source, checked_file& f) {
    static const auto searchers = [] {
      std::vector<std::boyer_moore_horspool_searcher<std::string_view::const_iterator>> all;
      for (std::string_view words : scaffold_placeholders)
        all.emplace_back(words.begin(), words.end());
      return all;
    }();
    for (std::size_t i = 0; i < searchers.size(); ++i) {
      auto find = [&](std::string_view text) -> std::optional<std::size_t> {
        auto found = std::search(text.begin(), text.end(), searchers[i]);
        if (found == text.end()) return std::nullopt;
        return static_cast<std::size_t>(found - text.begin());
      };
      if (auto at = find(source.head))
        f.placeholders.emplace_back(scaffold_placeholders[i], position_of(source.head, *at));
      if (auto at = find(source.body)) {
        text_position pos = position_of(source.body, *at);
        pos.line += source.body_line - 1;
        f.placeholders.emplace_back(scaffold_placeholders[i], pos);
      }
    }
  }

  std::unordered_map<std::string, checked_file> files_;
  std::unordered_map<const source_page*, prose_page> offered_;

 public:
  /// Whether files keep their tokens from one run to the next (quicker runs after an edit);
  /// else they are made when needed and dropped after.
  bool keep_tokens = true;
};

/// Everything of the statistics that what `{{ key }}` or `{{ key:format }}` shows can depend on.
void add_figure_inputs(std::string_view key, const stats_data& stats, std::string& out) {
  out.append(key);
  out += '\x1f';
  if (key == "as_of") {
    out += stats.as_of + "|" + std::to_string(stats.as_of_year) + "-" +
           std::to_string(stats.as_of_month) + "-" + std::to_string(stats.as_of_day);
  } else if (const figure* f = stats.find_figure(key)) {
    char value[32];
    auto written = std::to_chars(value, value + sizeof value, f->value);
    out += "f|";
    out.append(value, written.ptr);
    out += "|" + f->value_text + "|" + std::to_string(static_cast<int>(f->unit)) + "|" + f->label;
  } else if (const breakdown* b = stats.find_breakdown(key)) {
    out += "b|" + b->label;
  }
  out += '\x1e';
}

/// The run in which what each figure key reads of the statistics last changed, counting runs
/// of the checks from 1. A key never seen changed in run 0.
struct figure_changes {
  std::uint64_t run = 0;         // the current run
  std::uint64_t any_change = 0;  // the last run in which any key changed
  std::map<std::string, std::uint64_t, std::less<>> changed_in;

  std::uint64_t last_change(std::string_view key) const {
    auto found = changed_in.find(key);
    return found == changed_in.end() ? 0 : found->second;
  }
};

/// The readability of a file's prose. Each block is measured again only when a figure it shows
/// changed since it was measured (measuring is block by block, so the blocks' measures add up to
/// the file's).
const measures& measured(checked_file& f, const stats_data& stats, const figure_changes& changes,
                         bool keep_tokens) {
  // A file not shown for a while may have missed changes: not only those of this run.
  if (f.measured && changes.any_change <= f.measured_in) {
    f.measured_in = changes.run;
    return *f.measured;
  }
  bool remeasured = !f.measured;
  for (std::size_t i = 0; i < f.blocks.size(); ++i) {
    checked_file::measured_block& block = f.blocks[i];
    if (block.measured &&
        std::all_of(block.figure_keys.begin(), block.figure_keys.end(),
                    [&](const auto& key) { return changes.last_change(key) <= block.measured_in; }))
      continue;
    // Measured aside first: a measure cut short (out of memory) must not be kept as done.
    readability r;
    measure_block(f.prose.blocks[i], f.block_tokens()[i], stats, r);
    block.measured = std::move(r);
    block.measured_in = changes.run;
    remeasured = true;
  }
  if (remeasured) {
    // Points at the blocks' measures, which stay where they are when the file is moved.
    f.measured.emplace();
    for (const auto& block : f.blocks) f.measured->add(*block.measured);
  }
  f.measured_in = changes.run;
  if (!keep_tokens) f.drop_tokens();
  return *f.measured;
}

/// A file of prose shown in an edition: a section page, or a pledge's wording. A pledge with
/// no wording of its own in an edition shows the primary edition's ("borrowed").
struct shown_file {
  const source_page* page = nullptr;
  bool borrowed = false;
  checked_file* checked = nullptr;  // what the checks keep of it
};

/// A page as a reader of one edition sees it: the section's file, and the pledges it shows
/// when it holds {{ pledges }}.
struct shown_page {
  const edition* ed = nullptr;
  std::vector<shown_file> files;  // the section's file first
};

std::vector<shown_page> shown_pages(const site_model& model, prose_cache& prose) {
  std::vector<shown_page> pages;
  const std::string& primary = model.config.primary().id;
  for (const edition& ed : model.config.editions) {
    for (const section& sec : model.content.sections) {
      auto page = sec.pages.find(ed.id);
      if (page == sec.pages.end()) continue;
      checked_file& checked = prose.file(page->second);
      shown_page shown{&ed, {{&page->second, false, &checked}}};
      const auto& components = checked.prose.components;
      if (std::find(components.begin(), components.end(), "pledges") != components.end()) {
        for (const pledge& p : model.content.pledges) {
          if (auto own = p.wordings.find(ed.id); own != p.wordings.end()) {
            shown.files.push_back({&own->second, false, &prose.file(own->second)});
          } else if (auto fallback = p.wordings.find(primary); fallback != p.wordings.end()) {
            shown.files.push_back({&fallback->second, true, &prose.file(fallback->second)});
          }
        }
      }
      pages.push_back(std::move(shown));
    }
  }
  return pages;
}

std::string borrowed_note(const shown_file& f, const edition& ed, const site_model& model) {
  if (!f.borrowed) return "";
  std::string own = f.page->file;
  auto dot = own.rfind(".md");
  if (dot != std::string::npos) own = own.substr(0, dot) + "." + ed.id + ".md";
  return " (this pledge has no wording of its own for " + edition_words(ed) + ", so it shows " +
         edition_words(model.config.primary()) + "'s: add " + own + ")";
}

/// Every block of prose a reader of the page meets, pledges included.
std::vector<prose_block> page_blocks(const shown_page& page, prose_cache& prose) {
  std::vector<prose_block> blocks;
  for (const shown_file& f : page.files) {
    const auto& more = prose.blocks(*f.page);
    blocks.insert(blocks.end(), more.begin(), more.end());
  }
  return blocks;
}

/// What each key a figure may name reads of the statistics, by key.
std::map<std::string, std::string> stats_inputs_of(const stats_data& stats) {
  std::map<std::string, std::string> out;
  add_figure_inputs("as_of", stats, out["as_of"]);
  for (const std::string& key : stats.figure_order) add_figure_inputs(key, stats, out[key]);
  for (const std::string& key : stats.breakdown_order) add_figure_inputs(key, stats, out[key]);
  return out;
}

/// Starts a new run in `changes`, noting the keys whose inputs differ between `before` and `now`.
void note_figure_changes(const std::map<std::string, std::string>& before,
                         const std::map<std::string, std::string>& now, figure_changes& changes) {
  ++changes.run;
  auto note = [&](const std::string& key) {
    changes.changed_in[key] = changes.run;
    changes.any_change = changes.run;
  };
  for (const auto& [key, inputs] : now) {
    auto old = before.find(key);
    if (old == before.end() || old->second != inputs) note(key);
  }
  for (const auto& [key, inputs] : before)
    if (!now.count(key)) note(key);
}

/// The glossary's terms, as the acronym checks read them.
std::string glossary_terms_of(const std::vector<glossary_entry>& glossary) {
  std::string out;
  for (const glossary_entry& entry : glossary) out += entry.term + "\n";
  return out;
}

/// Every list of words to avoid, as the word checks read them.
std::string word_lists_of(const word_lists& lists) {
  std::string out = lists.built_in ? "built-in\n" : "\n";
  for (const auto& [edition_id, list] : lists.by_edition) {
    out += "\x1d" + edition_id;
    for (const avoid_entry& entry : list) {
      out += "\x1e" + entry.words +
             (entry.match_case ? "\x1f"
                                 "1"
                               : "\x1f"
                                 "0");
      for (const std::string& part : entry.parts) out += "\x1f" + part;
      out += "\x1c";
      for (const std::string& instead : entry.instead) out += "\x1f" + instead;
    }
  }
  return out;
}

// =============================================================================================
// The report

struct report_row {
  std::string file;
  std::size_t pledges = 0;  // pledges shown on the page, counted in with it
  std::optional<double> grade;
  int longest = 0;
  std::map<std::string, int> counts;  // id -> problems in this file
  int problems = 0;
  double over = 0;  // how far over the edition's limits (for sorting)
};

std::string counts_text(const std::map<std::string, int>& counts) {
  std::string out;
  for (const auto& [id, n] : counts)
    out += (out.empty() ? "" : ", ") + id + " " + std::to_string(n);
  return out;
}

std::string pad_left(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

}  // namespace

// =============================================================================================
// The checks

civil_date build_date() {
  using namespace std::chrono;
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch != '\0') {
    char* end = nullptr;
    long long seconds = std::strtoll(epoch, &end, 10);
    if (end != nullptr && *end == '\0' && seconds >= 0) {
      return from_days(floor<days>(sys_seconds{std::chrono::seconds{seconds}}));
    }
  }
  return from_days(floor<days>(system_clock::now()));
}

void check_figure_literals(const prose_block& block, const stats_data& stats, diagnostics& diags) {
  figure_matcher matcher(stats);
  std::vector<prose_token> tokens = tokenize(block.text);
  for (const literal_candidate& c : literal_finder(block, tokens).run()) matcher.report(c, diags);
}

void check_breakdown_sums(const stats_data& stats, diagnostics& diags) {
  for (const std::string& key : stats.breakdown_order) {
    const breakdown& b = stats.breakdowns.at(key);
    if (b.unit != figure_unit::percent || b.parts.empty()) continue;
    double sum = 0;
    for (const breakdown_part& part : b.parts) sum += part.value;
    sum = std::round(sum * 1000) / 1000;  // 72 + 7.4 + ... without floating-point dust
    if (std::fabs(sum - 100) <= 0.5) continue;
    diags.warning(stats_file, b.pos.line, b.pos.col, "breakdown.sum",
                  "the parts of '" + b.key + "' (" + b.label + ") add up to " + format_number(sum) +
                      "%, not 100%: check each part's value, and that no " +
                      "part is missing or counted twice");
  }
}

void check_data_age(const site_model& model, civil_date today, diagnostics& diags) {
  const stats_data& stats = model.stats;
  if (stats.as_of_year == 0) return;
  civil_date as_of{stats.as_of_year, stats.as_of_month, stats.as_of_day};
  auto age = (to_days(today) - to_days(as_of)).count();
  text_position pos = as_of_position(model);
  if (age < 0) {
    diags.warning(stats_file, pos.line, pos.col, "data.future",
                  "as_of is " + format_long_date(as_of.year, as_of.month, as_of.day) +
                      ", which is after today (" +
                      format_long_date(today.year, today.month, today.day) +
                      "): the figures cannot be from a day still to come; write the date the "
                      "figures were taken, as year-month-day");
    return;
  }
  if (age <= model.config.max_age_days) return;
  diags.warning(stats_file, pos.line, pos.col, "data.stale",
                "the figures are " + plural(static_cast<std::size_t>(age), "day") +
                    " old (as_of is " + format_long_date(as_of.year, as_of.month, as_of.day) +
                    ", today is " + format_long_date(today.year, today.month, today.day) +
                    ") and the site allows " + std::to_string(model.config.max_age_days) +
                    " (data.max_age_days in content/site.json): ask the performance team for "
                    "the latest figures, then update the values and as_of in " +
                    stats_file);
}

namespace {

/// `readability.sentence`: the sentences and list items of `r` longer than the edition allows.
void check_sentence_lengths(const measures& r, const edition& ed, const std::string& note,
                            diagnostics& diags) {
  if (ed.checks.max_sentence_words) {
    int limit = *ed.checks.max_sentence_words;
    auto check = [&](const sentence& s, const char* what) {
      if (s.words <= limit) return;
      diags.warning(s.file, s.pos.line, s.pos.col, "readability.sentence",
                    std::string(what) + " has " + std::to_string(s.words) + " words, more than " +
                        std::to_string(limit) + " for " + edition_words(ed) + " (\"" + s.opening() +
                        "\"): split it into shorter sentences" + note);
    };
    r.each_sentence([&](const sentence& s) { check(s, "this sentence"); });
    r.each_fragment([&](const sentence& s) { check(s, "this list item"); });
  }
}

/// `readability.grade`: a page (all of `r`) that reads above the grade the edition aims for.
void check_grade(const measures& r, const edition& ed, const std::string& note,
                 diagnostics& diags) {
  if (ed.checks.max_grade && r.sentences > 0) {
    double grade = std::round(r.grade() * 10) / 10;
    if (grade > *ed.checks.max_grade) {
      // The hardest sentences: where rewriting helps most.
      std::vector<const sentence*> hardest;
      r.each_sentence([&](const sentence& s) { hardest.push_back(&s); });
      std::stable_sort(hardest.begin(), hardest.end(), [](const sentence* a, const sentence* b) {
        return flesch_kincaid_grade(a->words, 1, a->syllables) >
               flesch_kincaid_grade(b->words, 1, b->syllables);
      });
      const sentence* first_sentence = nullptr;
      r.each_sentence([&](const sentence& s) {
        if (!first_sentence) first_sentence = &s;
      });
      const sentence& first = *first_sentence;
      std::vector<std::pair<std::string, int>> places;
      for (const sentence* s : hardest) {
        if (places.size() == 3) break;
        std::pair<std::string, int> place{s->file, s->pos.line};
        if (std::find(places.begin(), places.end(), place) == places.end()) places.push_back(place);
      }
      std::sort(places.begin(), places.end());
      std::string where = places_text(places, first.file);
      diags.warning(first.file, first.pos.line, first.pos.col, "readability.grade",
                    "this page reads at grade " + one_decimal(grade) +
                        " (Flesch-Kincaid), above the " + format_number(*ed.checks.max_grade) +
                        " that " + edition_words(ed) +
                        " aims for: use shorter sentences and everyday words (the hardest " +
                        "sentences are on " + where + ")" + note);
    }
  }
}

}  // namespace

readability check_readability(const std::vector<prose_block>& blocks, const stats_data& stats,
                              const edition& ed, const std::string& note, diagnostics& diags) {
  readability r = measure_readability(blocks, stats);
  measures m;
  m.add(r);
  check_sentence_lengths(m, ed, note, diags);
  check_grade(m, ed, note, diags);
  return r;
}

namespace {

/// `tokenize` of every block.
std::vector<std::vector<prose_token>> tokens_of(const std::vector<prose_block>& blocks) {
  std::vector<std::vector<prose_token>> tokens;
  tokens.reserve(blocks.size());
  for (const prose_block& block : blocks) tokens.push_back(tokenize(block.text));
  return tokens;
}

/// check_acronyms, with the tokens of each block made once.
void find_acronyms(const std::vector<prose_block>& blocks,
                   const std::vector<std::vector<prose_token>>& tokens,
                   const std::vector<glossary_entry>& glossary, const edition& ed,
                   const std::string& note, diagnostics& diags) {
  // Known to every reader: no glossary entry needed.
  static const std::set<std::string> everyday = {"OK", "TV", "UK"};
  std::set<std::string> explained;
  for (const glossary_entry& entry : glossary) explained.insert(entry.term);
  std::set<std::string> reported;
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    const prose_block& block = blocks[b];
    for (const prose_token& t : tokens[b]) {
      if (t.kind != token_kind::word || !is_acronym(t.text)) continue;
      std::string term(t.text);
      // "GPs" is the plural of "GP" (but "NHS" ends in a capital S).
      if (term.size() >= 3 && term.back() == 's') term.pop_back();
      if (explained.count(term) || everyday.count(term) || reported.count(term)) continue;
      reported.insert(term);
      text_position pos = block.position_at(t.offset);
      diags.warning(block.file, pos.line, pos.col, "glossary.undefined",
                    "'" + term + "' is not in the glossary, and readers of " + edition_words(ed) +
                        " may not know what it means: add it to content/glossary.json with what "
                        "it stands for and a plain explanation, or write the words out" +
                        note);
    }
  }
}

/// check_words_to_avoid, with the tokens of each block made once.
void find_words(const std::vector<prose_block>& blocks,
                const std::vector<std::vector<prose_token>>& tokens,
                const std::vector<avoid_entry>& list, bool built_in, const edition& ed,
                const std::string& note, diagnostics& diags) {
  if (list.empty()) return;
  const avoid_index index(list);
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    const prose_block& block = blocks[b];
    for (const avoid_match& m : find_words_to_avoid(block, tokens[b], index)) {
      std::string instead;
      for (std::size_t k = 0; k < m.entry->instead.size(); ++k) {
        instead += (k == 0                             ? ""
                    : k + 1 == m.entry->instead.size() ? " or "
                                                       : ", ") +
                   std::string("\"") + m.entry->instead[k] + "\"";
      }
      text_position pos = block.position_at(m.offset);
      diags.warning(block.file, pos.line, pos.col, "words.avoid",
                    "'" + m.found + "' is on the list of words to avoid in " + edition_words(ed) +
                        ": write " + instead + " instead" +
                        (built_in ? " (tandem's list for young readers; content/words.json "
                                    "replaces it)"
                                  : " (the list is in content/words.json)") +
                        note);
    }
  }
}

}  // namespace

void check_acronyms(const std::vector<prose_block>& blocks,
                    const std::vector<glossary_entry>& glossary, const edition& ed,
                    const std::string& note, diagnostics& diags) {
  find_acronyms(blocks, tokens_of(blocks), glossary, ed, note, diags);
}

void check_words_to_avoid(const std::vector<prose_block>& blocks,
                          const std::vector<avoid_entry>& list, bool built_in, const edition& ed,
                          const std::string& note, diagnostics& diags) {
  if (list.empty()) return;
  find_words(blocks, tokens_of(blocks), list, built_in, ed, note, diags);
}

struct check_cache::impl {
  prose_cache prose;
  std::map<std::string, std::string> stats_inputs;  // what each figure key last read of them
  figure_changes figures;                           // and when that changed
  std::string glossary_terms;  // what the acronym checks last read of the glossary
  std::string word_lists;      // and the word checks of the lists
};

check_cache::check_cache() : self_(std::make_unique<impl>()) {}
check_cache::~check_cache() = default;
check_cache::check_cache(check_cache&&) noexcept = default;
check_cache& check_cache::operator=(check_cache&&) noexcept = default;

void check_cache::use_once() {
  self_->prose.keep_tokens = false;
}

void check_cache::offer_prose(std::vector<std::pair<const source_page*, prose_page>> prose) {
  self_->prose.offer(std::move(prose));
}

void run_checks(const site_model& model, diagnostics& diags) {
  run_checks(model, build_date(), diags);
}

void run_checks(const site_model& model, civil_date today, diagnostics& diags) {
  check_cache cache;
  run_checks(model, today, cache, diags);
}

namespace {

// `content.empty`: a page or a pledge's wording with nothing below its front matter (its text
// deleted with the notes tandem new wrote, and none written yet): readers would find a title
// over nothing. Once for each file.
void check_empty_files(const loaded_content& content, diagnostics& diags) {
  std::set<std::string> seen;
  auto check = [&](const source_page& page, bool pledge) {
    if (page.stand_in || !seen.insert(page.file).second) return;
    // Notes to writers (<!-- -->) are left out of the page: they are not text either.
    std::string_view body = page.body;
    for (std::size_t at = 0; at < body.size();) {
      std::size_t text = body.find_first_not_of(" \t\r\n", at);
      if (text == std::string_view::npos) break;
      if (body.substr(text, 4) != "<!--") return;
      std::size_t close = body.find("-->", text + 4);
      at = close == std::string_view::npos ? body.size() : close + 3;
    }
    diags.warning(page.file, page.body_line, 1, "content.empty",
                  pledge ? "this pledge has no words below its settings: write what is pledged "
                           "under the closing '---', or delete the file"
                         : "this page has no text below its settings, so readers would find only "
                           "its title: write the section under the closing '---', or delete the "
                           "file");
  };
  for (const section& sec : content.sections)
    for (const auto& [edition, page] : sec.pages) check(page, false);
  for (const pledge& p : content.pledges)
    for (const auto& [edition, wording] : p.wordings) check(wording, true);
}

}  // namespace

void run_checks(const site_model& model, civil_date today, check_cache& cache, diagnostics& diags) {
  check_breakdown_sums(model.stats, diags);
  check_empty_files(model.content, diags);
  check_data_age(model, today, diags);
  word_lists lists = load_word_lists(model.dir, model.config, diags);
  check_cache::impl& kept = *cache.self_;
  // A block is measured again when a figure it shows reads something else of the statistics.
  auto stats_inputs = stats_inputs_of(model.stats);
  note_figure_changes(kept.stats_inputs, stats_inputs, kept.figures);
  kept.stats_inputs = std::move(stats_inputs);
  // A glossary that cannot be read explains nothing, and leaves the abbreviations unchecked.
  std::string terms = model.content.glossary_unreadable ? std::string("(unreadable)")
                                                        : glossary_terms_of(model.content.glossary);
  std::string wording = word_lists_of(lists);
  if (terms != kept.glossary_terms || wording != kept.word_lists) kept.prose.forget_wording();
  kept.glossary_terms = std::move(terms);
  kept.word_lists = std::move(wording);
  prose_cache& prose = kept.prose;
  prose.begin_run();

  // Each file is read and measured on its own: on every core, before the checks that report.
  unsigned threads = render_thread_count(render_options{});
  std::vector<const source_page*> sources;
  for (const section& sec : model.content.sections)
    for (const auto& [id, page] : sec.pages) sources.push_back(&page);
  for (const pledge& p : model.content.pledges)
    for (const auto& [id, page] : p.wordings) sources.push_back(&page);
  const std::string& primary = model.config.primary().id;
  // The acronyms and words to avoid of a file in one context (an edition, and the note said
  // when a pledge borrows another edition's wording), found with the file's tokens.
  auto find_wording = [&](checked_file& checked, const edition& ed, const std::string& note,
                          diagnostics& found) {
    const auto& tokens = checked.block_tokens();
    const std::vector<prose_block>& blocks = checked.prose.blocks;
    if (ed.id != primary && !model.content.glossary_unreadable)
      find_acronyms(blocks, tokens, model.content.glossary, ed, note, found);
    auto list = lists.by_edition.find(ed.id);
    if (list != lists.by_edition.end())
      find_words(blocks, tokens, list->second, lists.built_in, ed, note, found);
  };
  // Without tokens kept, each file read is measured at once, while its tokens are made, and a
  // section's page checked for wording then too: its tokens are not made twice. A section's
  // page is shown in its own edition only, with no note (see shown_pages).
  bool keep_tokens = prose.keep_tokens;
  std::unordered_map<const source_page*, const edition*> own_edition;
  if (!keep_tokens)
    for (const section& sec : model.content.sections)
      for (const auto& [id, page] : sec.pages)
        if (const edition* ed = model.config.find_edition(id)) own_edition.emplace(&page, ed);
  prose.read_ahead(sources, threads, [&](checked_file& f, const source_page& source) {
    if (keep_tokens) return;
    measured(f, model.stats, kept.figures, true);  // the tokens are dropped after the callback
    auto own = own_edition.find(&source);
    if (own == own_edition.end()) return;
    auto [found, fresh] = f.wording.try_emplace(own->second->id + "\n" + primary + "\n");
    if (!fresh) return;
    try {
      find_wording(f, *own->second, "", found->second);
    } catch (...) {  // out of memory: not kept as found, the next run looks again
      f.wording.erase(found);
      throw;
    }
  });
  std::vector<shown_page> pages = shown_pages(model, prose);
  std::vector<checked_file*> shown;
  for (const shown_page& page : pages)
    for (const shown_file& f : page.files) shown.push_back(f.checked);
  std::sort(shown.begin(), shown.end());
  shown.erase(std::unique(shown.begin(), shown.end()), shown.end());
  for_each_at_once(
      shown.size(), threads,
      [&](std::size_t i) { measured(*shown[i], model.stats, kept.figures, keep_tokens); }, 8);

  // Figures typed in are a problem of the file, whatever edition shows it: pledges too.
  figure_matcher matcher(model.stats);
  auto check_literals = [&](const source_page& page) {
    const checked_file& f = prose.file(page);
    for (const literal_candidate& c : f.literals) matcher.report(c, diags);
    for (const auto& [words, at] : f.placeholders)
      diags.warning(page.file, at.line, at.col, "content.placeholder",
                    "'" + std::string(words) +
                        "' is the text 'tandem new' wrote for you to replace: write your own "
                        "words here before publishing");
    for (const auto& [key, at] : f.front_matter_figures)
      diags.error(page.file, at.line, at.col, "figure.front_matter",
                  "figures are not filled in in the front matter's '" + std::string(key) +
                      "': this would be shown as written, braces and all. Write the words "
                      "without the figure, and give the figure in the text below the front "
                      "matter");
  };
  for (const section& sec : model.content.sections)
    for (const auto& [id, page] : sec.pages) check_literals(page);
  for (const pledge& p : model.content.pledges)
    for (const auto& [id, page] : p.wordings) check_literals(page);

  // Acronyms and words to avoid, for each file in each context it is shown in that was not
  // checked before: found on every core, file by file; reported below in the pages' order.
  struct wording_need {
    const edition* ed;
    std::string note;
    std::string key;  // in the file's `wording`
    diagnostics* found;
  };
  std::map<checked_file*, std::vector<wording_need>> needs;
  for (const shown_page& page : pages) {
    for (const shown_file& f : page.files) {
      std::string note = borrowed_note(f, *page.ed, model);
      // Which edition is primary decides whether acronyms are checked at all.
      auto [found, fresh] =
          f.checked->wording.try_emplace(page.ed->id + "\n" + primary + "\n" + note);
      if (fresh)
        needs[f.checked].push_back({page.ed, std::move(note), found->first, &found->second});
    }
  }
  std::vector<std::pair<checked_file* const, std::vector<wording_need>>*> need_list;
  for (auto& entry : needs) need_list.push_back(&entry);
  // If any of them fails (out of memory), none is kept as found: the next run looks again.
  auto forget_needs = [&] {
    for (auto& [checked, list] : needs)
      for (const wording_need& need : list) checked->wording.erase(need.key);
  };
  try {
    for_each_at_once(
        need_list.size(), threads,
        [&](std::size_t i) {
          checked_file& checked = *need_list[i]->first;
          for (const wording_need& need : need_list[i]->second)
            find_wording(checked, *need.ed, need.note, *need.found);
          if (!keep_tokens) checked.drop_tokens();
        },
        8);
  } catch (...) {
    forget_needs();
    throw;
  }

  for (const shown_page& page : pages) {
    const edition& ed = *page.ed;
    // The grade is the whole page's; long sentences, acronyms and words are each file's own.
    std::vector<const measures*> parts;
    for (const shown_file& f : page.files)
      parts.push_back(&*f.checked->measured);  // measured above
    if (parts.size() == 1) {
      check_grade(*parts.front(), ed, "", diags);
    } else {
      measures all;
      for (const measures* part : parts) all.add(*part);
      check_grade(all, ed, "", diags);
    }
    for (std::size_t k = 0; k < page.files.size(); ++k) {
      const shown_file& f = page.files[k];
      std::string note = borrowed_note(f, ed, model);
      check_sentence_lengths(*parts[k], ed, note, diags);
      diags.merge(f.checked->wording.at(ed.id + "\n" + primary + "\n" + note));  // found above
    }
  }
  prose.end_run();
}

void print_check_report(std::ostream& out, const site_model& model, const diagnostics& diags) {
  std::map<std::string, std::map<std::string, int>> by_file;
  for (const diagnostic& d : diags.sorted()) by_file[d.file][d.id] += 1;
  prose_cache prose;
  std::set<std::string> shown;
  out << "Plain-language report: every page of every edition, the pages with most to fix first.\n"
      << "grade: Flesch-Kincaid reading grade (school year minus 1 in England); longest: words "
         "in the longest sentence; ! means over the edition's limit.\n";
  for (const edition& ed : model.config.editions) {
    std::vector<report_row> rows;
    for (const shown_page& page : shown_pages(model, prose)) {
      if (page.ed != &ed) continue;
      diagnostics quiet;
      readability r = check_readability(page_blocks(page, prose), model.stats, ed, "", quiet);
      report_row row;
      row.file = page.files.front().page->file;
      row.pledges = page.files.size() - 1;
      if (r.sentences > 0) row.grade = r.grade();
      row.longest = r.longest();
      for (const shown_file& f : page.files) {
        for (const auto& [id, n] : by_file[f.page->file]) row.counts[id] += n;
        shown.insert(f.page->file);
      }
      for (const auto& [id, n] : row.counts) row.problems += n;
      if (row.grade && ed.checks.max_grade) {
        row.over += std::max(0.0, *row.grade - *ed.checks.max_grade);
      }
      if (ed.checks.max_sentence_words) {
        row.over += std::max(0, row.longest - *ed.checks.max_sentence_words) / 5.0;
      }
      rows.push_back(std::move(row));
    }
    std::stable_sort(rows.begin(), rows.end(), [](const report_row& a, const report_row& b) {
      if (a.problems != b.problems) return a.problems > b.problems;
      if (a.over != b.over) return a.over > b.over;
      return a.grade.value_or(0) > b.grade.value_or(0);
    });
    out << "\n" << ed.name << " (" << ed.id << ")";
    if (ed.checks.max_grade) out << ": grade up to " << format_number(*ed.checks.max_grade);
    if (ed.checks.max_sentence_words) {
      out << (ed.checks.max_grade ? ", " : ": ") << "sentences up to "
          << *ed.checks.max_sentence_words << " words";
    }
    out << "\n  grade  longest  problems  page\n";
    std::size_t hard = 0, long_ones = 0, with_problems = 0;
    for (const report_row& row : rows) {
      bool too_hard = row.grade && ed.checks.max_grade &&
                      std::round(*row.grade * 10) / 10 > *ed.checks.max_grade;
      bool too_long = ed.checks.max_sentence_words && row.longest > *ed.checks.max_sentence_words;
      hard += too_hard ? 1 : 0;
      long_ones += too_long ? 1 : 0;
      with_problems += row.problems > 0 ? 1 : 0;
      // The formula goes below 0 for the simplest texts; 0 says the same to an editor.
      std::string grade =
          (row.grade ? one_decimal(std::max(0.0, *row.grade)) : "-") + (too_hard ? "!" : " ");
      std::string longest = std::to_string(row.longest) + (too_long ? "!" : " ");
      out << "  " << pad_left(grade, 6) << "  " << pad_left(longest, 7) << "  "
          << pad_left(std::to_string(row.problems), 8) << "  " << row.file
          << (row.pledges > 0 ? " and its " + plural(row.pledges, "pledge") : "");
      if (!row.counts.empty()) out << "  " << counts_text(row.counts);
      out << "\n";
    }
    out << "  " << plural(rows.size(), "page") << ": " << hard << " above the grade, " << long_ones
        << " with a sentence too long, " << with_problems << " with something to fix\n";
  }
  std::vector<std::string> others;
  for (const auto& [file, counts] : by_file) {
    if (!shown.count(file))
      others.push_back((file.empty() ? "(no file)" : file) + ": " + counts_text(counts));
  }
  if (!others.empty()) {
    out << "\nOther files\n";
    for (const std::string& line : others) out << "  " << line << "\n";
  }
  out << "\n";
}

}  // namespace tandem
