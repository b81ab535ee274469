#include <doctest/doctest.h>

#include <cmath>
#include <regex>
#include <string>

#include "charts.hpp"

using namespace tandem;

namespace {

breakdown eight_part_breakdown() {
  breakdown b;
  b.key = "placements";
  b.label = "Where children live <by type> & more";
  b.unit = figure_unit::percent;
  const char* labels[] = {"Foster carers", "Family & friends", "Children's homes", "Residential",
                          "Parents",       "Adoption",         "Independent",      "Other"};
  double values[] = {41.2, 20, 15.5, 10, 6, 4, 3, 0.3};
  const char* texts[] = {"41.2", "20", "15.5", "10", "6", "4", "3", "0.3"};
  for (int i = 0; i < 8; ++i) b.parts.push_back({labels[i], values[i], texts[i], "", "", {}});
  return b;
}

figure percent_figure(double value, std::string text) {
  figure f;
  f.key = "foster_care";
  f.label = "children living with foster carers";
  f.value = value;
  f.value_text = std::move(text);
  f.unit = figure_unit::percent;
  return f;
}

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// WCAG 2.x relative luminance and contrast ratio.
double channel(int value) {
  double c = value / 255.0;
  return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}
double luminance(const std::string& hex) {
  int r = std::stoi(hex.substr(1, 2), nullptr, 16);
  int g = std::stoi(hex.substr(3, 2), nullptr, 16);
  int b = std::stoi(hex.substr(5, 2), nullptr, 16);
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}
double contrast_with_white(const std::string& hex) {
  return 1.05 / (luminance(hex) + 0.05);
}

}  // namespace

TEST_CASE("contrast formula matches known values") {
  CHECK(contrast_with_white("#000000") == doctest::Approx(21.0));
  CHECK(contrast_with_white("#ffffff") == doctest::Approx(1.0));
  CHECK(contrast_with_white("#767676") == doctest::Approx(4.54).epsilon(0.01));
}

