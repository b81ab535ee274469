#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <kainjow/mustache.hpp>

#include "temp_site.hpp"
#include "templates.hpp"

using namespace tandem;
using nlohmann::json;
using tandem::testing::temp_site;

namespace {

std::vector<diagnostic> with_id(const diagnostics& diags, const std::string& id) {
  std::vector<diagnostic> found;
  for (const auto& d : diags.sorted())
    if (d.id == id) found.push_back(d);
  return found;
}

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

std::string render_or_empty(const template_set& set, const std::string& edition,
                            const std::string& layout, const json& context, diagnostics& diags) {
  auto html = set.render(edition, layout, context, diags);
  REQUIRE(html.has_value());
  return *html;
}

// The context render_site gives a section page (see src/render.hpp), filled with example values.
json sample_context() {
  json nav = json::array();
  nav.push_back(
      {{"title", "Home"}, {"url", "../index.html"}, {"is_current", false}, {"is_home", true}});
  nav.push_back({{"title", "Who we care for"},
                 {"url", "../who-we-care-for/index.html"},
                 {"is_current", false},
                 {"is_home", false}});
  nav.push_back(
      {{"title", "Our promise"}, {"url", "index.html"}, {"is_current", true}, {"is_home", false}});
  nav.push_back({{"title", "Our pledges"},
                 {"url", "../our-pledges/index.html"},
                 {"is_current", false},
                 {"is_home", false}});
  json formal = {{"id", "formal"},      {"name", "Full strategy"}, {"language", "en-GB"},
                 {"url", "index.html"}, {"is_current", true},      {"has_page", true}};
  json young = {{"id", "young"},       {"name", "For children and young people"},
                {"language", "en-GB"}, {"url", "../young/our-promise/index.html"},
                {"is_current", false}, {"has_page", true}};
  return {{"site",
           {{"title", "Our Children, Our Future"},
            {"subtitle", "Corporate Parenting Strategy 2026 to 2029"},
            {"organisation", "Leicestershire County Council"},
            {"language", "en-GB"},
            {"base_url", "https://www.example.gov.uk/corporate-parenting/"}}},
          {"edition",
           {{"id", "formal"},
            {"name", "Full strategy"},
            {"path", ""},
            {"theme", "council"},
            {"language", "en-GB"},
            {"is_primary", true},
            {"home_url", "../index.html"},
            {"assets_url", "../assets/council/"},
            {"stylesheets", json::array({{{"url", "../assets/council/style.css"}}})},
            {"scripts", json::array()}}},
          {"editions", json::array({formal, young})},
          {"other_editions", json::array({young})},
          {"has_other_editions", true},
          {"primary_edition", {{"name", "Full strategy"}, {"url", "index.html"}}},
          {"print_url", "../print/index.html"},
          {"page",
           {{"title", "Our promise"},
            {"nav_title", "Our promise"},
            {"summary", "What we promise to every child we look after."},
            {"slug", "our-promise"},
            {"stem", "03-our-promise"},
            {"layout", "page"},
            {"url", "index.html"},
            {"is_home", false},
            {"content",
             "<h2 id=\"what-we-will-do\">What we will do</h2>\n<p>We look after "
             "<data value=\"777\" data-figure=\"children_in_care\">777</data> "
             "children.</p>\n"},
            {"toc", json::array({{{"id", "what-we-will-do"},
                                  {"text", "What we will do"},
                                  {"level", 2},
                                  {"is_sub", false}}})},
            {"has_toc", true},
            {"has_figures", true},
            {"source", "content/pages/03-our-promise.md"}}},
          {"nav", nav},
          {"nav_near", nav},
          {"nav_is_shortened", false},
          {"prev", {{"title", "Who we care for"}, {"url", "../who-we-care-for/index.html"}}},
          {"next", {{"title", "Our pledges"}, {"url", "../our-pledges/index.html"}}},
          {"figures",
           {{"children_in_care",
             {{"text", "777"},
              {"about", "about 780"},
              {"label", "children looked after"},
              {"value", 777},
              {"unit", "count"}}}}},
          {"data",
           {{"as_of", "14 December 2025"},
            {"as_of_iso", "2025-12-14"},
            {"source", "Children and Family Services performance data"}}},
          {"root_url", "../"},
          {"generator", "tandem"}};
}

}  // namespace

