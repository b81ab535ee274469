// `tandem new page|pledge NAME`: the files a comms officer starts a section or pledge from.
#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "fs.hpp"
#include "scaffold.hpp"
#include "site.hpp"
#include "temp_site.hpp"

using namespace tandem;
namespace fs = std::filesystem;

namespace {

/// A copy of a site's content (the example's by default) in a fresh folder.
struct site_copy : testing::temp_site {
  explicit site_copy(const fs::path& from = testing::source_dir) {
    copy(from / "content", "content");
  }
  std::set<std::string> files(const std::string& folder) const {
    auto listed = list_files(dir() / folder);
    return {listed.begin(), listed.end()};
  }
};

struct result {
  int code;
  std::string out, err;
};

result run(const site_copy& site, const std::string& kind, const std::string& name) {
  std::ostringstream out, err;
  int code = run_new(site.dir(), kind, name, out, err);
  return {code, out.str(), err.str()};
}

/// The highest NN- of the files in a folder, read independently of the code under test.
int highest_number(const fs::path& folder) {
  int highest = 0;
  static const std::regex numbered("([0-9]+)-.*\\.md");
  for (const auto& name : list_files(folder)) {
    std::smatch m;
    if (std::regex_match(name, m, numbered)) highest = std::max(highest, std::stoi(m[1].str()));
  }
  return highest;
}

/// Each diagnostic as one comparable line.
std::multiset<std::string> problems_of(const site_run& run) {
  std::multiset<std::string> all;
  for (const auto& d : run.diags.items())
    all.insert(d.file + ":" + std::to_string(d.line) + ": " + d.id + " " + d.message);
  return all;
}

/// The problems besides `content.placeholder`, the words `tandem new` leaves to be replaced.
std::multiset<std::string> problems_besides_placeholders(const site_run& run) {
  std::multiset<std::string> all;
  for (const auto& d : run.diags.items())
    if (d.id != "content.placeholder")
      all.insert(d.file + ":" + std::to_string(d.line) + ": " + d.id + " " + d.message);
  return all;
}

/// The `content.placeholder` warnings (the sorted, distinct ones).
std::size_t placeholders_of(const site_run& run) {
  std::size_t n = 0;
  for (const auto& d : run.diags.sorted())
    if (d.id == "content.placeholder" && d.level == severity::warning) ++n;
  return n;
}

}  // namespace

TEST_CASE("names become slugs of lowercase words joined by dashes") {
  CHECK(section_slug("our-promise") == "our-promise");
  CHECK(section_slug("Our Promise") == "our-promise");
  CHECK(section_slug("  Our   Promise!  ") == "our-promise");
  CHECK(section_slug("Children's voices") == "childrens-voices");
  CHECK(section_slug("Children\xE2\x80\x99s voices") == "childrens-voices");
  CHECK(section_slug("Caf\xC3\xA9 & Cr\xC3\xA8"
                     "che") == "cafe-creche");
  CHECK(section_slug("\xC3\x86sop \xC3\x9F") == "aesop-ss");
  CHECK(section_slug("Plan 2026/27") == "plan-2026-27");
  CHECK(section_slug("under_scored_name") == "under-scored-name");
  CHECK(section_slug("--x--") == "x");
  CHECK(section_slug("!!!").empty());
  CHECK(section_slug("").empty());
  CHECK(section_slug("\xE2\x9C\x93").empty());  // a tick mark alone
}

TEST_CASE("the title is the name as typed, or the words of a slug") {
  CHECK(title_from_name("our-promise") == "Our promise");
  CHECK(title_from_name("leaving_care") == "Leaving care");
  CHECK(title_from_name("Our Promise") == "Our Promise");
  CHECK(title_from_name("  Our   Promise ") == "Our Promise");
  CHECK(title_from_name("Health: what we will do") == "Health: what we will do");
}

