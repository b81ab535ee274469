#include "model.hpp"

#include <algorithm>
#include <vector>

namespace tandem {

std::optional<site_model> load_site(const std::filesystem::path& site_dir, diagnostics& diags) {
  auto config = load_site_config(site_dir, diags);
  if (!config) return std::nullopt;
  auto stats = load_stats(site_dir, diags);
  site_model model;
  model.dir = site_dir;
  model.config = std::move(*config);
  if (stats) {
    model.stats = std::move(*stats);
  } else {
    // Its error is reported; the pages are still read and checked, for their own problems.
    model.stats.unreadable = true;
  }
  model.content = load_content(site_dir, model.config, diags);
  return model;
}

std::vector<std::string> checks_waiting(const site_model& model) {
  std::vector<std::string> waiting;
  if (model.stats.unreadable)
    waiting.push_back("The figures the pages use are checked once " + std::string(stats_file) +
                      " can be read.");
  if (model.content.glossary_unreadable)
    waiting.push_back("Abbreviations are checked against the glossary once " +
                      std::string(glossary_file) + " can be read.");
  return waiting;
}

std::string page_output_path(const edition& ed, const section& sec) {
  std::string path = ed.path;
  if (!path.empty()) path += '/';
  if (!sec.is_home()) path += sec.slug + '/';
  return path + "index.html";
}

std::string root_prefix(const std::string& from) {
  std::string prefix;
  for (char c : from) {
    if (c == '/') prefix += "../";
  }
  return prefix;
}

std::string relative_url(const std::string& from, const std::string& to) {
  // The folders the two paths share are skipped part by part, without splitting either (every
  // page's links to every other page come here).
  const auto from_folders = static_cast<std::size_t>(std::count(from.begin(), from.end(), '/'));
  const auto to_folders = static_cast<std::size_t>(std::count(to.begin(), to.end(), '/'));
  std::size_t common = 0, in_from = 0, in_to = 0;
  while (common < from_folders && common < to_folders) {
    std::size_t from_end = from.find('/', in_from), to_end = to.find('/', in_to);
    if (from_end - in_from != to_end - in_to ||
        from.compare(in_from, from_end - in_from, to, in_to, to_end - in_to) != 0)
      break;
    in_from = from_end + 1;
    in_to = to_end + 1;
    ++common;
  }
  std::string url;
  url.reserve(3 * (from_folders - common) + (to.size() - in_to));
  for (std::size_t i = common; i < from_folders; ++i) url += "../";
  url.append(to, in_to, std::string::npos);
  return url;
}

}  // namespace tandem
