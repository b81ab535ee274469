#include "readability.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <unordered_map>

#include "text.hpp"

namespace tandem {

namespace {

// =============================================================================================
// Syllables
//
// A word is split into vowel groups (runs of a, e, i, o, u and a sounded y, with a w that
// closes a vowel as in "saw"). Each group is one syllable, except where two vowels are sounded
// apart ("ri-ot", "cre-ate", "go-ing"). Then the endings: a silent final e ("make"), -es and
// -ed that add no syllable ("makes", "looked") unless they follow a sound that needs them
// ("boxes", "wanted"), and -le, -re, -ism that do ("table", "centre", "autism"). Silent e's
// inside words are found at the seams of suffixes and compounds ("place-ment", "some-thing").

using letters = std::string;  // lowercase a-z only

bool is_vowel_letter(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}
bool starts_with(std::string_view s, std::string_view head) {
  return s.substr(0, head.size()) == head;
}

/// Which letters of `w` are vowels: a e i o u, and y where it is sounded as a vowel. `u` after
/// q, and after g before another vowel ("guess", "language"), is a consonant.
std::vector<bool> vowel_letters(const letters& w) {
  std::vector<bool> vowel(w.size(), false);
  for (std::size_t i = 0; i < w.size(); ++i) {
    char c = w[i];
    bool next_is_vowel = i + 1 < w.size() && is_vowel_letter(w[i + 1]);
    if (c == 'u' && i > 0 && w[i - 1] == 'q') continue;
    if (c == 'u' && i > 0 && w[i - 1] == 'g' && next_is_vowel) continue;  // "guess"
    if (c == 'y') {
      if (i == 0) continue;  // "yes", "you"
      bool after_vowel = vowel[i - 1] || (w[i - 1] == 'w' && i >= 2 && vowel[i - 2]);
      if (after_vowel && next_is_vowel) continue;  // "player", "beyond", "lawyer"
      vowel[i] = true;
      continue;
    }
    vowel[i] = is_vowel_letter(c);
  }
  return vowel;
}

struct vowel_group {
  std::size_t start = 0;
  std::size_t end = 0;  // one past the last letter
};

std::vector<vowel_group> vowel_groups(const letters& w, const std::vector<bool>& vowel) {
  std::vector<vowel_group> groups;
  std::size_t i = 0;
  while (i < w.size()) {
    if (!vowel[i]) {
      ++i;
      continue;
    }
    vowel_group g{i, i};
    while (g.end < w.size() && vowel[g.end]) {
      // A sounded y before another vowel ("studying", "trying") starts its own syllable.
      if (g.end > g.start && w[g.end - 1] == 'y' && !(g.end >= 2 && vowel[g.end - 2])) break;
      ++g.end;
    }
    groups.push_back(g);
    i = g.end;
  }
  return groups;
}

/// Whether the letters before `pos` are `before` (matched against the end).
bool preceded_by(const letters& w, std::size_t pos, std::string_view before) {
  return pos >= before.size() && w.compare(pos - before.size(), before.size(), before) == 0;
}
bool followed_by(const letters& w, std::size_t pos, std::string_view after) {
  return w.compare(pos, after.size(), after) == 0;
}
bool is_consonant_at(const letters& w, std::size_t pos) {
  return pos < w.size() && !is_vowel_letter(w[pos]) && w[pos] != 'y';
}

/// Syllables in the pair of vowels w[i], w[i+1] inside one group: 2 when they are sounded
/// apart, else 1.
bool sounded_apart(const letters& w, std::size_t i, std::size_t group_start) {
  char a = w[i], b = w[i + 1];
  std::size_t after = i + 2;  // the letter after the pair
  bool at_end = after == w.size();
  bool first_group = group_start == 0 || [&] {
    for (std::size_t k = 0; k < group_start; ++k)
      if (is_vowel_letter(w[k])) return false;
    return true;
  }();
  if (a == 'y') return true;  // "studying", "embryo": a sounded y, then a vowel
  if (a == 'i' && b == 'a') {
    if (followed_by(w, after, "nce") || followed_by(w, after, "te") ||
        followed_by(w, after, "tion") || followed_by(w, after, "ting") ||
        followed_by(w, after, "ble") || followed_by(w, after, "bili")) {
      return true;  // "alliance", "associate", "reliable"
    }
    if (i == 1) return true;  // "giant", "dial"
    if (preceded_by(w, i, "c") || preceded_by(w, i, "t") || preceded_by(w, i, "s") ||
        preceded_by(w, i, "g") || preceded_by(w, i, "x") || preceded_by(w, i, "ll") ||
        preceded_by(w, i, "rr")) {
      return false;  // "special", "initial", "Asia", "brilliant", "marriage"
    }
    if (preceded_by(w, i, "l") && (followed_by(w, after, "r") || followed_by(w, after, "n")) &&
        !first_group) {
      return false;  // "familiar", "Italian"
    }
    if ((preceded_by(w, i, "l") || preceded_by(w, i, "n")) && at_end && !first_group) {
      return false;  // "Australia", "Virginia"
    }
    return true;  // "media", "trial"
  }
  if (a == 'i' && b == 'o') {
    if (at_end) return true;  // "radio", "ratio"
    if (preceded_by(w, i, "t") || preceded_by(w, i, "s") || preceded_by(w, i, "c") ||
        preceded_by(w, i, "g") || preceded_by(w, i, "x") || preceded_by(w, i, "ll") ||
        preceded_by(w, i, "h")) {
      return false;  // "nation", "vision", "region", "million", "fashion"
    }
    if (preceded_by(w, i, "n") && (followed_by(w, after, "n") || followed_by(w, after, "r"))) {
      return false;  // "union", "opinion", "senior"
    }
    if (preceded_by(w, i, "v") && (followed_by(w, after, "r") || followed_by(w, after, "ur"))) {
      return false;  // "behavior", "behaviour"
    }
    return true;  // "period", "violent", "various"
  }
  if (a == 'i' && b == 'u') return !preceded_by(w, i, "n");  // "stadium"; "genius"
  if (a == 'i' && b == 'e') {
    if (at_end) return false;  // "movie", "die"
    if ((followed_by(w, after, "s") || followed_by(w, after, "d")) && after + 1 == w.size()) {
      return false;  // "studies", "tried"
    }
    if (followed_by(w, after, "r") &&
        (after + 1 == w.size() || (after + 2 == w.size() && w.back() == 's'))) {
      return !first_group;  // "easier", "barriers"; "tier"
    }
    if (followed_by(w, after, "st") && after + 2 == w.size()) return !first_group;  // "easiest"
    if (followed_by(w, after, "t")) return true;    // "diet", "quiet", "society"
    if (followed_by(w, after, "nd")) return false;  // "friend"
    if (followed_by(w, after, "n")) {
      if (preceded_by(w, i, "sc")) return true;  // "science"
      // "client"; "patient", "ancient", "convenient"
      return !(preceded_by(w, i, "t") || preceded_by(w, i, "c") || preceded_by(w, i, "n"));
    }
    if (followed_by(w, after, "th")) return true;  // "twentieth"
    return false;                                  // "piece", "field", "believe"
  }
  if (a == 'u' && b == 'a') return !followed_by(w, after, "ble");  // "usual"; "valuable"
  if (a == 'u' && b == 'o') return true;                           // "continuous", "duo"
  if (a == 'u' && b == 'i') {
    if (followed_by(w, after, "d") || followed_by(w, after, "n") || followed_by(w, after, "ty") ||
        followed_by(w, after, "ti")) {
      return true;  // "fluid", "ruin", "genuine", "intuition"
    }
    return false;  // "fruit", "build", "suit"
  }
  if (a == 'u' && b == 'e') {
    if (at_end) return false;  // "true", "value"
    if (followed_by(w, after, "nt") || followed_by(w, after, "nce") || followed_by(w, after, "l") ||
        (followed_by(w, after, "t") && !at_end)) {
      return true;  // "fluent", "influence", "cruel", "duet"
    }
    return false;  // "issues", "continued", "Tuesday"
  }
  if (a == 'e' && b == 'o') {
    if (followed_by(w, after, "p")) return false;              // "people", "leopard"
    if (preceded_by(w, i, "g") && !first_group) return false;  // "pigeon", "gorgeous"
    if (followed_by(w, after, "us") && (preceded_by(w, i, "c") || preceded_by(w, i, "t"))) {
      return false;  // "righteous"
    }
    return true;  // "video", "theory", "geography"
  }
  if (a == 'e' && b == 'a') {
    if ((at_end || (after + 1 == w.size() && w.back() == 's')) && !first_group &&
        (preceded_by(w, i, "r") || preceded_by(w, i, "d")) && i >= 2 && is_vowel_letter(w[i - 2])) {
      return true;  // "idea", "areas"; not "overseas"
    }
    if (followed_by(w, after, "n") && (after + 1 == w.size() || w.compare(after, 2, "ns") == 0) &&
        !first_group && !preceded_by(w, i, "c") && !preceded_by(w, i, "g")) {
      return true;  // "European", "Korean"; not "ocean"
    }
    if (preceded_by(w, i, "cr") && followed_by(w, after, "t") && !followed_by(w, after, "tu")) {
      return true;  // "create", "creation"
    }
    if (i == 1 && w[0] == 'r' &&
        (followed_by(w, after, "ct") || followed_by(w, after, "li") ||
         followed_by(w, after, "ss") || followed_by(w, after, "pp"))) {
      return true;  // "react", "reality", "reassure", "reappear"
    }
    if (preceded_by(w, i, "th") && followed_by(w, after, "t")) return true;  // "theatre"
    return false;  // "each", "really", "great"
  }
  if (a == 'e' && b == 'u' && followed_by(w, after, "m")) return true;  // "museum"
  if (a == 'o' && b == 'e' && preceded_by(w, i, "p") &&
      (followed_by(w, after, "m") || followed_by(w, after, "t"))) {
    return true;  // "poem", "poet"
  }
  if (a == 'o' && b == 'a' && preceded_by(w, i, "c") && i == 1) {
    return followed_by(w, after, "li");  // "coalition"
  }
  if (a == 'o' && b == 'o' && i == 1 && w[0] == 'c' &&
      (followed_by(w, after, "perat") || followed_by(w, after, "rdin"))) {
    return true;  // "cooperate", "coordinate"
  }
  if (a == 'o' && b == 'i' && i == 1 && w[0] == 'c' && followed_by(w, after, "nc")) {
    return true;  // "coincidence"
  }
  if (a == 'e' && b == 'u' && i == 1 && w[0] == 'r') return true;  // "reunion", "reuse"
  if (a == 'a' && b == 'o') return true;                           // "chaos"
  // "going", "being", "seeing": -ing after a vowel is its own syllable.
  if (b == 'i' && followed_by(w, after, "ng") &&
      (after + 2 == w.size() || (after + 3 == w.size() && w.back() == 's'))) {
    return true;
  }
  return false;
}

/// Syllables of one vowel group.
int group_syllables(const letters& w, const vowel_group& g) {
  int n = 1;
  for (std::size_t i = g.start; i + 1 < g.end; ++i) {
    if (sounded_apart(w, i, g.start)) ++n;
  }
  // "-ious", "-eous" after c, t, g, x are one sound ("precious", "religious"): the "ou" after
  // an "io" split is already one group, so nothing more is needed here.
  return n;
}

/// Endings that change the count of the vowel groups.
int ending_adjustment(const letters& w, const std::vector<bool>& vowel,
                      const std::vector<vowel_group>& groups) {
  if (groups.size() < 1) return 0;
  const vowel_group& last = groups.back();
  std::size_t n = w.size();
  auto single_e_at = [&](std::size_t pos) {
    return last.start == pos && last.end == pos + 1 && w[pos] == 'e';
  };
  int adjust = 0;
  if (ends_with(w, "sm") || ends_with(w, "thm") || ends_with(w, "sms") || ends_with(w, "thms")) {
    adjust += 1;  // "autism", "rhythm"
  }
  if (groups.size() < 2) return adjust;
  // "-ically" is said "-icly" ("basically").
  if (ends_with(w, "ically")) adjust -= 1;
  // "-ire" is said as two sounds ("fire", "desire", "tired").
  std::size_t ire_at = ends_with(w, "ire") ? n - 3 : n - 4;
  bool ire = (ends_with(w, "ire") || ends_with(w, "ires") || ends_with(w, "ired")) && ire_at >= 1 &&
             !vowel[ire_at - 1];
  if (ire) return adjust;
  // Final e alone: silent, unless it follows a consonant + l or r ("table", "centre").
  if (single_e_at(n - 1)) {
    bool syllabic = n >= 3 && (w[n - 2] == 'l' || w[n - 2] == 'r') && is_consonant_at(w, n - 3) &&
                    w[n - 3] != w[n - 2] && !(w[n - 2] == 'r' && w[n - 3] == 'r');
    if (w[n - 2] == 'l' && n >= 3 && (w[n - 3] == 'l' || w[n - 3] == 'w')) syllabic = false;
    if (!syllabic) adjust -= 1;
    return adjust;
  }
  // -es: sounded after s, x, z, ch, sh, c, g ("boxes", "pages"), and in -les / -res after a
  // consonant ("tables", "centres"); silent otherwise ("makes").
  if (n >= 3 && ends_with(w, "es") && single_e_at(n - 2)) {
    char before = w[n - 3];
    bool syllabic = before == 's' || before == 'x' || before == 'z' || before == 'c' ||
                    before == 'g' || ends_with(w.substr(0, n - 2), "ch") ||
                    ends_with(w.substr(0, n - 2), "sh");
    if ((before == 'l' || before == 'r') && n >= 4 && is_consonant_at(w, n - 4) &&
        w[n - 4] != before && w[n - 4] != 'w') {
      syllabic = true;
    }
    if (before == 'h' && ends_with(w, "thes")) syllabic = false;
    if (!syllabic) adjust -= 1;
    return adjust;
  }
  // -ed: sounded after t and d ("wanted"), and after a consonant + l ("troubled").
  if (n >= 3 && ends_with(w, "ed") && single_e_at(n - 2)) {
    char before = w[n - 3];
    bool syllabic = before == 't' || before == 'd';
    if (before == 'l' && n >= 4 && is_consonant_at(w, n - 4) && w[n - 4] != 'l' &&
        w[n - 4] != 'w') {
      syllabic = true;  // "troubled"; not "called", "crawled"
    }
    if (!syllabic) adjust -= 1;
    return adjust;
  }
  return adjust;
}

int count_morpheme(const letters& w);

// Suffixes that follow a silent e without sounding it ("placement", "lovely", "careful").
constexpr std::array<std::string_view, 14> silent_e_suffixes = {
    "ments", "ment", "lessness", "lessly", "less", "nesses", "ness",
    "fully", "ful",  "ly",       "ty",     "some", "man",    "men"};

// Words that end in a silent e and start compounds ("something", "homework", "lifetime").
constexpr std::array<std::string_view, 49> silent_e_heads = {
    "before", "some",  "home", "life",  "time",  "where", "there", "here",  "care",  "base",
    "case",   "like",  "safe", "state", "whole", "side",  "wide",  "more",  "one",   "none",
    "else",   "house", "name", "note",  "place", "hope",  "use",   "store", "stone", "love",
    "white",  "line",  "game", "gate",  "lone",  "tone",  "bone",  "nine",  "grave", "date",
    "stage",  "shore", "wake", "make",  "ware",  "fare",  "every", "eye",   "space"};

/// A silent e before a suffix or inside a compound: count the parts apart.
std::optional<int> count_at_seam(const letters& w) {
  for (std::string_view suffix : silent_e_suffixes) {
    std::size_t shortest_stem = suffix == "some" ? 3 : 4;  // "awesome"; not "element"
    if (!ends_with(w, suffix) || w.size() < suffix.size() + shortest_stem) continue;
    letters stem = w.substr(0, w.size() - suffix.size());
    if (ends_with(stem, "the")) continue;  // "nevertheless"
    std::size_t m = stem.size();
    // The stem ends in vowel + consonant + e ("place", "love"), or consonant + consonant + e
    // where the e is silent too ("hence", "else").
    if (stem[m - 1] != 'e' || !is_consonant_at(stem, m - 2)) continue;
    if (suffix == "ty" && !(stem == "safe" || stem == "nine")) continue;
    if (stem[m - 2] == 'l' && is_consonant_at(stem, m - 3) && stem[m - 3] != 'l') {
      continue;  // "simple" + "ly" is "simply" in spelling, "gentle-ness" keeps its -le
    }
    return count_morpheme(stem) + count_morpheme(letters(suffix));
  }
  for (std::string_view head : silent_e_heads) {
    if (!starts_with(w, head) || w.size() < head.size() + 2) continue;
    letters rest = w.substr(head.size());
    if (!is_consonant_at(rest, 0)) continue;
    if (head == "where" || head == "there") {
      if (starts_with(rest, "ver")) continue;  // "wherever"
    }
    bool rest_has_vowel = std::any_of(rest.begin(), rest.end(),
                                      [](char c) { return is_vowel_letter(c) || c == 'y'; });
    if (!rest_has_vowel) continue;
    return count_morpheme(letters(head)) + count_morpheme(rest);
  }
  return std::nullopt;
}

// Common words whose spelling misleads the rules above.
const std::unordered_map<std::string_view, int>& spelling_exceptions() {
  static const std::unordered_map<std::string_view, int> table = {
      {"business", 2},   {"businesses", 3},  {"every", 2},      {"everyone", 3},
      {"everything", 3}, {"everybody", 4},   {"everywhere", 3}, {"evening", 2},
      {"wednesday", 2},  {"hundred", 2},     {"hundreds", 2},   {"recipe", 3},
      {"apostrophe", 4}, {"catastrophe", 4}, {"simile", 3},     {"acne", 2},
      {"moreover", 3},   {"naked", 2},       {"wicked", 2},     {"sacred", 2},
      {"beloved", 3},    {"creature", 2},    {"creatures", 2},  {"initiative", 4},
      {"soldier", 2},    {"soldiers", 2},    {"cashier", 2},    {"frontier", 2},
      {"conscience", 2}, {"persuade", 2},    {"argue", 2},      {"argued", 2},
      {"liar", 2},       {"people", 2},      {"wherever", 3},   {"whatever", 3},
      {"karate", 3},     {"coyote", 3},      {"finale", 3},     {"epitome", 4},
      {"sesame", 3},     {"poem", 2},        {"aged", 1},       {"eye", 1},
      {"eyes", 1},       {"cafe", 2},        {"maybe", 2},      {"anyone", 3},
      {"someone", 2},    {"whoever", 3},     {"whatsoever", 4}, {"nuclear", 3},
      {"suicide", 3},    {"arguing", 3},     {"ok", 2},         {"okay", 2},
      {"whereas", 2},    {"crooked", 2},     {"wretched", 2},   {"hatred", 2},
  };
  return table;
}

int count_morpheme(const letters& w) {
  if (w.empty()) return 0;
  const auto& exceptions = spelling_exceptions();
  if (auto found = exceptions.find(w); found != exceptions.end()) return found->second;
  std::vector<bool> vowel = vowel_letters(w);
  std::vector<vowel_group> groups = vowel_groups(w, vowel);
  // No vowel at all: said letter by letter ("tv", "jr"); w is three syllables.
  if (groups.empty()) {
    if (w.size() > 4) return 1;
    int spelled = 0;
    for (char c : w) spelled += c == 'w' ? 3 : 1;
    return spelled;
  }
  int n = 0;
  for (const vowel_group& g : groups) n += group_syllables(w, g);
  n += ending_adjustment(w, vowel, groups);
  return std::max(n, 1);
}

int count_word(const letters& w) {
  if (w.empty()) return 0;
  const auto& exceptions = spelling_exceptions();
  if (auto found = exceptions.find(w); found != exceptions.end()) return found->second;
  if (auto seam = count_at_seam(w)) return *seam;
  return count_morpheme(w);
}

/// Lowercase ASCII letters of `part`; accented Latin vowels count as their base vowel.
letters normalised(std::string_view part) {
  letters out;
  for (std::size_t i = 0; i < part.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(part[i]);
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (c >= 'a' && c <= 'z') {
      out.push_back(static_cast<char>(c));
    } else if (c == 0xC3 && i + 1 < part.size()) {
      // U+00C0..U+00FF: map accented vowels (é, è, ê, ë, á, à, ï, ö, ü ...) to a vowel.
      unsigned char d = static_cast<unsigned char>(part[i + 1]) & 0x1F;
      static const char latin1[] = "aaaaaaaceeeeiiiidnooooo ouuuuyts";
      char v = latin1[d];
      if (v != ' ') out.push_back(v);
      ++i;
    }
  }
  return out;
}

// =============================================================================================
// Sentences

/// Words and syllables a piece of text adds to a sentence.
struct measure {
  int words = 0;
  int syllables = 0;
};

// Abbreviations with a full stop that does not end a sentence, and their syllables as said.
const std::unordered_map<std::string_view, int>& titles_and_abbreviations() {
  static const std::unordered_map<std::string_view, int> table = {
      {"mr", 2},   {"mrs", 2},  {"ms", 1},  {"dr", 2},  {"prof", 2}, {"cllr", 3},   {"st", 1},
      {"rev", 2},  {"vs", 2},   {"cf", 2},  {"eg", 3},  {"ie", 2},   {"approx", 3}, {"dept", 3},
      {"govt", 3}, {"fig", 2},  {"vol", 3}, {"ref", 2}, {"tel", 3},  {"no", 2},     {"nos", 2},
      {"etc", 4},  {"inc", 3},  {"ltd", 3}, {"co", 2},  {"jan", 3},  {"feb", 4},    {"apr", 2},
      {"aug", 3},  {"sept", 3}, {"oct", 3}, {"nov", 3}, {"dec", 3},
  };
  return table;
}

// Of those, the ones that often end a sentence too ("... and so on, etc. Then").
bool may_end_sentence(std::string_view abbreviation) {
  return abbreviation == "etc" || abbreviation == "inc" || abbreviation == "ltd" ||
         abbreviation == "co" || abbreviation == "a.m." || abbreviation == "p.m.";
}

/// may_end_sentence of the word in lowercase, without making a lowercase copy of every word.
bool may_end_sentence_any_case(std::string_view word) {
  constexpr std::size_t longest = 4;  // "a.m."
  if (word.size() > longest) return false;
  std::array<char, longest> lower{};
  for (std::size_t i = 0; i < word.size(); ++i) lower[i] = ascii_lower(word[i]);
  return may_end_sentence(std::string_view(lower.data(), word.size()));
}

bool starts_upper(std::string_view text) {
  return !text.empty() && text.front() >= 'A' && text.front() <= 'Z';
}

// One byte is compared as a byte: comparing views calls memcmp, once a token for each.
bool is_full_stop(std::string_view punct) {
  return punct.size() == 1 && punct[0] == '.';
}

bool is_terminal(std::string_view punct) {
  if (punct.size() == 1) return punct[0] == '.' || punct[0] == '!' || punct[0] == '?';
  return punct == "\u2026";
}

/// Syllables of an acronym said letter by letter: "NHS" is three, "W" three, "+" one.
int spelled_syllables(std::string_view acronym) {
  int n = 0;
  for (char c : acronym) {
    if (c == 'W')
      n += 3;
    else if ((c >= 'A' && c <= 'Z') || c == '+')
      n += 1;
  }
  return std::max(n, 1);
}

// The rules cost a few microseconds a word and prose repeats its words, so each thread
// remembers the words it has measured: an open-addressing table of the words' hashes, lengths
// and syllables, the words' bytes kept one after another in one string.
class word_memo {
 public:
  template <typename Count>
  int get(std::string_view word, const Count& count) {
    if (slots_.empty()) slots_.resize(first_slots);
    const std::uint64_t h = hash(word);
    std::size_t mask = slots_.size() - 1;
    std::size_t i = h & mask;
    for (;; i = (i + 1) & mask) {
      const slot& s = slots_[i];
      if (s.length == 0) break;
      if (s.hash == h && s.length == word.size() &&
          same_bytes(bytes_.data() + s.offset, word.data(), word.size())) {
        return s.value;
      }
    }
    const int n = count(word);
    // Words too long to keep are counted each time (a table of them would be no quicker).
    if (word.empty() || word.size() > longest_kept) return n;
    if (2 * (used_ + 1) > slots_.size()) {
      // A bound on memory for very large sites: forgetting costs only counting again.
      if (slots_.size() >= most_slots) {
        clear();
      } else {
        grow();
      }
      mask = slots_.size() - 1;
      for (i = h & mask; slots_[i].length != 0; i = (i + 1) & mask) {
      }
    }
    slots_[i] = {h, static_cast<std::uint32_t>(bytes_.size()),
                 static_cast<std::uint16_t>(word.size()), static_cast<std::int16_t>(n)};
    bytes_.append(word);
    ++used_;
    return n;
  }

