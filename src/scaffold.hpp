// `tandem new page|pledge NAME`: a new section or pledge in every edition, ready to write.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>

namespace tandem {

/// Creates the files for a new section (`kind` "page") or pledge (`kind` "pledge") called
/// `name` in every edition: content/pages/NN-slug.md and NN-slug.<edition>.md for each other
/// edition, NN the next number after the highest there, written as wide as that one. Each file
/// has its front matter filled in and a short guide in YAML comments. Never overwrites: a
/// section (or pledge) with the same slug is an error naming its file. Prints the files made;
/// returns the exit code (1 for a clash or a broken site.json, 2 for a name with no letters).
int run_new(const std::filesystem::path& site_dir, const std::string& kind, const std::string& name,
            std::ostream& out, std::ostream& err);

/// The slug of a name, as used in file names and addresses: lowercase letters and digits with
/// single dashes between words ("Children's Voices!" -> "childrens-voices", "Café" -> "cafe").
/// "" when the name has no letter or digit.
std::string section_slug(std::string_view name);

/// The title a name suggests: a name already written as a title ("Our Promise") is kept as
/// typed; a slug ("our-promise") becomes words with a capital first letter ("Our promise").
std::string title_from_name(std::string_view name);

/// The words `tandem new` writes for the writer to replace (the summary, the first line of text,
/// a pledge's role and wording): the checks warn when one is still there.
inline constexpr std::string_view scaffold_placeholders[] = {
    "One sentence that says what this section is about.",
    "Write this section here in short sentences.",
    "Write this section here.",
    "The job title of the person who makes this pledge",
    "I will write my pledge here.",
};

}  // namespace tandem
