// `tandem new page|pledge NAME`: a new section or pledge in every edition, ready to write.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>

namespace tandem {

/// Creates the files for a new section (`kind` "page") or pledge (`kind` "pledge") called
/// `name` in every edition; returns the exit code.
int run_new(const std::filesystem::path& site_dir, const std::string& kind,
            const std::string& name, std::ostream& out, std::ostream& err);

}  // namespace tandem
