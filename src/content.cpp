// Finding and loading pages, pledges and media: file names, editions and their sections.
#include "content.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "fs.hpp"
#include "limits.hpp"
#include "markdown.hpp"
#include "parallel.hpp"
#include "text.hpp"

namespace tandem {
namespace {

namespace fs = std::filesystem;

constexpr const char* pages_dir = "content/pages";
constexpr const char* pledges_dir = "content/pledges";
constexpr const char* media_dir = "content/media";

// The two folders of Markdown files differ only in what their names may be and how errors
// are labelled.
struct folder {
  const char* dir;
  const char* id_prefix;  // "page" or "pledge"
  const char* example;    // an example stem for messages
  bool allows_home;       // index.md
};

const folder pages_folder{pages_dir, "page", "03-our-promise", true};
const folder pledges_folder{pledges_dir, "pledge", "01-director", false};

std::string id_of(const folder& f, const char* what) {
  return std::string(f.id_prefix) + what;
}

bool has_edition(const site_config& config, const std::string& id) {
  return std::any_of(config.editions.begin(), config.editions.end(),
                     [&](const edition& e) { return e.id == id; });
}

std::vector<std::string> edition_ids(const site_config& config) {
  std::vector<std::string> ids;
  for (const auto& e : config.editions) ids.push_back(e.id);
  return ids;
}

// Sorts edition ids into the order of site.json.
std::vector<std::string> in_site_order(const site_config& config,
                                       const std::set<std::string>& ids) {
  std::vector<std::string> out;
  for (const auto& e : config.editions) {
    if (ids.count(e.id)) out.push_back(e.id);
  }
  return out;
}

std::string list_in_brackets(const std::vector<std::string>& ids) {
  std::string out = "[";
  for (const auto& id : ids) out += (out.size() > 1 ? ", " : "") + id;
  return out + "]";
}

// "our-promise" -> "Our promise": a stand-in title for a page whose own could not be read.
std::string title_from_slug(const std::string& slug) {
  if (slug.empty()) return "Home";
  std::string title = slug;
  std::replace(title.begin(), title.end(), '-', ' ');
  title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
  return title;
}

// ---- File names ---------------------------------------------------------------------------

// A slug: lowercase words of letters and digits joined by single dashes ("our-promise").
bool is_slug(std::string_view s) {
  if (s.empty() || s.front() == '-' || s.back() == '-') return false;
  char previous = 0;
  for (char c : s) {
    bool word_char = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!word_char && !(c == '-' && previous != '-')) return false;
    previous = c;
  }
  return true;
}

// "03-our-promise" as its number ("03") and slug ("our-promise"); nullopt if it is not
// NN-slug.
std::optional<std::pair<std::string_view, std::string_view>> numbered_parts(std::string_view stem) {
  std::size_t digits = 0;
  while (digits < stem.size() && stem[digits] >= '0' && stem[digits] <= '9') ++digits;
  if (digits == 0 || digits == stem.size() || stem[digits] != '-') return std::nullopt;
  std::string_view slug = stem.substr(digits + 1);
  if (!is_slug(slug)) return std::nullopt;
  return std::pair{stem.substr(0, digits), slug};
}

/// What a file's name says: `03-our-promise.young.md` is section 3, slug "our-promise", young.
struct file_name {
  std::string stem;  // "03-our-promise" or "index"
  std::string slug;  // "" for index
  int order = -1;
  std::string edition;
};

struct name_checker {
  const folder& where;
  const site_config& config;
  diagnostics& diags;

  std::string file_of(const std::string& name) const { return std::string(where.dir) + "/" + name; }

  std::string example_name() const {
    std::string example = std::string(where.example) + ".md";
    if (config.editions.size() > 1) {
      example += ", or " + std::string(where.example) + "." + config.editions[1].id +
                 ".md for the " + config.editions[1].id + " edition";
    }
    return example;
  }