 private:
  struct slot {
    std::uint64_t hash = 0;
    std::uint32_t offset = 0;  // of the word's bytes in bytes_
    std::uint16_t length = 0;  // 0: an empty slot
    std::int16_t value = 0;
  };
  static constexpr std::size_t first_slots = 1 << 12;
  // Half full at most: 65,536 words, far more than a site's vocabulary.
  static constexpr std::size_t most_slots = 1 << 17;
  static constexpr std::size_t longest_kept = 64;

  static std::uint64_t load64(const char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  }
  static std::uint32_t load32(const char* p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
  }

  // The last 1 to 7 bytes of a word in a number, read in at most two loads that stay inside
  // them (two that overlap from 4 bytes up), not byte by byte.
  static std::uint64_t tail_of(const char* p, std::size_t n) {
    if (n >= 4) return load32(p) | (static_cast<std::uint64_t>(load32(p + n - 4)) << 32);
    if (n == 0) return 0;
    auto byte = [&](std::size_t k) {
      return static_cast<std::uint64_t>(static_cast<unsigned char>(p[k]));
    };
    return byte(0) | (byte(n / 2) << 8) | (byte(n - 1) << 16);
  }

  // Eight bytes at a time: a word of a few letters in a few instructions.
  static std::uint64_t hash(std::string_view word) {
    std::uint64_t h = 0x9E3779B97F4A7C15ull ^ word.size();
    std::size_t i = 0;
    for (; i + 8 <= word.size(); i += 8) {
      h = (h ^ load64(word.data() + i)) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 32;
    }
    h = (h ^ tail_of(word.data() + i, word.size() - i)) * 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 29);
  }

