// Rendering on many threads: the output and the diagnostics must not depend on the number of
// threads, and values no template shows are not built.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "model.hpp"
#include "render.hpp"
#include "templates.hpp"

using namespace tandem;
namespace fs = std::filesystem;

namespace {

class temp_site {
 public:
  temp_site() {
    std::random_device random;
    dir_ = fs::temp_directory_path() / ("tandem-render-test-" + std::to_string(random()));
    fs::create_directories(dir_);
  }
  ~temp_site() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  temp_site(const temp_site&) = delete;
  temp_site& operator=(const temp_site&) = delete;

  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel, std::ios::binary) << text;
  }
  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
};

std::string two_digits(int n) {
  return (n < 10 ? "0" : "") + std::to_string(n);
}

// Forty sections in two editions, with figures, links between sections, glossary terms, and a
// mistake in every seventh section so that diagnostics come from many pages.
void write_many_sections(const temp_site& site) {
  site.write("content/site.json", R"({
  "title": "Many sections", "language": "en-GB", "base_url": "https://example.org/many/",
  "editions": [ { "id": "formal", "name": "Full", "path": "" },
                { "id": "young", "name": "Young", "path": "young" } ] })");
  site.write("content/data/stats.json", R"({ "as_of": "2025-12-14", "figures": {
  "children_in_care": { "label": "children looked after", "value": 777 },
  "foster_care": { "label": "in foster care", "value": 41.2, "unit": "percent" } } })");
  site.write("content/glossary.json",
             R"({ "SYPAC": { "stands_for": "Supporting Young People After Care",
                             "means": "A forum.", "young": "A group." } })");
  site.write("content/pages/index.md", "---\ntitle: Home\n---\nWelcome to {{ as_of }}.\n");
  site.write("content/pages/index.young.md", "---\ntitle: Home\n---\nHello.\n");
  site.write("content/pages/99-glossary.md", "---\ntitle: Words\n---\n{{ glossary }}\n");
  site.write("content/pages/99-glossary.young.md", "---\ntitle: Words\n---\n{{ glossary }}\n");
  for (int n = 1; n <= 40; ++n) {
    std::string stem = two_digits(n) + "-part-" + std::to_string(n);
    std::string next = two_digits(n % 40 + 1) + "-part-" + std::to_string(n % 40 + 1);
    std::string body =
        "## Where we are\n\nWe look after {{ children_in_care }} children and "
        "{{ foster_care:in_ten }} live with carers, with the SYPAC.\n\n"
        "## What comes next\n\nSee [the next part](" +
        next +
        ".md#where-we-are).\n\n| Figure | Now |\n|---|---|\n| "
        "Care | {{ children_in_care:about }} |\n";
    if (n % 7 == 0) body += "\nA mistake: {{ children_in_kare }}.\n";
    site.write("content/pages/" + stem + ".md",
               "---\ntitle: Part " + std::to_string(n) + "\n---\n" + body);
    site.write("content/pages/" + stem + ".young.md",
               "---\ntitle: Part " + std::to_string(n) + " for you\n---\n" + body);
  }
}

struct rendered {
  render_result result;
  diagnostics diags;
};

rendered render_with_threads(const fs::path& dir, unsigned threads) {
  rendered r;
  auto model = load_site(dir, r.diags);
  REQUIRE(model.has_value());
  template_set templates = template_set::load(dir, r.diags);
  render_options options;
  options.threads = threads;
  r.result = render_site(*model, templates, r.diags, options);
  return r;
}

void check_same(const rendered& one, const rendered& many) {
  REQUIRE(one.result.out.paths() == many.result.out.paths());
  for (const auto& [path, entry] : one.result.out.entries()) {
    const auto& other = many.result.out.entries().at(path);
    CHECK_MESSAGE(entry.bytes == other.bytes, path);
    CHECK(entry.copy_from == other.copy_from);
  }
  REQUIRE(one.result.pages.size() == many.result.pages.size());
  for (std::size_t i = 0; i < one.result.pages.size(); ++i) {
    CHECK(one.result.pages[i].output_path == many.result.pages[i].output_path);
    CHECK(one.result.pages[i].figures.size() == many.result.pages[i].figures.size());
  }
  // The same problems in the same order, not only the same set.
  REQUIRE(one.diags.items().size() == many.diags.items().size());
  for (std::size_t i = 0; i < one.diags.items().size(); ++i) {
    const diagnostic& a = one.diags.items()[i];
    const diagnostic& b = many.diags.items()[i];
    CHECK(a.file == b.file);
    CHECK(a.line == b.line);
    CHECK(a.col == b.col);
    CHECK(a.id == b.id);
    CHECK(a.message == b.message);
  }
}

}  // namespace

