// The commands: build, check, figures (SPEC 9). Each loads, checks, renders and reports.
#pragma once

#include <filesystem>
#include <iosfwd>

namespace tandem {

struct build_options {
  std::filesystem::path site_dir = ".";
  std::filesystem::path out_dir;  // default: <site>/public
  bool strict = false;
};

/// `tandem build`: returns the exit code; prints diagnostics to `err` and the summary to `out`.
int run_build(const build_options& opts, std::ostream& out, std::ostream& err);
/// `tandem check`: every check, writes nothing.
int run_check(const build_options& opts, std::ostream& out, std::ostream& err);
/// `tandem figures`: each figure, its value and every place it is used.
int run_figures(const build_options& opts, std::ostream& out, std::ostream& err);

}  // namespace tandem
