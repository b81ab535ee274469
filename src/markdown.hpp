// Markdown through cmark-gfm, and the passes over its syntax tree: headings, figures, links,
// images, glossary terms and block components (SPEC 4, 5).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "content.hpp"
#include "diag.hpp"
#include "model.hpp"
#include "prose.hpp"

namespace tandem {

/// A heading of a page, with its stable id (from its text; "-2", "-3" ... for repeats).
struct heading {
  int level = 2;
  std::string id;
  std::string text;  // plain text, figures already formatted
  int line = 0;      // in the source file
};

/// One place a figure is shown: for figures.json, `tandem figures` and change reports.
struct figure_use {
  std::string key;
  std::string format;  // "plain", "about", ... or "cards" / "chart" for components
  std::string text;    // as shown, e.g. "about 780"
  std::string file;    // the source file it is written in: a page's, or a template's
  int line = 0;
  int col = 0;
  bool in_layout = false;  // shown by the page's layout ({{figures.x.text}}), not its body
};

/// Where every page of every edition is, and its heading ids: what links are checked against.
struct link_index {
  struct target {
    std::string output_path;        // page_output_path(edition, section)
    std::set<std::string> anchors;  // heading ids (and component ids) on that page
    std::string file;               // the page's file, "content/pages/03-our-promise.young.md"
    /// The file could not be read (source_page::stand_in): its headings are unknown, so links
    /// to them are not checked.
    bool unread = false;
  };
  /// (section stem, edition id) -> target. Stems are "index" and "03-our-promise".
  std::map<std::pair<std::string, std::string>, target> pages;
  /// edition id -> output path of the page holding {{ glossary }} in that edition, if any.
  std::map<std::string, std::string> glossary_page;
};

/// A parsed page: the cmark-gfm tree (owned) and its headings. Created by parse_markdown.
class parsed_markdown {
 public:
  parsed_markdown();
  ~parsed_markdown();
  parsed_markdown(parsed_markdown&&) noexcept;
  parsed_markdown& operator=(parsed_markdown&&) noexcept;
  parsed_markdown(const parsed_markdown&) = delete;
  parsed_markdown& operator=(const parsed_markdown&) = delete;

  const std::vector<heading>& headings() const { return headings_; }
  /// The prose of the page (what extract_prose gives), read from the tree as cmark-gfm parsed it
  /// when parse_markdown was asked for it; nullopt if not, or for a page too large to parse
  /// (shown as a blank stand-in). Handed over once.
  std::optional<prose_page> take_prose();

  struct impl;
  std::unique_ptr<impl> self;
  std::vector<heading> headings_;
};

/// Parses a page body (GFM: table, strikethrough, autolink, tasklist, tagfilter; UTF-8 validated)
/// and gives every heading its id. Figures in headings are formatted for the heading text.
/// `with_prose`: also read the page's prose from the tree (parsed_markdown::take_prose).
parsed_markdown parse_markdown(const source_page& page, const site_model& model, diagnostics& diags,
                               bool with_prose = false);

/// What a page needs to know to render its body.
/// A link to a heading ("03-our-promise.md#the-virtual-school", "#top") whose check waits
/// until every page's headings are known (markdown_env::pending_anchors).
struct pending_anchor {
  std::string file;  // where the link is written (the page's or a pledge's file)
  text_position at;
  std::string written;   // the link's address as written
  std::string fragment;  // what follows '#'
  /// The page it leads to: (section stem, edition id) in link_index::pages; for a link to a
  /// heading on its own page, an empty stem and that page's output path as the edition.
  std::pair<std::string, std::string> page;
  std::set<std::string> own_ids;  // for a link on its own page: ids its components made first
};

/// Reports each pending link whose heading does not exist in `links` (as `link.broken`), as
/// render_markdown does when it checks links at once.
void check_pending_anchors(const std::vector<pending_anchor>& pending, const link_index& links,
                           diagnostics& diags);

struct markdown_env {
  const site_model& model;
  const edition& ed;
  std::string output_path;  // where the page being rendered is written
  const link_index& links;
  /// When set, links to headings are not checked against `links.pages`' anchors, which may
  /// not hold every page's headings yet, but added here for check_pending_anchors. The HTML is
  /// the same either way.
  std::vector<pending_anchor>* pending_anchors = nullptr;
  /// A number for one render of many pages during which the model does not change
  /// (new_render_pass), or 0: the figures written in text are then resolved once per thread in
  /// that render, not once per use.
  std::uint64_t render_pass = 0;
};

/// A number no other render pass has had (never 0), for markdown_env::render_pass.
std::uint64_t new_render_pass();

struct rendered_markdown {
  std::string html;
  std::vector<heading> toc;              // level 2 and 3 headings, in order
  std::vector<figure_use> figures;       // in order of appearance (pledges included)
  std::set<std::string> glossary_terms;  // terms marked on this page
};

/// Runs the passes and renders HTML (safe mode: raw HTML is never passed through):
/// - `{{ key }}` / `{{ key:format }}` in text (not in code) -> <data value data-figure>;
///   unknown keys (`figure.unknown`, with the nearest key) and unfit formats (`figure.format`);
/// - a paragraph holding only `{{ cards ... }}`, `{{ chart key }}`, `{{ pledges }}` or
///   `{{ glossary }}` -> that component;
/// - links to source files (`03-x.md#anchor`, `index.md`) -> this edition's page (the primary's
///   when this edition lacks the section); missing pages or anchors are `link.broken`;
/// - images: `media/...` or `../media/...` rewritten relative to the page; missing files are
///   `link.broken`; empty alt text is `image.alt` unless the title is "decorative";
/// - headings get their ids; the first use of each glossary term is marked with <abbr> (and
///   in non-primary editions linked to the glossary page).
rendered_markdown render_markdown(parsed_markdown& parsed, const source_page& page,
                                  const markdown_env& env, diagnostics& diags);

/// render_markdown, and in `other_html` the same body as read from the page at
/// `other_output_path` (links, pictures and glossary links relative to that page): exactly the
/// `.html` of render_markdown(parsed_markdown(), page, env with output_path = other_output_path,
/// ignored diagnostics), mostly without a second parse or second run of the passes.
rendered_markdown render_markdown(parsed_markdown& parsed, const source_page& page,
                                  const markdown_env& env, diagnostics& diags,
                                  const std::string& other_output_path, std::string& other_html);

/// The markup of a figure shown in text: <data value="780" data-figure="key"
/// [data-format="about"]>about 780</data> (no data-format for "plain").
std::string figure_data_markup(const std::string& key, const std::string& value,
                               const std::string& format_name, const std::string& text);

/// Slug used for heading ids: lowercase ASCII letters and digits joined by '-'.
std::string slugify(std::string_view text);

}  // namespace tandem