  // A name that does fit, made from one that does not, when that is clear: "3 Our Promise" ->
  // "3-our-promise". Empty when no good guess exists.
  static std::string suggested_stem(const std::string& stem) {
    // As headings' ids are made: accented letters keep their letter ("café" -> "cafe").
    std::string out = slugify(stem);
    // slugify's name for a text with no letters, which has nothing to keep.
    if (out == "section" && ascii_lowercase(stem).find("section") == std::string::npos) return "";
    // "03our-promise": the number needs its own dash.
    std::size_t digits = 0;
    while (digits < out.size() && std::isdigit(static_cast<unsigned char>(out[digits]))) ++digits;
    if (digits > 0 && digits < out.size() && out[digits] != '-') out.insert(digits, "-");
    return numbered_parts(out) ? out : "";
  }

  void bad_name(const std::string& name, const std::string& stem, const std::string& suffix) {
    std::string message = "the file name '" + name +
                          "' does not fit the pattern NN-slug.md: a number, a dash, then "
                          "lowercase words joined by dashes (e.g. " +
                          example_name() + ")";
    std::string better = suggested_stem(stem);
    if (!better.empty() && better != stem) message += "; rename it to " + better + suffix + ".md";
    diags.error(file_of(name), 0, 0, id_of(where, ".filename"), message);
  }

  std::optional<std::string> edition_of(const std::string& name, const std::string& stem,
                                        const std::string& suffix) {
    const std::string& primary = config.primary().id;
    if (suffix.empty()) return primary;
    if (suffix == primary) {
      diags.error(file_of(name), 0, 0, id_of(where, ".edition"),
                  "the " + primary +
                      " edition is the main one, so its file has no edition in "
                      "its name; rename this file to " +
                      stem + ".md");
      return std::nullopt;
    }
    if (!has_edition(config, suffix)) {
      // An edition left out because of its error in site.json: not built, and not reported again.
      if (config.names_edition(suffix)) return std::nullopt;
      std::string message =
          "'" + suffix + "' in the file name is not an edition in " + std::string(site_config_file);
      std::string near = nearest_name(suffix, edition_ids(config));
      if (!near.empty() && near != primary) {
        message += " (did you mean '" + near + "'? then rename it to " + stem + "." + near + ".md)";
      } else {
        message += "; the editions are: " + list_in_brackets(edition_ids(config));
      }
      diags.error(file_of(name), 0, 0, id_of(where, ".edition"), message);
      return std::nullopt;
    }
    return suffix;
  }

