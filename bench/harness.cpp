// Measures tandem from the inside, for the benchmark suite:
//
//   harness phases SITE [THREADS]     CPU and wall time of each phase of a build (load, checks,
//                                     templates, render, write), one line per phase
//   harness render SITE [THREADS] [N] renders N times (for profiling the render alone)
//   harness rebuild SITE KIND [N]     latency of incremental_builder::rebuild after an edit, N
//                                     times (median and largest): from the saved file to the
//                                     updated page in memory. KIND is "section" (a word in one
//                                     section's text), "title" (that section's title: menus and
//                                     neighbours change too) or "stats" (one figure's value).
//   harness served SITE KIND [N]      the same edits through the preview server of `tandem
//                                     serve`: from the saved file (inotify, the 30 ms quiet time,
//                                     the rebuild) to an HTTP GET that returns the updated page.
//                                     The site's files are edited in place and put back at the
//                                     end.
//
// Times: wall from a steady clock, CPU of the whole process (every thread).
#include <time.h>

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "checks.hpp"
#include "fs.hpp"
#include "incremental.hpp"
#include "model.hpp"
#include "render.hpp"
#include "serve.hpp"
#include "site.hpp"
#include "templates.hpp"

namespace fs = std::filesystem;
using namespace tandem;

namespace {

double wall_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
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

// Letters only, different for every round: a word no page has yet, and no number (which the
// checks could take for a figure typed in).
std::string round_word(int n) {
  std::string word = "Edit";
  do {
    word.push_back(static_cast<char>('a' + n % 26));
    n /= 26;
  } while (n > 0);
  return word;
}

// One edit repeated: the file it changes, its new text for round `n`, and what the page that
// shows the change then holds.
struct edit_plan {
  std::string rel;   // the file edited, relative to the site folder
  std::string page;  // the output file that shows the edit
  std::function<std::string(const std::string& original, int n)> edited;
  std::function<std::string(int n)> shown;  // text the updated page holds
};

// A section in the middle of the site, without an edition suffix (the primary edition's).
std::string middle_section(const fs::path& site) {
  std::vector<std::string> pages;
  for (const auto& rel : list_files(site / "content/pages"))
    if (rel != "index.md" && rel.find('.') == rel.rfind('.')) pages.push_back(rel);
  return pages.empty() ? "index.md" : pages[pages.size() / 2];
}

std::string output_of(const site_run& run, const std::string& source_rel) {
  for (const section& sec : run.model->content.sections)
    for (const auto& [edition_id, page] : sec.pages)
      if (page.file == source_rel && edition_id == run.model->config.primary().id)
        return page_output_path(run.model->config.primary(), sec);
  return "index.html";
}

edit_plan section_edit(const fs::path& site) {
  edit_plan plan;
  plan.rel = "content/pages/" + middle_section(site);
  // A word at the end of the last paragraph: the title and headings stay as they are.
  plan.edited = [](const std::string& original, int n) {
    std::string text = original;
    std::size_t end = text.find_last_not_of("\n");
    text.insert(end == std::string::npos ? text.size() : end, " " + round_word(n));
    return text;
  };
  plan.shown = [](int n) { return " " + round_word(n); };
  return plan;
}

edit_plan title_edit(const fs::path& site) {
  edit_plan plan;
  plan.rel = "content/pages/" + middle_section(site);
  // The section's title: its page, its neighbours' links and every menu that lists it change.
  plan.edited = [](const std::string& original, int n) {
    std::string text = original;
    std::size_t at = text.find("\ntitle:");
    if (at == std::string::npos) return text;
    std::size_t end = text.find('\n', at + 1);
    return text.insert(end, " " + round_word(n));
  };
  plan.shown = [](int n) { return " " + round_word(n); };
  return plan;
}

// The first figure's value, written as a whole number.
std::optional<long> first_value(const std::string& stats) {
  std::size_t at = stats.find("\"value\":");
  if (at == std::string::npos) return std::nullopt;
  std::size_t begin = stats.find_first_of("0123456789", at);
  std::size_t end = stats.find_first_not_of("0123456789", begin);
  return std::strtol(stats.substr(begin, end - begin).c_str(), nullptr, 10);
}

edit_plan stats_edit(long original_value) {
  edit_plan plan;
  plan.rel = stats_file;
  // The first figure's value, one more every round.
  plan.edited = [original_value](const std::string& original, int n) {
    std::string text = original;
    std::size_t at = text.find("\"value\":");
    std::size_t begin = text.find_first_of("0123456789", at);
    std::size_t end = text.find_first_not_of("0123456789", begin);
    return text.replace(begin, end - begin, std::to_string(original_value + 1 + n));
  };
  plan.shown = [original_value](int n) {
    return "value=\"" + std::to_string(original_value + 1 + n) + "\"";
  };
  return plan;
}

// The page that shows the first figure of stats.json.
std::string page_showing_first_figure(const site_run& run) {
  if (run.model->stats.figure_order.empty()) return "index.html";
  const std::string& key = run.model->stats.figure_order.front();
  for (const page_record& p : run.rendered->pages)
    for (const figure_use& u : p.figures)
      if (u.key == key) return p.output_path;
  return "index.html";
}

std::optional<edit_plan> plan_for(const std::string& kind, const fs::path& site) {
  if (kind == "section") return section_edit(site);
  if (kind == "title") return title_edit(site);
  if (kind == "stats") {
    if (auto value = first_value(read_all(site / stats_file))) return stats_edit(*value);
    std::cerr << "harness: stats.json has no figure with a whole value\n";
    return std::nullopt;
  }
  std::cerr << "harness: KIND is section, title or stats\n";
  return std::nullopt;
}

void print_latencies(const char* what, const std::string& kind, const edit_plan& plan,
                     std::vector<double> latencies) {
  std::sort(latencies.begin(), latencies.end());
  std::printf("%s=%s file=%s page=%s median_ms=%.1f max_ms=%.1f runs=%zu\n", what, kind.c_str(),
              plan.rel.c_str(), plan.page.c_str(), latencies[latencies.size() / 2],
              latencies.back(), latencies.size());
}

// From the saved file to the rebuilt page in memory: incremental_builder::rebuild alone.
int rebuild_latency(const fs::path& site, const std::string& kind, int times) {
  auto plan = plan_for(kind, site);
  if (!plan) return 2;
  fs::path file = site / plan->rel;
  std::string original = read_all(file);
  incremental_builder builder(site);
  stopwatch first;
  const site_run& built = builder.build();
  first.report("build");
  if (!built.rendered || !built.model) {
    std::cerr << "harness: the site does not build\n";
    return 1;
  }
  plan->page = kind == "stats" ? page_showing_first_figure(built) : output_of(built, plan->rel);
  std::vector<double> latencies;
  for (int n = 0; n < times; ++n) {
    write_all(file, plan->edited(original, n));
    double start = wall_now();
    const site_run& run = builder.rebuild({plan->rel});
    latencies.push_back((wall_now() - start) * 1000);
    const std::string* page = run.rendered ? run.rendered->out.bytes(plan->page) : nullptr;
    if (run.diags.has_errors() || !page || page->find(plan->shown(n)) == std::string::npos) {
      std::cerr << "harness: the edited site does not build, or " << plan->page
                << " does not show the edit\n";
      write_all(file, original);
      return 1;
    }
  }
  write_all(file, original);
  print_latencies("rebuild", kind, *plan, latencies);
  return 0;
}

// The reload events a page's EventSource would get, counted.
class reload_events {
 public:
  void arrived() {
    {
      std::lock_guard lock(mutex_);
      ++count_;
    }
    changed_.notify_all();
  }
  std::uint64_t count() {
    std::lock_guard lock(mutex_);
    return count_;
  }
  void wait_for_first() {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(20), [&] { return count_ > 0; });
  }
  // True once more than `seen` events have arrived, false after `longest` without.
  bool wait_past(std::uint64_t seen, std::chrono::seconds longest) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, longest, [&] { return count_ > seen; });
  }
  void close() { closing_ = true; }
  bool closing() const { return closing_; }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t count_ = 0;
  std::atomic<bool> closing_{false};
};