  // memcmp(a, b, n) == 0 for the short words kept, without calling it.
  static bool same_bytes(const char* a, const char* b, std::size_t n) {
    if (n > 16) return std::memcmp(a, b, n) == 0;
    if (n >= 8) return load64(a) == load64(b) && load64(a + n - 8) == load64(b + n - 8);
    if (n >= 4) return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
    for (std::size_t k = 0; k < n; ++k)
      if (a[k] != b[k]) return false;
    return true;
  }

  void grow() {
    std::vector<slot> old(slots_.size() * 2);
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const slot& s : old) {
      if (s.length == 0) continue;
      std::size_t i = s.hash & mask;
      while (slots_[i].length != 0) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  void clear() {
    std::fill(slots_.begin(), slots_.end(), slot{});
    bytes_.clear();
    used_ = 0;
  }

  std::vector<slot> slots_;
  std::string bytes_;
  std::size_t used_ = 0;
};

int count_syllables_by_rules(std::string_view word);

/// Syllables of a word as measured in a sentence (see measure_word).
int word_syllables(std::string_view word) {
  if (word.find('.') != std::string_view::npos) {  // "e.g.", "a.m."
    std::string key = ascii_lowercase(word);
    key.erase(std::remove(key.begin(), key.end(), '.'), key.end());
    auto found = titles_and_abbreviations().find(key);
    return found != titles_and_abbreviations().end()
               ? found->second
               : static_cast<int>(std::max<std::size_t>(key.size(), 1));
  }
  if (is_acronym(word)) return spelled_syllables(word);
  return count_syllables_by_rules(word);
}

measure measure_word(std::string_view word) {
  thread_local word_memo memo;
  return {1, memo.get(word, word_syllables)};
}

/// What a `{{ }}` shows, as text: "777", "about 4 in 10", "14 December 2025", a label.
std::string figure_text(std::string_view inner, const stats_data& stats) {
  std::string_view key = inner.substr(0, inner.find(':'));
  std::string_view format_name =
      inner.find(':') == std::string_view::npos ? "" : inner.substr(inner.find(':') + 1);
  while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
  while (!format_name.empty() && format_name.front() == ' ') format_name.remove_prefix(1);
  if (key == "as_of") {
    return format_long_date(stats.as_of_year, stats.as_of_month, stats.as_of_day);
  }
  if (const figure* f = stats.find_figure(key)) {
    if (auto format = parse_figure_format(format_name)) {
      if (auto text = format_figure(*f, *format)) return *text;
    }
  }
  if (const breakdown* b = stats.find_breakdown(key)) return b->label;
  return "0";  // an unknown figure (reported elsewhere) reads like a number
}

class sentence_splitter {
 public:
  sentence_splitter(const prose_block& block, const std::vector<prose_token>& tokens,
                    const stats_data& stats)
      : block_(block), stats_(stats), tokens_(tokens) {}

