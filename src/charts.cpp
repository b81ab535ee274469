#include "charts.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "components.hpp"

namespace tandem {

namespace {

// Every fill has at least 3:1 contrast against white (WCAG 1.4.11), checked in charts_test.cpp.
constexpr std::array<const char*, 7> palette = {"#1d70b8", "#00703c", "#4c2c92", "#d4351c",
                                                "#912b88", "#b35900", "#505a5f"};

// A coordinate with one decimal, the same on every machine and locale.
std::string coordinate(double value) {
  value = std::round(value * 10) / 10;
  if (value == 0) value = 0;  // no "-0"
  std::array<char, 64> buffer{};
  auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                              std::chars_format::fixed, value == std::floor(value) ? 0 : 1);
  return std::string(buffer.data(), result.ptr);
}

std::string data_element(const std::string& key, const std::string& raw_value,
                         const std::string& shown) {
  return "<data value=\"" + escape_html(raw_value) + "\" data-figure=\"" + escape_html(key) +
         "\">" + escape_html(shown) + "</data>";
}

std::string capitalised(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 32);
  return text;
}

// A share of the largest value as a CSS width, one decimal: "41.2%".
std::string width_percent(double value, double largest) {
  double share = largest > 0 ? std::max(0.0, value) / largest * 100 : 0;
  if (value > 0) share = std::max(share, 0.5);  // a tiny value still shows a bar
  return coordinate(share) + "%";
}

// The bars as HTML, so their words keep the page's text size on a phone: each label above its
// bar and the value just after it. Screen readers read the table instead.
std::string bar_chart_rows(const breakdown& b) {
  double largest = 0;
  for (const auto& part : b.parts) largest = std::max(largest, part.value);
  std::string html = "<div class=\"tandem-chart__bars\" aria-hidden=\"true\">\n";
  for (std::size_t i = 0; i < b.parts.size(); ++i) {
    const auto& part = b.parts[i];
    html += "<div class=\"tandem-chart__bar\"><span class=\"tandem-chart__label\">" +
            escape_html(part.label) +
            "</span><span class=\"tandem-chart__track\"><span class=\"tandem-chart__fill\" "
            "style=\"width:" +
            width_percent(part.value, largest) +
            ";background-color:" + palette[i % palette.size()] +
            "\"><span class=\"tandem-chart__value\">" +
            escape_html(format_in_unit(part.value, b.unit)) + "</span></span></span></div>\n";
  }
  html += "</div>\n";
  return html;
}

std::string date_markup(const figures_date& date, const std::string& css_class) {
  if (date.text.empty()) return "";
  return "<span class=\"" + css_class + "\">Figures at <time datetime=\"" + escape_html(date.iso) +
         "\">" + escape_html(date.text) + "</time></span>";
}

std::string bar_chart_table(const breakdown& b) {
  std::string html = std::string("<table class=\"tandem-chart__table\">\n<thead>\n<tr><th ") +
                     "scope=\"col\">Group</th><th scope=\"col\">" +
                     (b.unit == figure_unit::percent ? "Percentage" : "Number") +
                     "</th></tr>\n</thead>\n<tbody>\n";
  for (const auto& part : b.parts) {
    html += "<tr><th scope=\"row\">" + escape_html(part.label) + "</th><td>" +
            data_element(b.key, part.value_text, format_in_unit(part.value, b.unit)) +
            "</td></tr>\n";
  }
  html += "</tbody>\n</table>\n";
  return html;
}

// A person: a round head over a body with rounded shoulders, 24 units wide and 44 tall.
std::string person_icon(double left, bool filled) {
  std::string colour = palette[0];
  std::string paint = filled ? "fill=\"" + colour + "\""
                             : "fill=\"#ffffff\" stroke=\"" + colour + "\" stroke-width=\"2\"";
  std::string x = coordinate(left);
  return "<g class=\"tandem-icon" + std::string(filled ? " tandem-icon--filled" : "") + "\">" +
         "<circle cx=\"" + coordinate(left + 12) + "\" cy=\"9\" r=\"7\" " + paint + "/>" +
         "<path d=\"M" + x + " 44V28a10 10 0 0 1 10-10h4a10 10 0 0 1 10 10v16z\" " + paint +
         "/></g>\n";
}

// How many of ten icons to fill: round(value / 10), except that ten filled icons say "everyone",
// so 95% to 99.9% ("more than 9 in 10") fill nine.
int filled_icons(double percent) {
  int filled = static_cast<int>(std::lround(percent / 10));
  filled = std::clamp(filled, 0, 10);
  if (percent < 100 && filled == 10) filled = 9;
  return filled;
}

