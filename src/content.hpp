// Pages, pledges and the glossary: front matter and Markdown bodies, per edition (SPEC 4, 6).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config.hpp"
#include "diag.hpp"

namespace tandem {

/// YAML front matter of a page. Every key is optional except `title` (checked by the loader).
struct front_matter {
  std::string title;
  std::string nav_title;
  std::string summary;
  std::string layout = "page";
  std::optional<std::vector<std::string>> editions;  // which editions have this section
  std::string role;                                  // pledges only
  std::string name;                                  // pledges only
  text_position editions_pos;                        // where `editions:` is written, for messages
};

/// One Markdown file of one edition.
struct source_page {
  std::string file;     // relative to the site folder: "content/pages/03-our-promise.young.md"
  std::string edition;  // edition id this file is for
  front_matter meta;
  // The file as read is `head` then `body`, kept apart rather than whole as well (a large site's
  // Markdown would be held twice).
  std::string head;           // the front matter with its '---' lines (for positions in it)
  std::string body;           // Markdown after the front matter
  std::size_t text_size = 0;  // the whole file's length and hash: whether a file changed
  std::size_t text_hash = 0;
  int body_line = 1;  // 1-based line in `file` where `body` starts
  /// True once the loader has checked `body` against the default Markdown limits (limits.hpp)
  /// and reported it (emptied when over them), so later readers need not scan it again.
  bool limits_checked = false;
  /// True for a stand-in, with no text, for a file that could not be read or whose front matter
  /// could not (its error is reported): what the file holds is unknown, so nothing more is
  /// reported about it, nor instead of it.
  bool stand_in = false;
};

/// A section (or the home page) across editions: "03-our-promise.md" + "03-our-promise.young.md".
struct section {
  std::string slug;  // "our-promise"; "" for the home page (index.md)
  int order = -1;    // the NN prefix; -1 for the home page
  std::string stem;  // "03-our-promise" or "index": what links to the source file are written to
  std::vector<std::string> editions;         // editions that have this section, in site order
  std::map<std::string, source_page> pages;  // by edition id; only editions that have it
  bool is_home() const { return slug.empty(); }
};

/// A pledge, with its wording per edition (editions without their own file use the primary's;
/// an edition whose own file could not be read has a stand-in, source_page::stand_in).
struct pledge {
  std::string slug;
  int order = 0;
  std::map<std::string, source_page> wordings;  // by edition id; always has the primary
};

/// A glossary entry (content/glossary.json).
struct glossary_entry {
  std::string term;        // "SYPAC"
  std::string stands_for;  // "Supporting Young People After Care" (may be empty)
  std::string means;       // plain explanation for the primary edition
  std::map<std::string, std::string> edition_means;  // "young" -> wording for that edition
  text_position pos;
  /// The explanation for an edition: its own wording if given, else `means`.
  const std::string& means_for(const std::string& edition_id) const;
};

/// The id of a glossary entry on the glossary page: "term-" + slugify(term). Two terms with the
/// same id are a `glossary.duplicate` error.
std::string glossary_term_id(const std::string& term);

struct loaded_content {
  std::vector<section> sections;         // home page first, then by NN order, then slug
  std::vector<pledge> pledges;           // by NN order, then slug
  std::vector<glossary_entry> glossary;  // sorted by term
  /// glossary.json is there but could not be read (not JSON, or not an object): its error is
  /// reported, and abbreviations are not reported as unexplained until it can be read.
  bool glossary_unreadable = false;
  std::vector<std::string> media;  // files under content/media, relative to it, sorted
};

/// Splits `--- yaml ---` front matter from a Markdown file and parses it (`frontmatter.*` ids).
/// Returns nullopt when the front matter is missing or malformed (the error names the fix).
std::optional<source_page> parse_source_page(const std::string& file, std::string text,
                                             const std::string& edition, diagnostics& diags);

inline constexpr const char* glossary_file = "content/glossary.json";

/// Loads content/glossary.json (`glossary.*` ids): an object of term -> {stands_for, means,
/// and optional wording per edition id}; a missing file is an empty glossary. Sorted by term.
/// `unreadable` (if given) is set when the file is there and cannot be read at all.
std::vector<glossary_entry> load_glossary(const std::filesystem::path& site_dir,
                                          const site_config& config, diagnostics& diags,
                                          bool* unreadable = nullptr);

/// Loads content/pages, content/pledges, content/glossary.json and lists content/media.
/// Checks: file names (NN-slug[.edition].md), unknown edition suffixes, a section missing from an
/// edition it names (`edition.missing`, naming the file to add or the `editions:` line to
/// write), two sections with the same slug, missing titles, pledge `role`.
loaded_content load_content(const std::filesystem::path& site_dir, const site_config& config,
                            diagnostics& diags);

}  // namespace tandem