  std::vector<sentence> run() {
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      const prose_token& t = tokens_[i];
      if (t.kind == token_kind::punct) {
        if (is_terminal(t.text) && ends_sentence(i)) pending_end_ = true;
        continue;
      }
      if (pending_end_) close();
      pending_end_ = false;
      add(i);
      if (t.kind == token_kind::word && may_end_sentence_any_case(t.text) &&
          next_starts_sentence(i)) {
        pending_end_ = true;  // "... at 9 a.m. Then"
      }
    }
    close();
    return std::move(done_);
  }

 private:
  // A full stop ends a sentence unless it belongs to an abbreviation, an initial ("J. Smith")
  // or a name with no space after it ("example.org").
  bool ends_sentence(std::size_t i) const {
    if (!is_full_stop(tokens_[i].text)) return true;
    if (i + 1 < tokens_.size() && !tokens_[i + 1].space_before &&
        tokens_[i + 1].kind != token_kind::punct) {
      return false;
    }
    if (i == 0 || tokens_[i].space_before) return true;
    const prose_token& before = tokens_[i - 1];
    if (before.kind != token_kind::word) return true;
    std::string word = ascii_lowercase(before.text);
    if (titles_and_abbreviations().count(word)) {
      if (word == "no" && !(i + 1 < tokens_.size() && tokens_[i + 1].kind == token_kind::number)) {
        return true;  // "I said no." is a sentence; "No. 10" is not
      }
      return may_end_sentence(word) && next_starts_sentence(i);
    }
    bool initial = before.text.size() == 1 && starts_upper(before.text);
    return !(initial && next_starts_sentence(i));
  }

