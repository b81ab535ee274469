#include "site.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
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
  if (run.model)
    for (const std::string& waiting : checks_waiting(*run.model)) err << waiting << "\n";
  return errors > 0 || (opts.strict && warnings > 0);
}

struct previous_figure {
  std::string text;
  double value = 0;
  std::optional<std::string> label, unit;  // nullopt when the file does not say
};

struct previous_part {
  std::string label, text;
  double value = 0;
};

struct previous_breakdown {
  std::string label, unit;
  std::vector<previous_part> parts;
};

// What the last published build showed, read back from its figures.json. What a file does not
// hold (figures.json written before it held the breakdowns) is unknown, and nothing is said of
// it: not "new".
struct previous_build {
  bool found = false;  // a figures.json with "values": a build to compare with
  std::optional<std::string> as_of, source;
  std::map<std::string, previous_figure> figures;
  std::optional<std::map<std::string, previous_breakdown>> breakdowns;
};

// The members of figures.json that a build compares (all but "uses"), cut out of the file as
// tandem writes it (each member two spaces in, from its line to the next member's) and parsed
// alone: "uses", tens of megabytes in a large site, is not parsed. Nothing if the file is not
// laid out so.
std::optional<nlohmann::json> members_as_written(const std::string& text) {
  nlohmann::json members = nlohmann::json::object();
  for (const char* name : {"as_of", "breakdowns", "source", "values"}) {
    const std::string opening = std::string("\n  \"") + name + "\": ";
    std::size_t at = text.find(opening);
    if (at == std::string::npos) continue;
    std::size_t from = at + opening.size();
    std::size_t end = text.find("\n  \"", from);
    if (end == std::string::npos) end = text.find("\n}", from);
    if (end == std::string::npos) return std::nullopt;
    while (end > from && (text[end - 1] == ',' || text[end - 1] == ' ' || text[end - 1] == '\n'))
      --end;
    auto value =
        nlohmann::json::parse(text.begin() + static_cast<std::ptrdiff_t>(from),
                              text.begin() + static_cast<std::ptrdiff_t>(end), nullptr, false);
    if (value.is_discarded()) return std::nullopt;
    members[name] = std::move(value);
  }
  if (!members.contains("values")) return std::nullopt;
  return members;
}

// A member of a JSON object that is a string; nothing if it is missing or is not a string (a
// file edited by hand).
std::optional<std::string> string_member(const nlohmann::json& object, const char* key) {
  auto found = object.find(key);
  if (found == object.end() || !found->is_string()) return std::nullopt;
  return found->get<std::string>();
}

// figures.json's "breakdowns"; nothing (unknown) if any of it is not as tandem writes it.
std::optional<std::map<std::string, previous_breakdown>> read_breakdowns(
    const nlohmann::json& breakdowns) {
  if (!breakdowns.is_object()) return std::nullopt;
  std::map<std::string, previous_breakdown> read;
  for (const auto& [key, b] : breakdowns.items()) {
    if (!b.is_object() || !b.contains("parts") || !b["parts"].is_array()) return std::nullopt;
    auto label = string_member(b, "label"), unit = string_member(b, "unit");
    if (!label || !unit) return std::nullopt;
    previous_breakdown& into = read[key];
    into.label = *label;
    into.unit = *unit;
    for (const auto& part : b["parts"]) {
      if (!part.is_object() || !part.contains("value") || !part["value"].is_number())
        return std::nullopt;
      auto part_label = string_member(part, "label"), text = string_member(part, "text");
      if (!part_label || !text) return std::nullopt;
      into.parts.push_back({*part_label, *text, part["value"].get<double>()});
    }
  }
  return read;
}

// What the last build into `out_dir` showed (see previous_build).
previous_build previous_figures(const fs::path& out_dir) {
  previous_build build;
  auto text = read_file(out_dir / "figures.json");
  if (!text) return build;
  auto members = members_as_written(*text);
  if (!members) {
    // Saved some other way (another tool, one line): parsed whole, but for "uses".
    auto manifest = nlohmann::json::parse(
        *text,
        [](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
          return !(depth == 1 && event == nlohmann::json::parse_event_t::key && parsed == "uses");
        },
        false);
    if (manifest.is_discarded() || !manifest.contains("values") || !manifest["values"].is_object())
      return build;
    members = std::move(manifest);
  }
  text.reset();
  const nlohmann::json& values = (*members)["values"];
  if (!values.is_object()) return build;
  build.found = true;
  for (const auto& [key, v] : values.items()) {
    if (!v.is_object() || !v.contains("value") || !v["value"].is_number()) continue;
    previous_figure& f = build.figures[key];
    f.value = v["value"].get<double>();
    f.text = string_member(v, "text").value_or(format_number(f.value));
    f.label = string_member(v, "label");
    f.unit = string_member(v, "unit");
  }
  if (members->contains("breakdowns")) build.breakdowns = read_breakdowns((*members)["breakdowns"]);
  build.as_of = string_member(*members, "as_of");
  build.source = string_member(*members, "source");
  return build;
}

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : "; ") + part;
  return out;
}

