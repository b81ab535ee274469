// Renders every edition of a loaded site into an in-memory output tree, on every core.
#pragma once

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "diag.hpp"
#include "fs.hpp"
#include "markdown.hpp"
#include "model.hpp"
#include "templates.hpp"

namespace tandem {

/// One rendered page: where it went and which figures it shows.
struct page_record {
  std::string edition;
  std::string stem;         // "index", "03-our-promise"
  std::string output_path;  // "young/our-promise/index.html"
  std::vector<figure_use> figures;
};

struct render_result {
  output_tree out;
  std::vector<page_record> pages;  // in edition order, then navigation order
  /// Each print page made (the whole edition on one page, showing every figure its pages show):
  /// its edition's id and its output path, in edition order.
  std::vector<std::pair<std::string, std::string>> print_pages;
};

struct render_options {
  /// Threads that render pages: 0 means the TANDEM_THREADS environment variable when it is a
  /// number from 1 up, else one per core. The output does not depend on it.
  unsigned threads = 0;
  /// Whether the renderer keeps each page's prose, read from the tree it parses anyway, for
  /// the checks (site_renderer::take_prose): then they need not parse every page again.
  bool keep_prose = false;
  /// When set, every page is written into this folder as soon as it is rendered, and every
  /// other file as soon as it is made; the output tree lists them without holding their bytes
  /// (output_tree::write_through). For `tandem build`, which publishes the folder
  /// (publication), so that the site need not be held in memory whole. Writing throws
  /// system_failure when it cannot. Not for site_renderer::rerender, which patches kept pages.
  std::filesystem::path write_to;
  /// When true (and `write_to` is not set), every page is rendered and its problems reported,
  /// but its HTML is dropped as soon as it is made; the output tree lists the pages without
  /// their bytes. For `tandem check` and `tandem figures`, which publish nothing. Not for
  /// site_renderer::rerender.
  bool discard_pages = false;
};

/// The number of threads `options` asks for (see render_options::threads).
unsigned render_thread_count(const render_options& options);

/// Renders every page of every edition, plus assets, media, sitemap.xml, robots.txt, 404.html
/// and figures.json. Content problems go to `diags`; the output is complete only if
/// `diags.has_errors()` is false. Pages are rendered in parallel from the read-only model; the
/// output and the diagnostics are the same, byte for byte, whatever the number of threads.
///
/// The template context of a page (documented for template authors in docs/templates.md):
///   site:      { title, subtitle, organisation, language, base_url }
///   edition:   { id, name, path, theme, language, is_primary, home_url, assets_url,
///                stylesheets: [{url}], scripts: [{url}] }
///   editions:  [{ id, name, language, url, is_current, has_page }]  url = this page there
///   other_editions: [{ id, name, language, url, is_current, has_page }]  without the current
///   has_other_editions: true when the site has more than one edition
///   page:      { title, nav_title, summary, slug, stem, layout, url, is_home, content (HTML),
///                toc: [{ id, text, level, is_sub }], has_toc, source }
///   nav:       [{ title, url, is_current, is_home }]        this edition's pages, in order
///   prev, next: { title, url } or false
///   figures:   { <key>: { text, about, label, value, unit } }  already formatted (no markup)
///   data:      { as_of, as_of_iso, source }                "14 December 2025"
///   root_url:  relative prefix from this page to the output root ("../../")
///   generator: "tandem"
render_result render_site(const site_model& model, const template_set& templates,
                          diagnostics& diags, const render_options& options = {});

/// A unit as stats.json and figures.json write it: "count", "percent" or "number".
const char* unit_name(figure_unit u);

/// The JSON written to figures.json: { as_of, source, values: {key: {label, value, unit, text}},
/// breakdowns: {key: {label, unit, parts: [{label, value, text}]}}, uses: [...] }.
nlohmann::json figures_manifest(const site_model& model, const std::vector<page_record>& pages);

/// Whether `word` (a figure key, a glossary term) is in `text` with no letter, digit or '_'
/// either side.
bool contains_word(std::string_view text, std::string_view word);

/// What one page's last render used, for deciding what a change makes stale.
/// `nav_near` lists every page of an edition of up to nav_near_whole pages (and every page on the
/// home page); on the other pages of a longer edition, the home page and the nav_near_either_side
/// pages either side of this one, so that no page's navigation grows with the edition.
inline constexpr std::size_t nav_near_whole = 25;
inline constexpr std::size_t nav_near_either_side = 5;

/// The positions in its edition (the home page at 0) that a shortened nav_near lists after the
/// home page, on the page at position `on` of an edition of `size` pages: [first, second).
inline std::pair<std::size_t, std::size_t> nav_near_window(std::size_t size, std::size_t on) {
  std::size_t first = on > nav_near_either_side ? on - nav_near_either_side : 0;
  return {std::max<std::size_t>(first, 1), std::min(size, on + nav_near_either_side + 1)};
}

struct page_dependencies {
  std::string edition;
  std::string stem;
  std::string layout;                    // the layout it was rendered with ("" if none)
  std::set<std::string> anchors;         // ids other pages' links can point at
  std::set<std::string> glossary_terms;  // terms marked on the page
};

/// A render that can be repeated for some pages only (`tandem serve`'s incremental rebuilds).
/// It keeps, for every page, its diagnostics and what it used; `rerender` renders again only
/// the pages it is told are stale and takes the others from the last render.
class site_renderer {
 public:
  explicit site_renderer(render_options options = {});
  ~site_renderer();
  site_renderer(site_renderer&&) noexcept;
  site_renderer& operator=(site_renderer&&) noexcept;

  /// Renders everything, as render_site does, and remembers it. Render diagnostics go to
  /// `diags`.
  render_result render(const site_model& model, const template_set& templates, diagnostics& diags);

  /// Renders again into `result` (the result of the last render or rerender) for `model` and
  /// `templates`, which must have the same editions and the same sections in the same order as
  /// the last ones (with their pages in the same editions). `stale[i]` says whether page i of
  /// pages() is rendered again; the others keep their output, figures and
  /// diagnostics. 404.html, sitemap.xml, robots.txt and figures.json are always made again.
  /// The result equals a full render when every page whose output can have changed is stale.
  /// `figures_before`, when given, holds the last versions of the figures whose values changed
  /// (and nothing else of the statistics did): a stale page that shows them only in running
  /// text gets the new values written into its kept output instead of being rendered again.
  void rerender(const site_model& model, const template_set& templates,
                const std::vector<bool>& stale, render_result& result, diagnostics& diags,
                const std::map<std::string, figure>* figures_before = nullptr);

  /// The prose of every page the last render parsed, when render_options::keep_prose asked for
  /// it (each page once: the prose is handed over).
  std::vector<std::pair<const source_page*, prose_page>> take_prose();

  /// How many pages the last render or rerender rendered, and how many it patched in place
  /// (figures changed in running text only).
  std::size_t pages_rendered() const;
  std::size_t pages_patched() const;

  /// Every page of the last render, rendered or not: editions in site order, each with its
  /// sections in navigation order (render_result::pages lists those that were written). Empty
  /// after a render never repeated (render_options::write_to or discard_pages).
  const std::vector<page_dependencies>& pages() const;

  struct impl;

 private:
  std::unique_ptr<impl> self_;
};

}  // namespace tandem