  bool next_starts_sentence(std::size_t i) const {
    for (std::size_t k = i + 1; k < tokens_.size(); ++k) {
      if (tokens_[k].kind == token_kind::punct) continue;
      return tokens_[k].kind != token_kind::word || starts_upper(tokens_[k].text);
    }
    return true;
  }

  void add(std::size_t i) {
    const prose_token& t = tokens_[i];
    if (current_.words == 0) {
      first_ = i;
      current_.pos = block_.position_at(t.offset);
    }
    measure m = measure_token(t);
    current_.words += m.words;
    current_.syllables += m.syllables;
    last_ = i;
  }

  measure measure_token(const prose_token& t) const {
    switch (t.kind) {
      case token_kind::word:
        return measure_word(t.text);
      case token_kind::number:
      case token_kind::code:
        return {1, 1};
      case token_kind::figure: {
        measure total;
        std::string shown = figure_text(figure_inner(t.text), stats_);
        for (const prose_token& part : tokenize(shown)) {
          if (part.kind == token_kind::punct || part.kind == token_kind::figure) continue;
          measure m = part.kind == token_kind::word ? measure_word(part.text) : measure{1, 1};
          total.words += m.words;
          total.syllables += m.syllables;
        }
        return total.words > 0 ? total : measure{1, 1};
      }
      case token_kind::punct:
        break;
    }
    return {};
  }

