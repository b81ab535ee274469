// Build-time, accessible charts: bar charts of breakdowns, icon arrays of percents, cards.
#pragma once

#include <string>
#include <vector>

#include "stats.hpp"

namespace tandem {

/// The date the figures are as of, as written beside a chart or cards: "" shows no date.
struct figures_date {
  std::string iso;   // "2025-12-14"
  std::string text;  // "14 December 2025"
};

/// The date of `stats`, for the components.
figures_date date_of(const stats_data& stats);

/// A horizontal bar chart of a breakdown: <figure> with a <figcaption> (the label and the date),
/// the bars in HTML (each label above its bar, the value after it, widths in percent of the
/// largest value, fills of at least 3:1 contrast; hidden from screen readers) and a <table> of
/// the same numbers, which is what screen readers read; then the breakdown's note, each part's
/// note and source (a list naming the parts) and the breakdown's source, when stats.json gives
/// them. `id` is the figure's id.
std::string render_bar_chart(const breakdown& b, const std::string& id,
                             const figures_date& date = {});

/// Ten icons, round(value / 10) filled, for a percent figure, with a text alternative
/// ("About 4 in 10 children living with foster carers (41.2%)") and the figure wrapped in <data>,
/// then its note and source when stats.json gives them.
std::string render_icon_array(const figure& f, const std::string& id,
                              const figures_date& date = {});

/// Big-number cards: each figure's formatted value (wrapped in <data>) above its label and its
/// note and source when stats.json gives them, then the date of the figures.
std::string render_cards(const std::vector<const figure*>& figures, const figures_date& date = {});

}  // namespace tandem
