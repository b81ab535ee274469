// Rebuilding after a change: keeps the loaded site and re-renders what the change touches.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "site.hpp"

namespace tandem {

/// Which output files a build changed, against the build before it, by output path. The first
/// build adds every file; a build that fails to load the site removes every file.
struct output_changes {
  std::vector<std::string> added;
  std::vector<std::string> changed;  // other bytes, or copied from another file
  std::vector<std::string> removed;
  bool empty() const { return added.empty() && changed.empty() && removed.empty(); }
};

/// Holds the last build of a site in memory for `tandem serve`. `rebuild` takes the files that
/// changed (relative to the site folder, e.g. "content/pages/03-x.md") and returns the new
/// result, which is always identical to a full `load_and_render` of the site as it now is.
class incremental_builder {
 public:
  explicit incremental_builder(std::filesystem::path site_dir);
  ~incremental_builder();

  /// The first, full build.
  const site_run& build();
  /// After files changed: re-renders only what depends on them where it can.
  const site_run& rebuild(const std::vector<std::string>& changed_files);
  const site_run& current() const;
  /// What the last build or rebuild changed in the output. Every file whose bytes differ is
  /// listed; after a rebuild that had to render everything again, a file may be listed as
  /// changed with the same bytes.
  const output_changes& changes() const;
  /// How many pages the last build or rebuild rendered, and how many it patched in place
  /// instead (a statistics update that changes figures shown only in running text).
  std::size_t pages_rendered() const;
  std::size_t pages_patched() const;

 private:
  struct state;
  std::unique_ptr<state> self_;
};

}  // namespace tandem
