// The commands: build, check, figures (SPEC 9). Each loads, checks, renders and reports.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <thread>

#include "checks.hpp"
#include "diag.hpp"
#include "model.hpp"
#include "render.hpp"

namespace tandem {

struct build_options {
  std::filesystem::path site_dir = ".";
  std::filesystem::path out_dir;  // default: <site>/public
  bool strict = false;
  bool report = false;  // check --report: a table of every page's readability and warnings
  /// Whether the command frees its run's memory before it returns. The command line sets it
  /// false: its process ends straight after, and the system takes the memory back at once,
  /// where freeing a large site piece by piece took about a twentieth of a build (see
  /// leave_for_exit).
  bool free_memory = true;
};

/// Everything one pass over a site gives: its problems, the loaded model, the rendered output.
/// `model` is empty when the site could not be loaded at all; `rendered` is complete only when
/// `diags` has no errors.
struct site_run {
  // Memory nothing reads once the checks are done: every page's prose and sentences (about
  // 100 MB at 10,000 sections). Freed with the run, or earlier by free_spent.
  std::unique_ptr<check_cache> spent;
  // The thread free_spent frees `spent` on; joined when the run is destroyed, after everything
  // else in it but `spent`.
  std::jthread freeing;
  diagnostics diags;
  std::optional<site_model> model;
  std::optional<render_result> rendered;

  /// Frees `spent` on a thread of its own while the caller goes on (on this thread if no
  /// thread can be started).
  void free_spent();
};

/// Keeps `run` until the process ends, without freeing it: for a command whose process ends
/// as soon as it returns, the system takes back the memory of a large site (hundreds of
/// megabytes in millions of pieces) at once, as compilers leave theirs. The memory stays
/// reachable, so a leak checker does not report it.
void leave_for_exit(site_run run);

/// Loads the site, runs every check (SPEC 8) and renders every edition in memory, or, when
/// `write_to` is given, into that folder as it goes (render_options::write_to; throws
/// system_failure when it cannot write there).
site_run load_and_render(const std::filesystem::path& site_dir,
                         const std::filesystem::path& write_to = {});

/// The same checks and render, for commands that publish nothing (`check`, `figures`): each
/// page's HTML is dropped as soon as it is rendered (render_options::discard_pages), so
/// `rendered->out` lists the pages without their bytes.
site_run load_and_check(const std::filesystem::path& site_dir);

/// `tandem build`: returns the exit code; prints diagnostics to `err` and the summary to `out`.
int run_build(const build_options& opts, std::ostream& out, std::ostream& err);
/// `tandem check`: every check, writes nothing.
int run_check(const build_options& opts, std::ostream& out, std::ostream& err);
/// `tandem figures`: each figure, its value and every place it is used.
int run_figures(const build_options& opts, std::ostream& out, std::ostream& err);

}  // namespace tandem