TEST_CASE(
    "an edition's own template comes before the shared one, and the site's before the "
    "built-in one") {
  temp_site site;
  site.write("templates/page.mustache", "shared page {{> banner}}");
  site.write("templates/young/page.mustache", "young page {{> banner}}");
  site.write("templates/partials/banner.mustache", "shared banner");
  site.write("templates/young/partials/banner.mustache", "young banner");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  CHECK(diags.empty());
  json context = json::object();
  CHECK(render_or_empty(set, "formal", "page", context, diags) == "shared page shared banner");
  CHECK(render_or_empty(set, "young", "page", context, diags) == "young page young banner");
  // Built-in layouts the site does not override are still there.
  CHECK(set.has_layout("formal", "home"));
  CHECK(set.has_layout("young", "404"));
  CHECK_FALSE(set.has_layout("formal", "brochure"));
  CHECK(diags.empty());
}

TEST_CASE("a shared layout uses an edition's own partial for that edition") {
  temp_site site;
  site.write("templates/partials/footer.mustache", "shared footer");
  site.write("templates/young/partials/footer.mustache", "young footer");
  site.write("templates/page.mustache", "[{{> footer}}]");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  json context = json::object();
  CHECK(render_or_empty(set, "young", "page", context, diags) == "[young footer]");
  CHECK(render_or_empty(set, "formal", "page", context, diags) == "[shared footer]");
  CHECK(diags.empty());
}

TEST_CASE("a variable the context does not have is reported at its tag, once") {
  temp_site site;
  site.write("templates/page.mustache",
             "<h1>{{page.title}}</h1>\n  <p>{{page.titel}}</p>\n{{#nav}}{{titel}}{{/nav}}\n");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  REQUIRE(diags.empty());
  json context = {{"page", {{"title", "Our promise"}}},
                  {"nav", json::array({{{"title", "A"}}, {{"title", "B"}}})}};
  set.render("formal", "page", context, diags);
  auto found = with_id(diags, "template.variable");
  REQUIRE(found.size() == 2);
  CHECK(found[0].file == "templates/page.mustache");
  CHECK(found[0].line == 2);
  CHECK(found[0].col == 6);
  CHECK(found[0].message.find("did you mean 'page.title'") != std::string::npos);
  CHECK(found[1].line == 3);
  CHECK(found[1].col == 9);
  CHECK(found[1].message.find("did you mean 'title'") != std::string::npos);
  // Each place is reported once, however many items the section went over.
  CHECK(diags.items().size() == 2);
}

TEST_CASE("names inside a section over an empty list or false are not reported") {
  temp_site site;
  site.write("templates/page.mustache",
             "{{#nav}}{{anything}}{{/nav}}{{#prev}}{{url}}{{/prev}}{{^nav}}none{{/nav}}"
             "{{#page.summary}}{{page.summary}}{{/page.summary}}");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  json context = {{"nav", json::array()}, {"prev", false}, {"page", {{"summary", ""}}}};
  CHECK(render_or_empty(set, "formal", "page", context, diags) == "none");
  CHECK(diags.empty());
}

TEST_CASE("an inverted section is checked only where it is shown") {
  temp_site site;
  site.write("templates/page.mustache", "{{^nav}}{{no_pages_text}}{{/nav}}");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  json shown = {{"nav", json::array()}};
  set.render("formal", "page", shown, diags);
  CHECK(with_id(diags, "template.variable").size() == 1);
  diagnostics hidden_diags;
  json hidden = {{"nav", json::array({{{"title", "A"}}})}};
  CHECK(render_or_empty(set, "formal", "page", hidden, hidden_diags).empty());
  CHECK(hidden_diags.empty());
}

TEST_CASE("the current item and partials inside a line") {
  temp_site site;
  site.write("templates/page.mustache", "{{#list}}{{.}},{{/list}} a{{> word}}b");
  site.write("templates/partials/word.mustache", "X\n");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  json context = {{"list", json::array({"one", "two"})}};
  CHECK(render_or_empty(set, "formal", "page", context, diags) == "one,two, aXb");
  CHECK(diags.empty());
}

TEST_CASE("a section name the context does not have is reported too") {
  temp_site site;
  site.write("templates/page.mustache", "{{#navs}}{{title}}{{/navs}}{{^is_draft}}x{{/is_draft}}");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  json context = {{"nav", json::array()}};
  set.render("formal", "page", context, diags);
  auto found = with_id(diags, "template.variable");
  REQUIRE(found.size() == 2);
  CHECK(found[0].col == 1);
  CHECK(found[0].message.find("did you mean 'nav'") != std::string::npos);
  CHECK(found[1].col == 28);
}

