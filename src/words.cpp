#include "words.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include "fs.hpp"
#include "json.hpp"
#include "text.hpp"

namespace tandem {

namespace fs = std::filesystem;

namespace {

bool has_lowercase(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '\t') {
      if (!current.empty()) parts.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) parts.push_back(current);
  return parts;
}

avoid_entry make_entry(std::string words, std::vector<std::string> instead) {
  avoid_entry entry;
  entry.match_case = !has_lowercase(words);
  entry.parts = split_words(entry.match_case ? words : ascii_lowercase(words));
  entry.words = std::move(words);
  entry.instead = std::move(instead);
  return entry;
}

// =============================================================================================
// words.json

class words_reader {
 public:
  words_reader(const site_config& config, diagnostics& diags) : config_(config), diags_(diags) {}

  word_lists read(const json_value& root) {
    word_lists lists;
    if (!root.is_object()) {
      error(root.pos, "words.type",
            "words.json should hold an object in { } with a list for each edition, like "
            "{ \"young\": { \"placement\": \"home\" } }, not " +
                std::string(json_value::kind_name(root.type)));
      return lists;
    }
    std::vector<std::string> ids;
    for (const edition& ed : config_.editions) ids.push_back(ed.id);
    for (std::size_t i = 0; i < root.members.size(); ++i) {
      const auto& [id, list] = root.members[i];
      if (!config_.find_edition(id)) {
        // An edition left out because of its error in site.json is not reported again here.
        if (config_.names_edition(id)) continue;
        std::string nearest = nearest_name(id, ids);
        diags_.warning(words_file, root.key_positions[i].line, root.key_positions[i].col,
                       "words.unknown_edition",
                       "there is no edition '" + id + "' in content/site.json" +
                           (nearest.empty() ? std::string(": use an edition id")
                                            : " (did you mean '" + nearest + "'?)") +
                           "; its words are not checked");
        continue;
      }
      lists.by_edition[id] = read_list(id, list);
    }
    return lists;
  }

 private:
  std::vector<avoid_entry> read_list(const std::string& id, const json_value& list) {
    std::vector<avoid_entry> entries;
    if (!list.is_object()) {
      error(list.pos, "words.type",
            "the words to avoid for '" + id +
                "' should be an object in { } of \"word\": \"what to write instead\", not " +
                json_value::kind_name(list.type));
      return entries;
    }
    for (std::size_t i = 0; i < list.members.size(); ++i) {
      const auto& [words, instead] = list.members[i];
      if (split_words(words).empty()) {
        error(list.key_positions[i], "words.type", "a word to avoid cannot be empty");
        continue;
      }
      auto suggestions = read_suggestions(words, instead);
      if (suggestions) entries.push_back(make_entry(words, std::move(*suggestions)));
    }
    return entries;
  }

  std::optional<std::vector<std::string>> read_suggestions(const std::string& words,
                                                           const json_value& instead) {
    std::vector<std::string> out;
    if (instead.is_string()) out.push_back(instead.string);
    if (instead.is_array()) {
      for (const json_value& item : instead.items) {
        if (!item.is_string()) {
          out.clear();
          break;
        }
        out.push_back(item.string);
      }
    }
    bool all_written = !out.empty() && std::none_of(out.begin(), out.end(),
                                                    [](const auto& s) { return s.empty(); });
    if (!all_written) {
      error(instead.pos, "words.type",
            "write what to use instead of '" + words +
                "' in quotes (\"home\"), or a list of choices ([\"family time\", \"get in "
                "touch\"])");
      return std::nullopt;
    }
    return out;
  }

  void error(text_position pos, const std::string& id, const std::string& message) {
    diags_.error(words_file, pos.line, pos.col, id, message);
  }

