#include "site.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "checks.hpp"
#include "fs.hpp"
#include "model.hpp"
#include "render.hpp"
#include "templates.hpp"

namespace tandem {

namespace fs = std::filesystem;

namespace {

std::string plural(std::size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// Frees a command's run when the command returns, or leaves it for the process's exit when
// build_options::free_memory says so. Until then the checks' memory is freed on a thread of
// its own if it is to be freed at all.
class run_memory {
 public:
  run_memory(site_run& run, const build_options& opts) : run_(run), free_(opts.free_memory) {}
  run_memory(const run_memory&) = delete;
  run_memory& operator=(const run_memory&) = delete;
  ~run_memory() {
    if (free_) return;
    try {
      leave_for_exit(std::move(run_));
    } catch (const std::bad_alloc&) {  // freed after all
    }
  }
  void loaded() {
    if (free_) run_.free_spent();
  }

 private:
  site_run& run_;
  bool free_;
};

// Prints the problems and says whether they stop the command (errors, or warnings if strict).
bool report_problems(const site_run& run, const build_options& opts, std::ostream& err) {
  print_diagnostics(err, run.diags, opts.site_dir);
  std::size_t errors = run.diags.error_count(), warnings = run.diags.warning_count();
  if (errors == 0 && warnings == 0) return false;
  err << plural(errors, "error") << ", " << plural(warnings, "warning");
  if (errors == 0 && opts.strict) err << " (--strict: warnings count as errors)";
  err << ".\n";
  return errors > 0 || (opts.strict && warnings > 0);
}

struct previous_figure {
  std::string text;
  double value = 0;
};

// Figures as the last published build showed them, read back from its figures.json.
std::map<std::string, previous_figure> previous_figures(const fs::path& out_dir) {
  std::map<std::string, previous_figure> figures;
  auto text = read_file(out_dir / "figures.json");
  if (!text) return figures;
  // Only "values" is read. "uses" (tens of megabytes in a large site) is not parsed: the object
  // is cut out of the file as tandem writes it, else the file is parsed without "uses".
  nlohmann::json values;
  const std::string opening = "\n  \"values\": {", closing = "\n  }";
  std::size_t at = text->find(opening);
  std::size_t end = at == std::string::npos ? at : text->find(closing, at + opening.size());
  if (end != std::string::npos) {
    std::size_t brace = at + opening.size() - 1;
    values = nlohmann::json::parse(
        text->begin() + static_cast<std::ptrdiff_t>(brace),
        text->begin() + static_cast<std::ptrdiff_t>(end + closing.size()), nullptr, false);
  }
  if (!values.is_object()) {
    auto manifest = nlohmann::json::parse(
        *text,
        [](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
          return !(depth == 1 && event == nlohmann::json::parse_event_t::key && parsed == "uses");
        },
        false);
    if (manifest.is_discarded() || !manifest.contains("values") || !manifest["values"].is_object())
      return figures;
    values = std::move(manifest["values"]);
  }
  text.reset();
  for (const auto& [key, v] : values.items()) {
    if (!v.is_object() || !v.contains("value") || !v["value"].is_number()) continue;
    figures[key] = {v.value("text", ""), v["value"].get<double>()};
  }
  return figures;
}

void report_changed_figures(const std::map<std::string, previous_figure>& before,
                            const site_model& model, const std::vector<page_record>& pages,
                            std::ostream& out) {
  if (before.empty()) return;
  std::map<std::string, std::set<std::string>> pages_showing;
  for (const page_record& p : pages)
    for (const figure_use& u : p.figures) pages_showing[u.key].insert(p.output_path);
  std::vector<std::string> lines;
  for (const auto& [key, f] : model.stats.figures) {
    auto old = before.find(key);
    std::string now = format_figure(f, figure_format::plain).value_or(f.value_text);
    if (old == before.end()) {
      lines.push_back("  " + key + ": new, " + now + " (shown on " +
                      plural(pages_showing[key].size(), "page") + ")");
    } else if (old->second.value != f.value) {
      lines.push_back("  " + key + ": " + old->second.text + " -> " + now + " (shown on " +
                      plural(pages_showing[key].size(), "page") + ")");
    }
  }
  for (const auto& [key, old] : before) {
    if (!model.stats.figures.count(key))
      lines.push_back("  " + key + ": removed (was " + old.text + ")");
  }
  if (lines.empty()) return;
  out << "Figures changed since the last build:\n";
  for (const auto& line : lines) out << line << '\n';
}

bool is_same_or_inside(const fs::path& folder, const fs::path& path) {
  auto f = folder.begin(), p = path.begin();
  for (; f != folder.end(); ++f, ++p) {
    if (f->empty()) continue;  // the empty last part of "a/b/"
    if (p == path.end() || *f != *p) return false;
  }
  return true;
}

// Publishing swaps the output folder away and deletes the old one, so an output folder that is
// the site, holds it, or lies among its sources would delete the writer's own work.
std::optional<std::string> output_folder_problem(const fs::path& site_dir,
                                                 const fs::path& out_dir) {
  std::error_code ec;
  fs::path site = fs::weakly_canonical(fs::absolute(site_dir), ec);
  if (ec) return std::nullopt;
  fs::path out = fs::weakly_canonical(fs::absolute(out_dir), ec);
  if (ec) return std::nullopt;
  const std::string fix =
      "; publishing replaces that whole folder, so this would delete your own files. Choose a "
      "folder of its own, e.g. --out public (the default)";
  if (is_same_or_inside(out, site)) {
    return out == site
               ? "the output folder " + out_dir.string() + " is the site folder itself" + fix
               : "the output folder " + out_dir.string() + " holds the site folder" + fix;
  }
  for (const char* source : {"content", "templates", "themes"}) {
    if (is_same_or_inside(site / source, out))
      return "the output folder " + out_dir.string() + " is inside the site's " + source +
             "/ folder" + fix;
  }
  // Every site tandem publishes has figures.json at its top: a folder with files but without it
  // was not made by tandem (someone's documents, a site made by hand), and would be deleted.
  if (fs::is_directory(out, ec) && !fs::is_empty(out, ec) && !ec &&
      !fs::exists(out / "figures.json", ec)) {
    return "the output folder " + out_dir.string() +
           " already holds files that tandem did not make (it has no figures.json); publishing "
           "replaces that whole folder, so they would be deleted. Move them away or choose an "
           "empty or new folder for --out";
  }
  return std::nullopt;
}

site_run load_render_and_check(const fs::path& site_dir, render_options options) {
  site_run run;
  run.model = load_site(site_dir, run.diags);
  if (!run.model) return run;
  // The site is rendered first, keeping each page's prose from the tree it parses: the checks
  // then need not parse every page again (cmark-gfm parses one page at a time). Their problems
  // are listed in the same order as ever: checks, templates, rendering.
  diagnostics templates_diags, render_diags, checks_diags;
  template_set templates = template_set::load(site_dir, templates_diags);
  options.keep_prose = true;
  check_cache checks;
  checks.use_once();
  {
    site_renderer renderer(options);
    run.rendered = renderer.render(*run.model, templates, render_diags);
    checks.offer_prose(renderer.take_prose());
  }
  run_checks(*run.model, build_date(), checks, checks_diags);
  run.diags.merge(checks_diags);
  run.diags.merge(templates_diags);
  run.diags.merge(render_diags);
  run.spent = std::make_unique<check_cache>(std::move(checks));
  return run;
}

}  // namespace

void site_run::free_spent() {
  if (!spent) return;
  try {
    freeing = std::jthread([kept = std::move(spent)]() mutable { kept.reset(); });
  } catch (const std::system_error&) {
    spent.reset();
  }
}

void leave_for_exit(site_run run) {
  // Reachable from here until the process ends (this list is never freed either).
  static auto* kept = new std::vector<std::unique_ptr<site_run>>;
  kept->push_back(std::make_unique<site_run>(std::move(run)));
}

site_run load_and_render(const fs::path& site_dir, const fs::path& write_to) {
  render_options options;
  options.write_to = write_to;
  return load_render_and_check(site_dir, options);
}

site_run load_and_check(const fs::path& site_dir) {
  render_options options;
  options.discard_pages = true;
  return load_render_and_check(site_dir, options);
}

int run_build(const build_options& opts, std::ostream& out, std::ostream& err) {
  auto started = std::chrono::steady_clock::now();
  fs::path out_dir = opts.out_dir.empty() ? opts.site_dir / "public" : opts.out_dir;
  if (auto problem = output_folder_problem(opts.site_dir, out_dir)) {
    err << "tandem: error: " << *problem << ".\nNothing was built or changed.\n";
    return exit_usage;
  }
  auto system_error = [&](const system_failure& failure) {
    err << "tandem: error: " << failure.what() << "\n";
    err << "Nothing was published; " << out_dir.string() << " is unchanged.\n";
    return exit_system;
  };
  // Pages are written beside the output folder as they are rendered, so a large site is never
  // held in memory whole; the folder is swapped into place only if the build has no errors, and
  // removed otherwise. If it cannot be made, the site is rendered in memory and publishing
  // reports why (after the content's own problems, as always).
  std::optional<publication> staged;
  try {
    staged.emplace(out_dir);
  } catch (const system_failure&) {
    staged.reset();
  }
  // What the published site showed, read before the build takes its memory (a large site's
  // figures.json is tens of megabytes).
  auto before = previous_figures(out_dir);
  site_run run;
  run_memory memory(run, opts);
  try {
    run = load_and_render(opts.site_dir, staged ? staged->folder() : fs::path());
  } catch (const system_failure& failure) {
    return system_error(failure);
  }
  memory.loaded();
  if (report_problems(run, opts, err) || !run.rendered) {
    err << "Nothing was published; " << out_dir.string() << " is unchanged.\n";
    return exit_content;
  }
  try {
    if (staged)
      staged->commit(run.rendered->out);
    else
      publish(run.rendered->out, out_dir);
  } catch (const system_failure& failure) {
    return system_error(failure);
  }
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - started)
                     .count();
  const site_model& model = *run.model;
  out << "Built " << plural(model.config.editions.size(), "edition") << ", "
      << plural(run.rendered->pages.size(), "page") << ", "
      << plural(model.stats.figures.size(), "figure") << " (data as of "
      << format_long_date(model.stats.as_of_year, model.stats.as_of_month, model.stats.as_of_day)
      << ") in " << elapsed << " ms into " << out_dir.string() << "\n";
  report_changed_figures(before, model, run.rendered->pages, out);
  return exit_ok;
}

int run_check(const build_options& opts, std::ostream& out, std::ostream& err) {
  site_run run = load_and_check(opts.site_dir);
  run_memory memory(run, opts);
  memory.loaded();
  if (opts.report && run.model) print_check_report(out, *run.model, run.diags);
  if (report_problems(run, opts, err) || !run.rendered) return exit_content;
  std::size_t warnings = run.diags.warning_count();
  out << (warnings == 0 ? std::string("No problems found")
                        : "No errors, " + plural(warnings, "warning") + " (listed above)")
      << ": " << plural(run.model->config.editions.size(), "edition") << ", "
      << plural(run.rendered->pages.size(), "page") << " checked.\n";
  return exit_ok;
}

int run_figures(const build_options& opts, std::ostream& out, std::ostream& err) {
  site_run run = load_and_check(opts.site_dir);
  run_memory memory(run, opts);
  memory.loaded();
  if (!run.model || !run.rendered) {
    report_problems(run, opts, err);
    return exit_content;
  }
  const site_model& model = *run.model;
  std::map<std::string, std::vector<std::pair<const page_record*, const figure_use*>>> uses;
  for (const page_record& p : run.rendered->pages)
    for (const figure_use& u : p.figures) uses[u.key].push_back({&p, &u});
  out << "Figures as of "
      << format_long_date(model.stats.as_of_year, model.stats.as_of_month, model.stats.as_of_day)
      << " (" << stats_file << ")\n";
  auto print_uses = [&](const std::string& key) {
    auto found = uses.find(key);
    if (found == uses.end()) {
      out << "    not used on any page\n";
      return;
    }
    for (const auto& [page, use] : found->second) {
      out << "    " << use->file << ':' << use->line << ':' << use->col << "  " << page->edition
          << "  " << use->format << "  \"" << use->text << "\"\n";
    }
  };
  for (const std::string& key : model.stats.figure_order) {
    const figure& f = model.stats.figures.at(key);
    out << key << " = " << format_figure(f, figure_format::plain).value_or(f.value_text) << "  ("
        << f.label << ")\n";
    print_uses(key);
  }
  for (const std::string& key : model.stats.breakdown_order) {
    const breakdown& b = model.stats.breakdowns.at(key);
    out << key << " = breakdown of " << b.parts.size() << " parts  (" << b.label << ")\n";
    print_uses(key);
  }
  if (!run.diags.empty()) {
    err << "\n";
    report_problems(run, opts, err);
  }
  return run.diags.has_errors() ? exit_content : exit_ok;
}

}  // namespace tandem
