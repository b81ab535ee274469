#include <doctest/doctest.h>

#include <string>

#include "content.hpp"
#include "temp_site.hpp"

using namespace tandem;
using tandem::testing::temp_site;

namespace {

site_config two_editions() {
  site_config config;
  config.title = "T";
  edition formal;
  formal.id = "formal";
  edition young;
  young.id = "young";
  young.path = "young";
  config.editions = {formal, young};
  return config;
}

struct loaded {
  std::vector<glossary_entry> entries;
  std::vector<diagnostic> problems;
};

loaded load(const std::string& json) {
  temp_site site;
  site.write("content/glossary.json", json);
  diagnostics diags;
  auto entries = load_glossary(site.dir(), two_editions(), diags);
  return {std::move(entries), diags.sorted()};
}

diagnostic only_problem(const loaded& l) {
  REQUIRE(l.problems.size() == 1);
  return l.problems.front();
}

bool mentions(const diagnostic& d, std::string_view text) {
  return d.message.find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("the SPEC example, sorted by term") {
  auto l = load(R"({
  "SYPAC": { "stands_for": "Supporting Young People After Care",
             "means": "The forum for care leavers aged 18 to 25.",
             "young": "A group where young people who have left care meet every month." },
  "PEP": { "stands_for": "Personal Education Plan", "means": "A plan for a child's education." },
  "corporate parent": { "means": "The council, acting as a parent." }
})");
  CHECK(l.problems.empty());
  REQUIRE(l.entries.size() == 3);
  CHECK(l.entries[0].term == "PEP");
  CHECK(l.entries[1].term == "SYPAC");
  CHECK(l.entries[2].term == "corporate parent");
  const glossary_entry& sypac = l.entries[1];
  CHECK(sypac.stands_for == "Supporting Young People After Care");
  CHECK(sypac.means == "The forum for care leavers aged 18 to 25.");
  CHECK(sypac.pos.line == 2);
  CHECK(sypac.pos.col == 3);
  CHECK(sypac.means_for("formal") == "The forum for care leavers aged 18 to 25.");
  CHECK(sypac.means_for("young") ==
        "A group where young people who have left care meet every month.");
  CHECK(sypac.means_for("easy") == "The forum for care leavers aged 18 to 25.");
  CHECK(l.entries[0].means_for("young") == "A plan for a child's education.");
  CHECK(l.entries[2].stands_for.empty());
}

TEST_CASE("a missing glossary is empty and not a problem") {
  temp_site site;
  site.make_folder("content");  // there, without glossary.json in it
  diagnostics diags;
  CHECK(load_glossary(site.dir(), two_editions(), diags).empty());
  CHECK(diags.empty());
}

TEST_CASE("syntax errors and duplicates use glossary ids") {
  auto syntax = load("{\n  \"PEP\": { \"means\": \"x\" },\n  \"SGO\" { \"means\": \"y\" }\n}");
  CHECK(syntax.entries.empty());
  auto d = only_problem(syntax);
  CHECK(d.id == "glossary.syntax");
  CHECK(d.file == "content/glossary.json");
  CHECK(d.line == 3);
  // A comma left out is reported, and both entries are read.
  auto comma = load("{\n  \"PEP\": { \"means\": \"x\" }\n  \"SGO\": { \"means\": \"y\" }\n}");
  CHECK(only_problem(comma).id == "glossary.syntax");
  CHECK(comma.entries.size() == 2);

  auto dup = load("{\"PEP\": {\"means\": \"x\"},\n \"PEP\": {\"means\": \"y\"}}");
  auto dd = only_problem(dup);
  CHECK(dd.id == "glossary.duplicate");
  CHECK(dd.line == 2);
  CHECK(mentions(dd, "first at line 1, column 2"));
  REQUIRE(dup.entries.size() == 1);
  CHECK(dup.entries[0].means == "x");
}

TEST_CASE("terms that differ only in capitals or spaces, or that get the same id, are duplicates") {
  auto cased = load("{\"Advocate\": {\"means\": \"x\"},\n \"advocate\": {\"means\": \"y\"}}");
  auto d = only_problem(cased);
  CHECK(d.id == "glossary.duplicate");
  CHECK(d.level == severity::error);
  CHECK(d.line == 2);
  CHECK(d.col == 2);
  CHECK(mentions(d, "\"advocate\" is the same term as \"Advocate\" (first at line 1, column 2)"));
  CHECK(mentions(d, "keep only one of them"));
  REQUIRE(cased.entries.size() == 1);
  CHECK(cased.entries[0].means == "x");

  for (std::string term : {"Care  leaver", " Care leaver", "Care leaver ", "care\\tleaver"}) {
    CAPTURE(term);
    auto spaced =
        load("{\"Care leaver\": {\"means\": \"x\"},\n \"" + term + "\": {\"means\": \"y\"}}");
    auto sd = only_problem(spaced);
    CHECK(sd.id == "glossary.duplicate");
    CHECK(sd.line == 2);
    CHECK(mentions(sd, "is the same term as \"Care leaver\" (first at line 1, column 2)"));
    CHECK(spaced.entries.size() == 1);
  }

  auto same_id =
      load("{\"Care leaver\": {\"means\": \"x\"},\n \"care-leaver\": {\"means\": \"y\"}}");
  auto id = only_problem(same_id);
  CHECK(id.id == "glossary.duplicate");
  CHECK(id.line == 2);
  CHECK(mentions(id,
                 "\"care-leaver\" would get the same link on the glossary page, "
                 "#term-care-leaver, as \"Care leaver\" (first at line 1, column 2)"));
  CHECK(same_id.entries.size() == 1);

  // Each one is reported, with an exact duplicate, in one run; different ids are fine.
  auto three = load(R"({"PEP": {"means": "x"}, "pep": {"means": "y"}, "PEP": {"means": "z"},
                        "PEP!": {"means": "w"}, "PEPs": {"means": "v"}})");
  CHECK(three.problems.size() == 3);
  for (const auto& p : three.problems) CHECK(p.id == "glossary.duplicate");
  CHECK(three.entries.size() == 2);
}

