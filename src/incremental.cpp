#include "incremental.hpp"

#include <algorithm>
#include <future>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "checks.hpp"
#include "fs.hpp"
#include "limits.hpp"
#include "templates.hpp"

namespace tandem {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view pages_prefix = "content/pages/";
constexpr std::string_view templates_prefix = "templates/";

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Diagnostics split by where they came from, so that one part can be made again alone.
struct diagnostic_parts {
  diagnostics load;       // load_site
  diagnostics checks;     // run_checks
  diagnostics templates;  // template_set::load
  diagnostics render;     // rendering

  diagnostics all() const {
    diagnostics out;
    out.merge(load);
    out.merge(checks);
    out.merge(templates);
    out.merge(render);
    return out;
  }
};

// `from` without the diagnostics of `files`, then `added` (only those of `files`).
diagnostics replaced_for_files(const diagnostics& from, const std::set<std::string>& files,
                               const diagnostics& added) {
  diagnostics out;
  for (const diagnostic& d : from.items())
    if (!files.count(d.file)) out.add(d);
  for (const diagnostic& d : added.items())
    if (files.count(d.file)) out.add(d);
  return out;
}

bool has_diagnostics_for(const diagnostics& diags, const std::string& file) {
  return std::any_of(diags.items().begin(), diags.items().end(),
                     [&](const diagnostic& d) { return d.file == file; });
}

bool same_figure(const figure& a, const figure& b) {
  return a.label == b.label && a.value == b.value && a.value_text == b.value_text &&
         a.unit == b.unit && a.unit_unknown == b.unit_unknown && a.source == b.source &&
         a.note == b.note;
}

bool same_breakdown(const breakdown& a, const breakdown& b) {
  if (a.label != b.label || a.unit != b.unit || a.source != b.source || a.note != b.note ||
      a.parts.size() != b.parts.size())
    return false;
  for (std::size_t i = 0; i < a.parts.size(); ++i) {
    const breakdown_part& p = a.parts[i];
    const breakdown_part& q = b.parts[i];
    if (p.label != q.label || p.value != q.value || p.value_text != q.value_text ||
        p.source != q.source || p.note != q.note)
      return false;
  }
  return true;
}

bool same_glossary_entry(const glossary_entry& a, const glossary_entry& b) {
  return a.term == b.term && a.stands_for == b.stands_for && a.means == b.means &&
         a.edition_means == b.edition_means;
}

// The keys whose figures or breakdowns differ; nullopt when the set of keys itself differs
// (then every suggestion for a mistyped key may differ too).
std::optional<std::set<std::string>> changed_figure_keys(const stats_data& a, const stats_data& b) {
  if (a.all_keys() != b.all_keys()) return std::nullopt;
  std::set<std::string> keys;
  for (const auto& [key, f] : a.figures)
    if (!same_figure(f, b.figures.at(key))) keys.insert(key);
  for (const auto& [key, bd] : a.breakdowns)
    if (!same_breakdown(bd, b.breakdowns.at(key))) keys.insert(key);
  if (a.as_of != b.as_of || a.source != b.source) keys.insert("as_of");
  return keys;
}

std::set<std::string> changed_terms(const std::vector<glossary_entry>& a,
                                    const std::vector<glossary_entry>& b) {
  std::set<std::string> terms;
  for (const auto& entry : a) {
    auto other =
        std::find_if(b.begin(), b.end(), [&](const auto& e) { return e.term == entry.term; });
    if (other == b.end() || !same_glossary_entry(entry, *other)) terms.insert(entry.term);
  }
  for (const auto& entry : b) {
    auto other =
        std::find_if(a.begin(), a.end(), [&](const auto& e) { return e.term == entry.term; });
    if (other == a.end()) terms.insert(entry.term);
  }
  return terms;
}

// Whether a page's body holds a `{{ pledges }}` (or `{{ glossary }}`) component; generous.
bool may_show(const source_page& page, std::string_view component) {
  return contains_word(page.body, component) && page.body.find("{{") != std::string::npos;
}

// Whether a page's body holds `{{ glossary }}` as the renderer finds it: the first such page of an
// edition is where every "See all the words" link and term anchor of that edition points.
bool holds_glossary_component(std::string_view body) {
  auto skip_spaces = [&](std::size_t i) {
    while (i < body.size() &&
           (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r'))
      ++i;
    return i;
  };
  constexpr std::string_view name = "glossary";
  for (auto at = body.find("{{"); at != std::string_view::npos; at = body.find("{{", at + 2)) {
    std::size_t i = skip_spaces(at + 2);
    if (body.substr(i, name.size()) != name) continue;
    if (body.substr(skip_spaces(i + name.size()), 2) == "}}") return true;
  }
  return false;
}

// Whether any pledge's wording, in any edition, holds `text`.
bool pledges_hold(const site_model& model, std::string_view text) {
  for (const pledge& p : model.content.pledges)
    for (const auto& [id, wording] : p.wordings)
      if (wording.body.find(text) != std::string::npos) return true;
  return false;
}

// The last versions of what a rebuild loaded again, to compare with the new ones.
struct what_changed {
  std::map<std::string, source_page> pages;  // by file + "\n" + edition id
  std::optional<stats_data> stats;
  std::optional<std::vector<glossary_entry>> glossary;
};

// Every difference between two outputs (either may be missing: no output).
output_changes compare_outputs(const output_tree* before, const output_tree* after) {
  static const output_tree nothing;
  const auto& old_files = (before ? *before : nothing).entries();
  const auto& new_files = (after ? *after : nothing).entries();
  output_changes changes;
  for (const auto& [path, entry] : new_files) {
    auto old = old_files.find(path);
    if (old == old_files.end()) {
      changes.added.push_back(path);
    } else if (old->second.bytes != entry.bytes || old->second.copy_from != entry.copy_from) {
      changes.changed.push_back(path);
    }
  }
  for (const auto& [path, entry] : old_files)
    if (!new_files.count(path)) changes.removed.push_back(path);
  return changes;
}

// What a rerender changed, from what the paths it wrote held before.
output_changes changes_from(const output_tree::record& before, const output_tree& now) {
  output_changes changes;
  for (const auto& [path, old] : before) {
    auto found = now.entries().find(path);
    if (found == now.entries().end()) {
      if (old) changes.removed.push_back(path);
    } else if (!old) {
      changes.added.push_back(path);
    } else if (old->bytes != found->second.bytes || old->copy_from != found->second.copy_from) {
      changes.changed.push_back(path);
    }
  }
  return changes;
}

}  // namespace

struct incremental_builder::state {
  fs::path site_dir;
  site_run last;
  diagnostic_parts parts;
  std::optional<template_set> templates;
  std::set<std::string> known_templates;  // files under templates/ when they were loaded
  site_renderer renderer;
  check_cache checks;  // kept across full builds too: it is keyed by everything it read
  std::map<std::pair<std::string, std::string>, bool> layouts_compared;
  output_changes changes;

  // --- the full build

  const site_run& build_all() {
    std::optional<render_result> before = std::move(last.rendered);
    last = site_run();
    parts = diagnostic_parts();
    templates.reset();
    renderer = site_renderer();
    last.model = load_site(site_dir, parts.load);
    if (last.model) {
      // The checks only read the model: they run while the site is rendered.
      auto checking = std::async(std::launch::async, [&] { return checks_of(*last.model); });
      known_templates = template_files();
      templates = template_set::load(site_dir, parts.templates);
      last.rendered = renderer.render(*last.model, *templates, parts.render);
      parts.checks = checking.get();
    }
    last.diags = parts.all();
    changes = compare_outputs(before ? &before->out : nullptr,
                              last.rendered ? &last.rendered->out : nullptr);
    return last;
  }

  // --- loading again only what changed

  // Reads the changed page files again into the model, remembering their last versions in
  // `before`. False if that cannot be done file by file (problems, or front matter that changes
  // the site's structure): then everything is loaded again.
  bool reload_pages(const std::set<std::string>& files, what_changed& before) {
    for (const std::string& rel : files) {
      if (has_diagnostics_for(parts.load, rel)) return false;
      auto text = read_file(site_dir / rel);
      if (!text) return false;
      bool found = false;
      for (section& sec : last.model->content.sections) {
        for (auto& [id, page] : sec.pages) {
          if (page.file != rel) continue;
          diagnostics problems;
          auto fresh = parse_source_page(rel, *text, id, problems);
          // As read_source does; a body over the limits is a problem of loading, and those
          // are made by loading everything again.
          if (fresh) check_markdown_limits(fresh->body, rel, fresh->body_line, problems);
          if (!fresh || !problems.empty() || fresh->meta.title.empty() ||
              fresh->meta.editions != page.meta.editions)
            return false;
          fresh->limits_checked = true;  // checked just above: render need not scan it again
          before.pages.emplace(rel + "\n" + id, page);
          page = std::move(*fresh);
          found = true;
        }
      }
      if (!found) return false;
    }
    return true;
  }

  // Reads stats.json and the glossary again; false if the statistics cannot be loaded.
  bool reload_data(bool stats, bool glossary, what_changed& before, diagnostics& load) {
    site_model& model = *last.model;
    std::set<std::string> files;
    diagnostics fresh;
    if (stats) {
      auto loaded = load_stats(site_dir, fresh);
      if (!loaded) return false;
      before.stats = std::move(model.stats);
      model.stats = std::move(*loaded);
      files.insert(stats_file);
    }
    if (glossary) {
      before.glossary = std::move(model.content.glossary);
      model.content.glossary =
          load_glossary(site_dir, model.config, fresh, &model.content.glossary_unreadable);
      files.insert(glossary_file);
    }
    load = replaced_for_files(parts.load, files, fresh);
    return true;
  }

  // --- deciding what to render again

  struct change {
    std::set<std::string> pages;  // changed page files
    bool stats = false;
    bool glossary = false;
    bool templates = false;
    bool templates_added_or_removed = false;
    bool other = false;  // anything else: load and check everything again
  };

  change classify(const std::vector<std::string>& changed_files) const {
    change c;
    for (const std::string& rel : changed_files) {
      bool exists = fs::exists(site_dir / rel);
      if (rel == stats_file) {
        c.stats = true;
      } else if (rel == glossary_file) {
        c.glossary = true;
      } else if (starts_with(rel, pages_prefix) && rel.size() > 3 &&
                 rel.compare(rel.size() - 3, 3, ".md") == 0 && exists) {
        c.pages.insert(rel);
      } else if (starts_with(rel, templates_prefix)) {
        c.templates = true;
        if (!exists || !was_template(rel)) c.templates_added_or_removed = true;
      } else {
        c.other = true;
      }
    }
    return c;
  }

  std::vector<bool> stale_pages(const what_changed& before, const template_set& old_templates,
                                const template_set& now) {
    const site_model& model = *last.model;
    const auto& pages = renderer.pages();
    std::vector<bool> stale(pages.size(), false);
    std::map<std::string, bool, std::less<>> pledges_mentioned;  // by word
    auto pledges_mention = [&](const std::string& word) {
      auto [at, fresh] = pledges_mentioned.try_emplace(word, false);
      if (fresh)
        for (const pledge& p : model.content.pledges)
          for (const auto& [id, wording] : p.wordings)
            if (contains_word(wording.body, word)) at->second = true;
      return at->second;
    };
    std::map<std::tuple<std::string, std::string, std::string>, bool> mentioned;
    auto layout_mentions = [&](const std::string& edition, const std::string& layout,
                               const std::string& name) {
      auto [at, fresh] = mentioned.try_emplace({edition, layout, name}, false);
      if (fresh) at->second = now.mentions(edition, layout, name);
      return at->second;
    };
    std::optional<std::set<std::string>> keys = std::set<std::string>();
    if (before.stats) keys = changed_figure_keys(*before.stats, model.stats);
    // Cards, charts and icon arrays print the date and source of the data, on any page.
    if (!keys || keys->count("as_of")) std::fill(stale.begin(), stale.end(), true);
    std::set<std::string> terms;
    if (before.glossary) terms = changed_terms(*before.glossary, model.content.glossary);

    std::size_t i = 0;
    for (std::size_t e = 0; e < model.config.editions.size(); ++e) {
      const std::string& edition = model.config.editions[e].id;
      for (const section& sec : model.content.sections) {
        auto found = sec.pages.find(edition);
        if (found == sec.pages.end()) continue;
        const page_dependencies& dep = pages.at(i);
        const source_page& page = found->second;
        auto old = before.pages.find(page.file + "\n" + edition);
        if (old != before.pages.end() &&
            (old->second.text_size != page.text_size || old->second.text_hash != page.text_hash)) {
          stale[i] = true;
          if (old->second.meta.title != page.meta.title ||
              old->second.meta.nav_title != page.meta.nav_title)
            mark_neighbours(i, stale, now);
          if (holds_glossary_component(old->second.body) != holds_glossary_component(page.body))
            std::fill(stale.begin(), stale.end(), true);
        }
        bool shows_pledges = may_show(page, "pledges");
        if (keys && !keys->empty()) {
          for (const std::string& key : *keys) {
            if (contains_word(page.body, key) || (shows_pledges && pledges_mention(key)))
              stale[i] = true;
          }
          if (layout_mentions(edition, dep.layout, "figures") ||
              (keys->count("as_of") && layout_mentions(edition, dep.layout, "data")))
            stale[i] = true;
        }
        for (const std::string& term : terms) {
          if (contains_word(page.body, term) || may_show(page, "glossary") ||
              (shows_pledges && pledges_mention(term)))
            stale[i] = true;
        }
        if (&old_templates != &now && layout_changed(edition, dep.layout, old_templates, now))
          stale[i] = true;
        ++i;
      }
    }
    return stale;
  }

  // Whether the layout (with its partials) an edition's page was rendered with differs, or the
  // home page's layout appeared or went; remembered per edition and layout for one rebuild.
  bool layout_changed(const std::string& edition, const std::string& layout,
                      const template_set& old_templates, const template_set& now) {
    auto key = std::make_pair(edition, layout);
    auto known = layouts_compared.find(key);
    if (known != layouts_compared.end()) return known->second;
    bool changed = old_templates.layout_text(edition, layout) != now.layout_text(edition, layout) ||
                   old_templates.has_layout(edition, "home") != now.has_layout(edition, "home");
    layouts_compared.emplace(key, changed);
    return changed;
  }

  // A page's title shows in its neighbours' previous and next links, in every page's
  // navigation when the layout lists the sections (nav), and in nav_near on the home page and
  // on the pages near it (on every page of a short edition; on every page for the home's title).
  void mark_neighbours(std::size_t i, std::vector<bool>& stale, const template_set& now) {
    const auto& pages = renderer.pages();
    const std::string& edition = pages[i].edition;
    std::size_t begin = i, end = i + 1;  // the edition's pages, the home page first
    while (begin > 0 && pages[begin - 1].edition == edition) --begin;
    while (end < pages.size() && pages[end].edition == edition) ++end;
    const bool near_is_whole = end - begin <= nav_near_whole || i == begin;
    for (std::size_t j = begin; j < end; ++j) {
      auto [from, to] = nav_near_window(end - begin, j - begin);
      bool near = near_is_whole || j == begin || (i - begin >= from && i - begin < to);
      if (j + 1 == i || j == i + 1 || now.mentions(edition, pages[j].layout, "nav") ||
          (near && now.mentions(edition, pages[j].layout, "nav_near")))
        stale[j] = true;
    }
  }

  // Pages that link to a page whose anchors changed must check their links again.
  // (Only pages rendered again can have new anchors: `before` has theirs from the last render;
  // after a full render every page counts as changed.)
  std::vector<bool> linked_to_changed_anchors(
      const std::map<std::size_t, std::set<std::string>>& before, const site_model& model) {
    const auto& pages = renderer.pages();
    std::vector<bool> stale(pages.size(), false);
    std::set<std::string> stems;
    for (const auto& [i, anchors] : before)
      if (i < pages.size() && pages[i].anchors != anchors) stems.insert(pages[i].stem);
    if (stems.empty()) return stale;
    std::map<std::string, const section*> by_stem;
    for (const section& sec : model.content.sections) by_stem[sec.stem] = &sec;
    for (std::size_t i = 0; i < pages.size(); ++i) {
      const source_page& page = by_stem.at(pages[i].stem)->pages.at(pages[i].edition);
      // Pledges are rendered into the pages that show them, links and all.
      bool shows_pledges = may_show(page, "pledges");
      for (const std::string& stem : stems)
        if (page.body.find(stem) != std::string::npos ||
            (shows_pledges && pledges_hold(model, stem)))
          stale[i] = true;
    }
    return stale;
  }

  // --- the rebuild

  const site_run& rebuild(const std::vector<std::string>& changed_files) {
    if (!last.model || !last.rendered || !templates) return build_all();
    change c = classify(changed_files);
    bool data = c.stats || c.glossary;
    if (c.other || c.templates_added_or_removed || (!c.pages.empty() && data)) return build_all();

    diagnostic_parts next;
    what_changed before;
    bool check_again = false;
    if (!c.pages.empty()) {
      if (!reload_pages(c.pages, before)) return build_all();
      next.load = parts.load;
      check_again = true;
    } else if (data) {
      if (!reload_data(c.stats, c.glossary, before, next.load)) return build_all();
      check_again = true;
    } else {
      next.load = parts.load;
      next.checks = parts.checks;
    }
    // The checks only read the model, now loaded: they run while the stale pages are rendered.
    std::future<diagnostics> checking;
    if (check_again)
      checking = std::async(std::launch::async, [this] { return checks_of(*last.model); });

    std::optional<template_set> old_templates;
    if (c.templates) {
      old_templates = std::move(templates);
      known_templates = template_files();
      templates = template_set::load(site_dir, next.templates);
    } else {
      next.templates = parts.templates;
    }
    layouts_compared.clear();
    std::vector<bool> stale =
        stale_pages(before, old_templates ? *old_templates : *templates, *templates);

    std::map<std::size_t, std::set<std::string>> anchors_before;
    for (std::size_t i = 0; i < stale.size(); ++i)
      if (stale[i]) anchors_before[i] = renderer.pages()[i].anchors;
    last.rendered->out.start_recording();
    diagnostics render;
    // Only when the statistics alone changed: a page stale for another reason is rendered.
    auto figures_before = c.templates ? std::nullopt : changed_figures(before);
    renderer.rerender(*last.model, *templates, stale, *last.rendered, render,
                      figures_before ? &*figures_before : nullptr);
    std::vector<bool> second = linked_to_changed_anchors(anchors_before, *last.model);
    if (std::find(second.begin(), second.end(), true) != second.end()) {
      render = diagnostics();
      renderer.rerender(*last.model, *templates, second, *last.rendered, render);
    }
    changes = changes_from(last.rendered->out.stop_recording(), last.rendered->out);
    if (checking.valid()) next.checks = checking.get();
    next.render = std::move(render);
    parts = std::move(next);
    last.diags = parts.all();
    return last;
  }

  // The last versions of the figures a statistics update changed, when nothing else in the
  // statistics changed (no breakdown, key, date or source): pages that show them only in running
  // text can be patched.
  std::optional<std::map<std::string, figure>> changed_figures(const what_changed& before) const {
    if (!before.stats || before.glossary) return std::nullopt;
    auto keys = changed_figure_keys(*before.stats, last.model->stats);
    if (!keys || keys->empty() || keys->count("as_of")) return std::nullopt;
    std::map<std::string, figure> figures;
    for (const std::string& key : *keys) {
      const figure* old = before.stats->find_figure(key);
      if (!old || !last.model->stats.find_figure(key)) return std::nullopt;
      figures.emplace(key, *old);
    }
    return figures;
  }

  std::set<std::string> template_files() const {
    auto files = list_files(site_dir / "templates");
    return {files.begin(), files.end()};
  }

  // Every check, done again only where what it reads changed.
  diagnostics checks_of(const site_model& model) {
    diagnostics diags;
    run_checks(model, build_date(), checks, diags);
    return diags;
  }

  bool was_template(const std::string& rel) const {
    return known_templates.count(rel.substr(templates_prefix.size())) != 0;
  }
};

incremental_builder::incremental_builder(std::filesystem::path site_dir)
    : self_(std::make_unique<state>()) {
  self_->site_dir = std::move(site_dir);
}

incremental_builder::~incremental_builder() = default;

const site_run& incremental_builder::build() {
  return self_->build_all();
}

const site_run& incremental_builder::rebuild(const std::vector<std::string>& changed_files) {
  return self_->rebuild(changed_files);
}

const site_run& incremental_builder::current() const {
  return self_->last;
}

const output_changes& incremental_builder::changes() const {
  return self_->changes;
}

std::size_t incremental_builder::pages_rendered() const {
  return self_->renderer.pages_rendered();
}

std::size_t incremental_builder::pages_patched() const {
  return self_->renderer.pages_patched();
}

}  // namespace tandem