TEST_CASE("a list or group written as text is reported: it would show nothing") {
  temp_site site;
  site.write("templates/page.mustache", "{{nav}} {{page}}");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  json context = {{"nav", json::array({1})}, {"page", {{"title", "x"}}}};
  set.render("formal", "page", context, diags);
  auto found = with_id(diags, "template.variable");
  REQUIRE(found.size() == 2);
  CHECK(found[0].message.find("{{#nav}}") != std::string::npos);
  CHECK(found[1].message.find("{{page.title}}") != std::string::npos);
}

TEST_CASE("dotted names, nested sections and numbers") {
  temp_site site;
  site.write("templates/page.mustache",
             "{{page.title}}|{{#nav}}{{title}}:{{site.title}};{{/nav}}|{{figures.a.value}}|"
             "{{#page}}{{title}}{{/page}}");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  json context = {{"page", {{"title", "P"}}},
                  {"site", {{"title", "S"}}},
                  {"nav", json::array({{{"title", "A"}}, {{"title", "B"}}})},
                  {"figures", {{"a", {{"value", 41.2}}}}}};
  CHECK(render_or_empty(set, "formal", "page", context, diags) == "P|A:S;B:S;|41.2|P");
  CHECK(diags.empty());
}

TEST_CASE("double braces escape HTML; triple braces and {{&x}} do not") {
  temp_site site;
  site.write("templates/page.mustache", "{{x}}|{{{x}}}|{{& x}}");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  json context = {{"x", "<b>\"Tom\" & 'Jo'</b>"}};
  CHECK(render_or_empty(set, "formal", "page", context, diags) ==
        "&lt;b&gt;&quot;Tom&quot; &amp; &apos;Jo&apos;&lt;/b&gt;|<b>\"Tom\" & 'Jo'</b>|"
        "<b>\"Tom\" & 'Jo'</b>");
  CHECK(diags.empty());
}

TEST_CASE("syntax errors are reported with file, line and column, every one of them") {
  temp_site site;
  site.write("templates/page.mustache", "<ul>\n  {{#nav}}\n<li>{{title}}</li>\n</ul>\n");
  site.write("templates/home.mustache", "{{#a}}\n{{#b}}\n{{/a}}\n{{/c}}\n{{ broken\n");
  site.write("templates/404.mustache", "{{=<% %>=}}\n{{page title}}\n");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  auto found = with_id(diags, "template.syntax");
  REQUIRE(found.size() == 6);
  // Sorted by file: 404, home, page.
  CHECK(found[0].file == "templates/404.mustache");
  CHECK(found[0].line == 1);
  CHECK(found[0].message.find("not supported") != std::string::npos);
  CHECK(found[1].line == 2);
  CHECK(found[1].message.find("not a valid name") != std::string::npos);
  CHECK(found[2].file == "templates/home.mustache");
  CHECK(found[2].line == 2);  // {{#b}} is not closed before {{/a}}
  CHECK(found[2].message.find("{{/b}}") != std::string::npos);
  CHECK(found[3].line == 4);  // {{/c}} closes nothing
  CHECK(found[4].line == 5);  // the tag is never closed
  CHECK(found[4].message.find("not closed") != std::string::npos);
  CHECK(found[5].file == "templates/page.mustache");
  CHECK(found[5].line == 2);
  CHECK(found[5].col == 3);
  CHECK(found[5].message.find("{{/nav}}") != std::string::npos);
  // A template with errors is not rendered (and not reported again).
  diagnostics render_diags;
  CHECK_FALSE(set.render("formal", "page", json::object(), render_diags).has_value());
  CHECK(render_diags.empty());
}

TEST_CASE("comments may hold anything, and well-formed templates give no errors") {
  temp_site site;
  site.write("templates/page.mustache", "{{! a {{ comment }}ok{{#a}}{{/a}}");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  CHECK(diags.empty());
  CHECK(render_or_empty(set, "formal", "page", {{"a", true}}, diags) == "ok");
}

