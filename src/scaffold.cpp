#include "scaffold.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <optional>
#include <ostream>
#include <regex>
#include <system_error>
#include <vector>

#include "config.hpp"
#include "diag.hpp"
#include "fs.hpp"
#include "stats.hpp"
#include "text.hpp"

namespace tandem {

namespace fs = std::filesystem;

namespace {

// Plain letters for the accented ones of Latin-1 (UTF-8 0xC3 0x80..0xBF), in order; "" splits
// words (the multiplication and division signs).
constexpr const char* latin1_letters[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};

std::size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

bool is_apostrophe(std::string_view s, std::size_t i) {
  return s[i] == '\'' || s.compare(i, 3, "\xE2\x80\x99") == 0 ||
         s.compare(i, 3, "\xE2\x80\x98") == 0;
}

// ---- What is in the folder already ---------------------------------------------------------

struct existing_files {
  int highest = 0;        // the highest NN in use (0: none)
  std::size_t width = 2;  // how many digits the file with the highest number is written with
  std::vector<std::string> same_slug;  // files of a section with the slug asked for
};

existing_files scan_folder(const fs::path& dir, const std::string& slug) {
  static const std::regex numbered(R"(([0-9]+)-([a-z0-9]+(?:-[a-z0-9]+)*)(\.[^.]+)?\.md)");
  existing_files found;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return found;
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    std::smatch m;
    if (!std::regex_match(name, m, numbered)) continue;
    std::string digits = m[1].str();
    if (digits.size() > 6) continue;  // not a number anyone would continue from
    int number = std::stoi(digits);
    if (number > found.highest || (number == found.highest && digits.size() > found.width)) {
      found.highest = number;
      found.width = digits.size();
    }
    if (m[2].str() == slug) found.same_slug.push_back(name);
  }
  return found;
}

std::string padded(int number, std::size_t width) {
  std::string digits = std::to_string(number);
  return digits.size() >= width ? digits : std::string(width - digits.size(), '0') + digits;
}

// ---- What goes in the files ----------------------------------------------------------------

// A YAML scalar for a front matter value: as typed when YAML reads it back the same, else in
// double quotes.
std::string yaml_value(const std::string& text) {
  static const std::string special = ":#'\"{}[],&*!|>%@`\\";
  bool plain = !text.empty() && text.find_first_of(special) == std::string::npos &&
               text.front() != '-' && text.front() != '?' && text.front() != ' ' &&
               text.back() != ' ';
  if (plain) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

/// What the guide in each new file uses from the site, so that its examples work there.
struct site_examples {
  std::string figure = "children_in_care";  // a count figure of stats.json
  std::string section_file;                 // an existing section's primary file name
};

site_examples examples_of(const fs::path& site_dir) {
  site_examples ex;
  diagnostics ignored;  // `tandem check` reports the problems of stats.json; here it is a hint
  if (auto stats = load_stats(site_dir, ignored)) {
    auto count = std::find_if(
        stats->figure_order.begin(), stats->figure_order.end(),
        [&](const std::string& key) { return stats->figures.at(key).unit == figure_unit::count; });
    if (count != stats->figure_order.end()) ex.figure = *count;
  }
  static const std::regex primary_section(R"([0-9]+-[a-z0-9]+(?:-[a-z0-9]+)*\.md)");
  std::error_code ec;
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(site_dir / "content/pages", ec))
    names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    if (std::regex_match(name, primary_section)) {
      ex.section_file = name;
      break;
    }
  }
  return ex;
}

std::string editions_note(const site_config& config, const edition& ed, const std::string& folder,
                          const std::string& stem, bool is_page) {
  std::string note = "# - This is the \"" + ed.name + "\" version (" + ed.id + ")";
  if (&ed != &config.primary()) {
    note += " of\n#   " + folder + "/" + stem + ".md.\n";
  } else if (config.editions.size() == 1) {
    note += ".\n";
  } else {
    note += ". The other versions are:\n";
    for (std::size_t i = 1; i < config.editions.size(); ++i)
      note += "#   " + folder + "/" + stem + "." + config.editions[i].id + ".md\n";
    note += is_page ? "#   For a section only in this version, delete the other files and add "
                      "the line\n#   editions: [" +
                          ed.id + "]\n"
                    : "#   A version without its own file shows this wording.\n";
  }
  if (ed.checks.max_sentence_words) {
    note += "# - Keep every sentence to " + std::to_string(*ed.checks.max_sentence_words) +
            " words or fewer, and use everyday words.\n";
  }
  return note;
}