TEST_CASE("a parallel render is byte-identical to a single-threaded one, problems included") {
  temp_site site;
  write_many_sections(site);
  rendered one = render_with_threads(site.dir(), 1);
  // The site renders, with one unknown figure in each of the 5 sections that have one, in each
  // edition: 10 problems, all reported.
  CHECK(one.result.pages.size() == 84);
  CHECK(one.diags.error_count() == 10);
  CHECK(one.result.out.bytes("young/part-3/index.html") != nullptr);
  for (unsigned threads : {2u, 3u, 8u}) {
    CAPTURE(threads);
    check_same(one, render_with_threads(site.dir(), threads));
  }
}

TEST_CASE("the example site renders the same on one thread and on many") {
  fs::path example = fs::path(TANDEM_SOURCE_DIR);
  rendered one = render_with_threads(example, 1);
  CHECK_FALSE(one.diags.has_errors());
  CHECK(one.result.pages.size() > 30);
  check_same(one, render_with_threads(example, 4));
}

TEST_CASE("TANDEM_THREADS sets the number of threads unless the options do") {
  render_options automatic;
  render_options two;
  two.threads = 2;
  ::setenv("TANDEM_THREADS", "3", 1);
  CHECK(render_thread_count(automatic) == 3);
  CHECK(render_thread_count(two) == 2);
  ::setenv("TANDEM_THREADS", "many", 1);
  CHECK(render_thread_count(automatic) >= 1);
  ::unsetenv("TANDEM_THREADS");
}

TEST_CASE("a layout that shows no navigation still gets 'nav' suggested for a misspelling") {
  temp_site site;
  site.write("content/site.json",
             R"({ "title": "T", "editions": [ { "id": "formal", "path": "" } ] })");
  site.write("content/data/stats.json", R"({ "as_of": "2025-12-14", "figures": {} })");
  site.write("content/pages/index.md", "---\ntitle: Home\n---\nHello.\n");
  site.write("content/pages/01-a.md", "---\ntitle: A\n---\nHello.\n");
  site.write("templates/page.mustache", "<h1>{{page.title}}</h1>{{#navv}}x{{/navv}}\n");
  site.write("templates/home.mustache", "<h1>{{page.title}}</h1>\n");
  diagnostics diags;
  auto model = load_site(site.dir(), diags);
  REQUIRE(model.has_value());
  template_set templates = template_set::load(site.dir(), diags);
  CHECK_FALSE(templates.mentions("formal", "page", "nav"));
  CHECK(templates.mentions("formal", "page", "navv"));
  CHECK(templates.mentions("formal", "page", "page"));
  render_site(*model, templates, diags);
  bool suggested = false;
  for (const auto& d : diags.sorted())
    if (d.id == "template.variable" && d.message.find("did you mean 'nav'") != std::string::npos)
      suggested = true;
  CHECK(suggested);
}

TEST_CASE("layers of template values render as one object would") {
  temp_site site;
  site.write("templates/page.mustache",
             "{{site.title}}|{{page.title}}|{{#nav}}[{{title}}{{#is_current}}*{{/is_current}}]"
             "{{/nav}}|{{site.missing}}\n");
  diagnostics diags;
  template_set templates = template_set::load(site.dir(), diags);
  nlohmann::json shared = {{"site", {{"title", "S"}}}};
  nlohmann::json page = {
      {"page", {{"title", "P"}}},
      {"nav", {{{"title", "a"}, {"is_current", false}}, {{"title", "b"}, {"is_current", true}}}}};
  nlohmann::json merged = shared;
  merged.update(page);
  diagnostics one_diags, layered_diags;
  auto one = templates.render("formal", "page", merged, one_diags);
  template_values shared_values(shared), page_values(page);
  auto layered = templates.render("formal", "page", {&shared_values, &page_values}, layered_diags);
  REQUIRE(one.has_value());
  REQUIRE(layered.has_value());
  CHECK(*one == "S|P|[a][b*]|\n");
  CHECK(*layered == *one);
  REQUIRE(one_diags.sorted().size() == 1);
  REQUIRE(layered_diags.sorted().size() == 1);
  CHECK(layered_diags.sorted()[0].message == one_diags.sorted()[0].message);
}

TEST_CASE("figures.json is the manifest of every figure shown, written as JSON with indents") {
  temp_site site;
  write_many_sections(site);
  rendered r = render_with_threads(site.dir(), 2);
  const std::string* written = r.result.out.bytes("figures.json");
  REQUIRE(written != nullptr);
  auto model_diags = diagnostics();
  auto model = load_site(site.dir(), model_diags);
  REQUIRE(model.has_value());
  CHECK(*written == figures_manifest(*model, r.result.pages).dump(2) + "\n");
  auto parsed = nlohmann::json::parse(*written);
  // The formal home page's date, and three figures in each section of each edition (the
  // unknown figures are not shown).
  CHECK(parsed["uses"].size() == 1 + 2 * 40 * 3);
  CHECK(parsed["uses"][0]["key"] == "as_of");
}