TEST_CASE("a partial that includes itself, directly or through another, is reported") {
  temp_site site;
  site.write("templates/page.mustache", "{{> self}}{{> ping}}");
  site.write("templates/partials/self.mustache", "x\n {{> self}}");
  site.write("templates/partials/ping.mustache", "{{> pong}}");
  site.write("templates/partials/pong.mustache", "{{> ping}}");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  auto found = with_id(diags, "template.recursion");
  REQUIRE(found.size() == 2);
  CHECK(found[0].file == "templates/partials/pong.mustache");
  CHECK(found[0].message.find("templates/partials/ping.mustache -> "
                              "templates/partials/pong.mustache -> "
                              "templates/partials/ping.mustache") != std::string::npos);
  CHECK(found[1].file == "templates/partials/self.mustache");
  CHECK(found[1].line == 2);
  CHECK(found[1].col == 2);
}

TEST_CASE("a missing partial is reported, with the nearest name") {
  temp_site site;
  site.write("templates/page.mustache", "\n{{> heaer}}");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  auto found = with_id(diags, "template.partial");
  REQUIRE(found.size() == 1);
  CHECK(found[0].file == "templates/page.mustache");
  CHECK(found[0].line == 2);
  CHECK(found[0].message.find("did you mean 'header'") != std::string::npos);
}

TEST_CASE("a problem in a built-in template names the built-in file and says so") {
  temp_site site;
  // The built-in header includes editions; this site's editions includes the header: a loop
  // that closes in the built-in header when a layout starts from editions.
  site.write("templates/page.mustache", "{{> editions}}");
  site.write("templates/partials/editions.mustache", "{{> header}}");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  auto found = with_id(diags, "template.recursion");
  auto in_builtin = std::find_if(found.begin(), found.end(), [](const diagnostic& d) {
    return d.file == "templates/partials/header.mustache";
  });
  REQUIRE(in_builtin != found.end());
  CHECK(in_builtin->message.find("built-in template; copy it to "
                                 "templates/partials/header.mustache") != std::string::npos);
  auto in_site = std::find_if(found.begin(), found.end(), [](const diagnostic& d) {
    return d.file == "templates/partials/editions.mustache";
  });
  REQUIRE(in_site != found.end());
  CHECK(in_site->message.find("built-in") == std::string::npos);
}

TEST_CASE("the starter page layout renders valid, accessible HTML from the documented context") {
  temp_site site;  // no templates/ folder: the built-in ones
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  REQUIRE(diags.empty());
  std::string html = render_or_empty(set, "formal", "page", sample_context(), diags);
  CHECK(diags.empty());
  CHECK(html.rfind("<!doctype html>\n<html lang=\"en-GB\">", 0) == 0);
  CHECK(html.find("<meta charset=\"utf-8\">") != std::string::npos);
  CHECK(html.find("name=\"viewport\"") != std::string::npos);
  CHECK(html.find("<title>Our promise – Our Children, Our Future</title>") != std::string::npos);
  CHECK(html.find("<meta name=\"description\" content=\"What we promise to every child we look "
                  "after.\">") != std::string::npos);
  CHECK(html.find("<link rel=\"stylesheet\" href=\"../assets/council/style.css\">") !=
        std::string::npos);
  CHECK(count_of(html, "<h1") == 1);
  CHECK(html.find("<h1 class=\"tandem-title\">Our promise</h1>") != std::string::npos);
  // The skip link is the first focusable element and leads to the main landmark.
  auto first_link = html.find("<a ");
  CHECK(html.find("<a class=\"tandem-skip-link\" href=\"#main\">") == first_link);
  CHECK(count_of(html, "<main id=\"main\"") == 1);
  CHECK(count_of(html, "<header") == 1);
  CHECK(count_of(html, "<footer") == 1);
  // Navigation in order, the current page marked.
  auto nav = html.find("<nav class=\"tandem-nav\" aria-label=\"Sections\">");
  REQUIRE(nav != std::string::npos);
  auto home = html.find(">Home</a>", nav);
  auto who = html.find(">Who we care for</a>", nav);
  auto promise = html.find("href=\"index.html\" aria-current=\"page\">Our promise</a>", nav);
  auto pledges = html.find(">Our pledges</a>", nav);
  CHECK(nav < home);
  CHECK(home < who);
  CHECK(who < promise);
  CHECK(promise < pledges);
  CHECK(count_of(html, "aria-current=\"page\"") == 1);
  // Contents, the page itself, previous and next, the other edition, the data date.
  CHECK(html.find("href=\"#what-we-will-do\">What we will do</a>") != std::string::npos);
  CHECK(html.find("<data value=\"777\" data-figure=\"children_in_care\">777</data>") !=
        std::string::npos);
  CHECK(html.find("rel=\"prev\"") != std::string::npos);
  CHECK(html.find("rel=\"next\"") != std::string::npos);
  CHECK(html.find("Read this in another version:") != std::string::npos);
  CHECK(html.find("<li><a class=\"tandem-editions__link\" "
                  "href=\"../young/our-promise/index.html\" hreflang=\"en-GB\" lang=\"en-GB\">"
                  "For children and young people</a></li>") != std::string::npos);
  CHECK(html.find("Figures as of 14 December 2025") != std::string::npos);
  // Nothing inline to run, nothing fetched from elsewhere.
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("src=\"http") == std::string::npos);
  CHECK(html.find("href=\"http") == std::string::npos);
  CHECK(html.find("style=") == std::string::npos);
}