std::string writing_guide(const site_examples& ex, bool is_page) {
  std::string guide =
      "# - Below the second --- line, write in Markdown: \"## \" starts a heading, \"- \" a list\n"
      "#   item, **bold** marks strong words. Leave a blank line between paragraphs.\n"
      "# - Never type a number from the statistics: write its name in double curly brackets,\n"
      "#   for example {{ " +
      ex.figure + " }} or {{ " + ex.figure +
      ":about }}.\n"
      "#   The names are in content/data/stats.json.\n";
  if (!is_page) return guide;
  std::string link_example = ex.section_file.empty() ? "01-introduction.md" : ex.section_file;
  return guide + "#   A paragraph of only {{ cards " + ex.figure +
         " }} shows big-number cards,\n"
         "#   and {{ chart NAME }} a chart.\n"
         "# - Link to another section by its file name, for example\n"
         "#   [the section](" +
         link_example +
         ")\n"
         "# - Pictures go in content/media, with words saying what they show:\n"
         "#   ![A house with a heart on its roof](../media/home.svg)\n";
}

std::string page_file(const site_config& config, const edition& ed, const std::string& stem,
                      const std::string& title, const site_examples& ex) {
  bool primary = &ed == &config.primary();
  std::string text =
      "---\ntitle: " + yaml_value(title) + "\nsummary: " + std::string(scaffold_placeholders[0]) +
      "\n"
      "# How to write this section. Lines starting with # are notes for you: "
      "they are\n# not published, and you can delete them.\n"
      "# - title is the heading of the page. Add nav_title: for a shorter name "
      "in the menu.\n"
      "# - summary is one sentence for search engines and the home page: "
      "replace it.\n" +
      editions_note(config, ed, "content/pages", stem, true) + writing_guide(ex, true) + "---\n\n";
  text += std::string(primary ? scaffold_placeholders[2] : scaffold_placeholders[1]) + "\n";
  return text;
}

std::string pledge_file(const site_config& config, const edition& ed, const std::string& stem,
                        const site_examples& ex) {
  return "---\nrole: " + std::string(scaffold_placeholders[3]) +
         "\n"
         "# name: their name, if it should be shown\n"
         "# How to write this pledge. Lines starting with # are notes for you: they are not\n"
         "# published, and you can delete them.\n"
         "# - role is shown with the pledge: replace it with the job title. To show the name\n"
         "#   too, remove the # at the start of the name: line and write it.\n"
         "# - A pledge is a promise in a few short sentences: \"I will ...\".\n" +
         editions_note(config, ed, "content/pledges", stem, false) + writing_guide(ex, false) +
         "---\n\n" + std::string(scaffold_placeholders[4]) + "\n";
}

// ---- Writing -------------------------------------------------------------------------------

/// Creates `path` with `text`, failing rather than replacing a file that is there.
bool create_new_file(const fs::path& path, const std::string& text, std::string& why) {
  std::FILE* file = std::fopen(path.c_str(), "wx");  // "x": never open an existing file
  if (!file) {
    why = std::error_code(errno, std::generic_category()).message();
    return false;
  }
  bool ok = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  if (std::fclose(file) != 0) ok = false;
  if (!ok) why = "the file could not be written in full";
  return ok;
}

struct new_file {
  std::string rel;  // relative to the site
  std::string text;
};

/// Writes every file or none: on a failure the ones already written are removed again.
void write_all(const fs::path& site_dir, const std::vector<new_file>& files) {
  std::vector<fs::path> written;
  for (const auto& f : files) {
    std::string why;
    if (!create_new_file(site_dir / f.rel, f.text, why)) {
      std::error_code ignored;
      for (const auto& done : written) fs::remove(done, ignored);
      throw system_failure("cannot create " + (site_dir / f.rel).string() + ": " + why);
    }
    written.push_back(site_dir / f.rel);
  }
}

}  // namespace