  /// Reads a name such as "03-our-promise.young.md"; reports and returns nullopt if it is not
  /// one (the caller has already set aside files that are not Markdown).
  std::optional<file_name> parse(const std::string& name) {
    std::string base = name.substr(0, name.size() - 3);  // without ".md"
    std::size_t dot = base.find('.');
    std::string stem = base.substr(0, dot);
    std::string suffix = dot == std::string::npos ? "" : base.substr(dot + 1);
    bool suffix_ok =
        dot == std::string::npos || (!suffix.empty() && suffix.find('.') == std::string::npos);

    file_name parsed;
    parsed.stem = stem;
    std::optional<std::pair<std::string_view, std::string_view>> numbered;
    if (where.allows_home && stem == "index" && suffix_ok) {
      // The home page: no number, no slug.
    } else if (suffix_ok && (numbered = numbered_parts(stem))) {
      std::string_view digits = numbered->first;
      auto [end, err] = std::from_chars(digits.data(), digits.data() + digits.size(), parsed.order);
      if (err != std::errc() || end != digits.data() + digits.size()) {
        diags.error(file_of(name), 0, 0, id_of(where, ".filename"),
                    "the number at the start of '" + name +
                        "' is too large; use a small number such as 03");
        return std::nullopt;
      }
      parsed.slug = numbered->second;
    } else {
      bad_name(name, stem, suffix_ok && !suffix.empty() ? "." + suffix : "");
      return std::nullopt;
    }
    auto ed = edition_of(name, stem, suffix);
    if (!ed) return std::nullopt;
    parsed.edition = *ed;
    return parsed;
  }
};

bool ends_with(const std::string& s, std::string_view end) {
  return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}

// ---- Reading one folder --------------------------------------------------------------------

/// One Markdown file found: its name, and its page if it could be read and parsed.
struct found_file {
  std::string file;  // relative to the site
  file_name name;
  std::optional<source_page> page;  // nullopt when reading or parsing failed (reported)
};

/// Every file of one stem ("03-our-promise"), by edition id.
struct stem_files {
  std::string stem;
  std::string slug;
  int order = -1;
  std::map<std::string, found_file> by_edition;
};

std::optional<source_page> read_source(const fs::path& site_dir, const std::string& file,
                                       const std::string& edition_id, diagnostics& diags) {
  std::string why;
  auto text = read_file(site_dir / file, &why);
  if (!text) {
    diags.error(file, 0, 0, "page.read",
                "this file cannot be read (" + (why.empty() ? std::string("unknown reason") : why) +
                    "); check that it exists and that you are allowed to open it");
    return std::nullopt;
  }
  auto page = parse_source_page(file, std::move(*text), edition_id, diags);
  // A body over the bounds of limits.hpp is reported here, once, and left out: every later
  // reader (checks, prose, render) then sees an empty page instead of one that could hang it.
  if (!page) return page;
  if (!check_markdown_limits(page->body, page->file, page->body_line, diags)) page->body.clear();
  page->limits_checked = true;
  return page;
}

// True for names to pass over without a word: hidden files such as .DS_Store or editor swaps.
bool is_hidden(const std::string& name) {
  return name.front() == '.' || name.find("/.") != std::string::npos;
}

void warn_ignored(const folder& where, const std::string& name, const std::string& why,
                  diagnostics& diags) {
  diags.warning(std::string(where.dir) + "/" + name, 0, 0, id_of(where, ".ignored"),
                "this file is ignored: " + why);
}

/// Lists a folder of Markdown files and reads every one whose name fits, grouped by stem.
// The name without its ending, for a file in `dir` written as a page but saved with another
// ending: ".markdown" and its short forms, or ".txt" (Notepad's, often after ".md") with front
// matter at its start. nullopt for any other file.
std::optional<std::string> meant_as_markdown(const fs::path& dir, const std::string& name) {
  const std::string lower = ascii_lowercase(name);
  for (std::string_view ending : {".md.txt", ".markdown", ".mdown", ".mkd", ".mkdn"}) {
    if (ends_with(lower, ending) && lower.size() > ending.size())
      return name.substr(0, name.size() - ending.size());
  }
  for (std::string_view ending : {".txt", ".text"}) {
    if (!ends_with(lower, ending) || lower.size() == ending.size()) continue;
    std::ifstream in(dir / name, std::ios::binary);
    char start[6] = {};
    in.read(start, sizeof start);
    std::string_view read(start, static_cast<std::size_t>(in.gcount()));
    if (read.rfind("\xEF\xBB\xBF", 0) == 0) read.remove_prefix(3);  // a byte-order mark
    if (read.rfind("---", 0) == 0) return name.substr(0, name.size() - ending.size());
  }
  return std::nullopt;
}

std::map<std::string, stem_files> read_folder(const fs::path& site_dir, const folder& where,
                                              const site_config& config, diagnostics& diags) {
  std::map<std::string, stem_files> stems;
  std::error_code ec;
  if (!fs::is_directory(site_dir / where.dir, ec)) return stems;

  std::vector<std::string> outside;
  auto names = list_files(site_dir / where.dir, &outside);
  for (const auto& name : outside) {
    warn_ignored(where, name,
                 "it is a link to a file outside this folder; copy the file here instead", diags);
  }
  name_checker checker{where, config, diags};
  std::vector<found_file> found_files;  // in the folder's order
  for (const auto& name : names) {
    if (is_hidden(name)) continue;
    if (name.find('/') != std::string::npos) {
      warn_ignored(where, name,
                   "files in folders inside " + std::string(where.dir) +
                       " are not read; move it into " + where.dir,
                   diags);
      continue;
    }
    if (auto stem = meant_as_markdown(site_dir / where.dir, name)) {
      diags.error(
          checker.file_of(name), 0, 0, id_of(where, ".filename"),
          "this file is read only when its name ends in '.md'; rename it to " + *stem + ".md");
      continue;
    }
    if (!ends_with(ascii_lowercase(name), ".md")) {
      warn_ignored(where, name,
                   "only Markdown files (.md) are read here; put images and downloads in " +
                       std::string(media_dir),
                   diags);
      continue;
    }
    if (!ends_with(name, ".md")) {
      std::string stem = name.substr(0, name.size() - 3);
      diags.error(checker.file_of(name), 0, 0, id_of(where, ".filename"),
                  "the file name must end in '.md' in lowercase; rename it to " + stem + ".md");
      continue;
    }
    auto parsed = checker.parse(name);
    if (!parsed) continue;
    found_files.push_back({checker.file_of(name), *parsed, std::nullopt});
  }
  // Each file is read and parsed on its own, on every core; what they say is kept in order.
  std::vector<diagnostics> read_diags(found_files.size());
  for_each_at_once(
      found_files.size(), thread_count(),
      [&](std::size_t i) {
        found_file& found = found_files[i];
        found.page = read_source(site_dir, found.file, found.name.edition, read_diags[i]);
      },
      16);
  for (std::size_t i = 0; i < found_files.size(); ++i) {
    diags.merge(read_diags[i]);
    const file_name& parsed = found_files[i].name;
    auto& group = stems[parsed.stem];
    group.stem = parsed.stem;
    group.slug = parsed.slug;
    group.order = parsed.order;
    group.by_edition.emplace(parsed.edition, std::move(found_files[i]));
  }
  return stems;
}

/// Stem groups in reading order: the home page first, then by number, then by slug.
std::vector<stem_files*> in_order(std::map<std::string, stem_files>& stems) {
  std::vector<stem_files*> out;
  for (auto& [stem, group] : stems) out.push_back(&group);
  std::sort(out.begin(), out.end(), [](const stem_files* a, const stem_files* b) {
    bool a_numbered = !a->slug.empty();
    bool b_numbered = !b->slug.empty();
    if (a_numbered != b_numbered) return b_numbered;
    if (a->order != b->order) return a->order < b->order;
    if (int order = a->slug.compare(b->slug); order != 0) return order < 0;
    return a->stem < b->stem;
  });
  return out;
}

// The file that speaks for a stem in messages: the primary's if there is one.
const found_file& representative(const stem_files& group, const site_config& config) {
  auto it = group.by_edition.find(config.primary().id);
  return it != group.by_edition.end() ? it->second : group.by_edition.begin()->second;
}

void report_duplicate_slugs(const std::vector<stem_files*>& groups, const folder& where,
                            const site_config& config, diagnostics& diags) {
  std::map<std::string, std::vector<const stem_files*>> by_slug;
  for (const auto* g : groups) {
    if (!g->slug.empty()) by_slug[g->slug].push_back(g);
  }
  for (const auto& [slug, same] : by_slug) {
    if (same.size() < 2) continue;
    std::vector<std::string> names;
    for (const auto* g : same) names.push_back(g->stem + ".md");
    std::string all;
    for (std::size_t i = 0; i < names.size(); ++i) {
      all += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
    }
    for (const auto* g : same) {
      diags.error(representative(*g, config).file, 0, 0, id_of(where, ".duplicate_slug"),
                  "the files " + all + " have the same name '" + slug +
                      "' after the number, so they would be published at the same address; "
                      "rename one of them");
    }
  }
}

// ---- Pages ---------------------------------------------------------------------------------

// Byte offset of the start of 1-based `line` in `text`.
std::size_t offset_of_line(const std::string& text, int line) {
  std::size_t offset = 0;
  for (int i = 1; i < line && offset != std::string::npos; ++i) {
    offset = text.find('\n', offset);
    if (offset != std::string::npos) ++offset;
  }
  return offset == std::string::npos ? text.size() : offset;
}

// Where an edition id is written in the `editions:` setting, for pointing at a bad one.
text_position position_of_edition_id(const source_page& page, const std::string& id) {
  std::size_t from = offset_of_line(page.head, page.meta.editions_pos.line);
  std::size_t at = page.head.find(id, from);
  if (at == std::string::npos) return page.meta.editions_pos;
  return position_of(page.head, at);
}

/// The editions a section is in, from its primary file's `editions:` (all when not given).
std::vector<std::string> section_editions(const source_page& primary, bool is_home,
                                          const site_config& config, diagnostics& diags) {
  const auto& wanted = primary.meta.editions;
  const text_position at = primary.meta.editions_pos;
  if (!wanted) return edition_ids(config);
  if (is_home) {
    diags.error(primary.file, at.line, at.col, "frontmatter.editions",
                "the home page is in every edition; remove the 'editions' line");
    return edition_ids(config);
  }
  std::set<std::string> ids;
  for (const auto& id : *wanted) {
    if (has_edition(config, id)) {
      ids.insert(id);
      continue;
    }
    if (config.names_edition(id)) continue;  // left out because of its error in site.json
    std::string message = "'" + id + "' is not an edition in " + std::string(site_config_file);
    std::string near = nearest_name(id, edition_ids(config));
    message += near.empty() ? "; the editions are: " + list_in_brackets(edition_ids(config))
                            : " (did you mean '" + near + "'?)";
    text_position pos = position_of_edition_id(primary, id);
    diags.error(primary.file, pos.line, pos.col, "frontmatter.editions", message);
  }
  const std::string& main_id = config.primary().id;
  if (!ids.count(main_id)) {
    std::set<std::string> fixed = ids;
    fixed.insert(main_id);
    diags.error(primary.file, at.line, at.col, "frontmatter.editions",
                "'editions' must include " + main_id + ", the main edition, because this file " +
                    "is its version of the section; write 'editions: " +
                    list_in_brackets(in_site_order(config, fixed)) + "'");
    ids.insert(main_id);
  }
  return in_site_order(config, ids);
}

std::string edition_file_name(const std::string& stem, const std::string& edition_id,
                              const site_config& config) {
  std::string suffix = edition_id == config.primary().id ? "" : "." + edition_id;
  return std::string(pages_dir) + "/" + stem + suffix + ".md";
}

void report_missing_edition(const stem_files& group, const source_page& primary,
                            const std::string& missing, const std::vector<std::string>& editions,
                            const site_config& config, diagnostics& diags) {
  std::string add = edition_file_name(group.stem, missing, config);
  text_position at = primary.meta.editions ? primary.meta.editions_pos : text_position{1, 1};
  std::string message;
  if (group.slug.empty()) {
    message = "the " + missing + " edition has no home page; add " + add;
  } else {
    std::vector<std::string> rest;
    for (const auto& id : editions) {
      if (id != missing) rest.push_back(id);
    }
    message = "the " + missing + " edition has no version of this section: add " + add +
              ", or write 'editions: " + list_in_brackets(rest) + "' in the front matter if the " +
              missing + " edition should not have this section";
  }
  diags.error(primary.file, at.line, at.col, "edition.missing", message);
}

// A stand-in for a file that could not be read, or whose front matter could not, so the section
// or pledge keeps its place and nothing adds errors of its own about the file (its error is
// already reported): see source_page::stand_in.
source_page placeholder(const found_file& f, const stem_files& group) {
  source_page page;
  page.file = f.file;
  page.edition = f.name.edition;
  page.meta.title = title_from_slug(group.slug);
  page.stand_in = true;
  return page;
}

void report_primary_missing(const stem_files& group, const site_config& config,
                            diagnostics& diags) {
  std::string add = edition_file_name(group.stem, config.primary().id, config);
  if (group.slug.empty()) return;  // the home page has its own message
  for (const auto& [id, f] : group.by_edition) {
    diags.error(f.file, 0, 0, "edition.missing",
                "this is the " + id + " version of a section that the " + config.primary().id +
                    " edition does not have; add " + add +
                    " (the main edition's file, with no edition in its name), or delete this "
                    "file");
  }
}

// The group's pages are moved into the section.
std::optional<section> assemble_section(stem_files& group, const site_config& config,
                                        diagnostics& diags) {
  const std::string& main_id = config.primary().id;
  auto primary_it = group.by_edition.find(main_id);
  if (primary_it == group.by_edition.end()) {
    report_primary_missing(group, config, diags);
    return std::nullopt;
  }
  const found_file& primary_file = primary_it->second;

  section sec;
  sec.slug = group.slug;
  sec.order = group.order;
  sec.stem = group.stem;

  std::vector<std::string> editions;
  if (primary_file.page) {
    editions = section_editions(*primary_file.page, sec.is_home(), config, diags);
  } else {
    // Its `editions:` is unknown: take the files there are and report nothing more about them.
    for (const auto& [id, f] : group.by_edition) editions.push_back(id);
    editions = in_site_order(config, {editions.begin(), editions.end()});
  }

  // The primary edition's page is moved in last: the others are compared with it.
  bool primary_waits = false;
  for (const auto& id : editions) {
    auto it = group.by_edition.find(id);
    if (it == group.by_edition.end()) {
      report_missing_edition(group, *primary_file.page, id, editions, config, diags);
      continue;
    }
    if (id == main_id && it->second.page) {
      primary_waits = true;
      sec.editions.push_back(id);
      continue;
    }
    source_page page =
        it->second.page ? std::move(*it->second.page) : placeholder(it->second, group);
    if (page.meta.title.empty()) page.meta.title = title_from_slug(group.slug);
    if (id != main_id && page.meta.editions && primary_file.page &&
        page.meta.editions != primary_file.page->meta.editions) {
      diags.warning(page.file, page.meta.editions_pos.line, page.meta.editions_pos.col,
                    "frontmatter.editions",
                    "'editions' is read only from " +
                        edition_file_name(group.stem, main_id, config) +
                        ", so this line is ignored; remove it, or change it there");
    }
    sec.pages.emplace(id, std::move(page));
    sec.editions.push_back(id);
  }
  if (primary_waits) {
    source_page page = std::move(*primary_it->second.page);
    if (page.meta.title.empty()) page.meta.title = title_from_slug(group.slug);
    sec.pages.emplace(main_id, std::move(page));
  }

  for (const auto& [id, f] : group.by_edition) {
    if (std::find(editions.begin(), editions.end(), id) != editions.end()) continue;
    diags.warning(f.file, 0, 0, "edition.unused",
                  "this file is not used: the 'editions' line of " + primary_file.file +
                      " does not list " + id + "; add " + id + " to it, or delete this file");
  }
  return sec;
}

void report_reserved_slugs(const std::vector<section>& sections, const site_config& config,
                           diagnostics& diags) {
  std::map<std::string, std::string> reserved = {{"assets", "the folder of styles and scripts"},
                                                 {"media", "the folder of images and downloads"},
                                                 {"print", "the printable version"}};
  for (const auto& e : config.editions) {
    if (e.path.empty()) continue;
    reserved[e.path.substr(0, e.path.find('/'))] = "the " + e.id + " edition's folder";
  }
  for (const auto& sec : sections) {
    auto it = reserved.find(sec.slug);
    if (it == reserved.end()) continue;
    for (const auto& [id, page] : sec.pages) {
      diags.error(page.file, 0, 0, "page.reserved_slug",
                  "the address '" + sec.slug + "' is taken by " + it->second +
                      " in the published site; rename this file to another name after the "
                      "number, e.g. " +
                      sec.stem + "-page.md");
    }
  }
}

std::vector<section> load_sections(const fs::path& site_dir, const site_config& config,
                                   diagnostics& diags) {
  auto stems = read_folder(site_dir, pages_folder, config, diags);
  auto groups = in_order(stems);
  report_duplicate_slugs(groups, pages_folder, config, diags);

  bool has_home = stems.count("index") && stems.at("index").by_edition.count(config.primary().id);
  if (!has_home) {
    diags.error(std::string(pages_dir) + "/index.md", 0, 0, "page.missing_home",
                "the site has no home page; add " + std::string(pages_dir) +
                    "/index.md with a title in its front matter");
  }
  std::vector<section> sections;
  for (auto* group : groups) {
    if (auto sec = assemble_section(*group, config, diags)) sections.push_back(std::move(*sec));
  }
  report_reserved_slugs(sections, config, diags);
  return sections;
}

// ---- Pledges -------------------------------------------------------------------------------

std::vector<pledge> load_pledges(const fs::path& site_dir, const site_config& config,
                                 diagnostics& diags) {
  auto stems = read_folder(site_dir, pledges_folder, config, diags);
  auto groups = in_order(stems);
  report_duplicate_slugs(groups, pledges_folder, config, diags);

  const std::string& main_id = config.primary().id;
  std::vector<pledge> pledges;
  for (const auto* group : groups) {
    auto primary = group->by_edition.find(main_id);
    if (primary == group->by_edition.end()) {
      std::string add = std::string(pledges_dir) + "/" + group->stem + ".md";
      for (const auto& [id, f] : group->by_edition) {
        diags.error(f.file, 0, 0, "edition.missing",
                    "this is the " + id + " wording of a pledge that has no main file; add " + add +
                        " (with no edition in its name), or delete this file");
      }
      continue;
    }
    if (!primary->second.page) continue;  // its error is already reported
    pledge p;
    p.slug = group->slug;
    p.order = group->order;
    // A wording that could not be read is not replaced by the primary's, which would then be
    // checked, and reported, as that edition's.
    for (const auto& [id, f] : group->by_edition) {
      p.wordings.emplace(id, f.page ? *f.page : placeholder(f, *group));
    }
    pledges.push_back(std::move(p));
  }
  return pledges;
}

// ---- Media ---------------------------------------------------------------------------------

bool is_inside(const fs::path& path, const fs::path& dir) {
  std::error_code ec;
  fs::path real = fs::weakly_canonical(path, ec);
  if (ec) return false;
  fs::path root = fs::weakly_canonical(dir, ec);
  if (ec) return false;
  auto [root_end, unused] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
  return root_end == root.end();
}

std::vector<std::string> load_media(const fs::path& site_dir, diagnostics& diags) {
  std::error_code ec;
  if (!fs::is_directory(site_dir / media_dir, ec)) return {};
  std::vector<std::string> outside;
  auto files = list_files(site_dir / media_dir, &outside);
  for (const auto& name : outside) {
    // A link to elsewhere in the site is fine: it is published with the site.
    fs::path target = site_dir / media_dir / name;
    if (is_inside(target, site_dir) && fs::is_regular_file(target, ec)) {
      files.push_back(name);
      continue;
    }
    diags.error(std::string(media_dir) + "/" + name, 0, 0, "media.symlink",
                "this is a link to a file outside the site folder (or to nothing), so it "
                "would not be published with the site; copy the file into " +
                    std::string(media_dir) + " instead");
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

loaded_content load_content(const std::filesystem::path& site_dir, const site_config& config,
                            diagnostics& diags) {
  loaded_content content;
  if (config.editions.empty()) return content;  // site.json already reported this
  content.sections = load_sections(site_dir, config, diags);
  content.pledges = load_pledges(site_dir, config, diags);
  content.glossary = load_glossary(site_dir, config, diags, &content.glossary_unreadable);
  content.media = load_media(site_dir, diags);
  return content;
}

}  // namespace tandem
