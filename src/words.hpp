// Words to avoid, per edition (content/words.json, or a built-in list for young readers), and
// finding them in prose (SPEC 8, `words.avoid`).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "config.hpp"
#include "diag.hpp"
#include "prose.hpp"

namespace tandem {

inline constexpr const char* words_file = "content/words.json";

/// A word or phrase to avoid and what to write instead.
struct avoid_entry {
  std::string words;                 // as written in the list: "placement", "looked after child"
  std::vector<std::string> instead;  // one or more suggestions: {"family time", "get in touch"}
  bool match_case = false;           // written in capitals ("LAC"): matched exactly
  std::vector<std::string> parts;    // the words of `words`, lowercased unless match_case
};

/// The lists of every edition that has one, by edition id.
struct word_lists {
  std::map<std::string, std::vector<avoid_entry>> by_edition;
  bool built_in = false;  // the site has no words.json: the built-in list is used
};

/// The built-in list for young readers: words that children in care and care leavers have said
/// they find hard or unkind ("placement" -> "home", "contact" -> "family time", "LAC" ->
/// "children in care" ...), as (words, suggestions) pairs.
const std::vector<std::pair<std::string, std::vector<std::string>>>& built_in_words_to_avoid();

/// Reads content/words.json: an object of edition id -> { "word": "instead" } where "instead"
/// is a string or a list of strings. Unknown edition ids are warnings (`words.unknown_edition`);
/// a malformed file is an error (`words.syntax`, `words.type`). Without the file, every edition
/// other than the primary one gets the built-in list.
word_lists load_word_lists(const std::filesystem::path& site_dir, const site_config& config,
                           diagnostics& diags);

/// One place a word to avoid is used.
struct avoid_match {
  std::size_t offset = 0;  // in the block's text
  std::string found;       // as written: "placements"
  const avoid_entry* entry = nullptr;
};

/// Whole words and phrases of `list` in `block`, with simple plurals ("placements",
/// "families"); a hyphen matches a space ("looked-after"). A word in quotation marks is being
/// talked about, not used ("we say 'home', not 'placement'"), and is not reported; nor is code.
std::vector<avoid_match> find_words_to_avoid(const prose_block& block,
                                             const std::vector<avoid_entry>& list);
/// The same, with the block's tokens already made (`tokenize(block.text)`).
std::vector<avoid_match> find_words_to_avoid(const prose_block& block,
                                             const std::vector<prose_token>& tokens,
                                             const std::vector<avoid_entry>& list);

}  // namespace tandem