// What changed in a figure that the pages show: its value as shown, its unit, its label.
std::vector<std::string> figure_changes(const previous_figure& old, const figure& f) {
  std::vector<std::string> changes;
  std::string now = format_figure(f, figure_format::plain).value_or(f.value_text);
  if (old.value != f.value || old.text != now) changes.push_back(old.text + " -> " + now);
  if (old.unit && *old.unit != unit_name(f.unit))
    changes.push_back("unit " + *old.unit + " -> " + unit_name(f.unit));
  if (old.label && *old.label != f.label)
    changes.push_back("label " + quoted(*old.label) + " -> " + quoted(f.label));
  return changes;
}

// What changed in a breakdown's chart: its label, its unit, and its parts, matched by label
// (or, failing that, by place: a part renamed), each added, removed or changed part named.
std::vector<std::string> breakdown_changes(const previous_breakdown& old, const breakdown& b) {
  std::vector<std::string> changes;
  if (old.label != b.label)
    changes.push_back("label " + quoted(old.label) + " -> " + quoted(b.label));
  if (old.unit != unit_name(b.unit))
    changes.push_back("unit " + old.unit + " -> " + unit_name(b.unit));
  const std::size_t none = old.parts.size();
  std::vector<std::size_t> match(b.parts.size(), none);
  std::vector<bool> matched(old.parts.size(), false);
  for (std::size_t j = 0; j < b.parts.size(); ++j)
    for (std::size_t i = 0; i < old.parts.size(); ++i)
      if (!matched[i] && old.parts[i].label == b.parts[j].label) {
        match[j] = i;
        matched[i] = true;
        break;
      }
  for (std::size_t j = 0; j < b.parts.size() && j < old.parts.size(); ++j)
    if (match[j] == none && !matched[j]) {
      match[j] = j;
      matched[j] = true;
    }
  std::vector<std::string> parts;
  bool reordered = false;
  std::size_t last = 0;
  bool any = false;
  for (std::size_t j = 0; j < b.parts.size(); ++j) {
    const breakdown_part& part = b.parts[j];
    std::string now = format_in_unit(part.value, b.unit);
    if (match[j] == none) {
      parts.push_back(quoted(part.label) + " " + now + " added");
      continue;
    }
    const previous_part& was = old.parts[match[j]];
    if (any && match[j] < last) reordered = true;
    last = match[j];
    any = true;
    if (was.label != part.label)
      parts.push_back(quoted(was.label) + " " + was.text + " -> " + quoted(part.label) + " " + now);
    else if (was.value != part.value || was.text != now)
      parts.push_back(quoted(part.label) + " " + was.text + " -> " + now);
  }
  for (std::size_t i = 0; i < old.parts.size(); ++i)
    if (!matched[i])
      parts.push_back(quoted(old.parts[i].label) + " " + old.parts[i].text + " removed");
  // A long list is cut short: the line is a summary (`tandem figures` lists every part).
  constexpr std::size_t most = 4;
  if (parts.size() > most) {
    std::size_t more = parts.size() - (most - 1);
    parts.resize(most - 1);
    parts.push_back(plural(more, "more part") + " changed");
  }
  changes.insert(changes.end(), parts.begin(), parts.end());
  if (reordered) changes.push_back("parts in a new order");
  return changes;
}

