// Renders every edition of a loaded site into an in-memory output tree.
#pragma once

#include <string>
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
};

/// Renders every page of every edition, plus assets, media, sitemap.xml, robots.txt, 404.html
/// and figures.json. Content problems go to `diags`; the output is complete only if
/// `diags.has_errors()` is false.
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
                          diagnostics& diags);

/// The JSON written to figures.json: { as_of, values: {key: {label, value, unit}}, uses: [...] }.
nlohmann::json figures_manifest(const site_model& model, const std::vector<page_record>& pages);

}  // namespace tandem