TEST_CASE("the starter home and 404 layouts render from the same context") {
  temp_site site;
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  json home = sample_context();
  home["page"]["is_home"] = true;
  home["page"]["title"] = "Our Children, Our Future";
  home["page"]["has_toc"] = false;
  home["page"]["toc"] = json::array();
  home["prev"] = false;
  std::string html = render_or_empty(set, "formal", "home", home, diags);
  CHECK(diags.empty());
  CHECK(count_of(html, "<h1") == 1);
  CHECK(html.find("<title>Our Children, Our Future</title>") != std::string::npos);
  CHECK(html.find("class=\"tandem-lede\">What we promise") != std::string::npos);
  CHECK(html.find("tandem-toc") == std::string::npos);
  CHECK(html.find("rel=\"prev\"") == std::string::npos);
  CHECK(html.find("rel=\"next\"") != std::string::npos);

  json missing = sample_context();
  missing["page"]["title"] = "Page not found";
  missing["page"]["content"] = "";
  missing["page"]["has_toc"] = false;
  missing["prev"] = false;
  missing["next"] = false;
  missing["other_editions"][0]["has_page"] = false;
  html = render_or_empty(set, "formal", "404", missing, diags);
  CHECK(diags.empty());
  CHECK(html.find("<h1 class=\"tandem-title\">Page not found</h1>") != std::string::npos);
  CHECK(html.find("For children and young people</a> (home page)</li>") != std::string::npos);
  CHECK(html.find("tandem-pagination") == std::string::npos);
}

TEST_CASE("a young edition page names its edition and has no empty optional parts") {
  temp_site site;
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  json young = sample_context();
  young["edition"]["id"] = "young";
  young["edition"]["name"] = "For children and young people";
  young["edition"]["is_primary"] = false;
  young["site"]["subtitle"] = "";
  young["data"]["source"] = "";
  std::string html = render_or_empty(set, "young", "page", young, diags);
  CHECK(diags.empty());
  CHECK(html.find("(For children and young people)</title>") != std::string::npos);
  CHECK(html.find("tandem-header__subtitle") == std::string::npos);
  CHECK(html.find("Figures as of 14 December 2025.</p>") != std::string::npos);
}

TEST_CASE("the built-in themes load, with their stylesheets and assets") {
  temp_site site;
  for (const std::string name : {"council", "bright"}) {
    diagnostics diags;
    auto t = load_theme(site.dir(), name, diags);
    CHECK(diags.empty());
    REQUIRE(t.has_value());
    CHECK(t->name == name);
    CHECK(t->stylesheets == std::vector<std::string>{"style.css"});
    CHECK(t->scripts == (name == "bright" ? std::vector<std::string>{"read-aloud.js", "terms.js"}
                                          : std::vector<std::string>{}));
    REQUIRE(t->builtin_assets.count("style.css"));
    CHECK(t->builtin_assets.at("style.css").find("prefers-reduced-motion") != std::string::npos);
    output_tree out;
    add_theme_assets(*t, out);
    CHECK(out.contains("assets/" + name + "/style.css"));
  }
}

TEST_CASE("a site theme replaces the built-in theme of the same name wholesale") {
  temp_site site;
  site.write("themes/council/theme.json",
             "{\"name\": \"council\", \"stylesheets\": [\"css/site.css\"], \"scripts\": []}");
  site.write("themes/council/assets/css/site.css", "body { color: black; }");
  site.write("themes/council/assets/logo.svg", "<svg/>");
  diagnostics diags;
  auto t = load_theme(site.dir(), "council", diags);
  CHECK(diags.empty());
  REQUIRE(t.has_value());
  CHECK(t->builtin_assets.empty());
  CHECK(t->stylesheets == std::vector<std::string>{"css/site.css"});
  output_tree out;
  add_theme_assets(*t, out);
  CHECK(out.paths() ==
        std::vector<std::string>{"assets/council/css/site.css", "assets/council/logo.svg"});
  CHECK_FALSE(out.contains("assets/council/style.css"));
}

