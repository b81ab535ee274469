// A small JSON reader that keeps the line and column of every value and key, reports duplicate
// keys, and reports syntax errors in the diagnostics format (nlohmann::json cannot do either).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "diag.hpp"

namespace tandem {

struct json_member;

struct json_value {
  enum class kind { null, boolean, number, string, array, object };
  kind type = kind::null;
  bool boolean = false;
  double number = 0;
  std::string number_text;  // the number exactly as written, e.g. "41.2"
  std::string string;
  std::vector<json_value> items;             // arrays
  std::vector<json_member> members;          // objects, in file order
  std::vector<text_position> key_positions;  // objects: where each key starts
  text_position pos;                         // where this value starts

  const json_value* find(std::string_view key) const;  // objects only; null if absent
  bool is_object() const { return type == kind::object; }
  bool is_array() const { return type == kind::array; }
  bool is_string() const { return type == kind::string; }
  bool is_number() const { return type == kind::number; }
  static const char* kind_name(kind k);  // "an object", "a number", ...
};

/// One key of an object and its value. A struct rather than std::pair, which would need
/// json_value complete inside its own definition (clang refuses that).
struct json_member {
  std::string first;
  json_value second;
};

/// Parses `text` (from `file`, relative to the site). Syntax errors, duplicate keys, invalid
/// UTF-8, NUL bytes and non-finite numbers are reported as `<id_prefix>.syntax` /
/// `<id_prefix>.duplicate` errors. A UTF-8 byte-order mark is skipped. Returns nullopt when the
/// text is not JSON at all.
std::optional<json_value> parse_json(std::string_view text, const std::string& file,
                                     const std::string& id_prefix, diagnostics& diags);

/// Warns (`id`, at the key) about every key of `object` that is not in `known`, suggesting the
/// nearest known key. `where` names the object in the message: "in the site settings". Keys in
/// `quiet` are not reported either, but never suggested.
void warn_unknown_keys(const json_value& object, const std::vector<std::string>& known,
                       const std::string& where, const std::string& file, const std::string& id,
                       diagnostics& diags, const std::vector<std::string>& quiet = {});

}  // namespace tandem
