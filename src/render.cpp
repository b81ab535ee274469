#include "render.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "components.hpp"
#include "parallel.hpp"
#include "text.hpp"

namespace tandem {

using json = nlohmann::json;

const char* unit_name(figure_unit u) {
  switch (u) {
    case figure_unit::count:
      return "count";
    case figure_unit::percent:
      return "percent";
    case figure_unit::number:
      return "number";
  }
  return "count";
}

namespace {

// `{{ glossary }}` as a paragraph of its own; a plain scan, as every page is searched.
bool holds_glossary_component(std::string_view body) {
  for (std::size_t at = body.find("{{"); at != std::string_view::npos;
       at = body.find("{{", at + 2)) {
    std::size_t i = at + 2;
    while (i < body.size() && is_ascii_space(body[i])) ++i;
    if (body.compare(i, 8, "glossary") != 0) continue;
    i += 8;
    while (i < body.size() && is_ascii_space(body[i])) ++i;
    if (body.compare(i, 2, "}}") == 0) return true;
  }
  return false;
}

// Where the front matter names the layout ("layout: wide"), so a missing one is reported
// there; the first line when it is not written (the layout is the default one).
text_position layout_line(const source_page& page) {
  text_position at;
  std::size_t start = 0;
  for (int line = 1; start < page.head.size(); ++line) {
    std::size_t end = page.head.find('\n', start);
    std::string_view text(page.head.data() + start,
                          (end == std::string::npos ? page.head.size() : end) - start);
    if (line > 1 && text.rfind("---", 0) == 0) break;
    std::size_t colon = text.find(':');
    if (colon != std::string_view::npos && text.substr(0, colon).find_last_not_of(' ') == 5 &&
        text.rfind("layout", 0) == 0) {
      at.line = line;
      return at;
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return at;
}

std::string nav_title(const source_page& page) {
  return page.meta.nav_title.empty() ? page.meta.title : page.meta.nav_title;
}

// Figures formatted once for every template: {{figures.children_in_care.text}}.
// Statistics that could not be read give null: the templates' names under it are checked when
// they can be read again (variable_checker), not each reported as missing.
json figures_context(const stats_data& stats) {
  if (stats.unreadable) return nullptr;
  json figures = json::object();
  for (const auto& [key, f] : stats.figures) {
    json entry;
    entry["text"] = format_figure(f, figure_format::plain).value_or(f.value_text);
    entry["about"] = format_figure(f, figure_format::about).value_or("");
    entry["label"] = f.label;
    entry["value"] = f.value_text;
    entry["unit"] = unit_name(f.unit);
    figures[key] = std::move(entry);
  }
  return figures;
}

json site_context(const site_config& config) {
  return {{"title", config.title},
          {"subtitle", config.subtitle},
          {"organisation", config.organisation},
          {"language", config.language},
          {"base_url", config.base_url}};
}

json data_context(const stats_data& stats) {
  return {{"as_of", format_long_date(stats.as_of_year, stats.as_of_month, stats.as_of_day)},
          {"as_of_iso", stats.as_of},
          {"source", stats.source}};
}

// One page of one edition: where it goes, and what its last render gave.
struct page_job {
  std::size_t edition_index = 0;
  const edition* ed = nullptr;
  const section* sec = nullptr;
  const source_page* source = nullptr;
  std::string output_path;
  std::string root;  // from the page back to the output root: "../../"
  std::string layout;
  bool layout_exists = false;
  parsed_markdown parsed;
  std::vector<heading> headings;
  diagnostics parse_diags;
  diagnostics render_diags;
  std::optional<std::string> html;              // until it goes into the output tree
  std::vector<pending_anchor> pending_anchors;  // links to headings, checked after every parse
  bool html_on_disk = false;        // html was written into render_options::write_to (or dropped)
  std::vector<figure_use> figures;  // its body's, then its layout's (add_layout_figures)
  std::vector<std::string> use_entries;  // each figure's entry of figures.json's "uses"
  std::string figures_json;              // its entries of figures.json's "uses", as written there
  bool written = false;                  // in the output (not a failed render or a duplicate path)
  bool holds_glossary = false;
  bool names_pledges_or_glossary = false;  // its body has the word: it may show either component
  std::set<std::string> glossary_terms;
  std::string print_html;  // its body as a section of the edition's print page ("" if none)
  // Instead of print_html, when the page was written as it was rendered: where its body, as
  // rendered, sits in the written file (offset, size), to make its print section from there.
  std::optional<std::pair<std::size_t, std::size_t>> print_from;
  std::optional<prose_page> prose;  // its prose, when render_options::keep_prose asks for it
};

// Whether the page's text, cards, charts or pledges show a figure (not only its layout).
bool body_shows_figures(const page_job& job) {
  return std::any_of(job.figures.begin(), job.figures.end(),
                     [](const figure_use& use) { return !use.in_layout; });
}

// A string as json::dump writes it (invalid UTF-8 replaced), added to `out`: plain ASCII as it
// is, the rest by the json library.
void append_json_string(std::string& out, std::string_view text) {
  bool plain = std::all_of(text.begin(), text.end(),
                           [](char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; });
  if (plain) {
    out.push_back('"');
    out.append(text);
    out.push_back('"');
    return;
  }
  out += json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
}
std::string json_string(const std::string& text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

// A JSON object from its members, key, value, key, value ...: each value is copied (or moved)
// in once; nlohmann's initializer lists make each member a two-item array first, then copy it.
inline void add_members(json::object_t&) {}
template <typename value, typename... rest>
void add_members(json::object_t& object, const char* key, value&& v, rest&&... more) {
  object.emplace(key, json(std::forward<value>(v)));
  add_members(object, std::forward<rest>(more)...);
}
template <typename... members>
json object_of(members&&... m) {
  json out(json::value_t::object);
  add_members(out.get_ref<json::object_t&>(), std::forward<members>(m)...);
  return out;
}

// `needle` in `text` from byte `from` on (npos if not there), with memmem: std::string's find
// stops at every byte that matches the needle's first byte (every space, every 'c' ...).
std::size_t find_bytes(std::string_view text, std::string_view needle, std::size_t from) {
  if (from >= text.size()) return std::string_view::npos;
  const void* at = memmem(text.data() + from, text.size() - from, needle.data(), needle.size());
  return at ? static_cast<std::size_t>(static_cast<const char*>(at) - text.data())
            : std::string_view::npos;
}

// One entry of figures.json's "uses", exactly as json::dump(2) writes it inside the whole
// manifest (two levels in: its keys sorted, indented by six spaces), so a page's part can be
// made alone; added to `out`. `edition` and `page` are JSON strings (json_string).
void append_use_json(std::string& out, std::string_view edition, std::string_view page,
                     const figure_use& u) {
  struct member {
    std::string_view before;  // what comes before the value: the key, and the lines before it
    std::string_view value;
    bool is_json;  // written as it is, else as a JSON string
  };
  const std::string line = std::to_string(u.line);
  for (const member& m :
       {member{"    {\n      \"edition\": ", edition, true},
        member{",\n      \"format\": ", u.format, false},
        member{",\n      \"key\": ", u.key, false}, member{",\n      \"line\": ", line, true},
        member{",\n      \"page\": ", page, true}, member{",\n      \"source\": ", u.file, false},
        member{",\n      \"text\": ", u.text, false}}) {
    out += m.before;
    if (m.is_json)
      out += m.value;
    else
      append_json_string(out, m.value);
  }
  out += "\n    }";
}
std::string use_json(const std::string& edition, const std::string& page, const figure_use& u) {
  std::string out;
  append_use_json(out, json_string(edition), json_string(page), u);
  return out;
}

// `entry` (what use_json gave for a use showing `old_text`) for the same use showing `new_text`;
// false (and `entry` unchanged) if it does not end as use_json ends an entry.
bool replace_use_text(std::string& entry, const std::string& old_text,
                      const std::string& new_text) {
  // "text" is the last of the keys, which json sorts: `"text": "..."` then the closing brace.
  const std::string end = "\"text\": " + json_string(old_text) + "\n    }";
  if (entry.size() < end.size() || entry.compare(entry.size() - end.size(), end.size(), end) != 0)
    return false;
  entry.resize(entry.size() - end.size());
  entry += "\"text\": " + json_string(new_text) + "\n    }";
  return true;
}

// The entries of figures.json's "uses" for one page, from each use's own (`entries`).
std::string uses_json(const std::vector<std::string>& entries) {
  std::string out;
  for (const std::string& entry : entries) {
    if (!out.empty()) out += ",\n";
    out += entry;
  }
  return out;
}

std::vector<std::string> use_entries(const std::string& edition, const std::string& page,
                                     const std::vector<figure_use>& figures) {
  std::vector<std::string> entries;
  entries.reserve(figures.size());
  const std::string edition_json = json_string(edition);
  const std::string page_json = json_string(page);
  for (const figure_use& u : figures)
    append_use_json(entries.emplace_back(), edition_json, page_json, u);
  return entries;
}

// The same entries joined as uses_json joins them, made in one string.
std::string joined_use_entries(const std::string& edition, const std::string& page,
                               const std::vector<figure_use>& figures) {
  std::string out;
  const std::string edition_json = json_string(edition);
  const std::string page_json = json_string(page);
  for (const figure_use& u : figures) {
    if (!out.empty()) out += ",\n";
    append_use_json(out, edition_json, page_json, u);
  }
  return out;
}

// Where an edition's print page (the whole strategy on one page) is written.
std::string print_output_path(const edition& ed) {
  return (ed.path.empty() ? "" : ed.path + "/") + "print/index.html";
}

// The print page's sections are anchored "section-<slug>"; the home page is "section-home".
std::string print_anchor(const section& sec) {
  return "section-" + (sec.is_home() ? std::string("home") : sec.slug);
}

bool is_id_list_attribute(std::string_view name) {
  return name == "id" || name == "aria-labelledby" || name == "aria-describedby" ||
         name == "aria-controls" || name == "popovertarget" || name == "for" || name == "headers";
}

// Appends `ids` (a space-separated list of ids) with `prefix` before each.
void append_prefixed_id_list(std::string& out, std::string_view ids, const std::string& prefix) {
  std::size_t start = 0;
  bool first = true;
  while (start < ids.size()) {
    std::size_t end = ids.find(' ', start);
    if (end == std::string_view::npos) end = ids.size();
    if (end > start) {
      if (!first) out += ' ';
      first = false;
      out += prefix;
      out += ids.substr(start, end - start);
    }
    start = end + 1;
  }
}

// url -> the anchor of its section on the print page; found by a part of an href without
// making a string of it.
using anchor_map = std::map<std::string, std::string, std::less<>>;

// Appends a link of a section as it reads inside the print page: to the page's own anchors, to
// other sections of the print page, or (anything else) unchanged.
void append_print_href(std::string& out, std::string_view href, const std::string& prefix,
                       const anchor_map& section_anchors) {
  if (!href.empty() && href[0] == '#') {
    out += '#';
    if (href.size() > 1) {
      out += prefix;
      out += href.substr(1);
    }
    return;
  }
  std::size_t hash = href.find('#');
  auto found = section_anchors.find(href.substr(0, hash));
  if (found == section_anchors.end()) {
    out += href;
    return;
  }
  out += '#';
  out += found->second;
  if (hash != std::string_view::npos && hash + 1 < href.size()) {
    out += "--";
    out += href.substr(hash + 1);
  }
}

// "<h2" -> "<h3", "</h2>" -> "</h3>" (h6 stays h6): a section's headings sit under its own h2.
bool shift_heading_tag(std::string_view html, std::size_t at, std::string& out) {
  std::size_t digit = at + (html.compare(at, 3, "</h") == 0 ? 3 : 2);
  if (digit + 1 >= html.size() || html[digit] < '1' || html[digit] > '6') return false;
  char after = html[digit + 1];
  if (after != '>' && after != ' ') return false;
  out.append(html.substr(at, digit - at));
  out.push_back(html[digit] == '6' ? '6' : static_cast<char>(html[digit] + 1));
  return true;
}

// A page's body as a section of the print page (see templates/print.mustache). The body is the
// engine's own markup (text is escaped, raw HTML never passes), so attributes can be found by
// their spelling.
std::string print_section_html(std::string_view html, const std::string& anchor,
                               const anchor_map& section_anchors) {
  const std::string prefix = anchor + "--";
  std::string out;
  out.reserve(html.size() + html.size() / 8);
  // Only tags ('<') and attribute values ('=') change: the bytes between them are copied in
  // runs, found with memchr, rather than byte by byte.
  auto next = [&](char ch, std::size_t from) {
    const void* at = std::memchr(html.data() + from, ch, html.size() - from);
    return at ? static_cast<std::size_t>(static_cast<const char*>(at) - html.data()) : html.size();
  };
  std::size_t copied = 0;  // html[copied, i) is still to be copied as it is
  std::size_t i = 0;
  std::size_t next_tag = next('<', 0), next_value = next('=', 0);
  while (true) {
    if (next_tag < i) next_tag = next('<', i);
    if (next_value < i) next_value = next('=', i);
    i = std::min(next_tag, next_value);
    if (i >= html.size()) break;
    char c = html[i];
    if (c == '<' && (html.compare(i, 2, "<h") == 0 || html.compare(i, 3, "</h") == 0)) {
      out.append(html.substr(copied, i - copied));
      copied = i;
      if (shift_heading_tag(html, i, out)) {
        i += html.compare(i, 2, "</") == 0 ? 4 : 3;
        copied = i;
        continue;
      }
    }
    if (c == '=' && i + 1 < html.size() && html[i + 1] == '"') {
      std::size_t name_start = i;
      while (name_start > 0 && html[name_start - 1] != ' ') --name_start;
      std::string_view name = html.substr(name_start, i - name_start);
      std::size_t value_end = html.find('"', i + 2);
      if (value_end != std::string_view::npos && (name == "href" || is_id_list_attribute(name))) {
        std::string_view value = html.substr(i + 2, value_end - i - 2);
        out.append(html.substr(copied, i - copied));
        out += "=\"";
        if (name == "href")
          append_print_href(out, value, prefix, section_anchors);
        else
          append_prefixed_id_list(out, value, prefix);
        out += '"';
        i = value_end + 1;
        copied = i;
        continue;
      }
    }
    ++i;  // an ordinary byte: copied with the run it is in
  }
  out.append(html.substr(copied));
  out.shrink_to_fit();  // kept until the print page is made: without spare room
  return out;
}

// A print page rendered with a marker in place of each section's content, cut at the markers,
// and what it was rendered from: a rebuild puts the sections' HTML in again without rendering
// it, unless what the page shows around them changed.
struct print_skeleton {
  std::optional<std::string> layout;  // the print layout's text with its partials
  json shared, edition;               // the layers it was rendered with
  std::string key;                    // what the page layer held (print_page_key)
  diagnostics diags;                  // what rendering it reported
  std::vector<std::string> pieces;    // around the sections; empty if markers did not survive

  bool fits(const std::optional<std::string>& now_layout, const json& now_shared,
            const json& now_edition, const std::string& now_key) const {
    return layout && layout == now_layout && key == now_key && edition == now_edition &&
           shared == now_shared;
  }
};

// A page rendered once and kept while what it was rendered from stays the same.
struct kept_render {
  std::optional<std::string> layout;  // the layout's text with its partials
  json shared;                        // the shared layer
  std::string key;                    // everything else it reads
  diagnostics diags;
  std::optional<std::string> html;
};

// Markers no page writes: "<" is escaped in text, so a template that escapes the content
// loses them (and the page is rendered whole).
constexpr std::string_view marker_start = "<!--tandem:print-section:";
constexpr std::string_view marker_end = ":e41c7-->";

std::vector<std::string> print_markers(std::size_t n) {
  std::vector<std::string> markers;
  markers.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    markers.push_back(std::string(marker_start) + std::to_string(i) + std::string(marker_end));
  return markers;
}

// Cuts `html` at the markers of `n` sections, which must each be there once and in order (and
// nothing else may look like one).
bool split_at_markers(const std::string& html, std::size_t n, std::vector<std::string>& pieces) {
  pieces.clear();
  // A template that also shows a section's content escaped (or only part of it) would keep the
  // marker's text in the pieces: only markers shown whole and as markup can be split at.
  constexpr std::string_view marker_name = "tandem:print-section:";
  std::size_t names = 0;
  for (std::size_t at = html.find(marker_name); at != std::string::npos;
       at = html.find(marker_name, at + 1))
    ++names;
  if (names != n) return false;
  std::size_t from = 0;
  for (std::size_t at = html.find(marker_start); at != std::string::npos;
       at = html.find(marker_start, at + 1)) {
    std::string marker =
        std::string(marker_start) + std::to_string(pieces.size()) + std::string(marker_end);
    if (pieces.size() == n || html.compare(at, marker.size(), marker) != 0) return false;
    pieces.push_back(html.substr(from, at - from));
    from = at + marker.size();
  }
  if (pieces.size() != n) return false;
  pieces.push_back(html.substr(from));
  return true;
}

// One figure shown in running text whose markup changes: <data ...>old</data> -> new.
struct markup_change {
  std::string old_markup;
  std::string new_markup;
};

// `html` with every <data> markup of a changed figure replaced, in order: `changes[key]` lists
// the page's uses of that key as they appear. Nullopt if the markup of those keys is not
// exactly the expected one at each place (then the page is rendered again).
std::optional<std::string> with_figures_replaced(
    const std::string& html, const std::map<std::string, std::vector<markup_change>>& changes) {
  constexpr std::string_view attribute = " data-figure=\"";
  auto find = [&](std::size_t from) { return find_bytes(html, attribute, from); };
  std::map<std::string, std::size_t> next;
  std::string out;
  out.reserve(html.size() + 64);
  std::size_t copied = 0;
  for (std::size_t at = find(0); at != std::string::npos; at = find(at + 1)) {
    std::size_t key_start = at + attribute.size();
    std::size_t key_end = html.find('"', key_start);
    if (key_end == std::string::npos) return std::nullopt;
    auto found = changes.find(html.substr(key_start, key_end - key_start));
    if (found == changes.end()) continue;
    std::size_t& n = next[found->first];
    if (n == found->second.size()) return std::nullopt;
    const markup_change& change = found->second[n++];
    std::size_t offset = change.old_markup.find(attribute);
    if (offset == std::string::npos || offset > at || at - offset < copied ||
        html.compare(at - offset, change.old_markup.size(), change.old_markup) != 0)
      return std::nullopt;
    out.append(html, copied, at - offset - copied);
    out += change.new_markup;
    copied = at - offset + change.old_markup.size();
  }
  for (const auto& [key, list] : changes)
    if (next[key] != list.size()) return std::nullopt;
  out.append(html, copied, std::string::npos);
  return out;
}

}  // namespace

unsigned render_thread_count(const render_options& options) {
  if (options.threads > 0) return options.threads;
  return thread_count();
}

struct site_renderer::impl {
  render_options options;
  // Whether pages leave memory as soon as they are rendered (written or dropped): such a render
  // is never repeated, so what only patching kept pages needs is not kept either.
  bool one_shot() const { return !options.write_to.empty() || options.discard_pages; }
  // Whether what is made of the pages (print pages, figures.json) is kept or written: not when
  // every page is dropped (`tandem check`, `tandem figures`); then it is made for its problems
  // only, or not at all.
  bool keeps_output() const { return !options.discard_pages || !options.write_to.empty(); }
  // While every page is parsed and rendered at once, before the link index knows every page's
  // headings: links to headings are checked after (markdown_env::pending_anchors).
  bool defer_anchor_checks = false;
  std::uint64_t render_pass = 0;  // of the pages being rendered (markdown_env::render_pass)
  const site_model* model = nullptr;
  const template_set* templates = nullptr;
  std::vector<page_job> jobs;
  std::vector<std::size_t> edition_begin;  // jobs of edition e: [edition_begin[e], [e + 1])
  std::vector<page_dependencies> dependencies;
  link_index links;
  std::map<std::string, std::optional<theme>> themes;
  std::vector<diagnostics> theme_diags;   // per edition: its theme's problems, when first loaded
  std::optional<template_values> shared;  // site, figures, data, generator
  std::map<std::pair<std::size_t, std::string>, template_values> edition_layers;  // (e, root)
  // The names each layout reads values by: a page's own values are converted for the renderer
  // only as far as its layout names them, and nav and nav_near built only for layouts naming
  // them (layout_uses).
  std::map<std::pair<std::string, std::string>, value_names> names_used;  // (edition id, layout)
  std::vector<std::string> print_paths;   // per edition: its print page's output path, or ""
  std::vector<anchor_map> print_anchors;  // per edition: url -> anchor
  std::vector<bool> reads_alike_from_print_page;   // per job: its body needs no second render
  std::map<std::string, std::size_t> files_under;  // folder ("a/b/") -> pages written in it
  // (edition, a page's parent folder) -> the edition's navigation as seen from any page in a
  // folder there, with no page current
  std::map<std::pair<std::size_t, std::string>, json> shared_navs;
  std::vector<std::string> printed;       // the print pages written by the last render
  std::vector<print_skeleton> skeletons;  // per edition: its print page around the sections
  std::optional<std::string> uses;        // figures.json's "uses" entries, while they hold
  std::optional<kept_render> not_found;   // 404.html
  std::atomic<bool> uses_changed{false};  // a page rendered again shows other figures
  std::size_t rendered = 0;               // pages the last render or rerender rendered
  std::size_t patched = 0;                // and patched in place
  // Whether each (edition, layout) of the stale pages shows {{ figures }}: worked out once per
  // rerender, before the pages are patched on every core.
  std::map<std::pair<std::string, std::string>, bool> layouts_showing_figures;
  bool all_written = false;                // every page rendered, to its own path, last time
  std::vector<std::string> indexed_terms;  // the glossary's terms when the links were indexed

  // --- planning

  void plan(const site_model& m, const template_set& t) {
    model = &m;
    templates = &t;
    jobs.clear();
    edition_begin.clear();
    for (std::size_t e = 0; e < m.config.editions.size(); ++e) {
      edition_begin.push_back(jobs.size());
      const edition& ed = m.config.editions[e];
      for (const section& sec : m.content.sections) {
        if (!sec.pages.count(ed.id)) continue;
        page_job& job = jobs.emplace_back();
        job.edition_index = e;
        job.output_path = page_output_path(ed, sec);
        job.root = root_prefix(job.output_path);
      }
    }
    edition_begin.push_back(jobs.size());
    point_jobs_at_model();
  }

  // The model may be a new one (after a change): the jobs follow it, in the same order.
  void point_jobs_at_model() {
    std::size_t i = 0;
    for (std::size_t e = 0; e < model->config.editions.size(); ++e) {
      const edition& ed = model->config.editions[e];
      for (const section& sec : model->content.sections) {
        auto found = sec.pages.find(ed.id);
        if (found == sec.pages.end()) continue;
        page_job& job = jobs.at(i++);
        job.ed = &ed;
        job.sec = &sec;
        job.source = &found->second;
        job.layout = layout_for(job);
        job.layout_exists = templates->has_layout(ed.id, job.layout);
      }
    }
  }

  std::string layout_for(const page_job& job) const {
    std::string layout = job.source->meta.layout;
    if (job.sec->is_home() && layout == "page" && templates->has_layout(job.ed->id, "home"))
      layout = "home";
    return layout;
  }

  void parse(page_job& job) {
    job.parse_diags = diagnostics();
    job.parsed = parse_markdown(*job.source, *model, job.parse_diags, options.keep_prose);
    job.headings = job.parsed.headings();
    if (options.keep_prose) job.prose = job.parsed.take_prose();
    // Read only when a kept page's figures are patched after a statistics update (rerender);
    // a render never repeated takes the safe answer without searching the body.
    job.names_pledges_or_glossary = one_shot() || contains_word(job.source->body, "pledges") ||
                                    contains_word(job.source->body, "glossary");
  }

  // Links anywhere may point at any page's headings: the index is made once every page is
  // parsed.
  void index_links() {
    links = link_index();
    indexed_terms.clear();
    for (const auto& entry : model->content.glossary) indexed_terms.push_back(entry.term);
    for (page_job& job : jobs) {
      job.holds_glossary = holds_glossary_component(job.source->body);
      auto& target = links.pages[{job.sec->stem, job.ed->id}];
      target.output_path = job.output_path;
      target.file = job.source->file;
      add_anchors(job, target);
      if (job.holds_glossary && !links.glossary_page.count(job.ed->id))
        links.glossary_page[job.ed->id] = job.output_path;
    }
  }

  void add_anchors(const page_job& job, link_index::target& target) const {
    target.unread = job.source->stand_in;
    for (const heading& h : job.headings) target.anchors.insert(h.id);
    if (!job.holds_glossary) return;
    for (const auto& entry : model->content.glossary)
      target.anchors.insert(glossary_term_id(entry.term));
  }

  // The index after only `chosen` pages were parsed again: their anchors are made again, the
  // rest stays, unless the glossary or the pages holding it changed. True if every page's
  // anchors were made again.
  bool index_links_again(const std::vector<std::size_t>& chosen) {
    std::vector<std::string> terms;
    for (const auto& entry : model->content.glossary) terms.push_back(entry.term);
    bool glossary_moved = terms != indexed_terms;
    for (std::size_t i : chosen)
      glossary_moved = glossary_moved ||
                       holds_glossary_component(jobs[i].source->body) != jobs[i].holds_glossary;
    if (glossary_moved) {
      index_links();
      return true;
    }
    for (std::size_t i : chosen) {
      auto& target = links.pages.at({jobs[i].sec->stem, jobs[i].ed->id});
      target.anchors.clear();
      add_anchors(jobs[i], target);
    }
    return false;
  }

  // --- what every page shares

  void load_themes() {
    themes.clear();
    theme_diags.assign(model->config.editions.size(), diagnostics());
    for (std::size_t e = 0; e < model->config.editions.size(); ++e) {
      const std::string& name = model->config.editions[e].theme;
      if (themes.count(name)) continue;
      diagnostics found;
      themes[name] = load_theme(model->dir, name, found);
      for (diagnostic d : found.items()) {
        if (d.id == "theme.missing" && d.file == site_config_file && d.line == 0) {
          text_position at = theme_position(model->config.editions[e]);
          d.line = at.line;
          d.col = at.col;
        }
        theme_diags[e].add(std::move(d));
      }
    }
  }

  // Where site.json names an edition's theme: its "theme" after the edition's opening brace
  // (0:0 when it is not written there, as for a default theme).
  text_position theme_position(const edition& ed) const {
    auto text = read_file(model->dir / site_config_file);
    if (!text) return {0, 0};
    std::size_t at = 0;
    for (int line = 1; line < ed.pos.line && at != std::string::npos; ++line) {
      at = text->find('\n', at);
      if (at != std::string::npos) ++at;
    }
    if (at == std::string::npos) return {0, 0};
    at = std::min(text->size(), at + static_cast<std::size_t>(std::max(0, ed.pos.col - 1)));
    std::size_t key = text->find("\"theme\"", at);
    std::size_t end = text->find('}', at);
    if (key == std::string::npos || (end != std::string::npos && key > end)) return {0, 0};
    std::size_t value = text->find('"', text->find(':', key + 7));
    return position_of(*text, value == std::string::npos ? key : value);
  }

  // An edition has a print page when it has pages and a `print` layout.
  void plan_print_pages() {
    print_paths.assign(model->config.editions.size(), "");
    print_anchors.assign(model->config.editions.size(), {});
    for (std::size_t e = 0; e < model->config.editions.size(); ++e) {
      const edition& ed = model->config.editions[e];
      if (edition_begin[e] == edition_begin[e + 1] || !templates->has_layout(ed.id, "print"))
        continue;
      print_paths[e] = print_output_path(ed);
      std::set<std::string> used;
      for (std::size_t i = edition_begin[e]; i < edition_begin[e + 1]; ++i) {
        std::string anchor = print_anchor(*jobs[i].sec);
        for (int n = 2; !used.insert(anchor).second; ++n)
          anchor = print_anchor(*jobs[i].sec) + "-" + std::to_string(n);
        print_anchors[e][relative_url(print_paths[e], jobs[i].output_path)] = anchor;
      }
    }
    find_pages_reading_alike_from_print_page();
  }

  void build_shared_layers() {
    plan_print_pages();
    shared.emplace(shared_layer());
    edition_layers.clear();
    names_used.clear();
    auto add_edition_layer = [&](std::size_t e, const std::string& root) {
      auto key = std::make_pair(e, root);
      if (edition_layers.count(key)) return;
      const edition& ed = model->config.editions[e];
      json print_url = print_paths[e].empty() ? json(false) : json(root + print_paths[e]);
      edition_layers.emplace(key, template_values(json{{"edition", edition_context(ed, root)},
                                                       {"print_url", std::move(print_url)}}));
    };
    for (std::size_t e = 0; e < print_paths.size(); ++e)
      if (!print_paths[e].empty()) add_edition_layer(e, root_prefix(print_paths[e]));
    for (const page_job& job : jobs) {
      add_edition_layer(job.edition_index, job.root);
      auto layout_key = std::make_pair(job.ed->id, job.layout);
      if (!names_used.count(layout_key))
        names_used[layout_key] = templates->names_used(job.ed->id, job.layout);
    }
    build_shared_navs();  // with the pages under each folder, counted by plan_print_pages
  }

  // What every page is given about the site and its statistics.
  json shared_layer() const {
    return json{{"site", site_context(model->config)},
                {"figures", figures_context(model->stats)},
                {"data", data_context(model->stats)},
                {"generator", "tandem"}};
  }

  json edition_context(const edition& ed, const std::string& root) const {
    std::string assets = root + "assets/" + ed.theme + "/";
    json stylesheets = json::array(), scripts = json::array();
    auto found = themes.find(ed.theme);
    if (found != themes.end() && found->second) {
      for (const auto& s : found->second->stylesheets) stylesheets.push_back({{"url", assets + s}});
      for (const auto& s : found->second->scripts) scripts.push_back({{"url", assets + s}});
    }
    const edition& primary = model->config.primary();
    return {{"id", ed.id},
            {"name", ed.name},
            {"path", ed.path},
            {"theme", ed.theme},
            {"language", ed.language},
            {"is_primary", &ed == &primary},
            {"home_url", root + (ed.path.empty() ? "" : ed.path + "/") + "index.html"},
            {"assets_url", assets},
            {"stylesheets", stylesheets},
            {"scripts", scripts}};
  }

  // --- one page

  // Links to this section in every edition (to the edition's home where it lacks the section).
  json editions_context(const page_job& job) const {
    json all = json::array();
    for (const edition& other : model->config.editions) {
      bool has_page = job.sec->pages.count(other.id) != 0;
      std::string target = has_page ? page_output_path(other, *job.sec)
                                    : (other.path.empty() ? "" : other.path + "/") + "index.html";
      all.push_back(object_of("id", other.id, "name", other.name, "language", other.language, "url",
                              relative_url(job.output_path, target), "is_current", &other == job.ed,
                              "has_page", has_page));
    }
    return all;
  }

  json nav_context(const page_job& job, std::size_t index) const {
    std::string folder = folder_of(job.output_path);
    auto shared_nav = shared_navs.find({job.edition_index, parent_of(folder)});
    if (folder.empty() || count_under(folder) != 1 || shared_nav == shared_navs.end())
      return nav_context(job.edition_index, job.output_path, index);
    // URLs from sibling folders are alike but for those leading into them: here only the
    // page's own.
    json nav = shared_nav->second;
    json& current = nav.at(index - edition_begin[job.edition_index]);
    current["url"] = relative_url(job.output_path, job.output_path);
    current["is_current"] = true;
    return nav;
  }

  // Every page's navigation lists every page: the list is made once per edition and folder.
  void build_shared_navs() {
    shared_navs.clear();
    for (const page_job& job : jobs) {
      if (!layout_uses(job, "nav")) continue;
      std::string folder = folder_of(job.output_path);
      if (folder.empty()) continue;
      std::string parent = parent_of(folder);
      auto key = std::make_pair(job.edition_index, parent);
      if (shared_navs.count(key)) continue;
      // A folder no page is written in: nothing leads into it.
      std::string nowhere = parent + "\x01";
      while (count_under(nowhere + "/") != 0) nowhere += '\x01';
      shared_navs.emplace(
          key, nav_context(job.edition_index, nowhere + "/index.html", std::string::npos));
    }
  }

  // An item of nav or nav_near: job i, linked to with `url`.
  json nav_item(std::size_t i, std::string url, bool is_current) const {
    return object_of("title", nav_title(*jobs[i].source), "url", std::move(url), "is_current",
                     is_current, "is_home", jobs[i].sec->is_home());
  }

  // The pages of edition `e` as seen from `from`; `current` is the job shown there, if any.
  json nav_context(std::size_t e, const std::string& from, std::size_t current) const {
    json nav = json::array();
    for (std::size_t i = edition_begin[e]; i < edition_begin[e + 1]; ++i)
      nav.push_back(nav_item(i, relative_url(from, jobs[i].output_path), i == current));
    return nav;
  }

  // nav_near: the whole of `nav` on the home page and in an edition of up to nav_near_whole
  // pages; on the other pages of a longer edition, its home page and the pages either side of
  // this one (nav_near_window). Unlike `nav`, its size on a page does not grow with the edition.
  json nav_near_context(const page_job& job, std::size_t index) const {
    if (!shortens_nav(job)) return nav_context(job, index);
    std::size_t begin = edition_begin[job.edition_index];
    std::size_t end = edition_begin[job.edition_index + 1];
    json nav = json::array();
    auto add = [&](std::size_t i) {
      nav.push_back(nav_item(i, relative_url(job.output_path, jobs[i].output_path), i == index));
    };
    add(begin);
    auto [from, to] = nav_near_window(end - begin, index - begin);
    for (std::size_t i = begin + from; i < begin + to; ++i) add(i);
    return nav;
  }

  // nav and nav_near on a page that lists every page of edition `e` whatever its size (the
  // print page, 404.html), built only for a layout that names them (10,000 links on a large
  // site); `url_of(i)` links to job i from there.
  template <typename UrlOf>
  void add_every_page_nav(json& ctx, std::size_t e, const std::string& layout,
                          const UrlOf& url_of) const {
    const std::string& id = model->config.editions[e].id;
    const bool shows_nav = templates->mentions(id, layout, "nav");
    const bool shows_near = templates->mentions(id, layout, "nav_near");
    json nav = json::array();
    for (std::size_t i = edition_begin[e]; (shows_nav || shows_near) && i < edition_begin[e + 1];
         ++i)
      nav.push_back(nav_item(i, url_of(i), false));
    ctx["nav_near"] = shows_near ? nav : json::array();
    ctx["nav"] = shows_nav ? std::move(nav) : json::array();
    ctx["nav_is_shortened"] = false;
  }

  // Whether nav_near leaves pages out on this page.
  bool shortens_nav(const page_job& job) const {
    std::size_t e = job.edition_index;
    return !job.sec->is_home() && edition_begin[e + 1] - edition_begin[e] > nav_near_whole;
  }

  // editions, other_editions, has_other_editions and primary_edition from the list of editions.
  // With `used` (the names the layout reads), a list it does not read is left empty: the name
  // is still there for the checks' suggestions.
  void add_editions(json& ctx, json editions, const value_names* used = nullptr) const {
    auto wanted = [&](const char* name) { return used == nullptr || used->count(name) != 0; };
    json others = json::array();
    bool has_others = false;
    json primary = json(false);
    const std::string& primary_id = model->config.primary().id;
    for (const auto& e : editions) {
      if (!e["is_current"].get<bool>()) {
        has_others = true;
        if (wanted("other_editions")) others.push_back(e);
      }
      if (e["id"] == primary_id) primary = object_of("name", e["name"], "url", e["url"]);
    }
    ctx["editions"] = wanted("editions") ? std::move(editions) : json::array();
    ctx["has_other_editions"] = has_others;
    ctx["other_editions"] = std::move(others);
    ctx["primary_edition"] = std::move(primary);
  }

  // Whether the job's layout names a value `name` first (as template_set::mentions says).
  bool layout_uses(const page_job& job, std::string_view name) const {
    return names_used.at({job.ed->id, job.layout}).count(name) != 0;
  }

  // `used`: the names the job's layout reads values by (names_used).
  json page_layer(const page_job& job, std::size_t index, rendered_markdown& body,
                  const value_names& used) const {
    json ctx;
    ctx["root_url"] = job.root;
    add_editions(ctx, editions_context(job), &used);

    json toc = json::array();
    for (const heading& h : body.toc)
      toc.push_back(object_of("id", h.id, "text", h.text, "level", h.level, "is_sub", h.level > 2));
    const source_page& src = *job.source;
    const bool has_toc = !toc.empty();
    ctx["page"] =
        object_of("title", src.meta.title, "nav_title", nav_title(src), "summary", src.meta.summary,
                  "slug", job.sec->slug, "stem", job.sec->stem, "layout", job.layout, "url",
                  relative_url(job.output_path, job.output_path), "is_home", job.sec->is_home(),
                  "content", std::move(body.html), "has_toc", has_toc, "toc", std::move(toc),
                  "has_figures", body_shows_figures(job), "source", src.file);
    // Every page's navigation lists every page: built only for layouts that show it.
    ctx["nav"] = used.count("nav") ? nav_context(job, index) : json::array();
    ctx["nav_near"] = used.count("nav_near") ? nav_near_context(job, index) : json::array();
    ctx["nav_is_shortened"] = shortens_nav(job);
    std::size_t begin = edition_begin[job.edition_index];
    std::size_t end = edition_begin[job.edition_index + 1];
    auto link_to = [&](const page_job& other) {
      return object_of("title", nav_title(*other.source), "url",
                       relative_url(job.output_path, other.output_path));
    };
    ctx["prev"] = index > begin ? link_to(jobs[index - 1]) : json(false);
    ctx["next"] = index + 1 < end ? link_to(jobs[index + 1]) : json(false);
    return ctx;
  }

  void render_page(std::size_t index) {
    page_job& job = jobs[index];
    job.render_diags = diagnostics();
    job.html.reset();
    markdown_env env{*model, *job.ed, job.output_path, links};
    env.render_pass = render_pass;
    job.pending_anchors.clear();
    if (defer_anchor_checks) env.pending_anchors = &job.pending_anchors;
    rendered_markdown body = render_markdown(job.parsed, *job.source, env, job.render_diags);
    job.parsed = parsed_markdown();  // the tree is used up; its memory goes now
    job.figures = std::move(body.figures);
    job.glossary_terms = std::move(body.glossary_terms);
    // A page written as it is rendered is read again for the print page rather than its print
    // section kept until then (a large site's print pages hold every page's body again).
    job.print_from.reset();
    std::string().swap(job.print_html);
    std::string body_html;
    const bool print_later = !options.write_to.empty() && job.layout_exists &&
                             !print_paths[job.edition_index].empty() && !body.html.empty() &&
                             prints_as_shown(job, index, body.html);
    if (print_later)
      body_html = body.html;
    else if (keeps_output())
      job.print_html = print_body(job, index, body.html);
    if (!job.layout_exists) {
      text_position at = layout_line(*job.source);
      std::string near = nearest_name(job.layout, templates->layout_names(job.ed->id));
      job.render_diags.error(job.source->file, at.line, at.col, "template.missing",
                             "the layout '" + job.layout + "' does not exist" +
                                 (near.empty() ? "" : " (did you mean '" + near + "'?)") +
                                 "; add templates/" + job.layout + ".mustache (or templates/" +
                                 job.ed->id + "/" + job.layout +
                                 ".mustache), or remove the 'layout' line to use the standard "
                                 "page");
      return;
    }
    const value_names& used = names_used.at({job.ed->id, job.layout});
    template_values page(page_layer(job, index, body, used));
    const template_values& edition = edition_layers.at({job.edition_index, job.root});
    job.html =
        templates->render(job.ed->id, job.layout, {&*shared, &edition, &page}, job.render_diags);
    job.html_on_disk = false;
    if (job.html && layout_uses(job, "figures"))
      add_layout_figures(job, {&*shared, &edition, &page});
    // Each use's own entry is kept for patching figures into kept pages (rerender), and the
    // page's part of figures.json for making it again. A render never repeated makes its part
    // from the figures when figures.json is written (figures_file).
    if (!one_shot()) {
      job.use_entries = use_entries(job.ed->id, job.output_path, job.figures);
      std::string figures_json = uses_json(job.use_entries);
      if (figures_json != job.figures_json) uses_changed = true;
      job.figures_json = std::move(figures_json);
    }
    if (print_later) {
      std::size_t at = job.html ? job.html->find(body_html) : std::string::npos;
      if (at != std::string::npos)
        job.print_from.emplace(at, body_html.size());
      else  // the layout does not show the body as it is
        job.print_html = print_section(job, body_html);
    }
    if (job.html && one_shot()) {
      // Written now, on this thread, rather than held until the whole site is rendered (or
      // dropped, when nothing is published). A duplicate path overwrites another page here, but
      // it is an error: nothing is published.
      if (!options.write_to.empty())
        write_output_file(options.write_to, job.output_path, *job.html);
      job.html.emplace();  // frees it (assigning an empty string would keep its capacity)
      job.html_on_disk = true;
    }
  }

  // The figures the page's layout shows ({{figures.x.text}}), after those of its body, each
  // where the template says it.
  void add_layout_figures(page_job& job, const std::vector<const template_values*>& layers) const {
    for (shown_value& shown : templates->shown_from(job.ed->id, job.layout, layers, "figures")) {
      std::string format = shown.field == "text" ? "plain" : shown.field;
      if (format != "plain" && format != "about" && format != "label" && format != "value")
        continue;  // its unit: a word, not the figure
      job.figures.push_back({std::move(shown.key), std::move(format), std::move(shown.text),
                             std::move(shown.file), shown.pos.line, shown.pos.col, true});
    }
  }

  // The page's body as a section of its edition's print page. Its problems are the page's own,
  // already reported.
  std::string print_body(const page_job& job, std::size_t index, const std::string& html) const {
    const std::string& print_path = print_paths[job.edition_index];
    if (print_path.empty() || !job.layout_exists) return "";
    if (prints_as_shown(job, index, html)) return print_section(job, html);
    markdown_env env{*model, *job.ed, print_path, links};
    env.render_pass = render_pass;
    diagnostics ignored;
    parsed_markdown parsed;
    rendered_markdown body = render_markdown(parsed, *job.source, env, ignored);
    return print_section(job, body.html);
  }

  // Whether the page's body `html`, as shown on the page, is what its print section is made
  // from (else the body is rendered again for the print page).
  bool prints_as_shown(const page_job& job, std::size_t index, const std::string& html) const {
    // A page over the limits is shown as a stand-in (reported when parsed), but printed whole.
    bool parsed_as_written = job.parse_diags.empty();
    return parsed_as_written && index < reads_alike_from_print_page.size() &&
           reads_alike_from_print_page[index] && !holds_link_to_itself(html);
  }

  std::string print_section(const page_job& job, std::string_view html) const {
    const std::string& print_path = print_paths[job.edition_index];
    const auto& anchors = print_anchors[job.edition_index];
    const std::string& anchor = anchors.at(relative_url(print_path, job.output_path));
    return print_section_html(html, anchor, anchors);
  }

  // The page's print section: kept, or made from the body in its written file.
  std::string print_section_of(const page_job& job) const {
    if (!job.print_from) return job.print_html;
    auto [offset, size] = *job.print_from;
    return print_section(job, read_output_range(options.write_to, job.output_path, offset, size));
  }

  // A link from a page to itself reads "index.html" there but not from the print page.
  static bool holds_link_to_itself(const std::string& html) {
    return html.find("\"index.html") != std::string::npos;
  }

  // Relative URLs from two files in sibling folders are alike unless they lead into one of the
  // two folders: a page's body then reads the same from its print page, and need not be
  // rendered again, when nothing but the page itself lies in its folder or the print page's.
  void find_pages_reading_alike_from_print_page() {
    reads_alike_from_print_page.assign(jobs.size(), false);
    count_pages_under_folders();
    auto is_media = [](const std::string& folder) { return folder.rfind("media/", 0) == 0; };
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      const std::string& print_path = print_paths[jobs[i].edition_index];
      if (print_path.empty()) continue;
      std::string folder = folder_of(jobs[i].output_path);
      std::string print_folder = folder_of(print_path);
      if (folder.empty() || folder == print_folder || is_media(folder) || is_media(print_folder))
        continue;
      if (parent_of(folder) != parent_of(print_folder)) continue;
      reads_alike_from_print_page[i] = count_under(folder) == 1 && count_under(print_folder) == 0;
    }
  }

  void count_pages_under_folders() {
    files_under.clear();
    for (const page_job& job : jobs)
      for (std::size_t slash = job.output_path.find('/'); slash != std::string::npos;
           slash = job.output_path.find('/', slash + 1))
        ++files_under[job.output_path.substr(0, slash + 1)];
  }

  std::size_t count_under(const std::string& folder) const {
    auto found = files_under.find(folder);
    return found == files_under.end() ? std::size_t{0} : found->second;
  }

  // "a/b/index.html" -> "a/b/"; "index.html" -> "".
  static std::string folder_of(const std::string& path) {
    std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? "" : path.substr(0, slash + 1);
  }

  // "a/b/" -> "a/"; "b/" -> "".
  static std::string parent_of(const std::string& folder) {
    return folder_of(folder.substr(0, folder.size() - 1));
  }

  void record_dependencies() {
    dependencies.assign(jobs.size(), page_dependencies());
    for (std::size_t i = 0; i < jobs.size(); ++i) record_dependencies(i);
  }

  void record_dependencies(std::size_t i) {
    const page_job& job = jobs[i];
    page_dependencies& d = dependencies[i];
    d.edition = job.ed->id;
    d.stem = job.sec->stem;
    d.layout = job.layout_exists ? job.layout : "";
    d.anchors = links.pages.at({job.sec->stem, job.ed->id}).anchors;
    d.glossary_terms = job.glossary_terms;
  }

  // --- the whole site

  render_result render_all(diagnostics& diags) {
    unsigned threads = render_thread_count(options);
    rendered = jobs.size();
    patched = 0;
    // Everything a page needs but other pages' headings comes before any page is parsed, so
    // each page is rendered as soon as it is parsed, and its tree freed, rather than every
    // page's tree being held until the last is parsed. Its links to headings are checked once
    // every page's headings are known (the link index's anchors); the HTML does not depend on
    // them.
    index_links();
    load_themes();
    build_shared_layers();
    render_pass = new_render_pass();
    defer_anchor_checks = true;
    for_each_at_once(jobs.size(), threads, [&](std::size_t i) {
      parse(jobs[i]);
      render_page(i);
    });
    defer_anchor_checks = false;
    index_links();
    for_each_at_once(jobs.size(), threads, [&](std::size_t i) {
      check_pending_anchors(jobs[i].pending_anchors, links, jobs[i].render_diags);
      std::vector<pending_anchor>().swap(jobs[i].pending_anchors);
    });
    // What each page depends on is for rendering again (site_renderer::pages); a render never
    // repeated leaves it out.
    if (one_shot())
      dependencies.clear();
    else
      record_dependencies();

    render_result result;
    if (!options.write_to.empty()) result.out.write_through(options.write_to);
    uses.reset();
    for (const page_job& job : jobs) diags.merge(job.parse_diags);
    all_written = true;
    for (std::size_t e = 0; e + 1 < edition_begin.size(); ++e) {
      diags.merge(theme_diags[e]);
      for (std::size_t i = edition_begin[e]; i < edition_begin[e + 1]; ++i)
        all_written = write_page(jobs[i], result, diags) && all_written;
    }
    finish(result, diags);
    return result;
  }

  // Adds a rendered page to the output; false if it has none or its path is taken.
  bool write_page(page_job& job, render_result& result, diagnostics& diags) {
    diags.merge(job.render_diags);
    job.written = false;
    if (!job.html) return false;
    if (result.out.contains(job.output_path)) {
      diags.error(job.source->file, 1, 1, "page.duplicate_path",
                  "two pages would be written to " + job.output_path +
                      "; rename one of them or change an edition's path");
      job.html.reset();
      return false;
    }
    if (job.html_on_disk)
      result.out.add_written(job.output_path);
    else
      result.out.add(job.output_path, std::move(*job.html));
    job.html.reset();
    result.pages.push_back({job.ed->id, job.sec->stem, job.output_path, job.figures});
    job.written = true;
    return true;
  }

  void finish(render_result& result, diagnostics& diags) {
    // figures.json, written from every page's figures into the output folder (tens of
    // megabytes at 10,000 pages), is made on a thread of its own while the print pages are.
    std::exception_ptr figures_failed;
    std::optional<std::jthread> figures_writer;
    if (streams_figures_file()) {
      figures_writer.emplace([&] {
        try {
          make_figures_file(nullptr);
        } catch (...) {
          figures_failed = std::current_exception();
        }
      });
    }
    render_print_pages(result, diags);
    render_not_found(result, diags);
    add_assets_and_media(result);
    add_sitemap_and_robots(result, diags);
    if (!figures_writer) {
      add_figures_file(result);
      return;
    }
    figures_writer->join();
    if (figures_failed) std::rethrow_exception(figures_failed);
    result.out.add_written("figures.json");
  }

  // Whether figures.json is written straight into the output folder, each page's part made
  // from its figures as it is written (a render never repeated, into a folder).
  bool streams_figures_file() const {
    return keeps_output() && one_shot() && !options.write_to.empty();
  }

  // figures.json: what figures_manifest(...).dump(2) gives, from each page's own part. A render
  // that may be repeated keeps the parts joined, to make the file again without joining them
  // when no page's part changed; one never repeated makes each part from the page's figures as
  // the file is written (at 10,000 pages the file is tens of megabytes); into a folder, finish
  // has it written there on a thread of its own instead of calling this.
  void add_figures_file(render_result& result) {
    if (!keeps_output()) {
      result.out.add_written("figures.json");
      return;
    }
    make_figures_file(&result);
  }

  // figures.json, added to `result`, or written into the output folder when `result` is null
  // (streams_figures_file: it then reads only the jobs' figures and output paths, so the print
  // pages can be made meanwhile).
  void make_figures_file(render_result* result) {
    std::string text =
        figures_manifest(*model, {}).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
    const bool once = one_shot();
    if (!once && (!uses || uses_changed.exchange(false))) {
      uses.emplace();
      uses->reserve(joined_uses_size());
      append_uses(*uses);
    }
    bool any =
        once ? std::any_of(jobs.begin(), jobs.end(),
                           [](const page_job& job) { return job.written && !job.figures.empty(); })
             : !uses->empty();
    const std::string empty = "\"uses\": []";
    std::size_t at = any ? text.find(empty) : std::string::npos;
    auto produce = [&](const output_writer& write) {
      if (at == std::string::npos) {
        write(text);
        return;
      }
      write(std::string_view(text).substr(0, at));
      write("\"uses\": [\n");
      if (once) {
        bool first = true;
        for (const page_job& job : jobs) {
          if (!job.written || job.figures.empty()) continue;
          if (!first) write(",\n");
          write(joined_use_entries(job.ed->id, job.output_path, job.figures));
          first = false;
        }
      } else {
        write(*uses);
      }
      write("\n  ]");
      write(std::string_view(text).substr(at + empty.size()));
    };
    if (!result) {
      write_output_file(options.write_to, "figures.json", produce);
      return;
    }
    std::string file;
    file.reserve(text.size() + (once ? 0 : uses->size() + 16));
    produce([&](std::string_view bytes) { file += bytes; });
    result->out.add("figures.json", std::move(file));
  }

  // The written pages' parts of "uses", joined by ",\n", and their length.
  void append_uses(std::string& out) const {
    bool first = true;
    for (const page_job& job : jobs) {
      if (job.figures_json.empty() || !job.written) continue;
      if (!first) out += ",\n";
      out += job.figures_json;
      first = false;
    }
  }
  std::size_t joined_uses_size() const {
    std::size_t size = 0, parts = 0;
    for (const page_job& job : jobs) {
      if (job.figures_json.empty() || !job.written) continue;
      size += job.figures_json.size();
      ++parts;
    }
    return parts == 0 ? 0 : size + 2 * (parts - 1);
  }

  // Renders the stale pages again; false if the output cannot be patched page by page.
  bool rerender_stale(const std::vector<bool>& stale, render_result& result, diagnostics& diags,
                      const std::map<std::string, figure>* figures_before) {
    if (!all_written || stale.size() != jobs.size() || result.pages.size() != jobs.size())
      return false;
    unsigned threads = render_thread_count(options);
    std::vector<std::size_t> chosen;
    patched = 0;
    std::vector<std::size_t> stale_pages;
    for (std::size_t i = 0; i < jobs.size(); ++i)
      if (stale[i]) stale_pages.push_back(i);
    // Patches are worked out on every core from the kept output, then put in, in page order.
    std::vector<std::optional<figure_patch>> patches(stale_pages.size());
    layouts_showing_figures.clear();
    for (std::size_t i : stale_pages) {
      auto key = std::make_pair(jobs[i].ed->id, jobs[i].layout);
      if (!layouts_showing_figures.count(key))
        layouts_showing_figures[key] = templates->mentions(key.first, key.second, "figures");
    }
    if (figures_before)
      for_each_at_once(stale_pages.size(), threads, [&](std::size_t k) {
        patches[k] = figure_patch_for(stale_pages[k], *figures_before, result);
      });
    for (std::size_t k = 0; k < stale_pages.size(); ++k) {
      if (patches[k]) {
        apply_figure_patch(stale_pages[k], std::move(*patches[k]), result);
        ++patched;
      } else {
        chosen.push_back(stale_pages[k]);
      }
    }
    rendered = chosen.size();
    for_each_at_once(chosen.size(), threads, [&](std::size_t k) { parse(jobs[chosen[k]]); });
    bool reindexed = index_links_again(chosen);
    if (figures_before && !reindexed) {
      // Only figures' values changed: the pages, their paths, titles and layouts are as they
      // were, and so is everything but the statistics shared by every page.
      shared.emplace(shared_layer());
    } else {
      load_themes();
      build_shared_layers();
    }
    render_pass = new_render_pass();
    for_each_at_once(chosen.size(), threads, [&](std::size_t k) { render_page(chosen[k]); });
    for (std::size_t i : chosen)
      if (!jobs[i].html) return false;
    if (dependencies.size() != jobs.size()) return false;
    if (reindexed) {
      record_dependencies();
    } else {
      for (std::size_t i : chosen) record_dependencies(i);
    }

    for (const page_job& job : jobs) diags.merge(job.parse_diags);
    for (std::size_t e = 0; e + 1 < edition_begin.size(); ++e) {
      diags.merge(theme_diags[e]);
      for (std::size_t i = edition_begin[e]; i < edition_begin[e + 1]; ++i) {
        page_job& job = jobs[i];
        diags.merge(job.render_diags);
        if (!job.html) continue;  // not stale, or patched in place
        result.out.add(job.output_path, std::move(*job.html));
        job.html.reset();
        result.pages[i].figures = job.figures;
      }
    }
    finish(result, diags);
    return true;
  }

  // --- figures patched in kept pages

  // Shows the new values of the changed figures (`before`: their last versions) in page i's
  // kept output and print section, when the page shows them only as <data> markup in running
  // text; false (and nothing changed) when it must be rendered again.
  // A page's output and print section with the changed figures' new values.
  struct figure_patch {
    std::string page;
    std::string print;
    std::vector<figure_use> figures;       // the page's uses with the new texts
    std::vector<std::string> use_entries;  // and their entries of figures.json
  };

  // Reads only: safe on several threads at once.
  std::optional<figure_patch> figure_patch_for(std::size_t i,
                                               const std::map<std::string, figure>& before,
                                               const render_result& result) const {
    const page_job& job = jobs[i];
    auto changes = figure_markup_changes(job, before);
    if (!changes) return std::nullopt;
    const std::string* html = result.out.bytes(job.output_path);
    // The layout may also show the body escaped (in a meta tag, say), where the markup is not
    // found as such: render those pages again.
    if (!html || html->find("data-figure=&quot;") != std::string::npos) return std::nullopt;
    auto page = with_figures_replaced(*html, *changes);
    if (!page) return std::nullopt;
    std::optional<std::string> print = job.print_html;
    if (!print->empty()) print = with_figures_replaced(*print, *changes);
    if (!print) return std::nullopt;
    figure_patch patch{std::move(*page), std::move(*print), job.figures, job.use_entries};
    for (std::size_t u = 0; u < patch.figures.size(); ++u) {
      figure_use& use = patch.figures[u];
      if (!before.count(use.key)) continue;
      std::string old_text = std::move(use.text);
      use.text = *new_figure_text(use);
      std::string& entry = patch.use_entries.at(u);
      if (!replace_use_text(entry, old_text, use.text))
        entry = use_json(job.ed->id, job.output_path, use);
    }
    return patch;
  }

  void apply_figure_patch(std::size_t i, figure_patch patch, render_result& result) {
    page_job& job = jobs[i];
    job.figures = std::move(patch.figures);
    job.use_entries = std::move(patch.use_entries);
    job.figures_json = uses_json(job.use_entries);
    uses_changed = true;
    job.print_html = std::move(patch.print);
    result.out.add(job.output_path, std::move(patch.page));
    result.pages[i].figures = job.figures;
  }

  std::optional<std::string> new_figure_text(const figure_use& use) const {
    const figure* now = model->stats.find_figure(use.key);
    auto format = parse_figure_format(use.format);
    if (!now || !format || *format == figure_format::label) return std::nullopt;
    return format_figure(*now, *format);
  }

  // For each changed figure the page shows, its markups before and after, in order; nullopt if
  // the page shows one anywhere else than in running text (a heading and its id or the table
  // of contents, a component, a label, the title, the layout, a pledge or the glossary).
  std::optional<std::map<std::string, std::vector<markup_change>>> figure_markup_changes(
      const page_job& job, const std::map<std::string, figure>& before) const {
    if (!job.layout_exists || !job.parse_diags.empty() || !job.render_diags.empty() ||
        job.holds_glossary || job.names_pledges_or_glossary ||
        layouts_showing_figures.at({job.ed->id, job.layout}))
      return std::nullopt;
    std::map<std::string, std::vector<markup_change>> changes;
    for (const auto& [key, old] : before) {
      // A unit stats.json got wrong leaves a chart or a share in ten out, quietly: a page that
      // may hold one is rendered again when the unit changes.
      const figure* now = model->stats.find_figure(key);
      if (old.unit_unknown || (now != nullptr && now->unit_unknown)) return std::nullopt;
      const source_page& src = *job.source;
      if (contains_word(src.meta.title, key) || contains_word(src.meta.nav_title, key) ||
          contains_word(src.meta.summary, key) || key.find_first_of("&<>\"'") != std::string::npos)
        return std::nullopt;
    }
    for (const figure_use& use : job.figures) {
      auto found = before.find(use.key);
      if (found == before.end()) continue;
      if (use.file != job.source->file) return std::nullopt;
      for (const heading& h : job.headings)
        if (h.text.find(use.text) != std::string::npos) return std::nullopt;
      auto text = new_figure_text(use);
      const figure* now = model->stats.find_figure(use.key);
      if (!text) return std::nullopt;
      // "none" in ten comes with a warning (figure.none), which a render gives or takes back.
      if (use.format == "in_ten" && (*text == "none" || use.text == "none")) return std::nullopt;
      changes[use.key].push_back(
          {figure_data_markup(use.key, found->second.value_text, use.format, use.text),
           figure_data_markup(use.key, now->value_text, use.format, *text)});
    }
    for (const auto& [key, old] : before)
      changes.try_emplace(key);  // a key the page does not show must not be there either
    return changes;
  }

  // Every edition's whole strategy on one page: print/index.html, layout `print`.
  void render_print_pages(render_result& result, diagnostics& diags) {
    printed.clear();
    result.print_pages.clear();
    const std::size_t editions = print_paths.size();
    skeletons.resize(editions);
    // Each edition's print page is made apart, its problems and page kept in its own place and
    // added in the editions' order after; written into a folder, they are made at once.
    std::vector<diagnostics> said(editions);
    std::vector<std::optional<std::string>> made_pages(editions);  // "" once written
    auto make = [&](std::size_t e) {
      const std::string& path = print_paths[e];
      if (path.empty()) return;
      if (is_page_path(path)) {
        report_print_page_taken(e, said[e]);
        return;
      }
      std::string whole;
      auto parts = print_page(e, said[e], whole);
      if (!parts) return;
      if (one_shot()) {
        // Written part by part rather than joined first, each page's section made from the
        // page's file then (page_job::print_from): it holds every section again.
        if (!options.write_to.empty()) write_print_page(path, *parts);
        made_pages[e].emplace();
        return;
      }
      std::size_t size = 0;
      for (const print_part& part : *parts) size += part.bytes.size();
      std::string page;
      page.reserve(size);
      for (const print_part& part : *parts) page += part.bytes;  // pages are kept: no from_file
      made_pages[e] = std::move(page);
    };
    if (one_shot() && !options.write_to.empty())
      for_each_at_once(editions, render_thread_count(options), make);
    else
      for (std::size_t e = 0; e < editions; ++e) make(e);
    for (std::size_t e = 0; e < editions; ++e) {
      diags.merge(said[e]);
      if (!made_pages[e]) continue;
      if (one_shot())
        result.out.add_written(print_paths[e]);
      else
        result.out.add(print_paths[e], std::move(*made_pages[e]));
      printed.push_back(print_paths[e]);
      result.print_pages.emplace_back(model->config.editions[e].id, print_paths[e]);
    }
    if (one_shot())
      for (page_job& job : jobs) std::string().swap(job.print_html);
  }

  // A part of a print page: bytes, or the print section of a page whose section was not kept.
  struct print_part {
    std::string_view bytes;
    const page_job* from_file = nullptr;  // print_section_of it
  };

  // Writes a print page into the output folder from its parts, the sections of a few hundred
  // parts at a time made on every core.
  void write_print_page(const std::string& path, const std::vector<print_part>& parts) const {
    write_output_file(options.write_to, path, [&](const output_writer& write) {
      const std::size_t batch = 512;
      std::vector<std::string> made;
      for (std::size_t from = 0; from < parts.size(); from += batch) {
        std::size_t n = std::min(batch, parts.size() - from);
        made.assign(n, std::string());
        for_each_at_once(n, render_thread_count(options), [&](std::size_t k) {
          if (const page_job* job = parts[from + k].from_file) made[k] = print_section_of(*job);
        });
        for (std::size_t k = 0; k < n; ++k) {
          const print_part& part = parts[from + k];
          write(part.from_file ? std::string_view(made[k]) : part.bytes);
        }
      }
    });
  }

  // The print page from its skeleton (the template rendered with a marker for each section's
  // content) and the sections' kept HTML; rendered whole, into `whole`, when the markers do not
  // survive. Its parts, to be joined or written one after the other.
  std::optional<std::vector<print_part>> print_page(std::size_t e, diagnostics& diags,
                                                    std::string& whole) {
    const edition& ed = model->config.editions[e];
    const template_values& edition = edition_layers.at({e, root_prefix(print_paths[e])});
    std::vector<std::string_view> contents;
    // No section is empty (one made from its page's file is not; when nothing is printed, the
    // page is made from its skeleton, for the layout's problems only).
    bool all_there = true;
    for (std::size_t i = edition_begin[e]; i < edition_begin[e + 1]; ++i) {
      contents.push_back(jobs[i].print_html);
      all_there =
          all_there && (!keeps_output() || jobs[i].print_from || !jobs[i].print_html.empty());
    }
    print_skeleton& skeleton = skeletons[e];
    auto layout = templates->layout_text(ed.id, "print");
    std::string key = print_page_key(e);
    json shown = shared_shown(ed.id, "print");
    if (!skeleton.fits(layout, shown, edition.object(), key)) {
      skeleton = print_skeleton();
      template_values page(print_page_layer(e, print_markers(contents.size())));
      auto html = templates->render(ed.id, "print", {&*shared, &edition, &page}, skeleton.diags);
      if (!html || !split_at_markers(*html, contents.size(), skeleton.pieces))
        skeleton.pieces.clear();
      skeleton.layout = std::move(layout);
      skeleton.shared = std::move(shown);
      skeleton.edition = edition.object();
      skeleton.key = std::move(key);
    }
    if (!skeleton.pieces.empty() && all_there) {
      diags.merge(skeleton.diags);
      std::vector<print_part> parts;
      parts.reserve(skeleton.pieces.size() + contents.size());
      for (std::size_t i = 0; i < contents.size(); ++i) {
        const page_job& job = jobs[edition_begin[e] + i];
        parts.push_back({skeleton.pieces[i]});
        parts.push_back({contents[i], job.print_from ? &job : nullptr});
      }
      parts.push_back({skeleton.pieces.back()});
      return parts;
    }
    // The print layout rendered whole, with every section's content in memory.
    std::vector<std::string> made;
    made.reserve(contents.size());  // `contents` points into it
    for (std::size_t i = edition_begin[e]; i < edition_begin[e + 1]; ++i)
      if (jobs[i].print_from) {
        made.push_back(print_section_of(jobs[i]));
        contents[i - edition_begin[e]] = made.back();
      }
    template_values page(print_page_layer(e, {contents.begin(), contents.end()}));
    auto html = templates->render(ed.id, "print", {&*shared, &edition, &page}, diags);
    if (!html) return std::nullopt;
    whole = std::move(*html);
    return std::vector<print_part>{{whole}};
  }

  // The shared layer as far as a layout can show it: the figures only if it names them.
  json shared_shown(const std::string& edition_id, const std::string& layout) const {
    json shown = shared->object();
    if (!templates->mentions(edition_id, layout, "figures")) shown.erase("figures");
    return shown;
  }

  // Everything print_page_layer reads but the sections' contents, in one string: the print
  // page's skeleton is rendered again only when it differs.
  std::string print_page_key(std::size_t e) const {
    std::string key = print_paths[e] + '\n' + model->config.title + '\n' +
                      model->config.primary().id + '\n' + std::to_string(e) + '\n';
    for (std::size_t other = 0; other < model->config.editions.size(); ++other) {
      const edition& o = model->config.editions[other];
      for (const std::string* part : {&o.id, &o.name, &o.language, &o.path, &print_paths[other]})
        key += *part + '\0';
      key += '\n';
    }
    for (std::size_t i = edition_begin[e]; i < edition_begin[e + 1]; ++i) {
      const page_job& job = jobs[i];
      key += job.source->meta.title + '\0' + nav_title(*job.source) + '\0' + job.output_path +
             '\0' + job.sec->slug + '\0' + (job.sec->is_home() ? '1' : '0') +
             (job.figures.empty() ? '0' : '1') + '\n';
    }
    return key;
  }

  // The output keeps the last render's print page (`tandem serve`): only a page takes its path.
  bool is_page_path(const std::string& path) const {
    return std::any_of(jobs.begin(), jobs.end(),
                       [&](const page_job& job) { return job.output_path == path; });
  }

  void report_print_page_taken(std::size_t e, diagnostics& diags) const {
    const std::string& path = print_paths[e];
    const page_job* owner = &jobs[edition_begin[e]];
    for (std::size_t i = edition_begin[e]; i < edition_begin[e + 1]; ++i)
      if (jobs[i].output_path == path) owner = &jobs[i];
    diags.warning(owner->source->file, 1, 1, "page.duplicate_path",
                  "this page is written to " + path + ", where the print page of the '" +
                      owner->ed->name +
                      "' edition (the whole strategy on one page) would go, so that edition has "
                      "no print page; give this page another name than 'print'");
  }

  // `contents` holds each section's content, in order. What else it reads must be in
  // print_page_key.
  json print_page_layer(std::size_t e, const std::vector<std::string>& contents) const {
    const std::string& path = print_paths[e];
    json ctx;
    ctx["root_url"] = root_prefix(path);
    json editions = json::array();
    for (std::size_t other = 0; other < model->config.editions.size(); ++other) {
      const edition& o = model->config.editions[other];
      bool has_page = !print_paths[other].empty();
      std::string target =
          has_page ? print_paths[other] : (o.path.empty() ? "" : o.path + "/") + "index.html";
      editions.push_back({{"id", o.id},
                          {"name", o.name},
                          {"language", o.language},
                          {"url", relative_url(path, target)},
                          {"is_current", other == e},
                          {"has_page", has_page}});
    }
    add_editions(ctx, std::move(editions));
    json sections = json::array();
    bool has_figures = false;
    for (std::size_t i = edition_begin[e]; i < edition_begin[e + 1]; ++i) {
      const page_job& job = jobs[i];
      has_figures = has_figures || body_shows_figures(job);
      sections.push_back({{"title", job.source->meta.title},
                          {"anchor", print_anchors[e].at(relative_url(path, job.output_path))},
                          {"content", contents.at(i - edition_begin[e])}});
    }
    std::string title = "The whole strategy";
    ctx["page"] = {{"title", title},
                   {"nav_title", title},
                   {"summary", "All of " + model->config.title + " on one page, to print or save."},
                   {"slug", "print"},
                   {"stem", "print"},
                   {"layout", "print"},
                   {"url", "index.html"},
                   {"is_home", false},
                   {"content", ""},
                   {"has_toc", false},
                   {"toc", json::array()},
                   {"has_figures", has_figures},
                   {"source", ""}};
    ctx["sections"] = std::move(sections);
    add_every_page_nav(ctx, e, "print",
                       [&](std::size_t i) { return relative_url(path, jobs[i].output_path); });
    ctx["prev"] = false;
    ctx["next"] = false;
    return ctx;
  }

  // 404.html is served at any depth, so its links start from the site's own address. It is
  // rendered again only when what it shows changed.
  void render_not_found(render_result& result, diagnostics& diags) {
    const edition& ed = model->config.primary();
    if (!templates->has_layout(ed.id, "404") || edition_begin.size() < 2 ||
        edition_begin[1] == edition_begin[0])
      return;
    auto layout = templates->layout_text(ed.id, "404");
    std::string key = not_found_key();
    json shown = shared_shown(ed.id, "404");
    if (!not_found || not_found->layout != layout || not_found->key != key ||
        not_found->shared != shown) {
      not_found.emplace();
      not_found->html = render_not_found_page(not_found->diags);
      not_found->layout = std::move(layout);
      not_found->key = std::move(key);
      not_found->shared = std::move(shown);
    }
    diags.merge(not_found->diags);
    if (not_found->html) result.out.add("404.html", *not_found->html);
  }

  // Everything render_not_found_page reads but the shared layer and the layout.
  std::string not_found_key() const {
    const edition& ed = model->config.primary();
    std::size_t primary = static_cast<std::size_t>(&ed - model->config.editions.data());
    std::string key = model->config.base_url + '\n' + print_paths[primary] + '\n' + ed.id + '\n';
    key += edition_context(ed, "").dump() + '\n';
    for (const edition& o : model->config.editions)
      key += o.id + '\0' + o.name + '\0' + o.language + '\0' + o.path + '\n';
    for (std::size_t i = edition_begin[0]; i < edition_begin[1]; ++i)
      key += nav_title(*jobs[i].source) + '\0' + jobs[i].output_path + '\0' +
             (jobs[i].sec->is_home() ? '1' : '0') + '\n';
    return key;
  }

  std::optional<std::string> render_not_found_page(diagnostics& diags) const {
    const edition& ed = model->config.primary();
    std::string root = model->config.server_folder();
    json ctx;
    ctx["root_url"] = root;
    ctx["edition"] = edition_context(ed, root);
    json editions = json::array();
    for (const edition& other : model->config.editions) {
      editions.push_back(
          {{"id", other.id},
           {"name", other.name},
           {"language", other.language},
           {"url", root + (other.path.empty() ? "" : other.path + "/") + "index.html"},
           {"is_current", &other == &ed},
           {"has_page", false}});
    }
    add_editions(ctx, std::move(editions));
    std::size_t primary = static_cast<std::size_t>(&ed - model->config.editions.data());
    ctx["print_url"] =
        print_paths[primary].empty() ? json(false) : json(root + print_paths[primary]);
    ctx["page"] = {{"title", "Page not found"},
                   {"nav_title", "Page not found"},
                   {"summary", "The page you asked for is not on this site."},
                   {"slug", "404"},
                   {"stem", "404"},
                   {"layout", "404"},
                   {"url", root + "404.html"},
                   {"is_home", false},
                   {"content", ""},
                   {"has_toc", false},
                   {"toc", json::array()},
                   {"has_figures", false},
                   {"source", ""}};
    add_every_page_nav(ctx, primary, "404",
                       [&](std::size_t i) { return root + jobs[i].output_path; });
    ctx["prev"] = false;
    ctx["next"] = false;
    template_values page(std::move(ctx));
    return templates->render(ed.id, "404", {&*shared, &page}, diags);
  }

  void add_assets_and_media(render_result& result) const {
    for (const auto& [name, t] : themes)
      if (t) add_theme_assets(*t, result.out);
    for (const auto& file : model->content.media)
      result.out.add_copy("media/" + file, model->dir / "content" / "media" / file);
  }

  void add_sitemap_and_robots(render_result& result, diagnostics& diags) const {
    const std::string& base = model->config.base_url;
    std::string robots = "User-agent: *\nAllow: /\n";
    if (base.empty()) {
      diags.warning(site_config_file, 1, 1, "site.base_url",
                    "without 'base_url' the sitemap cannot list the site's addresses; add "
                    "\"base_url\": \"https://www.example.gov.uk/corporate-parenting/\" with the "
                    "address the site will be published at");
    } else {
      std::vector<std::string> urls;
      urls.reserve(result.pages.size());
      auto add_url = [&](std::string path) {
        path.erase(path.size() - std::string("index.html").size());
        urls.push_back(base + path);
      };
      for (const page_record& p : result.pages) add_url(p.output_path);
      for (const std::string& path : printed) add_url(path);
      std::sort(urls.begin(), urls.end());
      std::string sitemap =
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
      for (const auto& url : urls) sitemap += "  <url><loc>" + escape_xml(url) + "</loc></url>\n";
      sitemap += "</urlset>\n";
      result.out.add("sitemap.xml", std::move(sitemap));
      robots += "Sitemap: " + base + "sitemap.xml\n";
    }
    result.out.add("robots.txt", std::move(robots));
  }
};

site_renderer::site_renderer(render_options options) : self_(std::make_unique<impl>()) {
  self_->options = options;
}
site_renderer::~site_renderer() = default;
site_renderer::site_renderer(site_renderer&&) noexcept = default;
site_renderer& site_renderer::operator=(site_renderer&&) noexcept = default;

render_result site_renderer::render(const site_model& model, const template_set& templates,
                                    diagnostics& diags) {
  self_->plan(model, templates);
  return self_->render_all(diags);
}

void site_renderer::rerender(const site_model& model, const template_set& templates,
                             const std::vector<bool>& stale, render_result& result,
                             diagnostics& diags,
                             const std::map<std::string, figure>* figures_before) {
  self_->model = &model;
  self_->templates = &templates;
  self_->point_jobs_at_model();
  diagnostics patched;
  if (self_->rerender_stale(stale, result, patched, figures_before)) {
    diags.merge(patched);
    return;
  }
  render_result fresh = render(model, templates, diags);
  fresh.out.replaces(std::move(result.out));
  result = std::move(fresh);
}

std::vector<std::pair<const source_page*, prose_page>> site_renderer::take_prose() {
  std::vector<std::pair<const source_page*, prose_page>> all;
  for (page_job& job : self_->jobs) {
    if (job.prose) all.emplace_back(job.source, std::move(*job.prose));
    job.prose.reset();
  }
  return all;
}

std::size_t site_renderer::pages_rendered() const {
  return self_->rendered;
}

std::size_t site_renderer::pages_patched() const {
  return self_->patched;
}

const std::vector<page_dependencies>& site_renderer::pages() const {
  return self_->dependencies;
}

render_result render_site(const site_model& model, const template_set& templates,
                          diagnostics& diags, const render_options& options) {
  return site_renderer(options).render(model, templates, diags);
}

json figures_manifest(const site_model& model, const std::vector<page_record>& pages) {
  json values = json::object();
  for (const auto& [key, f] : model.stats.figures) {
    values[key] = {{"label", f.label},
                   {"value", f.value},
                   {"unit", unit_name(f.unit)},
                   {"text", format_figure(f, figure_format::plain).value_or(f.value_text)}};
  }
  // What each chart of a breakdown shows, so that a build can say which parts changed.
  json breakdowns = json::object();
  for (const auto& [key, b] : model.stats.breakdowns) {
    json parts = json::array();
    for (const breakdown_part& part : b.parts) {
      parts.push_back({{"label", part.label},
                       {"value", part.value},
                       {"text", format_in_unit(part.value, b.unit)}});
    }
    breakdowns[key] = {{"label", b.label}, {"unit", unit_name(b.unit)}, {"parts", parts}};
  }
  json uses = json::array();
  for (const page_record& p : pages) {
    for (const figure_use& u : p.figures) {
      uses.push_back({{"edition", p.edition},
                      {"page", p.output_path},
                      {"key", u.key},
                      {"format", u.format},
                      {"text", u.text},
                      {"source", u.file},
                      {"line", u.line}});
    }
  }
  return {{"as_of", model.stats.as_of},
          {"source", model.stats.source},
          {"breakdowns", breakdowns},
          {"values", values},
          {"uses", uses}};
}

bool contains_word(std::string_view text, std::string_view word) {
  auto is_word_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  if (word.empty()) return false;
  auto find = [&](std::size_t from) { return find_bytes(text, word, from); };
  for (auto at = find(0); at != std::string_view::npos; at = find(at + 1)) {
    bool starts = at == 0 || !is_word_char(text[at - 1]);
    bool ends = at + word.size() == text.size() || !is_word_char(text[at + word.size()]);
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace tandem
