// content/site.json: site settings and the list of editions (SPEC 2).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "diag.hpp"

namespace tandem {

struct edition_checks {
  std::optional<double> max_grade;
  std::optional<int> max_sentence_words;
};

struct edition {
  std::string id;        // [a-z][a-z0-9-]*
  std::string name;      // shown in the edition switcher
  std::string path;      // "" for the root, else "young" or "easy/read" (no leading or trailing /)
  std::string theme;     // default "council" for the primary edition, "bright" for others
  std::string language;  // default: the site's language
  edition_checks checks;
  text_position pos;  // where the edition's object starts in site.json
};

struct site_config {
  std::string title;
  std::string subtitle;
  std::string organisation;
  std::string language = "en-GB";
  std::string base_url;           // always ends in '/' once loaded ("" when not given)
  std::vector<edition> editions;  // editions[0] is the primary edition
  /// Ids of editions written in site.json but left out of `editions` because of an error there
  /// (already reported). Their files are not built, and not reported either.
  std::vector<std::string> dropped_editions;
  /// An edition was left out whose id cannot be known (none, or one that is not an id, such as
  /// "Young People"): any id may be the one meant, so none is reported as unknown until it is
  /// put right.
  bool dropped_edition_without_id = false;
  int max_age_days = 400;

  const edition* find_edition(std::string_view id) const;
  /// Whether site.json names `id` as an edition: one of `editions`, or one left out because of
  /// an error (any well-formed id, when such an edition's id cannot be known). A file or key for
  /// an id it does not name is a mistake of its own.
  bool names_edition(std::string_view id) const;
  const edition& primary() const { return editions.front(); }
  /// The site's folder on the web server: the path of base_url ("/corporate-parenting/"), "/"
  /// when base_url has none, "" when there is no base_url.
  std::string server_folder() const;
};

inline constexpr const char* site_config_file = "content/site.json";

/// Loads and validates content/site.json under `site_dir`. Errors: missing file, syntax,
/// missing `title` / `editions` / edition `id`, bad edition ids, duplicate ids or paths, paths
/// that would leave the output folder. An edition with such an error is left out (its id kept in
/// `dropped_editions`); when that is the first, main edition, nothing more can be checked and
/// nullopt is returned. Unknown keys are warnings (`site.unknown_key`).
std::optional<site_config> load_site_config(const std::filesystem::path& site_dir,
                                            diagnostics& diags);

}  // namespace tandem
