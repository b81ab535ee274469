// Measures tandem from the inside, for the benchmark suite:
//
//   harness phases SITE [THREADS]     CPU and wall time of each phase of a build (load, checks,
//                                     templates, render, write), one line per phase
//   harness render SITE [THREADS] [N] renders N times (for profiling the render alone)
//   harness rebuild SITE KIND [N]     latency of incremental_builder::rebuild after an edit, N
//                                     times (median and largest); KIND is "section" (a word in
//                                     one section's text) or "stats" (one figure's value). The
//                                     site's files are edited in place and put back at the end.
//
// Times: wall from a steady clock, CPU of the whole process (every thread).
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "checks.hpp"
#include "fs.hpp"
#include "incremental.hpp"
#include "model.hpp"
#include "render.hpp"
#include "site.hpp"
#include "templates.hpp"

namespace fs = std::filesystem;
using namespace tandem;

namespace {

double wall_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double cpu_now() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

struct stopwatch {
  double wall = wall_now();
  double cpu = cpu_now();
  void report(const std::string& phase) {
    double w = wall_now(), c = cpu_now();
    std::printf("phase=%-9s wall_ms=%9.1f cpu_ms=%9.1f\n", phase.c_str(), (w - wall) * 1000,
                (c - cpu) * 1000);
    wall = w;
    cpu = c;
  }
};

int phases(const fs::path& site, unsigned threads) {
  stopwatch total;
  stopwatch watch;
  diagnostics diags;
  auto model = load_site(site, diags);
  if (!model) {
    std::cerr << "harness: the site cannot be loaded\n";
    return 1;
  }
  watch.report("load");
  run_checks(*model, diags);
  watch.report("checks");
  template_set templates = template_set::load(site, diags);
  watch.report("templates");
  render_options options;
  options.threads = threads;
  render_result result = render_site(*model, templates, diags, options);
  watch.report("render");
  fs::path out = fs::temp_directory_path() / ("tandem-harness-" + std::to_string(::getpid()));
  publish(result.out, out);
  watch.report("write");
  total.report("total");
  fs::remove_all(out);
  std::printf("pages=%zu errors=%zu warnings=%zu\n", result.pages.size(), diags.error_count(),
              diags.warning_count());
  return 0;
}

int render_repeatedly(const fs::path& site, unsigned threads, int times) {
  diagnostics diags;
  auto model = load_site(site, diags);
  if (!model) return 1;
  template_set templates = template_set::load(site, diags);
  render_options options;
  options.threads = threads;
  stopwatch watch;
  std::size_t bytes = 0;
  for (int i = 0; i < times; ++i) {
    diagnostics render_diags;
    render_result result = render_site(*model, templates, render_diags, options);
    for (const auto& [path, entry] : result.out.entries()) bytes += entry.bytes.size();
  }
  watch.report("render");
  std::printf("bytes=%zu\n", bytes);
  return 0;
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_all(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// The file one edit changes, and the edit: a new version of its text for round `n`.
struct edit_plan {
  std::string rel;  // relative to the site folder
  std::function<std::string(const std::string& original, int n)> edited;
};

edit_plan section_edit(const fs::path& site) {
  std::vector<std::string> pages;
  for (const auto& rel : list_files(site / "content/pages"))
    if (rel != "index.md" && rel.find('.') == rel.rfind('.')) pages.push_back(rel);
  std::string chosen = pages.empty() ? "index.md" : pages[pages.size() / 2];
  return {"content/pages/" + chosen, [](const std::string& original, int n) {
            // A word in the last paragraph: the title and headings stay as they are.
            std::string text = original;
            std::size_t end = text.find_last_not_of("\n");
            text.insert(end == std::string::npos ? text.size() : end,
                        n % 2 ? " Edited again" : " Edited");
            return text;
          }};
}

edit_plan stats_edit() {
  return {"content/data/stats.json", [](const std::string& original, int n) {
            // The first figure's value, changed by a little each round.
            std::string text = original;
            std::size_t at = text.find("\"value\":");
            if (at == std::string::npos) return text;
            std::size_t begin = text.find_first_of("0123456789", at);
            std::size_t end = text.find_first_not_of("0123456789", begin);
            long value = std::strtol(text.substr(begin, end - begin).c_str(), nullptr, 10);
            return text.replace(begin, end - begin, std::to_string(value + 1 + n % 2));
          }};
}

int rebuild_latency(const fs::path& site, const std::string& kind, int times) {
  edit_plan plan = kind == "stats" ? stats_edit() : section_edit(site);
  fs::path file = site / plan.rel;
  std::string original = read_all(file);
  incremental_builder builder(site);
  stopwatch first;
  const site_run& built = builder.build();
  first.report("build");
  if (!built.rendered) {
    std::cerr << "harness: the site does not build\n";
    return 1;
  }
  std::vector<double> latencies;
  for (int n = 0; n < times; ++n) {
    write_all(file, plan.edited(original, n));
    double start = wall_now();
    const site_run& run = builder.rebuild({plan.rel});
    latencies.push_back((wall_now() - start) * 1000);
    if (!run.rendered || run.diags.has_errors()) {
      std::cerr << "harness: the edited site does not build\n";
      write_all(file, original);
      return 1;
    }
  }
  write_all(file, original);
  std::sort(latencies.begin(), latencies.end());
  std::printf("rebuild=%s file=%s median_ms=%.1f max_ms=%.1f runs=%d\n", kind.c_str(),
              plan.rel.c_str(), latencies[latencies.size() / 2], latencies.back(), times);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: harness phases|render|rebuild SITE ...\n";
    return 2;
  }
  std::string mode = argv[1];
  fs::path site = argv[2];
  auto number = [&](int i, int fallback) { return argc > i ? std::atoi(argv[i]) : fallback; };
  if (mode == "phases") return phases(site, static_cast<unsigned>(number(3, 0)));
  if (mode == "render")
    return render_repeatedly(site, static_cast<unsigned>(number(3, 0)), number(4, 1));
  if (mode == "rebuild" && argc > 3) return rebuild_latency(site, argv[3], number(4, 9));
  std::cerr << "harness: unknown mode\n";
  return 2;
}