TEST_CASE("means is required") {
  auto missing = load(R"({"PEP": {"stands_for": "Personal Education Plan"}})");
  auto d = only_problem(missing);
  CHECK(d.id == "glossary.required");
  CHECK(mentions(d, "\"PEP\" has no \"means\""));
  CHECK(only_problem(load(R"({"PEP": {"means": "  "}})")).id == "glossary.required");
  CHECK(only_problem(load(R"({"": {"means": "x"}})")).id == "glossary.required");
}

TEST_CASE("types") {
  CHECK(only_problem(load(R"({"PEP": "Personal Education Plan"})")).id == "glossary.type");
  CHECK(only_problem(load(R"({"PEP": {"means": 5}})")).id == "glossary.type");
  CHECK(only_problem(load(R"({"PEP": {"means": "x", "young": ["y"]}})")).id == "glossary.type");
  CHECK(only_problem(load(R"({"PEP": {"means": "x", "stands_for": null}})")).id == "glossary.type");
  auto list = load(R"([{"term": "PEP"}])");
  CHECK(list.entries.empty());
  CHECK(only_problem(list).id == "glossary.type");
}

TEST_CASE("unknown keys and unknown editions are warnings") {
  auto l = load(R"({"PEP": {"means": "x", "stand_for": "y", "yuong": "z", "easy": "w"}})");
  REQUIRE(l.entries.size() == 1);
  CHECK(l.entries[0].stands_for.empty());
  CHECK(l.entries[0].edition_means.empty());
  REQUIRE(l.problems.size() == 3);
  for (const auto& d : l.problems) {
    CHECK(d.id == "glossary.unknown_key");
    CHECK(d.level == severity::warning);
  }
  CHECK(mentions(l.problems[0], "did you mean \"stands_for\"?"));
  CHECK(mentions(l.problems[1], "did you mean \"young\"?"));
  CHECK(mentions(l.problems[2], "\"easy\""));
  CHECK(mentions(l.problems[2], "stands_for, means, formal, young"));
}

TEST_CASE("wording for the primary edition's id is accepted") {
  auto l = load(R"({"PEP": {"means": "x", "formal": "f"}})");
  CHECK(l.problems.empty());
  CHECK(l.entries[0].means_for("formal") == "f");
  CHECK(l.entries[0].means_for("young") == "x");
}

TEST_CASE("wording for an edition left out because of its error in site.json is not reported") {
  site_config config = two_editions();
  config.editions.pop_back();
  config.dropped_editions = {"young"};
  temp_site site;
  site.write("content/glossary.json", R"({"PEP": {"means": "x", "young": "y", "easy": "w"}})");
  diagnostics diags;
  auto entries = load_glossary(site.dir(), config, diags);
  REQUIRE(entries.size() == 1);
  auto problems = diags.sorted();
  REQUIRE(problems.size() == 1);  // "easy" is not an edition site.json names
  CHECK(problems[0].id == "glossary.unknown_key");
  CHECK(mentions(problems[0], "unknown key \"easy\""));
  CHECK(mentions(problems[0], "the keys that can be used here are: stands_for, means, formal"));
  CHECK_FALSE(mentions(problems[0], "young"));  // left out: not a key to use
  CHECK(entries[0].edition_means.empty());
}