TEST_CASE("theme.json problems are reported where they are written") {
  temp_site site;
  site.write("themes/mine/theme.json",
             "{\n  \"name\": \"mine\",\n  \"stylesheet\": [\"a.css\"],\n"
             "  \"stylesheets\": [\"missing.css\", \"../x.css\"]\n}\n");
  diagnostics diags;
  auto t = load_theme(site.dir(), "mine", diags);
  CHECK_FALSE(t.has_value());
  auto found = with_id(diags, "theme.json");
  REQUIRE(found.size() == 3);
  CHECK(found[0].file == "themes/mine/theme.json");
  CHECK(found[0].line == 3);
  CHECK(found[0].level == severity::warning);
  CHECK(found[0].message.find("did you mean 'stylesheets'") != std::string::npos);
  CHECK(found[1].line == 4);
  CHECK(found[1].col == 19);
  CHECK(found[1].message.find("assets/missing.css") != std::string::npos);
  CHECK(found[2].col == 34);
}

TEST_CASE("an unknown key alone is only a warning, and the theme still loads") {
  temp_site site;
  site.write("themes/mine/theme.json",
             "{\"name\": \"mine\", \"colour\": \"red\", \"stylesheets\": [], \"scripts\": []}");
  diagnostics diags;
  auto t = load_theme(site.dir(), "mine", diags);
  CHECK(t.has_value());
  CHECK(diags.error_count() == 0);
  CHECK(diags.warning_count() == 1);
}

TEST_CASE("a theme that neither the site nor tandem has is reported") {
  temp_site site;
  diagnostics diags;
  CHECK_FALSE(load_theme(site.dir(), "councel", diags).has_value());
  auto found = with_id(diags, "theme.missing");
  REQUIRE(found.size() == 1);
  CHECK(found[0].message.find("did you mean 'council'") != std::string::npos);

  site.write("themes/empty/assets/style.css", "");
  diagnostics more;
  CHECK_FALSE(load_theme(site.dir(), "empty", more).has_value());
  CHECK(with_id(more, "theme.json").size() == 1);
}

TEST_CASE("a dotted name comes from the innermost scope that has all of it") {
  temp_site site;
  site.write("templates/page.mustache",
             "{{#items}}[{{page.title}}|{{page.note}}|{{name}}|{{.}}]{{/items}}"
             "{{#words}}<{{.}}>{{/words}}");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  // The first item has a `page` without a title: page.title comes from the root.
  json context = {{"page", {{"title", "Root"}, {"note", "root note"}}},
                  {"name", "root name"},
                  {"items", json::array({{{"page", {{"note", "own note"}}}, {"name", "one"}},
                                         {{"name", "two"}}})},
                  {"words", json::array({"a", "b"})}};
  CHECK(render_or_empty(set, "formal", "page", context, diags) ==
        "[Root|own note|one|][Root|root note|two|]<a><b>");
  CHECK(with_id(diags, "template.variable").size() == 1);  // {{.}} of an object, once per place
}

TEST_CASE("layers: a later layer's names win, and the earlier layers are still read") {
  temp_site site;
  site.write("templates/page.mustache", "{{site.title}}|{{page.title}}|{{edition.id}}|{{x}}");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  template_values shared(json{{"site", {{"title", "Site"}}}, {"x", "shared"}});
  template_values edition(json{{"edition", {{"id", "young"}}}, {"x", "edition"}});
  for (const std::string title : {"First", "Second"}) {
    template_values page(json{{"page", {{"title", title}}}, {"x", "page"}});
    auto html = set.render("formal", "page", {&shared, &edition, &page}, diags);
    REQUIRE(html.has_value());
    CHECK(*html == "Site|" + title + "|young|page");
  }
  template_values without_x(json{{"page", {{"title", "Third"}}}});
  auto html = set.render("formal", "page", {&shared, &edition, &without_x}, diags);
  REQUIRE(html.has_value());
  CHECK(*html == "Site|Third|young|edition");
  CHECK(diags.empty());
}

