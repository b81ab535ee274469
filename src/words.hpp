// Words to avoid, per edition (content/words.json, or a built-in list for young readers), and
// finding them in prose (SPEC 8, `words.avoid`).
#pragma once

#include <array>
#include <cstdint>
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

/// The entries of a list by the first letter of their first word, for finding them in many
/// blocks of prose: made once, it finds the few entries a word may start at once. The list
/// must outlive it.
class avoid_index {
 public:
  explicit avoid_index(const std::vector<avoid_entry>& list);
  const std::vector<avoid_entry>& list() const { return *list_; }
  /// Calls f(entry), in list order within each group, for the entries in lowercase whose first
  /// word starts with `lower`, then for the entries in capitals whose first word starts with
  /// `written`.
  template <typename F>
  void each_starting(char lower, char written, F f) const {
    for (std::size_t bucket : {static_cast<std::size_t>(static_cast<unsigned char>(lower)),
                               letters + static_cast<unsigned char>(written)}) {
      for (std::uint32_t k = bucket_start_[bucket]; k < bucket_start_[bucket + 1]; ++k)
        f((*list_)[in_buckets_[k]]);
    }
  }

 private:
  static constexpr std::size_t letters = 256;
  const std::vector<avoid_entry>* list_;
  // Bucket b (first byte, plus `letters` for entries in capitals) holds the entries
  // in_buckets_[bucket_start_[b]] to in_buckets_[bucket_start_[b + 1] - 1].
  std::array<std::uint32_t, 2 * letters + 1> bucket_start_{};
  std::vector<std::uint32_t> in_buckets_;
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
/// The same, with the list's index made once for many blocks.
std::vector<avoid_match> find_words_to_avoid(const prose_block& block,
                                             const std::vector<prose_token>& tokens,
                                             const avoid_index& index);

}  // namespace tandem
