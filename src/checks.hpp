// The checks of SPEC 8 that look at the whole site rather than one file as it loads: figures
// typed as numbers, breakdown sums, stale data, readability, acronyms and words to avoid.
// Every one of them is a warning: it fails a build only with --strict.
#pragma once

#include <iosfwd>
#include <memory>
#include <vector>

#include "content.hpp"
#include "diag.hpp"
#include "model.hpp"
#include "prose.hpp"
#include "readability.hpp"
#include "words.hpp"

namespace tandem {

/// A day of the calendar.
struct civil_date {
  int year = 1970;
  int month = 1;
  int day = 1;
};

/// The date of this build: from SOURCE_DATE_EPOCH (seconds since 1970, UTC) when it is set to
/// a number, else today's date (UTC) from the clock.
civil_date build_date();

/// Runs every site-wide check over the loaded model and adds what it finds to `diags`.
void run_checks(const site_model& model, diagnostics& diags);
/// The same, with the date that `data.stale` measures the age of the figures against.
void run_checks(const site_model& model, civil_date today, diagnostics& diags);

/// What the checks learnt from each file, kept from one run to the next (`tandem serve`): its
/// prose, the numbers in it that may be figures typed in, its readability and what the acronym
/// and word checks found. Each is used again while what it was made from is unchanged: the
/// file's text, the figures the file shows, the glossary's terms, the lists of words to avoid.
/// A run with a cache gives exactly what a run without one gives.
class check_cache {
 public:
  check_cache();
  ~check_cache();
  check_cache(check_cache&&) noexcept;
  check_cache& operator=(check_cache&&) noexcept;

  /// Prose already read from the pages (by the renderer, which parses them anyway): the next
  /// run uses it instead of parsing those pages again. Each must be what extract_prose gives
  /// for its page, as the page is when the checks run.
  void offer_prose(std::vector<std::pair<const source_page*, prose_page>> prose);

  /// For a cache used once (`tandem build`): each file's tokens are dropped as soon as the run
  /// is done with them instead of being kept for the next run, which keeps the memory a large
  /// site takes down (a file's tokens take about five times its prose).
  void use_once();

  struct impl;

 private:
  friend void run_checks(const site_model&, civil_date, check_cache&, diagnostics&);
  std::unique_ptr<impl> self_;
};

/// The same, checking again only what changed since the last run with `cache`.
void run_checks(const site_model& model, civil_date today, check_cache& cache, diagnostics& diags);

/// `figure.literal`: numbers in `block` that are a figure typed in ("777", "1,234", "41.2%",
/// "about 780", "about 4 in 10"). Ordinary numbers are left alone: counts under 10, years,
/// dates, ages and ranges ("16 to 25"), numbers before a unit of time ("24 hours") or after a
/// word such as "section" or "page", money, phone numbers, and 0% and 100%.
void check_figure_literals(const prose_block& block, const stats_data& stats, diagnostics& diags);

/// `breakdown.sum`: percent breakdowns whose parts add up to more than 0.5 away from 100.
void check_breakdown_sums(const stats_data& stats, diagnostics& diags);

/// `data.stale`: `as_of` more than `max_age_days` before `today`.
void check_data_age(const site_model& model, civil_date today, diagnostics& diags);

/// `readability.grade` and `readability.sentence` for the prose of one file shown in edition
/// `ed`. `note` is added to messages (e.g. that the wording is the primary edition's).
readability check_readability(const std::vector<prose_block>& blocks, const stats_data& stats,
                              const edition& ed, const std::string& note, diagnostics& diags);

/// `glossary.undefined`: acronyms in the prose of one file, shown in edition `ed`, that the
/// glossary does not explain; each acronym once per file, where it is first used.
void check_acronyms(const std::vector<prose_block>& blocks,
                    const std::vector<glossary_entry>& glossary, const edition& ed,
                    const std::string& note, diagnostics& diags);

/// `words.avoid`: every use of a word on `list` in the prose of one file shown in edition `ed`.
void check_words_to_avoid(const std::vector<prose_block>& blocks,
                          const std::vector<avoid_entry>& list, bool built_in, const edition& ed,
                          const std::string& note, diagnostics& diags);

/// `tandem check --report`: for every page and edition, its reading grade, its longest sentence
/// and how many of each warning it has, so an editor sees where to work first.
void print_check_report(std::ostream& out, const site_model& model, const diagnostics& diags);

}  // namespace tandem