std::string section_slug(std::string_view name) {
  std::string slug;
  bool pending_dash = false;
  auto add = [&](std::string_view letters) {
    if (letters.empty()) {
      pending_dash = true;
      return;
    }
    if (pending_dash && !slug.empty()) slug += '-';
    pending_dash = false;
    slug += letters;
  };
  for (std::size_t i = 0; i < name.size();) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (is_apostrophe(name, i)) {  // "children's" is one word
      i += c == '\'' ? 1 : 3;
      continue;
    }
    std::size_t length = std::min(utf8_length(c), name.size() - i);
    if (std::isalnum(c)) {
      char lower = static_cast<char>(std::tolower(c));
      add(std::string_view(&lower, 1));
    } else if (c == 0xC3 && length == 2) {
      unsigned char next = static_cast<unsigned char>(name[i + 1]);
      add(next >= 0x80 && next <= 0xBF ? latin1_letters[next - 0x80] : "");
    } else {
      add("");
    }
    i += length;
  }
  return slug;
}

std::string title_from_name(std::string_view name) {
  std::string title(trimmed(name, is_c_space));
  bool typed_as_title = std::any_of(title.begin(), title.end(), [](char c) {
    return c == ' ' || std::isupper(static_cast<unsigned char>(c));
  });
  if (!typed_as_title) {
    std::replace(title.begin(), title.end(), '-', ' ');
    std::replace(title.begin(), title.end(), '_', ' ');
    if (!title.empty())
      title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
  }
  // One space between words, however it was typed.
  std::string out;
  for (char c : title) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  return std::string(trimmed(out, is_c_space));
}

int run_new(const fs::path& site_dir, const std::string& kind, const std::string& name,
            std::ostream& out, std::ostream& err) {
  bool is_page = kind == "page";
  std::string slug = section_slug(name);
  if (slug.empty()) {
    err << "tandem: error: the name '" << name
        << "' has no letters or numbers; give a short name such as \"our-promise\"\n";
    return exit_usage;
  }
  diagnostics diags;
  auto config = load_site_config(site_dir, diags);
  if (!config || diags.has_errors()) {
    print_diagnostics(err, diags, site_dir);
    err << "Nothing was created: fix content/site.json first.\n";
    return exit_content;
  }
  std::string folder = is_page ? "content/pages" : "content/pledges";
  existing_files existing = scan_folder(site_dir / folder, slug);
  if (!existing.same_slug.empty()) {
    std::string file = folder + "/" + existing.same_slug.front();
    print_diagnostic(err,
                     {file, 0, 0, severity::error, "new.exists",
                      std::string(is_page ? "a section" : "a pledge") + " called '" + slug +
                          "' already exists in this file; edit it, or choose another name"},
                     site_dir);
    err << "Nothing was created.\n";
    return exit_content;
  }

  std::string stem = padded(existing.highest + 1, existing.width) + "-" + slug;
  std::string title = title_from_name(name);
  site_examples examples = examples_of(site_dir);
  std::vector<new_file> files;
  for (const auto& ed : config->editions) {
    bool primary = &ed == &config->primary();
    std::string rel = folder + "/" + stem + (primary ? "" : "." + ed.id) + ".md";
    files.push_back({rel, is_page ? page_file(*config, ed, stem, title, examples)
                                  : pledge_file(*config, ed, stem, examples)});
  }
  std::error_code ec;
  fs::create_directories(site_dir / folder, ec);
  if (ec)
    throw system_failure("cannot create " + (site_dir / folder).string() + ": " + ec.message());
  write_all(site_dir, files);

  out << "Created " << (is_page ? "the section" : "the pledge") << " '" << title << "':\n";
  for (const auto& f : files) out << "  " << f.rel << "\n";
  out << (is_page ? "Write the section in each file" : "Write the pledge in each file")
      << "; the notes at the top say how. 'tandem serve' shows it as you save.\n";
  return exit_ok;
}

}  // namespace tandem
