#include "render.hpp"

#include <algorithm>
#include <regex>
#include <set>

namespace tandem {

using json = nlohmann::json;

namespace {

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

const char* unit_name(figure_unit u) {
  switch (u) {
    case figure_unit::count: return "count";
    case figure_unit::percent: return "percent";
    case figure_unit::number: return "number";
  }
  return "count";
}

// One page of one edition, parsed and placed, waiting to be rendered.
struct page_job {
  const edition* ed = nullptr;
  const section* sec = nullptr;
  const source_page* source = nullptr;
  std::string output_path;
  parsed_markdown parsed;
};

bool holds_glossary_component(const std::string& body) {
  static const std::regex component(R"(\{\{\s*glossary\s*\}\})");
  return std::regex_search(body, component);
}

std::string nav_title(const source_page& page) {
  return page.meta.nav_title.empty() ? page.meta.title : page.meta.nav_title;
}

// Figures formatted once for every template: {{figures.children_in_care.text}}.
json figures_context(const stats_data& stats) {
  json figures = json::object();
  for (const auto& [key, f] : stats.figures) {
    json entry;
    entry["text"] = format_figure(f, figure_format::plain).value_or(f.value_text);
    entry["about"] = format_figure(f, figure_format::about).value_or("");
    entry["label"] = f.label;
    entry["value"] = f.value_text;
    entry["unit"] = unit_name(f.unit);
    figures[key] = std::move(entry);
  }
  return figures;
}

// The parts of the context that are the same on every page of an edition.
struct edition_frame {
  json site;
  json figures;
  json data;
};

class site_renderer {
 public:
  site_renderer(const site_model& model, const template_set& templates, diagnostics& diags)
      : model_(model), templates_(templates), diags_(diags) {}

  render_result run() {
    plan_pages();
    frame_.site = {{"title", model_.config.title},
                   {"subtitle", model_.config.subtitle},
                   {"organisation", model_.config.organisation},
                   {"language", model_.config.language},
                   {"base_url", model_.config.base_url}};
    frame_.figures = figures_context(model_.stats);
    frame_.data = {{"as_of", format_long_date(model_.stats.as_of_year, model_.stats.as_of_month,
                                              model_.stats.as_of_day)},
                   {"as_of_iso", model_.stats.as_of},
                   {"source", model_.stats.source}};
    for (std::size_t e = 0; e < model_.config.editions.size(); ++e) render_edition(e);
    render_not_found();
    add_assets_and_media();
    add_sitemap_and_robots();
    result_.out.add("figures.json", figures_manifest(model_, result_.pages).dump(2) + "\n");
    return std::move(result_);
  }

 private:
  // Parses every page first: links anywhere may point at any page's headings.
  void plan_pages() {
    jobs_.resize(model_.config.editions.size());
    for (std::size_t e = 0; e < model_.config.editions.size(); ++e) {
      const edition& ed = model_.config.editions[e];
      for (const section& sec : model_.content.sections) {
        auto it = sec.pages.find(ed.id);
        if (it == sec.pages.end()) continue;
        page_job job;
        job.ed = &ed;
        job.sec = &sec;
        job.source = &it->second;
        job.output_path = page_output_path(ed, sec);
        job.parsed = parse_markdown(it->second, model_, diags_);
        auto& target = links_.pages[{sec.stem, ed.id}];
        target.output_path = job.output_path;
        for (const heading& h : job.parsed.headings()) target.anchors.insert(h.id);
        if (holds_glossary_component(it->second.body)) {
          if (!links_.glossary_page.count(ed.id)) links_.glossary_page[ed.id] = job.output_path;
          for (const auto& entry : model_.content.glossary)
            target.anchors.insert("term-" + slugify(entry.term));
        }
        jobs_[e].push_back(std::move(job));
      }
    }
  }

  std::string layout_for(const page_job& job) {
    std::string layout = job.source->meta.layout;
    if (job.sec->is_home() && layout == "page" && templates_.has_layout(job.ed->id, "home"))
      layout = "home";
    return layout;
  }

  json edition_context(const edition& ed, const std::string& root) {
    std::string assets = root + "assets/" + ed.theme + "/";
    json stylesheets = json::array(), scripts = json::array();
    auto found = themes_.find(ed.theme);
    if (found != themes_.end() && found->second) {
      for (const auto& s : found->second->stylesheets) stylesheets.push_back({{"url", assets + s}});
      for (const auto& s : found->second->scripts) scripts.push_back({{"url", assets + s}});
    }
    const edition& primary = model_.config.primary();
    return {{"id", ed.id},
            {"name", ed.name},
            {"path", ed.path},
            {"theme", ed.theme},
            {"language", ed.language},
            {"is_primary", &ed == &primary},
            {"home_url", root + (ed.path.empty() ? "" : ed.path + "/") + "index.html"},
            {"assets_url", assets},
            {"stylesheets", stylesheets},
            {"scripts", scripts}};
  }