TEST_CASE("a bar chart has a caption, every value written by its bar, and a table") {
  breakdown b = eight_part_breakdown();
  std::string html = render_bar_chart(b, "chart-placements");
  CHECK(html.rfind("<figure class=\"tandem-chart\" id=\"chart-placements\">", 0) == 0);
  CHECK(html.find("<figcaption class=\"tandem-chart__caption\">Where children live &lt;by "
                  "type&gt; &amp; more</figcaption>") != std::string::npos);
  // The bars are for the eye; screen readers read the table, so it is said once.
  CHECK(html.find("<div class=\"tandem-chart__bars\" aria-hidden=\"true\">") != std::string::npos);
  for (const auto& part : b.parts) {
    std::string shown = part.value_text + "%";
    CHECK(html.find("<span class=\"tandem-chart__value\">" + shown + "</span>") !=
          std::string::npos);
    CHECK(html.find("<data value=\"" + part.value_text + "\" data-figure=\"placements\">" + shown +
                    "</data>") != std::string::npos);
  }
  CHECK(html.find("<span class=\"tandem-chart__label\">Children&#39;s homes</span>") !=
        std::string::npos);
  CHECK(html.find("<th scope=\"row\">Children&#39;s homes</th>") != std::string::npos);
  // The figcaption names the figure: a caption in the table would say it twice.
  CHECK(html.find("<caption") == std::string::npos);
  CHECK(html.find("<th scope=\"col\">Percentage</th>") != std::string::npos);
  CHECK(count_of(html, "class=\"tandem-chart__fill\"") == 8);
  // Nothing scales the words down on a phone: no SVG, no viewBox.
  CHECK(html.find("<svg") == std::string::npos);
  CHECK(html.find("viewBox") == std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
}

TEST_CASE("bar widths are percentages of the largest value and a tiny value still shows") {
  std::string html = render_bar_chart(eight_part_breakdown(), "c");
  CHECK(html.find("style=\"width:100%;") != std::string::npos);   // 41.2, the largest
  CHECK(html.find("style=\"width:48.5%;") != std::string::npos);  // 20 of 41.2
  CHECK(html.find("style=\"width:0.7%;") != std::string::npos);   // 0.3 of 41.2
  CHECK(count_of(html, "style=\"width:100%;") == 1);
  breakdown tiny = eight_part_breakdown();
  tiny.parts[7].value = 0.01;
  CHECK(render_bar_chart(tiny, "c").find("style=\"width:0.5%;") != std::string::npos);
  tiny.parts[7].value = 0;
  CHECK(render_bar_chart(tiny, "c").find("style=\"width:0%;") != std::string::npos);
}

TEST_CASE("charts and cards say the date of their figures, when given") {
  figures_date date{"2025-12-14", "14 December 2025"};
  std::string stamp = "Figures at <time datetime=\"2025-12-14\">14 December 2025</time>";
  CHECK(render_bar_chart(eight_part_breakdown(), "c", date).find(stamp) != std::string::npos);
  CHECK(render_icon_array(percent_figure(41.2, "41.2"), "i", date).find(stamp) !=
        std::string::npos);
  figure a = percent_figure(41.2, "41.2");
  CHECK(render_cards({&a}, date).find(stamp) != std::string::npos);
  CHECK(render_bar_chart(eight_part_breakdown(), "c").find("Figures at") == std::string::npos);
  CHECK(render_cards({&a}).find("Figures at") == std::string::npos);
}

TEST_CASE("every chart colour has at least 3:1 contrast with white") {
  std::string html = render_bar_chart(eight_part_breakdown(), "c") +
                     render_icon_array(percent_figure(41.2, "41.2"), "i");
  std::regex colour("(fill=\"|stroke=\"|background-color:)(#[0-9a-fA-F]{6})");
  int checked = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), colour);
       it != std::sregex_iterator(); ++it) {
    std::string hex = (*it)[2];
    if (hex == "#ffffff") continue;  // the inside of an outlined icon
    INFO(hex);
    CHECK(contrast_with_white(hex) >= 3.0);
    ++checked;
  }
  CHECK(checked >= 8);
}

TEST_CASE("an icon array fills round(value / 10) of ten people and says the value in words") {
  std::string html = render_icon_array(percent_figure(41.2, "41.2"), "chart-foster-care");
  CHECK(count_of(html, "<g class=\"tandem-icon") == 10);
  CHECK(count_of(html, "tandem-icon--filled") == 4);
  CHECK(html.find("role=\"img\" aria-labelledby=\"chart-foster-care-title\"") != std::string::npos);
  CHECK(html.find("<title id=\"chart-foster-care-title\">About 4 in 10 children living with "
                  "foster carers (41.2%)</title>") != std::string::npos);
  CHECK(html.find("Children living with foster carers: <data value=\"41.2\" "
                  "data-figure=\"foster_care\">41.2%</data>") != std::string::npos);

  CHECK(count_of(render_icon_array(percent_figure(45, "45"), "x"), "tandem-icon--filled") == 5);
  CHECK(count_of(render_icon_array(percent_figure(3, "3"), "x"), "tandem-icon--filled") == 0);
  // Ten filled people would say "everyone".
  CHECK(count_of(render_icon_array(percent_figure(97, "97"), "x"), "tandem-icon--filled") == 9);
  CHECK(count_of(render_icon_array(percent_figure(100, "100"), "x"), "tandem-icon--filled") == 10);
  // None of them: "No children ...", not "None children ...".
  CHECK(render_icon_array(percent_figure(0, "0"), "x")
            .find("<title id=\"x-title\">No children living with foster carers (0%)</title>") !=
        std::string::npos);
}

TEST_CASE("cards show each value in <data> above its escaped label") {
  figure a;
  a.key = "children_in_care";
  a.label = "children <looked> after & \"cared\" for";
  a.value = 1234;
  a.value_text = "1234";
  std::string html = render_cards({&a});
  CHECK(html ==
        "<ul class=\"tandem-cards\">\n<li class=\"tandem-card\"><span "
        "class=\"tandem-card__value\"><data value=\"1234\" "
        "data-figure=\"children_in_care\">1,234</data></span> <span "
        "class=\"tandem-card__label\">children &lt;looked&gt; after &amp; "
        "&quot;cared&quot; for</span></li>\n</ul>\n");
}

