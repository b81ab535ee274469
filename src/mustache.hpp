// A Mustache template parsed once and rendered straight from JSON values, byte for byte as
// kainjow's renderer renders it (the reference, checked by tests), without converting the
// values to kainjow's own form for every page.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tandem {

class mustache_program {
 public:
  /// Parses `text` as kainjow parses it. Nullopt where kainjow finds the template unreadable
  /// (an unclosed tag or section, a bad delimiter tag); kainjow's own message says why.
  static std::optional<mustache_program> compile(std::string_view text);

  /// Renders with the values in `layers`: a name is looked up in the last layer first, then in
  /// the ones before it, as in kainjow with tandem's layered context. As kainjow renders:
  /// - values are looked up in the innermost section's value first; the first one holding the
  ///   whole dotted name wins; {{.}} is the innermost value;
  /// - text and numbers are shown (escaped unless {{{ }}} or {{& }}), nothing else is;
  /// - null, false, "" and [] are false for sections; a list repeats its section per item;
  /// - a line holding only white space and section tags is left out; comments and partials
  ///   (written in when the template was loaded) show nothing.
  /// `all_found`, if given, is set to whether every name was found and every {{name}} was text,
  /// a number or a value shown as nothing without doubt: when it is false, there may be
  /// something to tell the template's author (see template_set::render's checks).
  std::string render(const std::vector<const nlohmann::json*>& layers,
                     bool* all_found = nullptr) const;

 private:
  enum class kind { text, newline, variable, raw_variable, section, inverted };
  struct node {
    kind what = kind::text;
    std::string text;                // text or newline: the bytes
    std::vector<std::string> parts;  // a name, split at its dots as kainjow splits it
    bool dot = false;                // {{.}}
    std::size_t end = 0;             // a section: the index after its last node
  };
  struct renderer;

  std::vector<node> nodes_;
  std::size_t size_hint_ = 0;
};

/// Whether a value counts as false for a section: null, false, "" or [].
bool mustache_false(const nlohmann::json& value);

/// A number as templates show it: integers in full, others as JSON writes them.
std::string mustache_number_text(const nlohmann::json& value);

}  // namespace tandem