TEST_CASE("a layout's names are found through partials and sections; layers are looked up inward") {
  temp_site site;
  // Names only in a partial, only inside a section (looked up outward from each item), only in
  // an inverted section, dotted, and the current item.
  site.write("templates/page.mustache",
             "{{> head}}{{#items}}[{{name}}|{{root_url}}|{{.}}]{{/items}}"
             "{{^prev}}first{{/prev}}|{{a.b.c}}|{{x}}");
  site.write("templates/partials/head.mustache", "<{{page.title}}>{{#shown}}on{{/shown}}");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  CHECK(set.names_used("formal", "page") ==
        value_names{"", "a", "items", "name", "page", "prev", "root_url", "shown", "x"});
  CHECK(set.names_used("formal", "no-such-layout").empty());
  template_values shared(json{{"x", "shared x"}, {"root_url", "../"}, {"name", "shared name"}});
  json page = {{"page", {{"title", "Promise"}}},
               {"items", json::array({{{"name", "one"}}, "two"})},
               {"root_url", "../../"},
               {"prev", false},
               {"a", {{"b", {{"c", "deep"}}}}},
               {"shown", true},
               {"unused", {{"list", json::array({1, 2, 3})}}},
               {"x", "page x"}};
  template_values whole(page);
  auto html = set.render("formal", "page", {&shared, &whole}, diags);
  REQUIRE(html.has_value());
  CHECK(*html == "<Promise>on[one|../../|][shared name|../../|two]first|deep|page x");
  CHECK(with_id(diags, "template.variable").size() == 1);  // {{.}} of an object, once
  // Without the page's own x, the shared one is shown.
  page.erase("x");
  template_values without_x(page);
  html = set.render("formal", "page", {&shared, &without_x}, diags);
  REQUIRE(html.has_value());
  CHECK(*html == "<Promise>on[one|../../|][shared name|../../|two]first|deep|shared x");
}

TEST_CASE("the values of a group a layout shows are found where the render shows them") {
  temp_site site;
  // In the layout and in a partial; by a dotted name and inside the group's section; numbers
  // too; not in a section that is false, nor a name the group does not have, nor a value of
  // the same text that is not the group's.
  site.write("templates/page.mustache",
             "<p>{{figures.a.text}}</p>\n{{#figures.b}}{{about}} {{label}}{{/figures.b}}\n"
             "{{#page.is_home}}{{figures.c.text}}{{/page.is_home}}{{^page.is_home}}{{> more}}"
             "{{/page.is_home}}\n{{figures.zz.text}} {{page.title}}");
  site.write("templates/partials/more.mustache", "\n  {{figures.c.value}}");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  REQUIRE(diags.empty());
  template_values shared(json{{"figures",
                               {{"a", {{"text", "777"}}},
                                {"b", {{"about", "about 700"}, {"label", "care leavers"}}},
                                {"c", {{"text", "41.2%"}, {"value", 41.2}}}}}});
  template_values page(json{{"page", {{"is_home", false}, {"title", "777"}}}});
  std::vector<std::string> found;
  for (const shown_value& v : set.shown_from("formal", "page", {&shared, &page}, "figures"))
    found.push_back(v.key + "." + v.field + "=" + v.text + " " + v.file + ":" +
                    std::to_string(v.pos.line) + ":" + std::to_string(v.pos.col));
  CHECK(found == std::vector<std::string>{"a.text=777 templates/page.mustache:1:4",
                                          "b.about=about 700 templates/page.mustache:2:15",
                                          "b.label=care leavers templates/page.mustache:2:25",
                                          "c.value=41.2 templates/partials/more.mustache:2:3"});
  // On the home page, the section shows c's text instead of the partial.
  template_values home(json{{"page", {{"is_home", true}, {"title", "Home"}}}});
  auto shown = set.shown_from("formal", "page", {&shared, &home}, "figures");
  REQUIRE(shown.size() == 4);
  CHECK(shown[3].key + "." + shown[3].field == "c.text");
  // A layout that does not exist, or a context without the group, shows none.
  CHECK(set.shown_from("formal", "print-me", {&shared, &page}, "figures").empty());
  CHECK(set.shown_from("formal", "page", {&page}, "figures").empty());
}

