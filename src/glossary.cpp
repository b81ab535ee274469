// content/glossary.json: jargon and acronyms with plain explanations, per edition (SPEC 6).
#include <algorithm>
#include <map>

#include "content.hpp"
#include "fs.hpp"
#include "json.hpp"
#include "text.hpp"

namespace tandem {

const std::string& glossary_entry::means_for(const std::string& edition_id) const {
  auto it = edition_means.find(edition_id);
  if (it != edition_means.end() && !it->second.empty()) return it->second;
  return means;
}

namespace {

bool is_blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

// A term as readers tell it apart: in small letters, with each run of white space one space and
// none at either end ("Care  leaver " and "care leaver" are the same term).
std::string folded(const std::string& term) {
  return ascii_lowercase(collapse_spaces(term));
}

class glossary_reader {
 public:
  glossary_reader(const site_config& config, diagnostics& diags) : diags_(diags), config_(config) {
    known_keys_ = {"stands_for", "means"};
    for (const auto& ed : config.editions) known_keys_.push_back(ed.id);
  }

  std::optional<glossary_entry> read_entry(const std::string& term, text_position term_pos,
                                           const json_value& value) {
    std::string whose = "the glossary entry \"" + term + "\"";
    if (term.empty() || is_blank(term)) {
      error(term_pos, "glossary.required",
            "a glossary entry has an empty term; write the word "
            "or acronym it explains, like \"SYPAC\"");
      return std::nullopt;
    }
    if (!value.is_object()) {
      error(value.pos, "glossary.type",
            whose +
                " should be an object in { } with \"means\" (and \"stands_for\" for an "
                "acronym), not " +
                json_value::kind_name(value.type));
      return std::nullopt;
    }
    glossary_entry entry;
    entry.term = term;
    entry.pos = term_pos;
    const json_value* means = value.find("means");
    if (!means || (means->is_string() && is_blank(means->string))) {
      error(means ? means->pos : term_pos, "glossary.required",
            whose +
                " has no \"means\"; add a plain explanation, like \"means\": \"The forum "
                "for care leavers aged 18 to 25.\"");
    } else if (text_member(value, "means", whose)) {
      entry.means = means->string;
    }
    if (const json_value* stands_for = text_member(value, "stands_for", whose)) {
      entry.stands_for = stands_for->string;
    }
    for (const auto& [key, wording] : value.members) {
      if (key == "means" || key == "stands_for") continue;
      if (std::find(known_keys_.begin(), known_keys_.end(), key) == known_keys_.end()) continue;
      if (const json_value* text = text_member(value, key, whose)) {
        entry.edition_means[key] = text->string;
      }
    }
    // The wording of an edition left out because of its error in site.json is not read, nor
    // reported as unknown.
    std::vector<std::string> left_out;
    for (const auto& member : value.members)
      if (!config_.find_edition(member.first) && config_.names_edition(member.first))
        left_out.push_back(member.first);
    warn_unknown_keys(value, known_keys_, "in " + whose, glossary_file, "glossary.unknown_key",
                      diags_, left_out);
    return entry;
  }

  // A `glossary.duplicate` error, as for a term written twice, when an earlier entry has the same
  // id on the glossary page: the page would hold the id twice, its links would all go to the
  // first, and pages would explain the term with either meaning. The first entry is kept.
  bool has_earlier_id(const glossary_entry& entry) {
    std::string id = glossary_term_id(entry.term);
    auto [first, is_new] = first_with_id_.try_emplace(id, entry);
    if (is_new) return false;
    const glossary_entry& earlier = first->second;
    std::string place = " (first at " + place_text(earlier.pos) + ")";
    if (folded(entry.term) == folded(earlier.term)) {
      error(entry.pos, "glossary.duplicate",
            "\"" + entry.term + "\" is the same term as \"" + earlier.term + "\"" + place +
                ", written with other capital letters or spaces; keep only one of them");
    } else {
      error(entry.pos, "glossary.duplicate",
            "\"" + entry.term + "\" would get the same link on the glossary page, #" + id +
                ", as \"" + earlier.term + "\"" + place +
                ", because a link keeps only a term's letters (without accents) and digits; keep "
                "only one "
                "of them, or make their letters or digits differ");
    }
    return true;
  }

 private:
  diagnostics& diags_;
  std::vector<std::string> known_keys_;  // "stands_for", "means" and every edition id
  const site_config& config_;
  std::map<std::string, glossary_entry> first_with_id_;  // glossary page id -> first entry

  void error(text_position p, const std::string& id, std::string message) {
    diags_.error(glossary_file, p.line, p.col, id, std::move(message));
  }

  // The member `key` when it is text; a `glossary.type` error when it is something else.
  const json_value* text_member(const json_value& object, const std::string& key,
                                const std::string& whose) {
    const json_value* value = object.find(key);
    if (!value) return nullptr;
    if (!value->is_string()) {
      error(value->pos, "glossary.type",
            "\"" + key + "\" in " + whose + " should be text in double quotes, not " +
                json_value::kind_name(value->type));
      return nullptr;
    }
    return value;
  }
};

}  // namespace

std::vector<glossary_entry> load_glossary(const std::filesystem::path& site_dir,
                                          const site_config& config, diagnostics& diags,
                                          bool* unreadable) {
  if (unreadable) *unreadable = false;
  std::filesystem::path path = site_dir / glossary_file;
  std::error_code ec;
  // The glossary is optional: a site without one simply explains no terms.
  if (!std::filesystem::exists(path, ec)) return {};
  std::string why;
  auto text = read_file(path, &why);
  if (!text) throw system_failure("cannot read " + path.string() + ": " + why);
  auto root = parse_json(*text, glossary_file, "glossary", diags);
  if (root && !root->is_object()) {
    diags.error(glossary_file, root->pos.line, root->pos.col, "glossary.type",
                "glossary.json should hold an object in { } of terms, like { \"SYPAC\": { "
                "\"means\": \"...\" } }, not " +
                    std::string(json_value::kind_name(root->type)));
  }
  if (!root || !root->is_object()) {
    if (unreadable) *unreadable = true;
    return {};
  }
  glossary_reader reader(config, diags);
  std::vector<glossary_entry> entries;
  for (std::size_t i = 0; i < root->members.size(); ++i) {
    const auto& [term, value] = root->members[i];
    auto entry = reader.read_entry(term, root->key_positions[i], value);
    if (entry && !reader.has_earlier_id(*entry)) {
      entries.push_back(std::move(*entry));
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const glossary_entry& a, const glossary_entry& b) { return a.term < b.term; });
  return entries;
}

}  // namespace tandem
