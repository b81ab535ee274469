#include "model.hpp"

#include <vector>

namespace tandem {

std::optional<site_model> load_site(const std::filesystem::path& site_dir, diagnostics& diags) {
  auto config = load_site_config(site_dir, diags);
  if (!config) return std::nullopt;
  auto stats = load_stats(site_dir, diags);
  if (!stats) return std::nullopt;
  site_model model;
  model.dir = site_dir;
  model.config = std::move(*config);
  model.stats = std::move(*stats);
  model.content = load_content(site_dir, model.config, diags);
  return model;
}

std::string page_output_path(const edition& ed, const section& sec) {
  std::string path = ed.path;
  if (!path.empty()) path += '/';
  if (!sec.is_home()) path += sec.slug + '/';
  return path + "index.html";
}

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

}  // namespace

std::string root_prefix(const std::string& from) {
  std::string prefix;
  for (char c : from) {
    if (c == '/') prefix += "../";
  }
  return prefix;
}

std::string relative_url(const std::string& from, const std::string& to) {
  auto from_parts = split_path(from);
  auto to_parts = split_path(to);
  from_parts.pop_back();  // the file name: only its folders matter
  std::size_t common = 0;
  while (common < from_parts.size() && common + 1 < to_parts.size() &&
         from_parts[common] == to_parts[common]) {
    ++common;
  }
  std::string url;
  for (std::size_t i = common; i < from_parts.size(); ++i) url += "../";
  for (std::size_t i = common; i < to_parts.size(); ++i) {
    url += to_parts[i];
    if (i + 1 < to_parts.size()) url += '/';
  }
  return url;
}

}  // namespace tandem
