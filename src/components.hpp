// Private to markdown.cpp and charts.cpp: HTML escaping, the `{{ name ... }}` block components
// (cards, chart, pledges, glossary) and the HTML of the pledge list and the glossary.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "content.hpp"

namespace tandem {

/// Escapes text for HTML element content and attribute values: & < > " '.
std::string escape_html(std::string_view text);
/// The same with the apostrophe as &apos; (XML, and what layouts have always written).
std::string escape_xml(std::string_view text);
/// escape_xml(text), appended to `out`.
void append_escaped_xml(std::string& out, std::string_view text);

/// The names a block component can have, in the order messages list them.
const std::vector<std::string>& component_names();

/// A block component as written: `{{ cards children_in_care care_leavers }}`.
struct component_call {
  std::string name;                      // "cards", "chart", "pledges" or "glossary"
  std::vector<std::string> args;         // the words after the name
  std::vector<std::size_t> arg_offsets;  // byte offset of each word in the text given
};

/// Recognises a component in the text between `{{` and `}}`; nullopt when its first word is
/// not the name of a component (then it is a figure, or a mistake).
std::optional<component_call> parse_component(std::string_view inner);

/// One pledge as shown: who makes it and its wording, already rendered to HTML.
struct pledge_view {
  std::string id;  // "pledge-<slug>"
  std::string role;
  std::string name;  // may be empty
  std::string body_html;
};

/// `<ul class="tandem-pledges">` of the pledges, in the order given.
std::string render_pledge_list(const std::vector<pledge_view>& pledges);

/// `<dl class="tandem-glossary">`: each term (with what it stands for in the primary edition)
/// and its explanation in `edition_id`'s wording.
std::string render_glossary_list(const std::vector<glossary_entry>& glossary,
                                 const std::string& edition_id, bool is_primary_edition);

}  // namespace tandem
