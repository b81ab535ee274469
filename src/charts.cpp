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
constexpr const char* text_colour = "#0b0c0c";

// Chart geometry, in SVG user units.
constexpr double chart_width = 640;
constexpr double value_space = 110;  // room right of the longest bar for its value
constexpr double label_height = 22;
constexpr double bar_height = 26;
constexpr double row_gap = 14;
constexpr double row_height = label_height + bar_height + row_gap;

// A coordinate with one decimal, the same on every machine and locale.
std::string coordinate(double value) {
  value = std::round(value * 10) / 10;
  if (value == 0) value = 0;  // no "-0"
  std::array<char, 64> buffer{};
  auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                              std::chars_format::fixed, value == std::floor(value) ? 0 : 1);
  return std::string(buffer.data(), result.ptr);
}

std::string value_text(double value, figure_unit unit) {
  return format_number(value) + (unit == figure_unit::percent ? "%" : "");
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

// "Children in care by ethnicity. White, White British: 72%. Mixed: 7.4%."
std::string bar_chart_description(const breakdown& b) {
  std::string desc = b.label.empty() ? std::string() : b.label + ". ";
  for (std::size_t i = 0; i < b.parts.size(); ++i) {
    if (i > 0) desc += ' ';
    desc += b.parts[i].label + ": " + value_text(b.parts[i].value, b.unit) + ".";
  }
  return desc;
}

std::string bar_chart_rows(const breakdown& b) {
  double largest = 0;
  for (const auto& part : b.parts) largest = std::max(largest, part.value);
  const double bar_space = chart_width - value_space;
  std::string svg;
  for (std::size_t i = 0; i < b.parts.size(); ++i) {
    const auto& part = b.parts[i];
    double top = static_cast<double>(i) * row_height;
    double width = largest > 0 ? std::max(0.0, part.value) / largest * bar_space : 0;
    if (part.value > 0) width = std::max(width, 2.0);  // a tiny value still shows a bar
    svg += "<g class=\"tandem-chart__bar\">\n";
    svg += "<text x=\"0\" y=\"" + coordinate(top + 16) + "\" class=\"tandem-chart__label\">" +
           escape_html(part.label) + "</text>\n";
    svg += "<rect x=\"0\" y=\"" + coordinate(top + label_height) + "\" width=\"" +
           coordinate(width) + "\" height=\"" + coordinate(bar_height) + "\" fill=\"" +
           palette[i % palette.size()] + "\"/>\n";
    svg += "<text x=\"" + coordinate(width + 8) + "\" y=\"" +
           coordinate(top + label_height + bar_height - 7) +
           "\" class=\"tandem-chart__value\" font-weight=\"bold\">" +
           escape_html(value_text(part.value, b.unit)) + "</text>\n";
    svg += "</g>\n";
  }
  return svg;
}

std::string bar_chart_table(const breakdown& b) {
  std::string html = "<table class=\"tandem-chart__table\">\n<caption>" + escape_html(b.label) +
                     "</caption>\n<thead>\n<tr><th scope=\"col\">Group</th><th scope=\"col\">" +
                     (b.unit == figure_unit::percent ? "Percentage" : "Number") +
                     "</th></tr>\n</thead>\n<tbody>\n";
  for (const auto& part : b.parts) {
    html += "<tr><th scope=\"row\">" + escape_html(part.label) + "</th><td>" +
            data_element(b.key, part.value_text, value_text(part.value, b.unit)) + "</td></tr>\n";
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

}  // namespace

std::string render_bar_chart(const breakdown& b, const std::string& id) {
  double height = std::max(1.0, static_cast<double>(b.parts.size()) * row_height - row_gap);
  std::string html = "<figure class=\"tandem-chart\" id=\"" + escape_html(id) + "\">\n";
  html += "<figcaption class=\"tandem-chart__caption\">" + escape_html(b.label) + "</figcaption>\n";
  html +=
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"tandem-chart__svg\" role=\"img\" "
      "aria-labelledby=\"" +
      escape_html(id) + "-title " + escape_html(id) + "-desc\" viewBox=\"0 0 " +
      coordinate(chart_width) + " " + coordinate(height) + "\" font-size=\"16\" fill=\"" +
      text_colour + "\" focusable=\"false\">\n";
  html += "<title id=\"" + escape_html(id) + "-title\">" + escape_html(b.label) + "</title>\n";
  html += "<desc id=\"" + escape_html(id) + "-desc\">" + escape_html(bar_chart_description(b)) +
          "</desc>\n";
  html += bar_chart_rows(b);
  html += "</svg>\n";
  html += bar_chart_table(b);
  html += "</figure>\n";
  return html;
}

std::string render_icon_array(const figure& f, const std::string& id) {
  std::string exact = format_figure(f, figure_format::plain).value_or(f.value_text);
  std::string in_ten = format_figure(f, figure_format::in_ten).value_or(exact);
  std::string alternative = capitalised(in_ten) + " " + f.label + " (" + exact + ")";
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
          ": " + data_element(f.key, f.value_text, exact) + " (" + escape_html(in_ten) +
          ")</figcaption>\n";
  html += "</figure>\n";
  return html;
}

std::string render_cards(const std::vector<const figure*>& figures) {
  std::string html = "<ul class=\"tandem-cards\">\n";
  for (const figure* f : figures) {
    if (f == nullptr) continue;
    std::string shown = format_figure(*f, figure_format::plain).value_or(f->value_text);
    html += "<li class=\"tandem-card\"><span class=\"tandem-card__value\">" +
            data_element(f->key, f->value_text, shown) +
            "</span> <span class=\"tandem-card__label\">" + escape_html(f->label) +
            "</span></li>\n";
  }
  html += "</ul>\n";
  return html;
}

}  // namespace tandem