TEST_CASE("new page: a file per edition, numbered after the highest, that passes check") {
  site_copy site;
  site_run before = load_and_render(site.dir());
  REQUIRE_FALSE(before.diags.has_errors());
  int next = highest_number(site.dir() / "content/pages") + 1;
  std::string stem = (next < 10 ? "0" : "") + std::to_string(next) + "-leaving-care";
  auto pages_before = site.files("content/pages");

  result r = run(site, "page", "Leaving care");
  CHECK_MESSAGE(r.code == 0, r.err);
  std::set<std::string> added;
  for (const auto& f : site.files("content/pages"))
    if (!pages_before.count(f)) added.insert(f);
  CHECK(added == std::set<std::string>{stem + ".md", stem + ".young.md"});
  CHECK(r.out.find("content/pages/" + stem + ".md\n") != std::string::npos);
  CHECK(r.out.find("content/pages/" + stem + ".young.md\n") != std::string::npos);

  std::string primary = site.read("content/pages/" + stem + ".md");
  CHECK(primary.rfind("---\ntitle: Leaving care\nsummary: ", 0) == 0);
  CHECK(primary.find("\n# ") != std::string::npos);                    // the guide
  CHECK(primary.find("{{ children_in_care }}") != std::string::npos);  // a figure that exists
  CHECK(primary.find("content/pages/" + stem + ".young.md") != std::string::npos);
  std::string young = site.read("content/pages/" + stem + ".young.md");
  CHECK(young.find("title: Leaving care\n") != std::string::npos);
  CHECK(young.find("20 words or fewer") != std::string::npos);  // the young edition's limit

  // The site still builds, with no problem more than before but a warning for each of the
  // summary and text left to write in each file, and shows the section.
  site_run after = load_and_render(site.dir());
  CHECK_FALSE(after.diags.has_errors());
  CHECK(problems_besides_placeholders(after) == problems_of(before));
  CHECK(placeholders_of(after) == 4);
  REQUIRE(after.rendered);
  const std::string* page = after.rendered->out.bytes("leaving-care/index.html");
  REQUIRE(page != nullptr);
  CHECK(page->find("Leaving care") != std::string::npos);
  CHECK(after.rendered->out.contains("young/leaving-care/index.html"));
  // The notes are not published.
  CHECK(page->find("notes for you") == std::string::npos);

  // The next one follows it.
  result again = run(site, "page", "after-care");
  CHECK(again.code == 0);
  std::string stem2 = (next + 1 < 10 ? "0" : "") + std::to_string(next + 1) + "-after-care";
  CHECK(fs::exists(site.dir() / ("content/pages/" + stem2 + ".md")));
}

TEST_CASE("new page: a name already used is refused, naming the file, and nothing is written") {
  site_copy site;
  auto pages_before = site.files("content/pages");
  auto texts_before = site.read("content/pages/06-our-promise.md");
  for (std::string name : {"our-promise", "Our Promise", "OUR PROMISE!"}) {
    CAPTURE(name);
    result r = run(site, "page", name);
    CHECK(r.code == 1);
    CHECK(r.err.find("content/pages/06-our-promise.md") != std::string::npos);
    CHECK(r.err.find("already exists") != std::string::npos);
    CHECK(r.out.empty());
  }
  CHECK(site.files("content/pages") == pages_before);
  CHECK(site.read("content/pages/06-our-promise.md") == texts_before);

  // A slug used only by another edition's file is taken too.
  fs::rename(site.dir() / "content/pages/06-our-promise.md",
             site.dir() / "content/pages/06-our-promise.notes");
  result r = run(site, "page", "our promise");
  CHECK(r.code == 1);
  CHECK(r.err.find("content/pages/06-our-promise.young.md") != std::string::npos);
}