  const site_config& config_;
  diagnostics& diags_;
};

// =============================================================================================
// Matching

/// A word of prose as the lists compare it: a word token, or one part of a hyphenated word.
struct word_unit {
  std::string_view text;  // a view into the block's text
  std::size_t offset = 0;
  std::size_t end = 0;
  std::size_t token = 0;  // index of its token
};

// Hyphens, including the Unicode hyphen and non-breaking hyphen, join parts of a word.
std::size_t hyphen_length(std::string_view text, std::size_t i) {
  if (text[i] == '-') return 1;
  if (text[i] != '\xE2') return 0;  // the lead byte of both Unicode hyphens
  if (text.substr(i, 3) == "\u2010" || text.substr(i, 3) == "\u2011") return 3;
  return 0;
}

std::string_view without_possessive(std::string_view word) {
  for (std::string_view tail : {"'s", "\u2019s", "'", "\u2019"}) {
    if (word.size() > tail.size() && word.substr(word.size() - tail.size()) == tail) {
      return word.substr(0, word.size() - tail.size());
    }
  }
  return word;
}

std::vector<word_unit> word_units(const std::vector<prose_token>& tokens) {
  std::vector<word_unit> units;
  for (std::size_t t = 0; t < tokens.size(); ++t) {
    if (tokens[t].kind != token_kind::word) continue;
    std::string_view text = tokens[t].text;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
      std::size_t hyphen = i < text.size() ? hyphen_length(text, i) : 1;
      if (hyphen == 0) continue;
      std::string_view part = without_possessive(text.substr(start, i - start));
      if (!part.empty()) {
        units.push_back(
            {part, tokens[t].offset + start, tokens[t].offset + start + part.size(), t});
      }
      start = i + hyphen;
      i += hyphen - 1;
    }
  }
  return units;
}

/// Whether `written` (lowercased unless `match_case`) starts with `head`.
bool starts_as(std::string_view written, std::string_view head, bool match_case) {
  if (written.size() < head.size()) return false;
  for (std::size_t i = 0; i < head.size(); ++i) {
    char c = match_case ? written[i] : ascii_lower(written[i]);
    if (c != head[i]) return false;
  }
  return true;
}

// Compares in place, without a lowercase copy of each word: this runs for every word of the
// prose against every entry of the list.
bool same_word(std::string_view written, std::string_view listed, bool match_case, bool last) {
  if (written.size() == listed.size()) return starts_as(written, listed, match_case);
  if (!last || written.size() < listed.size()) return false;
  // Simple plurals: placement -> placements, match -> matches, family -> families.
  std::string_view tail = written.substr(listed.size());
  auto tail_is = [&](std::string_view expected) {
    return starts_as(tail, expected, match_case) && tail.size() == expected.size();
  };
  if ((tail_is("s") || tail_is("es")) && starts_as(written, listed, match_case)) return true;
  if (!listed.empty() && listed.back() == 'y') {
    std::string_view stem = listed.substr(0, listed.size() - 1);
    tail = written.substr(stem.size());
    return tail_is("ies") && starts_as(written, stem, match_case);
  }
  return false;
}

bool is_opening_quote(std::string_view t) {
  return t == "\"" || t == "'" || t == "\u201C" || t == "\u2018";
}
bool is_closing_quote(std::string_view t) {
  return t == "\"" || t == "'" || t == "\u201D" || t == "\u2019";
}
bool is_inner_punctuation(std::string_view t) {
  return t == "." || t == "," || t == ";" || t == ":" || t == "!" || t == "?";
}

/// Words between quotation marks touching them are being talked about: "we say 'home'".
bool is_quoted(const std::vector<prose_token>& tokens, std::size_t first, std::size_t last) {
  if (first == 0 || tokens[first].space_before) return false;
  const prose_token& before = tokens[first - 1];
  if (before.kind != token_kind::punct || !is_opening_quote(before.text)) return false;
  std::size_t k = last + 1;
  if (k < tokens.size() && !tokens[k].space_before && tokens[k].kind == token_kind::punct &&
      is_inner_punctuation(tokens[k].text)) {
    ++k;
  }
  return k < tokens.size() && !tokens[k].space_before && tokens[k].kind == token_kind::punct &&
         is_closing_quote(tokens[k].text);
}

bool matches_at(const std::vector<word_unit>& units, std::size_t at, const avoid_entry& entry) {
  if (at + entry.parts.size() > units.size()) return false;
  for (std::size_t j = 0; j < entry.parts.size(); ++j) {
    const word_unit& unit = units[at + j];
    if (j > 0) {
      // The words of a phrase follow each other: in one hyphenated word, or in the next token.
      std::size_t previous = units[at + j - 1].token;
      if (unit.token != previous && unit.token != previous + 1) return false;
    }
    if (!same_word(unit.text, entry.parts[j], entry.match_case, j + 1 == entry.parts.size())) {
      return false;
    }
  }
  return true;
}

}  // namespace