TEST_CASE("a figure's, a breakdown's and a part's note and source are shown with them, escaped") {
  figure a;
  a.key = "care_leavers_eet";
  a.label = "care leavers in education";
  a.value = 54;
  a.value_text = "54";
  a.unit = figure_unit::percent;
  a.note = "Care leavers aged <18> or over & their \"friends\".";
  a.source = "DfE SSDA903";
  figure b = a;
  b.key = "plain";
  b.note.clear();
  b.source.clear();
  std::string cards = render_cards({&a, &b});
  CHECK(cards ==
        "<ul class=\"tandem-cards\">\n<li class=\"tandem-card\"><span "
        "class=\"tandem-card__value\"><data value=\"54\" data-figure=\"care_leavers_eet\">54%"
        "</data></span> <span class=\"tandem-card__label\">care leavers in education</span> "
        "<span class=\"tandem-card__note\">Care leavers aged &lt;18&gt; or over &amp; their "
        "&quot;friends&quot;.</span> <span class=\"tandem-card__source\">Source: DfE "
        "SSDA903</span></li>\n"
        "<li class=\"tandem-card\"><span class=\"tandem-card__value\"><data value=\"54\" "
        "data-figure=\"plain\">54%</data></span> <span class=\"tandem-card__label\">care "
        "leavers in education</span></li>\n</ul>\n");

  std::string icons = render_icon_array(a, "i", {"2025-12-14", "14 December 2025"});
  // In the caption, after the figure and before the date.
  auto note = icons.find("<span class=\"tandem-icon-array__note\">Care leavers aged &lt;18&gt;");
  auto source = icons.find("<span class=\"tandem-icon-array__source\">Source: DfE SSDA903</span>");
  REQUIRE(note != std::string::npos);
  REQUIRE(source != std::string::npos);
  CHECK(icons.find("(about 5 in 10)") < note);
  CHECK(note < source);
  CHECK(source < icons.find("tandem-icon-array__date"));
  CHECK(source < icons.find("</figcaption>"));
  CHECK(render_icon_array(b, "i").find("__note") == std::string::npos);

  breakdown chart = eight_part_breakdown();
  chart.note = "Rounded, so the parts add up to less than 100%.";
  chart.source = "Annual return";
  chart.parts[1].note = "Relatives & friends approved as carers.";
  chart.parts[7].source = "Local records";
  std::string html = render_bar_chart(chart, "c");
  auto table_end = html.find("</table>");
  auto notes = html.substr(table_end, html.find("</figure>") - table_end);
  CHECK(notes ==
        "</table>\n<p class=\"tandem-chart__note\">Rounded, so the parts add up to less than "
        "100%.</p>\n<ul class=\"tandem-chart__notes\">\n<li><span class=\"tandem-chart__part\">"
        "Family &amp; friends:</span> <span class=\"tandem-chart__note\">Relatives &amp; friends "
        "approved as carers.</span></li>\n<li><span class=\"tandem-chart__part\">Other:</span> "
        "<span class=\"tandem-chart__source\">Source: Local records</span></li>\n</ul>\n<p "
        "class=\"tandem-chart__source\">Source: Annual return</p>\n");
  // Without any, nothing is added after the table.
  std::string bare = render_bar_chart(eight_part_breakdown(), "c");
  CHECK(bare.substr(bare.find("</table>")) == "</table>\n</figure>\n");
}

TEST_CASE("charts are the same every time") {
  CHECK(render_bar_chart(eight_part_breakdown(), "c") ==
        render_bar_chart(eight_part_breakdown(), "c"));
  CHECK(render_icon_array(percent_figure(41.2, "41.2"), "i") ==
        render_icon_array(percent_figure(41.2, "41.2"), "i"));
}