// One line for each figure and breakdown whose shown form changed since `before`, and for the
// date and the source of the data. Pages are counted as they are written: each section page, and
// apart from them each edition's print page (which shows every figure of its edition's pages).
void report_changed_figures(const previous_build& before, const site_model& model,
                            const render_result& rendered, std::ostream& out) {
  if (!before.found) return;
  std::map<std::string, std::set<std::string>> pages_showing, editions_showing;
  for (const page_record& p : rendered.pages)
    for (const figure_use& u : p.figures) {
      pages_showing[u.key].insert(p.output_path);
      // A print page holds its edition's page bodies, not their layouts.
      if (!u.in_layout) editions_showing[u.key].insert(p.edition);
    }
  auto shown_on = [&](const std::string& key) {
    std::size_t pages = pages_showing[key].size(), print_pages = 0;
    for (const auto& [edition, path] : rendered.print_pages)
      if (editions_showing[key].count(edition)) ++print_pages;
    if (pages == 0 && print_pages == 0) return std::string(" (not shown on any page)");
    return " (shown on " + plural(pages, "page") +
           (print_pages == 0 ? "" : " and " + plural(print_pages, "print page")) + ")";
  };
  std::vector<std::string> lines;
  bool values_changed = false;  // a number shown, not only a label or a unit
  if (before.as_of && *before.as_of != model.stats.as_of)
    lines.push_back("  as_of: " + format_long_date(*before.as_of) + " -> " +
                    format_long_date(model.stats.as_of));
  if (before.source && *before.source != model.stats.source) {
    auto shown = [](const std::string& source) { return source.empty() ? "none" : quoted(source); };
    lines.push_back("  source: " + shown(*before.source) + " -> " + shown(model.stats.source));
  }
  for (const auto& [key, f] : model.stats.figures) {
    auto old = before.figures.find(key);
    if (old == before.figures.end()) {
      std::string now = format_figure(f, figure_format::plain).value_or(f.value_text);
      lines.push_back("  " + key + ": new, " + now + shown_on(key));
    } else if (auto changes = figure_changes(old->second, f); !changes.empty()) {
      lines.push_back("  " + key + ": " + joined(changes) + shown_on(key));
      values_changed = values_changed || old->second.value != f.value;
    }
  }
  if (before.breakdowns) {
    for (const auto& [key, b] : model.stats.breakdowns) {
      auto old = before.breakdowns->find(key);
      if (old == before.breakdowns->end()) {
        lines.push_back("  " + key + ": new, breakdown of " + plural(b.parts.size(), "part") +
                        shown_on(key));
      } else if (auto changes = breakdown_changes(old->second, b); !changes.empty()) {
        lines.push_back("  " + key + ": " + joined(changes) + shown_on(key));
        std::vector<double> was, now;
        for (const previous_part& part : old->second.parts) was.push_back(part.value);
        for (const breakdown_part& part : b.parts) now.push_back(part.value);
        std::sort(was.begin(), was.end());  // parts in a new order are no new numbers
        std::sort(now.begin(), now.end());
        values_changed = values_changed || was != now;
      }
    }
  }
  for (const auto& [key, old] : before.figures) {
    if (!model.stats.figures.count(key))
      lines.push_back("  " + key + ": removed (was " + old.text + ")");
  }
  if (before.breakdowns) {
    for (const auto& [key, old] : *before.breakdowns)
      if (!model.stats.breakdowns.count(key))
        lines.push_back("  " + key + ": removed (was a breakdown of " +
                        plural(old.parts.size(), "part") + ")");
  }
  if (lines.empty()) return;
  out << "Figures changed since the last build:\n";
  for (const auto& line : lines) out << line << '\n';
  // New numbers under the old date: every page would say they are as of that date.
  if (values_changed && before.as_of && *before.as_of == model.stats.as_of)
    out << "The date of the figures is still " << format_long_date(model.stats.as_of)
        << ": if these are new figures, change as_of in " << stats_file
        << " to the date they are from.\n";
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
  // Files a computer leaves in folders by itself (Finder's .DS_Store, Explorer's Thumbs.db),
  // hidden from view, do not count: the folder looks empty, and is, to its owner.
  if (fs::is_directory(out, ec) && !ec && !fs::exists(out / "figures.json", ec)) {
    std::vector<std::string> names;
    for (fs::directory_iterator it(out, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (name == ".DS_Store" || name == "Thumbs.db" || name == "desktop.ini") continue;
      names.push_back(std::move(name));
    }
    if (names.empty()) return std::nullopt;
    std::sort(names.begin(), names.end());
    constexpr std::size_t shown = 3;
    std::string listed;
    for (std::size_t i = 0; i < names.size() && i < shown; ++i)
      listed += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
    if (names.size() > shown) listed += " and " + std::to_string(names.size() - shown) + " more";
    return "the output folder " + out_dir.string() +
           " already holds files that tandem did not make (" + listed +
           ", and no figures.json); publishing replaces that whole folder, so they would be "
           "deleted. Move them away or choose an empty or new folder for --out";
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
  // Print pages are counted apart: each is a whole edition again, not a page of its own.
  const std::size_t print_pages = run.rendered->print_pages.size();
  out << "Built " << plural(model.config.editions.size(), "edition") << ", "
      << plural(run.rendered->pages.size(), "page")
      << (print_pages > 0 ? " and " + plural(print_pages, "print page") : std::string()) << ", "
      << plural(model.stats.figures.size(), "figure") << " (data as of "
      << format_long_date(model.stats.as_of_year, model.stats.as_of_month, model.stats.as_of_day)
      << ") in " << elapsed << " ms into " << out_dir.string() << "\n";
  report_changed_figures(before, model, *run.rendered, out);
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
  if (!run.model || !run.rendered || run.model->stats.unreadable) {
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
    // A layout shows the figure on every page it makes: one line, with the number of pages.
    std::vector<std::pair<std::string, std::size_t>> lines;
    std::map<std::string, std::size_t> line_of;
    for (const auto& [page, use] : found->second) {
      std::ostringstream line;
      line << "    " << use->file << ':' << use->line << ':' << use->col << "  " << page->edition
           << "  " << use->format << "  \"" << use->text << '"';
      auto [at, added] = line_of.try_emplace(line.str(), lines.size());
      if (added) lines.push_back({line.str(), 0});
      ++lines[at->second].second;
    }
    for (const auto& [line, pages] : lines)
      out << line << (pages > 1 ? "  (on " + plural(pages, "page") + ")" : "") << '\n';
  };
  // The date is shown as a figure is, {{ as_of }}: its places first.
  if (uses.count("as_of")) {
    out << "as_of = "
        << format_long_date(model.stats.as_of_year, model.stats.as_of_month, model.stats.as_of_day)
        << "  (the date of the figures)\n";
    print_uses("as_of");
  }
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