const std::vector<std::pair<std::string, std::vector<std::string>>>& built_in_words_to_avoid() {
  // Drawn from what children in care and care leavers have said about the words professionals
  // use for them, and from plain English for young readers.
  static const std::vector<std::pair<std::string, std::vector<std::string>>> list = {
      {"placement", {"home"}},
      {"foster placement", {"foster home"}},
      {"residential unit", {"children's home"}},
      {"contact", {"family time", "get in touch"}},
      {"LAC", {"children in care"}},
      {"CLA", {"children in care"}},
      {"looked after child", {"child in care"}},
      {"looked after children", {"children in care"}},
      {"respite", {"a short break"}},
      {"sibling", {"brother or sister", "brothers and sisters"}},
      {"absconding", {"going missing"}},
      {"absconded", {"went missing"}},
      {"safeguarding", {"keeping you safe"}},
      {"accommodation", {"home", "somewhere to live"}},
      {"service user", {"young person"}},
      {"permanence", {"a home for good"}},
      {"delegated authority", {"what your carer can say yes to"}},
      {"statutory", {"by law"}},
      {"facilitate", {"help"}},
      {"utilise", {"use"}},
      {"utilize", {"use"}},
      {"in order to", {"to"}},
      {"commence", {"start"}},
      {"approximately", {"about"}},
      {"prior to", {"before"}},
  };
  return list;
}

word_lists load_word_lists(const fs::path& site_dir, const site_config& config,
                           diagnostics& diags) {
  fs::path path = site_dir / words_file;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    word_lists lists;
    lists.built_in = true;
    std::vector<avoid_entry> entries;
    for (const auto& [words, instead] : built_in_words_to_avoid()) {
      entries.push_back(make_entry(words, instead));
    }
    for (std::size_t i = 1; i < config.editions.size(); ++i) {
      lists.by_edition[config.editions[i].id] = entries;
    }
    return lists;
  }
  std::string why;
  auto text = read_file(path, &why);
  if (!text) throw system_failure("cannot read " + path.string() + ": " + why);
  auto root = parse_json(*text, words_file, "words", diags);
  if (!root) return {};
  return words_reader(config, diags).read(*root);
}

std::vector<avoid_match> find_words_to_avoid(const prose_block& block,
                                             const std::vector<avoid_entry>& list) {
  if (list.empty()) return {};
  return find_words_to_avoid(block, tokenize(block.text), list);
}

avoid_index::avoid_index(const std::vector<avoid_entry>& list) : list_(&list) {
  auto bucket_of = [&](const avoid_entry& entry) {
    bool has_word = !entry.parts.empty() && !entry.parts.front().empty();
    auto first = static_cast<unsigned char>(has_word ? entry.parts.front().front() : '\0');
    return (entry.match_case ? letters : 0) + first;
  };
  for (const avoid_entry& entry : list) ++bucket_start_[bucket_of(entry) + 1];
  for (std::size_t b = 1; b < bucket_start_.size(); ++b) bucket_start_[b] += bucket_start_[b - 1];
  in_buckets_.resize(list.size());
  std::array<std::uint32_t, 2 * letters> filled{};
  for (std::size_t e = 0; e < list.size(); ++e) {
    std::size_t b = bucket_of(list[e]);
    in_buckets_[bucket_start_[b] + filled[b]++] = static_cast<std::uint32_t>(e);
  }
}

std::vector<avoid_match> find_words_to_avoid(const prose_block& block,
                                             const std::vector<prose_token>& tokens,
                                             const std::vector<avoid_entry>& list) {
  if (list.empty()) return {};
  return find_words_to_avoid(block, tokens, avoid_index(list));
}

std::vector<avoid_match> find_words_to_avoid(const prose_block& block,
                                             const std::vector<prose_token>& tokens,
                                             const avoid_index& index) {
  std::vector<avoid_match> found;
  const std::vector<avoid_entry>& list = index.list();
  if (list.empty()) return found;
  std::vector<word_unit> units = word_units(tokens);
  for (std::size_t at = 0; at < units.size(); ++at) {
    // The longest phrase that matches here wins: "foster placement" before "placement"; of
    // phrases as long, the first in the list.
    const avoid_entry* best = nullptr;
    auto consider = [&](const avoid_entry& entry) {
      if (matches_at(units, at, entry) &&
          (!best || entry.parts.size() > best->parts.size() ||
           (entry.parts.size() == best->parts.size() && &entry < best))) {
        best = &entry;
      }
    };
    char first_written = units[at].text.front();
    index.each_starting(ascii_lower(first_written), first_written, consider);
    if (!best) continue;
    const word_unit& first = units[at];
    const word_unit& last = units[at + best->parts.size() - 1];
    if (!is_quoted(tokens, first.token, last.token)) {
      found.push_back(
          {first.offset, block.text.substr(first.offset, last.end - first.offset), best});
    }
    at += best->parts.size() - 1;
  }
  return found;
}

}  // namespace tandem