// From the saved file to the updated page answered over HTTP by `tandem serve`'s server: inotify,
// the quiet time that gathers a burst of saves, the rebuild, and the request.
int served_latency(const fs::path& site, const std::string& kind, int times) {
  auto plan = plan_for(kind, site);
  if (!plan) return 2;
  fs::path file = site / plan->rel;
  std::string original = read_all(file);
  std::ofstream quiet("/dev/null");
  preview_server server(site, quiet);
  std::string why;
  if (!server.start("127.0.0.1", 0, &why)) {
    std::cerr << "harness: the preview server did not start: " << why << "\n";
    return 1;
  }
  {
    site_run built = load_and_render(site);
    if (!built.rendered || !built.model) {
      std::cerr << "harness: the site does not build\n";
      return 1;
    }
    plan->page = kind == "stats" ? page_showing_first_figure(built) : output_of(built, plan->rel);
  }
  std::thread watching([&] { server.watch(); });
  // As an open page does: listen for the reload events, and fetch the page again on each one.
  reload_events events;
  httplib::Client listener("127.0.0.1", server.port());
  std::thread listening([&] {
    listener.Get("/_tandem/events", [&](const char* data, std::size_t size) {
      if (std::string_view(data, size).find("data:") != std::string_view::npos) events.arrived();
      return !events.closing();
    });
  });
  httplib::Client client("127.0.0.1", server.port());
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  std::vector<double> latencies;
  bool failed = false;
  events.wait_for_first();  // the event every page gets when it connects
  for (int n = 0; n < times && !failed; ++n) {
    std::uint64_t seen = events.count();
    write_all(file, plan->edited(original, n));
    double start = wall_now();
    while (true) {
      if (!events.wait_past(seen, std::chrono::seconds(20))) {
        std::cerr << "harness: " << plan->page << " did not show the edit within 20 s\n";
        failed = true;
        break;
      }
      seen = events.count();
      auto res = client.Get("/" + plan->page);
      if (res && res->status == 200 && res->body.find(plan->shown(n)) != std::string::npos) break;
    }
    latencies.push_back((wall_now() - start) * 1000);
  }
  write_all(file, original);
  events.close();
  listener.stop();
  server.stop();
  listening.join();
  watching.join();
  if (failed) return 1;
  print_latencies("served", kind, *plan, latencies);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: harness phases|render|rebuild|served SITE ...\n";
    return 2;
  }
  std::string mode = argv[1];
  fs::path site = argv[2];
  auto number = [&](int i, int fallback) { return argc > i ? std::atoi(argv[i]) : fallback; };
  if (mode == "phases") return phases(site, static_cast<unsigned>(number(3, 0)));
  if (mode == "render")
    return render_repeatedly(site, static_cast<unsigned>(number(3, 0)), number(4, 1));
  if (mode == "rebuild" && argc > 3) return rebuild_latency(site, argv[3], number(4, 9));
  if (mode == "served" && argc > 3) return served_latency(site, argv[3], number(4, 9));
  std::cerr << "harness: unknown mode\n";
  return 2;
}
