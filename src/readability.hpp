// Plain-language measures (SPEC 8): syllables, sentences, and the Flesch-Kincaid grade of the
// prose of a page, with figures, numbers, abbreviations and code handled so they do not distort
// the score.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "diag.hpp"
#include "prose.hpp"
#include "stats.hpp"

namespace tandem {

/// Syllables in one English word, by spelling rules (vowel groups, silent e, -es and -ed
/// endings, vowels that are sounded apart, suffixes and compounds). Hyphenated words count
/// their parts; apostrophes are ignored. Every word has at least one syllable.
int count_syllables(std::string_view word);

/// Flesch-Kincaid grade level: 0.39 * words per sentence + 11.8 * syllables per word - 15.59.
double flesch_kincaid_grade(int words, int sentences, int syllables);

/// One sentence of prose: where it starts, how many words and syllables it has, and its
/// opening words (to name it in messages).
struct sentence {
  shared_file_name file;
  text_position pos;
  int words = 0;
  int syllables = 0;
  /// The opening words as written: a view of the text of the block the sentence is in, so
  /// valid only while that block is. Few sentences are ever named in a message, so the
  /// opening is not made for each one.
  std::string_view opening_written;
  bool opening_cut = false;  // more words follow the opening
  /// The first few words, "We will make sure that ...", white space made one space and code
  /// "...". Only while the sentence's block exists.
  std::string opening() const;
};

/// The sentences of a block of prose. Full stops after abbreviations ("e.g.", "Dr.") and inside
/// numbers ("41.2") do not end a sentence. A figure counts as the words it shows, a number as
/// one word of one syllable, an abbreviation or code as one word.
std::vector<sentence> split_sentences(const prose_block& block, const stats_data& stats);
/// The same, with the block's tokens already made (`tokenize(block.text)`).
std::vector<sentence> split_sentences(const prose_block& block,
                                      const std::vector<prose_token>& tokens,
                                      const stats_data& stats);

/// The readability of some prose: only full sentences count (paragraphs, and list items that
/// end with a full stop, question or exclamation mark); headings, table cells and list items
/// that are fragments are left out of the grade.
struct readability {
  int sentences = 0;
  int words = 0;
  int syllables = 0;
  std::vector<sentence> all;        // every sentence scored, in order
  std::vector<sentence> fragments;  // list items without a full stop (length is still checked)
  double grade() const { return flesch_kincaid_grade(words, sentences, syllables); }
  int longest() const;  // words in the longest sentence or fragment; 0 if none
};

/// Measures the prose blocks of one file. The sentences' openings are read from `blocks`.
readability measure_readability(const std::vector<prose_block>& blocks, const stats_data& stats);

/// Adds the measures of one block, whose tokens are `tokens` (`tokenize(block.text)`), to `r`:
/// what `measure_readability` adds for it.
void measure_block(const prose_block& block, const std::vector<prose_token>& tokens,
                   const stats_data& stats, readability& r);

}  // namespace tandem