TEST_CASE("new pledge: a file per edition with a role, numbered after the highest pledge") {
  site_copy site;
  site_run before = load_and_render(site.dir());
  int next = highest_number(site.dir() / "content/pledges") + 1;
  std::string stem = (next < 10 ? "0" : "") + std::to_string(next) + "-head-of-libraries";

  result r = run(site, "pledge", "Head of Libraries");
  CHECK_MESSAGE(r.code == 0, r.err);
  std::string primary = site.read("content/pledges/" + stem + ".md");
  std::string young = site.read("content/pledges/" + stem + ".young.md");
  CHECK(primary.rfind("---\nrole: ", 0) == 0);
  CHECK(young.rfind("---\nrole: ", 0) == 0);
  CHECK(primary.find("I will") != std::string::npos);
  CHECK(site.files("content/pages").count(stem + ".md") == 0);  // pledges are not sections

  site_run after = load_and_render(site.dir());
  CHECK_FALSE(after.diags.has_errors());
  CHECK(problems_besides_placeholders(after) == problems_of(before));
  CHECK(placeholders_of(after) == 4);  // the role and the wording, in each file

  result clash = run(site, "pledge", "director");
  CHECK(clash.code == 1);
  CHECK(clash.err.find("content/pledges/01-director.md") != std::string::npos);
}

TEST_CASE("new: every edition of a three-edition site, numbers as wide as the others") {
  site_copy site(fs::path(TANDEM_SOURCE_DIR) / "tests/sites/three-editions");
  // The highest number decides, and is written as wide as it is there.
  site.write("content/pages/007-later.md", "---\ntitle: Later\n---\nLater.\n");
  site.write("content/pages/007-later.young.md", "---\ntitle: Later\n---\nLater.\n");
  site.write("content/pages/007-later.easy-read.md", "---\ntitle: Later\n---\nLater.\n");
  site_run before = load_and_render(site.dir());

  result r = run(site, "page", "Keeping in touch");
  CHECK_MESSAGE(r.code == 0, r.err);
  for (std::string file : {"008-keeping-in-touch.md", "008-keeping-in-touch.young.md",
                           "008-keeping-in-touch.easy-read.md"}) {
    CAPTURE(file);
    CHECK(fs::exists(site.dir() / "content/pages" / file));
  }
  site_run after = load_and_render(site.dir());
  CHECK_FALSE(after.diags.has_errors());
  CHECK(problems_besides_placeholders(after) == problems_of(before));
  CHECK(placeholders_of(after) == 6);
}

TEST_CASE("new: the first of its kind is number 01, in a folder made for it") {
  site_copy site(fs::path(TANDEM_SOURCE_DIR) / "tests/sites/three-editions");
  site.remove("content/pledges");
  result r = run(site, "pledge", "Director");
  CHECK_MESSAGE(r.code == 0, r.err);
  CHECK(site.files("content/pledges") == std::set<std::string>{"01-director.md",
                                                               "01-director.young.md",
                                                               "01-director.easy-read.md"});
}

TEST_CASE("new: a title that YAML would misread is quoted, and reads back as typed") {
  site_copy site(fs::path(TANDEM_SOURCE_DIR) / "tests/sites/three-editions");
  result r = run(site, "page", "Health: \"what\" we will do #1");
  CHECK_MESSAGE(r.code == 0, r.err);
  site_run after = load_and_render(site.dir());
  CHECK_FALSE(after.diags.has_errors());
  REQUIRE(after.model);
  bool found = false;
  for (const auto& sec : after.model->content.sections) {
    if (sec.slug != "health-what-we-will-do-1") continue;
    found = true;
    CHECK(sec.pages.at("formal").meta.title == "Health: \"what\" we will do #1");
  }
  CHECK(found);
}

TEST_CASE("new: a name with no letters or digits is a usage error, and writes nothing") {
  site_copy site(fs::path(TANDEM_SOURCE_DIR) / "tests/sites/three-editions");
  auto before = site.files("content/pages");
  result r = run(site, "page", "?!");
  CHECK(r.code == 2);
  CHECK(r.err.find("no letters or numbers") != std::string::npos);
  CHECK(site.files("content/pages") == before);
}
