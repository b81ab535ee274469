// The loaded site: read-only once loaded, so editions and pages can be rendered in parallel.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config.hpp"
#include "content.hpp"
#include "diag.hpp"
#include "stats.hpp"

namespace tandem {

struct site_model {
  std::filesystem::path dir;  // the site folder
  site_config config;
  stats_data stats;
  loaded_content content;
};

/// Loads everything under `site_dir`, reporting every problem found into `diags`. Returns
/// nullopt only when the site cannot be loaded at all (no usable site.json). Statistics that
/// cannot be read leave `stats.unreadable` set, and the rest is loaded and checked as usual.
std::optional<site_model> load_site(const std::filesystem::path& site_dir, diagnostics& diags);

/// What waits for a file that could not be read (stats.json, glossary.json), one sentence each,
/// said under the problems by the build and the preview alike.
std::vector<std::string> checks_waiting(const site_model& model);

/// Where a section of an edition is written, relative to the output folder, with '/' separators:
/// "index.html", "our-promise/index.html", "young/index.html", "young/our-promise/index.html".
std::string page_output_path(const edition& ed, const section& sec);

/// The relative URL from the page written at `from` to the file at `to` (both output paths):
/// from "young/a/index.html" to "b/index.html" is "../../b/index.html". Links keep the
/// "index.html" so the site also works when opened from disk.
std::string relative_url(const std::string& from, const std::string& to);

/// The prefix that leads from the page written at `from` back to the output root: "../../".
std::string root_prefix(const std::string& from);

}  // namespace tandem