// What stats.json says to explain a figure, a breakdown or a part (its "note" and "source"),
// each in a span of its own class: "" when it says neither.
std::string explanation_spans(const std::string& note, const std::string& source,
                              const std::string& block) {
  std::string html;
  if (!note.empty())
    html += " <span class=\"" + block + "__note\">" + escape_html(note) + "</span>";
  if (!source.empty())
    html += " <span class=\"" + block + "__source\">Source: " + escape_html(source) + "</span>";
  return html;
}

// A breakdown's note and source, and each part's, after its chart's table: the parts' as a
// list that names each part.
std::string bar_chart_notes(const breakdown& b) {
  std::string html;
  if (!b.note.empty()) html += "<p class=\"tandem-chart__note\">" + escape_html(b.note) + "</p>\n";
  std::string parts;
  for (const auto& part : b.parts) {
    if (part.note.empty() && part.source.empty()) continue;
    parts += "<li><span class=\"tandem-chart__part\">" + escape_html(part.label) + ":</span>" +
             explanation_spans(part.note, part.source, "tandem-chart") + "</li>\n";
  }
  if (!parts.empty()) html += "<ul class=\"tandem-chart__notes\">\n" + parts + "</ul>\n";
  if (!b.source.empty())
    html += "<p class=\"tandem-chart__source\">Source: " + escape_html(b.source) + "</p>\n";
  return html;
}

}  // namespace

figures_date date_of(const stats_data& stats) {
  return {stats.as_of, format_long_date(stats.as_of_year, stats.as_of_month, stats.as_of_day)};
}

std::string render_bar_chart(const breakdown& b, const std::string& id, const figures_date& date) {
  std::string html = "<figure class=\"tandem-chart\" id=\"" + escape_html(id) + "\">\n";
  html += "<figcaption class=\"tandem-chart__caption\">" + escape_html(b.label) +
          date_markup(date, "tandem-chart__date") + "</figcaption>\n";
  html += bar_chart_rows(b);
  html += bar_chart_table(b);
  html += bar_chart_notes(b);
  html += "</figure>\n";
  return html;
}

std::string render_icon_array(const figure& f, const std::string& id, const figures_date& date) {
  std::string exact = format_figure(f, figure_format::plain).value_or(f.value_text);
  std::string in_ten = format_figure(f, figure_format::in_ten).value_or(exact);
  // Before the label, "none" reads "no": "No children living with foster carers".
  std::string alternative =
      capitalised(in_ten == "none" ? "no" : in_ten) + " " + f.label + " (" + exact + ")";
  int filled = filled_icons(f.value);

  std::string html = "<figure class=\"tandem-icon-array\" id=\"" + escape_html(id) + "\">\n";
  html +=
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"tandem-icon-array__svg\" "
      "role=\"img\" aria-labelledby=\"" +
      escape_html(id) + "-title\" viewBox=\"0 0 320 46\" focusable=\"false\">\n";
  html += "<title id=\"" + escape_html(id) + "-title\">" + escape_html(alternative) + "</title>\n";
  for (int i = 0; i < 10; ++i) html += person_icon(1 + i * 32.0, i < filled);
  html += "</svg>\n";
  html += "<figcaption class=\"tandem-icon-array__text\">" + escape_html(capitalised(f.label)) +
          ": " + data_element(f.key, f.value_text, exact) + " (" + escape_html(in_ten) + ")" +
          explanation_spans(f.note, f.source, "tandem-icon-array") +
          date_markup(date, "tandem-icon-array__date") + "</figcaption>\n";
  html += "</figure>\n";
  return html;
}

std::string render_cards(const std::vector<const figure*>& figures, const figures_date& date) {
  std::string html = "<ul class=\"tandem-cards\">\n";
  for (const figure* f : figures) {
    if (f == nullptr) continue;
    std::string shown = format_figure(*f, figure_format::plain).value_or(f->value_text);
    html += "<li class=\"tandem-card\"><span class=\"tandem-card__value\">" +
            data_element(f->key, f->value_text, shown) +
            "</span> <span class=\"tandem-card__label\">" + escape_html(f->label) + "</span>" +
            explanation_spans(f->note, f->source, "tandem-card") + "</li>\n";
  }
  html += "</ul>\n";
  if (!date.text.empty())
    html += "<p class=\"tandem-cards__date\">" + date_markup(date, "tandem-cards__date-text") +
            "</p>\n";
  return html;
}

}  // namespace tandem
