// Build-time, accessible inline SVG: bar charts of breakdowns, icon arrays of percents, cards.
#pragma once

#include <string>
#include <vector>

#include "stats.hpp"

namespace tandem {

/// A horizontal bar chart of a breakdown: <figure> with an SVG (role="img", <title> and <desc>,
/// values written on the bars, fills of at least 3:1 contrast) followed by a <table> of the same
/// numbers with a caption. `id` makes SVG ids unique on the page.
std::string render_bar_chart(const breakdown& b, const std::string& id);

/// Ten icons, round(value / 10) filled, for a percent figure, with a text alternative
/// ("About 4 in 10 children living with foster carers (41.2%)") and the figure wrapped in <data>.
std::string render_icon_array(const figure& f, const std::string& id);

/// Big-number cards: each figure's formatted value (wrapped in <data>) above its label.
std::string render_cards(const std::vector<const figure*>& figures);

}  // namespace tandem