  void close() {
    if (current_.words > 0) {
      current_.file = block_.file;
      set_opening();
      done_.push_back(std::move(current_));
    }
    current_ = sentence{};
  }

  // Where the first words of the sentence are written, to name it in a message.
  void set_opening() {
    constexpr int shown_words = 6;
    int words = 0;
    std::size_t end = tokens_[first_].offset;
    for (std::size_t k = first_; k <= last_; ++k) {
      if (tokens_[k].kind == token_kind::punct) continue;
      if (words == shown_words) {
        current_.opening_cut = true;
        break;
      }
      ++words;
      end = tokens_[k].offset + tokens_[k].text.size();
    }
    current_.opening_written =
        std::string_view(block_.text).substr(tokens_[first_].offset, end - tokens_[first_].offset);
  }

  const prose_block& block_;
  const stats_data& stats_;
  const std::vector<prose_token>& tokens_;
  std::vector<sentence> done_;
  sentence current_;
  std::size_t first_ = 0;
  std::size_t last_ = 0;
  bool pending_end_ = false;
};

/// Syllables of a whole word by the rules above (hyphenated words count their parts).
int count_syllables_by_rules(std::string_view word) {
  int total = 0;
  std::size_t start = 0;
  // Hyphenated words count their parts: "care-experienced" is care + experienced.
  while (start <= word.size()) {
    std::size_t end = word.find('-', start);
    if (end == std::string_view::npos) end = word.size();
    letters part = normalised(word.substr(start, end - start));
    if (!part.empty()) total += count_word(part);
    start = end + 1;
  }
  return std::max(total, 1);
}

}  // namespace