TEST_CASE("values are escaped as kainjow escapes them, in layouts and partials") {
  temp_site site;
  site.write("templates/partials/p.mustache", "<{{v}}>");
  site.write("templates/page.mustache", "{{v}}|{{{v}}}|{{#list}}{{.}};{{/list}}|{{> p}}");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  for (std::string v : {std::string("plain"), std::string("&<>\"'"),
                        std::string("a & b's <i>\"x\"</i> ’ done&"), std::string("x&")}) {
    std::string e = kainjow::mustache::html_escape(v);
    json context = {{"v", v}, {"list", {v, "&", "x"}}};
    CHECK(render_or_empty(set, "formal", "page", context, diags) ==
          e + "|" + v + "|" + e + ";&amp;;x;|<" + e + ">");
  }
  CHECK(kainjow::mustache::html_escape(std::string("&<>\"'")) == "&amp;&lt;&gt;&quot;&apos;");
}

TEST_CASE("a render that finds every name skips the name checks, and never loses a report") {
  // Each template is rendered as it is and with one missing name added at its end, which
  // makes the checks run whatever the render found: what they report about the template's
  // own tags must be the same both ways.
  const std::vector<std::string> names = {"name",       "empty",   "none",       "no",        "yes",
                                          "count",      "items",   "group",      "page",      ".",
                                          "page.title", "missing", "items.name", "group.deep"};
  const std::vector<json> contexts = {
      json{{"name", "n"},
           {"empty", ""},
           {"none", nullptr},
           {"no", false},
           {"yes", true},
           {"count", 3},
           {"items", json::array({{{"name", "i"}}, "s", false, 2})},
           {"group", {{"deep", "d"}}},
           {"page", {{"title", "t"}}}},
      json{{"name", json::array()}, {"items", json::object()}, {"group", "text"}},
      json::object(),
  };
  std::mt19937 random(112026);
  auto pick = [&](const auto& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(random)];
  };
  std::function<std::string(int)> make = [&](int depth) {
    std::string t;
    for (int i = 0, n = std::uniform_int_distribution<int>(1, 4)(random); i < n; ++i) {
      std::string name = pick(names);
      int what = std::uniform_int_distribution<int>(0, 4)(random);
      if (what <= 1 || depth == 0)
        t += (what == 1 ? "{{{" + name + "}}}" : "{{" + name + "}}") + " ";
      else
        t += "\n{{" + std::string(what == 4 ? "^" : "#") + name + "}}" + make(depth - 1) + "{{/" +
             name + "}}\n";
    }
    return t;
  };
  auto reports = [](const diagnostics& diags) {
    std::vector<std::string> all;
    for (const diagnostic& d : diags.sorted())
      if (d.message.find("zz_forced") == std::string::npos)
        all.push_back(std::to_string(d.line) + ":" + std::to_string(d.col) + " " + d.id + " " +
                      d.message);
    return all;
  };
  std::size_t clean = 0, reported = 0;
  for (int n = 0; n < 60; ++n) {
    temp_site site;
    std::string text = make(3);
    CAPTURE(text);
    site.write("templates/page.mustache", text);
    site.write("templates/forced.mustache", text + "{{zz_forced}}");
    diagnostics loading;
    auto set = template_set::load(site.dir(), loading);
    REQUIRE(loading.empty());
    for (const json& context : contexts) {
      diagnostics as_is, forced;
      auto html = set.render("formal", "page", context, as_is);
      auto forced_html = set.render("formal", "forced", context, forced);
      REQUIRE(html.has_value());
      REQUIRE(forced_html.has_value());
      CHECK(*forced_html == *html);  // the missing name shows nothing
      CHECK(reports(as_is) == reports(forced));
      (as_is.empty() ? clean : reported) += 1;
    }
  }
  // Renders with nothing to report and with reports both happened.
  CHECK(clean > 10);
  CHECK(reported > 50);
}

TEST_CASE("{{.}} inside an inverted section is checked as the value around it") {
  temp_site site;
  site.write("templates/page.mustache", "{{^no}}[{{.}}]{{/no}}{{^no}}{{#.}}{{inner}}{{/.}}{{/no}}");
  diagnostics diags;
  auto set = template_set::load(site.dir(), diags);
  REQUIRE(diags.empty());
  auto html = set.render("formal", "page", json{{"no", false}}, diags);
  REQUIRE(html.has_value());
  CHECK(*html == "[]");
  // The checks' {{.}} is the page's values: a group of values, not text, and it has no inner.
  auto found = with_id(diags, "template.variable");
  REQUIRE(found.size() == 2);
  CHECK(found[0].message.find("group of values") != std::string::npos);
  CHECK(found[1].message.find("'inner'") != std::string::npos);
}