  // Links to this section in every edition (to the edition's home where it lacks the section).
  json editions_context(const page_job& job, const std::string& root, bool absolute) {
    json all = json::array();
    for (const edition& other : model_.config.editions) {
      std::string target;
      bool has_page = job.sec && job.sec->pages.count(other.id);
      if (has_page)
        target = page_output_path(other, *job.sec);
      else
        target = (other.path.empty() ? "" : other.path + "/") + "index.html";
      std::string url = absolute ? root + target : relative_url(job.output_path, target);
      all.push_back({{"id", other.id},
                     {"name", other.name},
                     {"language", other.language},
                     {"url", url},
                     {"is_current", &other == job.ed},
                     {"has_page", has_page}});
    }
    return all;
  }

  json page_context(const page_job& job, const std::size_t index,
                    const std::vector<page_job>& pages, const rendered_markdown& body,
                    const std::string& layout) {
    const edition& ed = *job.ed;
    std::string root = root_prefix(job.output_path);
    json ctx;
    ctx["site"] = frame_.site;
    ctx["figures"] = frame_.figures;
    ctx["data"] = frame_.data;
    ctx["root_url"] = root;
    ctx["generator"] = "tandem";
    ctx["edition"] = edition_context(ed, root);
    json editions = editions_context(job, root, false);
    json others = json::array();
    for (const auto& e : editions)
      if (!e["is_current"].get<bool>()) others.push_back(e);
    ctx["editions"] = std::move(editions);
    ctx["has_other_editions"] = !others.empty();
    ctx["other_editions"] = std::move(others);

    json toc = json::array();
    for (const heading& h : body.toc)
      toc.push_back({{"id", h.id}, {"text", h.text}, {"level", h.level}, {"is_sub", h.level > 2}});
    const source_page& src = *job.source;
    ctx["page"] = {{"title", src.meta.title},
                   {"nav_title", nav_title(src)},
                   {"summary", src.meta.summary},
                   {"slug", job.sec->slug},
                   {"stem", job.sec->stem},
                   {"layout", layout},
                   {"url", relative_url(job.output_path, job.output_path)},
                   {"is_home", job.sec->is_home()},
                   {"content", body.html},
                   {"has_toc", !toc.empty()},
                   {"toc", std::move(toc)},
                   {"source", src.file}};

    json nav = json::array();
    for (std::size_t i = 0; i < pages.size(); ++i) {
      nav.push_back({{"title", nav_title(*pages[i].source)},
                     {"url", relative_url(job.output_path, pages[i].output_path)},
                     {"is_current", i == index},
                     {"is_home", pages[i].sec->is_home()}});
    }
    ctx["nav"] = std::move(nav);
    auto link_to = [&](const page_job& other) -> json {
      return {{"title", nav_title(*other.source)},
              {"url", relative_url(job.output_path, other.output_path)}};
    };
    ctx["prev"] = index > 0 ? link_to(pages[index - 1]) : json(false);
    ctx["next"] = index + 1 < pages.size() ? link_to(pages[index + 1]) : json(false);
    return ctx;
  }

  void render_edition(std::size_t e) {
    const edition& ed = model_.config.editions[e];
    load_theme_once(ed.theme);
    auto& pages = jobs_[e];
    for (std::size_t i = 0; i < pages.size(); ++i) {
      page_job& job = pages[i];
      markdown_env env{model_, ed, job.output_path, links_};
      rendered_markdown body = render_markdown(job.parsed, *job.source, env, diags_);
      std::string layout = layout_for(job);
      if (!templates_.has_layout(ed.id, layout)) {
        diags_.error(job.source->file, 1, 1, "template.missing",
                     "the layout '" + layout + "' does not exist; add templates/" + layout +
                         ".mustache (or templates/" + ed.id + "/" + layout +
                         ".mustache), or remove the 'layout' line to use the standard page");
        continue;
      }
      json ctx = page_context(job, i, pages, body, layout);
      auto html = templates_.render(ed.id, layout, ctx, diags_);
      if (!html) continue;
      if (result_.out.contains(job.output_path)) {
        diags_.error(job.source->file, 1, 1, "page.duplicate_path",
                     "two pages would be written to " + job.output_path +
                         "; rename one of them or change an edition's path");
        continue;
      }
      result_.out.add(job.output_path, std::move(*html));
      result_.pages.push_back({ed.id, job.sec->stem, job.output_path, std::move(body.figures)});
    }
  }