int count_syllables(std::string_view word) {
  thread_local word_memo memo;
  return memo.get(word, count_syllables_by_rules);
}

std::string sentence::opening() const {
  std::string_view written = opening_written;
  std::string text;
  text.reserve(written.size() + 4);
  // White space becomes one space, code "...": the rest is copied a word at a time.
  auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\t'; };
  bool space = false;
  for (std::size_t i = 0; i < written.size();) {
    char c = written[i];
    if (is_space(c)) {
      space = true;
      ++i;
      continue;
    }
    if (space && !text.empty()) text.push_back(' ');
    space = false;
    if (c == code_placeholder) {
      text += "...";
      ++i;
      continue;
    }
    std::size_t end_of_word = i + 1;
    while (end_of_word < written.size() && !is_space(written[end_of_word]) &&
           written[end_of_word] != code_placeholder) {
      ++end_of_word;
    }
    text.append(written.substr(i, end_of_word - i));
    i = end_of_word;
  }
  if (opening_cut) text += " ...";
  return text;
}

double flesch_kincaid_grade(int words, int sentences, int syllables) {
  if (words <= 0 || sentences <= 0) return 0;
  return 0.39 * words / sentences + 11.8 * syllables / words - 15.59;
}

std::vector<sentence> split_sentences(const prose_block& block, const stats_data& stats) {
  return split_sentences(block, tokenize(block.text), stats);
}

