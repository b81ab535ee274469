// Mustache templates (read as kainjow reads them; rendered by mustache_program as kainjow
// renders them) with edition-then-shared lookup, and themes (SPEC 7).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "diag.hpp"
#include "fs.hpp"

namespace tandem {

/// Names of values, as template_set::names_used gives them.
using value_names = std::set<std::string, std::less<>>;

/// A group of values for templates (a JSON object). Values shared by many pages (the site, the
/// figures, an edition's settings) are made into one `template_values` and given to every
/// page's render.
class template_values {
 public:
  explicit template_values(nlohmann::json values) : values_(std::move(values)) {}
  // Moved, never copied by mistake: a page's values hold its whole body.
  template_values(const template_values&) = delete;
  template_values& operator=(const template_values&) = delete;
  template_values(template_values&&) noexcept = default;
  template_values& operator=(template_values&&) noexcept = default;

  const nlohmann::json& object() const { return values_; }

 private:
  nlohmann::json values_;
};

/// A value of a group a layout shows (template_set::shown_from): {{figures.care_leavers.text}}.
struct shown_value {
  std::string key;    // the group's entry: "care_leavers"
  std::string field;  // the entry's value: "text"
  std::string text;   // as shown, before escaping
  std::string file;   // the template it is written in: "templates/home.mustache"
  text_position pos;  // where, in that template
};

/// The templates a site renders with: its own templates/ folder, file by file over the
/// built-in ones. Lookup for layout L in edition E: templates/E/L.mustache, then
/// templates/L.mustache; partial P: templates/E/partials/P.mustache, then
/// templates/partials/P.mustache. Each template is parsed once, when loaded.
class template_set {
 public:
  template_set();
  ~template_set();
  template_set(template_set&&) noexcept;
  template_set& operator=(template_set&&) noexcept;

  /// Loads every template of the site (and the built-in ones it does not override). Syntax
  /// errors (`template.syntax`), partials that include themselves (`template.recursion`) and
  /// missing partials (`template.partial`) are reported with file, line and column.
  static template_set load(const std::filesystem::path& site_dir, diagnostics& diags);

  /// The layouts `edition_id` can use (its own folder's and the shared ones), sorted.
  std::vector<std::string> layout_names(const std::string& edition_id) const;

  /// True if layout `layout` exists for `edition_id` (edition folder or shared).
  bool has_layout(const std::string& edition_id, const std::string& layout) const;

  /// Renders `layout` for `edition_id` with `context` (see docs/templates.md). A variable or
  /// section the context does not have is reported as `template.variable` with the template
  /// file, line and column (once per place). Returns nullopt if the layout does not exist
  /// (`template.missing`).
  std::optional<std::string> render(const std::string& edition_id, const std::string& layout,
                                    const nlohmann::json& context, diagnostics& diags) const;

  /// The same, with the context in layers: a name is looked up in the last layer first, then
  /// in the ones before it, as if the layers were one object. Safe to call from many threads
  /// at once (each with its own `diags`).
  std::optional<std::string> render(const std::string& edition_id, const std::string& layout,
                                    const std::vector<const template_values*>& layers,
                                    diagnostics& diags) const;

  /// Every value of an entry of the group `group` (an object of objects at the context's root,
  /// as "figures" is) that `layout` shows when rendered with `layers`, in the order shown, with
  /// the template's place: {{figures.x.text}}, or {{text}} inside {{#figures.x}}. Sections are
  /// followed as the values make them. Empty if the layout does not exist or cannot be used.
  std::vector<shown_value> shown_from(const std::string& edition_id, const std::string& layout,
                                      const std::vector<const template_values*>& layers,
                                      const std::string& group) const;

  /// The text of a layout with its partials written in (what it renders with), or nullopt if
  /// the edition has no such layout: two template sets render a layout alike when it is equal.
  std::optional<std::string> layout_text(const std::string& edition_id,
                                         const std::string& layout) const;

  /// True if the layout for `edition_id`, with its partials, uses a value whose name starts
  /// with `name` ("nav" for {{#nav}} or {{nav.x}}): values no template uses need not be built.
  bool mentions(const std::string& edition_id, const std::string& layout,
                const std::string& name) const;

  /// Every name the layout for `edition_id` uses a value by, with its partials, as far as its
  /// first '.' ("page" for {{page.title}}); empty if there is no such layout.
  value_names names_used(const std::string& edition_id, const std::string& layout) const;

  struct impl;

 private:
  std::unique_ptr<impl> self_;
};

/// A theme: themes/<name>/theme.json plus its assets, copied to assets/<name>/ in the output.
struct theme {
  std::string name;
  std::vector<std::string> stylesheets;  // relative to the theme's assets/ folder
  std::vector<std::string> scripts;      // relative to the theme's assets/ folder
  /// Asset files: path relative to assets/ -> bytes (built-in) or a file to copy (site's own).
  std::map<std::string, std::string> builtin_assets;
  std::map<std::string, std::filesystem::path> file_assets;
};

/// Finds a theme: the site's themes/<name>/ if present, else the built-in one; reports
/// `theme.missing` / `theme.json` problems (file, line, column) and returns nullopt.
std::optional<theme> load_theme(const std::filesystem::path& site_dir, const std::string& name,
                                diagnostics& diags);

/// Adds a theme's assets to the output under assets/<name>/.
void add_theme_assets(const theme& t, output_tree& out);

/// The files built into the binary from the project's templates/ and themes/ folders, keyed by
/// their path in the repository ("templates/page.mustache", "themes/council/theme.json").
const std::map<std::string, std::string_view>& builtin_files();

}  // namespace tandem