  // 404.html is served at any depth, so its links start from the site's own address.
  void render_not_found() {
    const edition& ed = model_.config.primary();
    if (!templates_.has_layout(ed.id, "404") || jobs_.empty() || jobs_[0].empty()) return;
    std::string root;
    if (!model_.config.base_url.empty()) {
      auto scheme = model_.config.base_url.find("://");
      auto path_start =
          scheme == std::string::npos ? 0 : model_.config.base_url.find('/', scheme + 3);
      root = path_start == std::string::npos ? "/" : model_.config.base_url.substr(path_start);
    }
    json ctx;
    ctx["site"] = frame_.site;
    ctx["figures"] = frame_.figures;
    ctx["data"] = frame_.data;
    ctx["root_url"] = root;
    ctx["generator"] = "tandem";
    ctx["edition"] = edition_context(ed, root);
    json editions = json::array();
    for (const edition& other : model_.config.editions) {
      editions.push_back({{"id", other.id},
                          {"name", other.name},
                          {"language", other.language},
                          {"url", root + (other.path.empty() ? "" : other.path + "/") + "index.html"},
                          {"is_current", &other == &ed},
                          {"has_page", false}});
    }
    json others = json::array();
    for (const auto& item : editions)
      if (!item["is_current"].get<bool>()) others.push_back(item);
    ctx["editions"] = editions;
    ctx["has_other_editions"] = !others.empty();
    ctx["other_editions"] = others;
    ctx["page"] = {{"title", "Page not found"},
                   {"nav_title", "Page not found"},
                   {"summary", "The page you asked for is not on this site."},
                   {"slug", "404"},
                   {"stem", "404"},
                   {"layout", "404"},
                   {"url", root + "404.html"},
                   {"is_home", false},
                   {"content", ""},
                   {"has_toc", false},
                   {"toc", json::array()},
                   {"source", ""}};
    json nav = json::array();
    for (const page_job& p : jobs_[0]) {
      nav.push_back({{"title", nav_title(*p.source)},
                     {"url", root + p.output_path},
                     {"is_current", false},
                     {"is_home", p.sec->is_home()}});
    }
    ctx["nav"] = nav;
    ctx["prev"] = false;
    ctx["next"] = false;
    auto html = templates_.render(ed.id, "404", ctx, diags_);
    if (html) result_.out.add("404.html", std::move(*html));
  }

  void load_theme_once(const std::string& name) {
    if (themes_.count(name)) return;
    themes_[name] = load_theme(model_.dir, name, diags_);
  }

  void add_assets_and_media() {
    for (const auto& [name, t] : themes_)
      if (t) add_theme_assets(*t, result_.out);
    for (const auto& file : model_.content.media)
      result_.out.add_copy("media/" + file, model_.dir / "content" / "media" / file);
  }

  void add_sitemap_and_robots() {
    const std::string& base = model_.config.base_url;
    std::string robots = "User-agent: *\nAllow: /\n";
    if (base.empty()) {
      diags_.warning(site_config_file, 1, 1, "site.base_url",
                     "without 'base_url' the sitemap cannot list the site's addresses; add "
                     "\"base_url\": \"https://www.example.gov.uk/corporate-parenting/\" with the "
                     "address the site will be published at");
    } else {
      std::vector<std::string> urls;
      for (const page_record& p : result_.pages) {
        std::string path = p.output_path;
        path.erase(path.size() - std::string("index.html").size());
        urls.push_back(base + path);
      }
      std::sort(urls.begin(), urls.end());
      std::string sitemap =
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
      for (const auto& url : urls) sitemap += "  <url><loc>" + escape_xml(url) + "</loc></url>\n";
      sitemap += "</urlset>\n";
      result_.out.add("sitemap.xml", std::move(sitemap));
      robots += "Sitemap: " + base + "sitemap.xml\n";
    }
    result_.out.add("robots.txt", std::move(robots));
  }

  const site_model& model_;
  const template_set& templates_;
  diagnostics& diags_;
  link_index links_;
  std::vector<std::vector<page_job>> jobs_;
  std::map<std::string, std::optional<theme>> themes_;
  edition_frame frame_;
  render_result result_;
};

}  // namespace

render_result render_site(const site_model& model, const template_set& templates,
                          diagnostics& diags) {
  return site_renderer(model, templates, diags).run();
}

json figures_manifest(const site_model& model, const std::vector<page_record>& pages) {
  json values = json::object();
  for (const auto& [key, f] : model.stats.figures) {
    values[key] = {{"label", f.label},
                   {"value", f.value},
                   {"unit", unit_name(f.unit)},
                   {"text", format_figure(f, figure_format::plain).value_or(f.value_text)}};
  }
  json uses = json::array();
  for (const page_record& p : pages) {
    for (const figure_use& u : p.figures) {
      uses.push_back({{"edition", p.edition},
                      {"page", p.output_path},
                      {"key", u.key},
                      {"format", u.format},
                      {"text", u.text},
                      {"source", u.file},
                      {"line", u.line}});
    }
  }
  return {{"as_of", model.stats.as_of}, {"values", values}, {"uses", uses}};
}

}  // namespace tandem
