#include "components.hpp"

#include <algorithm>

#include "markdown.hpp"
#include "text.hpp"

namespace tandem {

namespace {

// Appends `text` to `out` with & < > " and ' as entities, the apostrophe as `apostrophe`. Most
// text has nothing to escape and is copied whole.
void append_escaped(std::string& out, std::string_view text, std::string_view apostrophe) {
  auto needs_escape = [](char c) {
    return c == '&' || c == '<' || c == '>' || c == '"' || c == '\'';
  };
  std::size_t first = std::find_if(text.begin(), text.end(), needs_escape) - text.begin();
  if (first == text.size()) {
    out.append(text);
    return;
  }
  out.reserve(out.size() + text.size() + text.size() / 4 + 8);
  out.append(text.substr(0, first));
  for (char c : text.substr(first)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += apostrophe;
        break;
      default:
        out.push_back(c);
    }
  }
}

std::string escaped(std::string_view text, std::string_view apostrophe) {
  std::string out;
  append_escaped(out, text, apostrophe);
  return out;
}

}  // namespace

std::string escape_html(std::string_view text) {
  return escaped(text, "&#39;");
}

std::string escape_xml(std::string_view text) {
  return escaped(text, "&apos;");
}

void append_escaped_xml(std::string& out, std::string_view text) {
  append_escaped(out, text, "&apos;");
}

const std::vector<std::string>& component_names() {
  static const std::vector<std::string> names = {"cards", "chart", "pledges", "glossary"};
  return names;
}

std::optional<component_call> parse_component(std::string_view inner) {
  component_call call;
  std::vector<std::pair<std::string, std::size_t>> words;
  std::size_t i = 0;
  while (i < inner.size()) {
    while (i < inner.size() && is_ascii_space(inner[i])) ++i;
    std::size_t start = i;
    while (i < inner.size() && !is_ascii_space(inner[i])) ++i;
    if (i > start) words.emplace_back(std::string(inner.substr(start, i - start)), start);
  }
  if (words.empty()) return std::nullopt;
  const auto& names = component_names();
  if (std::find(names.begin(), names.end(), words.front().first) == names.end()) {
    return std::nullopt;
  }
  call.name = words.front().first;
  for (std::size_t w = 1; w < words.size(); ++w) {
    call.args.push_back(words[w].first);
    call.arg_offsets.push_back(words[w].second);
  }
  return call;
}

std::string render_pledge_list(const std::vector<pledge_view>& pledges) {
  std::string html = "<ul class=\"tandem-pledges\">\n";
  for (const auto& p : pledges) {
    html += "<li class=\"tandem-pledge\" id=\"" + escape_html(p.id) + "\">\n";
    html += "<p class=\"tandem-pledge__role\">" + escape_html(p.role) + "</p>\n";
    if (!p.name.empty()) {
      html += "<p class=\"tandem-pledge__name\">" + escape_html(p.name) + "</p>\n";
    }
    html += "<div class=\"tandem-pledge__body\">\n" + p.body_html + "</div>\n</li>\n";
  }
  html += "</ul>\n";
  return html;
}

std::string glossary_term_id(const std::string& term) {
  return "term-" + slugify(term);
}

std::string render_glossary_list(const std::vector<glossary_entry>& glossary,
                                 const std::string& edition_id, bool is_primary_edition) {
  std::string html = "<dl class=\"tandem-glossary\">\n";
  for (const auto& entry : glossary) {
    html += "<dt id=\"" + escape_html(glossary_term_id(entry.term)) + "\">";
    html += "<span class=\"tandem-glossary__term\">" + escape_html(entry.term) + "</span>";
    // The young (and other) editions explain the term in their own words; the formal name
    // would be one more piece of jargon there.
    if (is_primary_edition && !entry.stands_for.empty()) {
      html += " <span class=\"tandem-glossary__stands-for\">(" + escape_html(entry.stands_for) +
              ")</span>";
    }
    html += "</dt>\n<dd>" + escape_html(entry.means_for(edition_id)) + "</dd>\n";
  }
  html += "</dl>\n";
  return html;
}

}  // namespace tandem