std::vector<sentence> split_sentences(const prose_block& block,
                                      const std::vector<prose_token>& tokens,
                                      const stats_data& stats) {
  return sentence_splitter(block, tokens, stats).run();
}

int readability::longest() const {
  int most = 0;
  for (const sentence& s : all) most = std::max(most, s.words);
  for (const sentence& s : fragments) most = std::max(most, s.words);
  return most;
}

namespace {

bool is_measured(const prose_block& block) {
  return block.kind == prose_kind::paragraph || block.kind == prose_kind::list_item;
}

}  // namespace

void measure_block(const prose_block& block, const std::vector<prose_token>& tokens,
                   const stats_data& stats, readability& r) {
  if (!is_measured(block)) return;
  bool fragment = block.kind == prose_kind::list_item && block.is_fragment();
  for (sentence& s : split_sentences(block, tokens, stats)) {
    if (fragment) {
      r.fragments.push_back(std::move(s));
      continue;
    }
    r.sentences += 1;
    r.words += s.words;
    r.syllables += s.syllables;
    r.all.push_back(std::move(s));
  }
}

readability measure_readability(const std::vector<prose_block>& blocks, const stats_data& stats) {
  readability r;
  for (const prose_block& block : blocks) {
    if (is_measured(block)) measure_block(block, tokenize(block.text), stats, r);
  }
  return r;
}

}  // namespace tandem
