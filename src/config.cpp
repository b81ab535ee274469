#include "config.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "fs.hpp"
#include "json.hpp"

namespace tandem {

const edition* site_config::find_edition(std::string_view id) const {
  for (const auto& ed : editions) {
    if (ed.id == id) return &ed;
  }
  return nullptr;
}

namespace {

bool is_lower_or_digit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// [a-z][a-z0-9-]*
bool is_valid_edition_id(const std::string& id) {
  if (id.empty() || id.front() < 'a' || id.front() > 'z') return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return is_lower_or_digit(c) || c == '-'; });
}

}  // namespace

bool site_config::names_edition(std::string_view id) const {
  return find_edition(id) != nullptr ||
         std::find(dropped_editions.begin(), dropped_editions.end(), id) !=
             dropped_editions.end() ||
         (dropped_edition_without_id && is_valid_edition_id(std::string(id)));
}

namespace {

const std::string config_file = site_config_file;

const std::vector<std::string> site_keys = {"title",    "subtitle", "organisation", "language",
                                            "base_url", "editions", "data"};
const std::vector<std::string> edition_keys = {"id", "name", "path", "theme", "checks", "language"};
const std::vector<std::string> checks_keys = {"max_grade", "max_sentence_words"};
const std::vector<std::string> data_keys = {"max_age_days"};

// Top-level folders of the output that tandem itself writes; an edition there would clash.
const std::vector<std::string> reserved_paths = {"assets", "media"};

// [a-z0-9_-]+: safe as a folder name on every system and in a URL.
bool is_safe_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return is_lower_or_digit(c) || c == '-' || c == '_';
  });
}

std::vector<std::string> split_segments(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = std::min(path.find('/', start), path.size());
    segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

std::string trim_slashes(std::string path) {
  while (!path.empty() && path.front() == '/') path.erase(0, 1);
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path;
}

std::string in_quotes(const std::string& s) {
  return "\"" + s + "\"";
}

// Reads settings out of the parsed site.json, reporting each problem where it is.
class settings_reader {
 public:
  explicit settings_reader(diagnostics& diags) : diags_(diags) {}

  void error(text_position p, const std::string& id, std::string message) {
    diags_.error(config_file, p.line, p.col, id, std::move(message));
  }

  // The member `key` of `object` when it has the kind wanted; a `site.type` error otherwise.
  const json_value* get(const json_value& object, std::string_view key, json_value::kind kind,
                        const std::string& where) {
    const json_value* value = object.find(key);
    if (!value) return nullptr;
    if (value->type != kind) {
      error(value->pos, "site.type",
            in_quotes(std::string(key)) + " " + where + " should be " +
                json_value::kind_name(kind) + ", not " + json_value::kind_name(value->type));
      return nullptr;
    }
    return value;
  }

  std::optional<std::string> get_string(const json_value& object, std::string_view key,
                                        const std::string& where) {
    const json_value* value = get(object, key, json_value::kind::string, where);
    if (!value) return std::nullopt;
    return value->string;
  }

  std::optional<double> get_positive_number(const json_value& object, std::string_view key,
                                            const std::string& where, const std::string& example) {
    const json_value* value = get(object, key, json_value::kind::number, where);
    if (!value) return std::nullopt;
    if (!std::isfinite(value->number) || value->number <= 0) {
      error(value->pos, "site.type",
            in_quotes(std::string(key)) + " " + where + " should be a number above 0, like " +
                example);
      return std::nullopt;
    }
    return value->number;
  }

  std::optional<int> get_positive_whole(const json_value& object, std::string_view key,
                                        const std::string& where, const std::string& example) {
    const json_value* value = get(object, key, json_value::kind::number, where);
    if (!value) return std::nullopt;
    double n = value->number;
    if (!std::isfinite(n) || n < 1 || n > 1000000 || std::floor(n) != n) {
      error(value->pos, "site.type",
            in_quotes(std::string(key)) + " " + where + " should be a whole number above 0, like " +
                example);
      return std::nullopt;
    }
    return static_cast<int>(n);
  }

  void warn_unknown(const json_value& object, const std::vector<std::string>& known,
                    const std::string& where) {
    warn_unknown_keys(object, known, where, config_file, "site.unknown_key", diags_);
  }

 private:
  diagnostics& diags_;
};

void read_site_texts(settings_reader& reader, const json_value& root, site_config& config) {
  const std::string where = "in the site settings";
  if (root.find("title") == nullptr) {
    reader.error(root.pos, "site.required",
                 "the site settings have no \"title\"; add one, like \"title\": \"Our Children, "
                 "Our Future\"");
  } else if (auto title = reader.get_string(root, "title", where)) {
    if (title->empty()) {
      reader.error(root.find("title")->pos, "site.required",
                   "the \"title\" is empty; write the title of the strategy");
    }
    config.title = *title;
  }
  if (auto s = reader.get_string(root, "subtitle", where)) config.subtitle = *s;
  if (auto s = reader.get_string(root, "organisation", where)) config.organisation = *s;
  if (auto s = reader.get_string(root, "language", where); s && !s->empty()) config.language = *s;
  if (auto url = reader.get_string(root, "base_url", where); url && !url->empty()) {
    if (url->rfind("https://", 0) != 0 && url->rfind("http://", 0) != 0) {
      reader.error(root.find("base_url")->pos, "site.base_url",
                   "\"base_url\" should be the full web address where the site is published, "
                   "starting with https://, like \"https://www.example.gov.uk/strategy/\"");
    }
    config.base_url = *url;
    if (config.base_url.back() != '/') config.base_url += '/';
  }
}

void read_data_settings(settings_reader& reader, const json_value& root, site_config& config) {
  const json_value* data =
      reader.get(root, "data", json_value::kind::object, "in the site settings");
  if (!data) return;
  const std::string where = "in \"data\"";
  if (auto days = reader.get_positive_whole(*data, "max_age_days", where, "400")) {
    config.max_age_days = *days;
  }
  reader.warn_unknown(*data, data_keys, where);
}

void read_checks(settings_reader& reader, const json_value& object, const std::string& edition_name,
                 edition_checks& checks) {
  const json_value* value =
      reader.get(object, "checks", json_value::kind::object, "in " + edition_name);
  if (!value) return;
  const std::string where = "in the checks of " + edition_name;
  checks.max_grade = reader.get_positive_number(*value, "max_grade", where, "12");
  checks.max_sentence_words = reader.get_positive_whole(*value, "max_sentence_words", where, "25");
  reader.warn_unknown(*value, checks_keys, where);
}

// Checks an edition's path (already without leading and trailing '/'); "" when it is fine, else
// what is wrong with it.
std::string path_problem(const std::string& path) {
  if (path.empty()) return "";
  if (path.find('\\') != std::string::npos) return "it uses '\\'; separate folders with '/'";
  auto segments = split_segments(path);
  for (const auto& segment : segments) {
    if (segment == ".." || segment == ".") {
      return "it contains '" + segment + "', which would put the edition outside the output folder";
    }
    if (segment.empty()) return "it has an empty folder name ('//')";
    if (!is_safe_name(segment)) {
      return "folder names may use only lower-case letters a-z, digits, '-' and '_'";
    }
  }
  if (std::find(reserved_paths.begin(), reserved_paths.end(), segments.front()) !=
      reserved_paths.end()) {
    return "\"" + segments.front() + "\" is where tandem writes the site's " + segments.front() +
           "; choose another name";
  }
  return "";
}

struct edition_places {
  std::map<std::string, text_position> ids;
  std::map<std::string, std::string> paths;  // path -> id of the edition that has it
  std::vector<std::string> dropped;          // ids of editions left out because of an error
  bool dropped_without_id = false;           // and one of them had no id that can be used
};

std::optional<edition> read_edition(settings_reader& reader, const json_value& object,
                                    std::size_t index, const site_config& config,
                                    edition_places& seen) {
  std::string numbered = "edition " + std::to_string(index + 1);
  if (!object.is_object()) {
    reader.error(object.pos, "site.type",
                 numbered + " in \"editions\" should be an object in { }, not " +
                     json_value::kind_name(object.type));
    seen.dropped_without_id = true;
    return std::nullopt;
  }
  edition ed;
  ed.pos = object.pos;
  bool usable = true;
  const json_value* id = object.find("id");
  if (!id) {
    reader.error(object.pos, "site.required",
                 numbered + " has no \"id\"; add one, like \"id\": \"young\"");
    usable = false;
  } else if (auto text = reader.get_string(object, "id", "in " + numbered)) {
    ed.id = *text;
    if (!is_valid_edition_id(ed.id)) {
      reader.error(id->pos, "site.edition_id",
                   "the edition id " + in_quotes(ed.id) +
                       " should start with a lower-case letter and use only a-z, 0-9 and '-', "
                       "like \"young\"");
      usable = false;
    } else if (auto [it, is_new] = seen.ids.try_emplace(ed.id, id->pos); !is_new) {
      reader.error(id->pos, "site.duplicate_edition",
                   "two editions have the id " + in_quotes(ed.id) + " (the first at " +
                       place_text(it->second) + "); give each edition its own id");
      usable = false;
    }
  } else {
    usable = false;
  }
  // "edition \"young\"", or "edition 2" when its id cannot be used.
  std::string name = usable ? "edition " + in_quotes(ed.id) : numbered;
  ed.name = reader.get_string(object, "name", "in " + name).value_or(ed.id);
  if (ed.name.empty()) ed.name = ed.id;
  bool primary = index == 0;
  const std::string default_theme = primary ? "council" : "bright";
  ed.theme = reader.get_string(object, "theme", "in " + name).value_or(default_theme);
  if (!is_safe_name(ed.theme)) {
    reader.error(object.find("theme")->pos, "site.theme",
                 "the theme name " + in_quotes(ed.theme) +
                     " should use only lower-case letters a-z, digits, '-' and '_', like "
                     "\"council\"");
    // A theme name becomes a folder name; never let a bad one reach the file system.
    ed.theme = default_theme;
  }
  ed.language = reader.get_string(object, "language", "in " + name).value_or("");
  if (ed.language.empty()) ed.language = config.language;
  read_checks(reader, object, name, ed.checks);
  reader.warn_unknown(object, edition_keys, "in " + name);

  if (auto written = reader.get_string(object, "path", "in " + name)) {
    ed.path = trim_slashes(*written);
    if (std::string problem = path_problem(ed.path); !problem.empty()) {
      reader.error(
          object.find("path")->pos, "site.edition_path",
          "the path " + in_quotes(*written) + " of " + name + " cannot be used: " + problem);
      usable = false;
    }
  } else if (!primary) {
    ed.path = ed.id;
  }
  if (usable) {
    if (auto [it, is_new] = seen.paths.try_emplace(ed.path, ed.id); !is_new) {
      const json_value* path = object.find("path");
      reader.error(path ? path->pos : object.pos, "site.edition_path",
                   "editions \"" + it->second + "\" and \"" + ed.id + "\" both use the path " +
                       in_quotes(ed.path) + "; give each edition its own \"path\"");
      usable = false;
    }
  }
  if (!usable) {
    // Its id stays known, so that its files are not reported too: site.json's error says it all.
    if (!ed.id.empty()) seen.dropped.push_back(ed.id);
    if (!is_valid_edition_id(ed.id)) seen.dropped_without_id = true;
    return std::nullopt;
  }
  return ed;
}

void read_editions(settings_reader& reader, const json_value& root, site_config& config) {
  const json_value* list = root.find("editions");
  if (!list) {
    reader.error(root.pos, "site.required",
                 "the site settings have no \"editions\"; add the list of editions, like "
                 "\"editions\": [ { \"id\": \"formal\", \"path\": \"\" } ]");
    return;
  }
  list = reader.get(root, "editions", json_value::kind::array, "in the site settings");
  if (!list) return;
  if (list->items.empty()) {
    reader.error(list->pos, "site.required",
                 "\"editions\" is empty; list at least one edition, like { \"id\": \"formal\", "
                 "\"path\": \"\" }");
    return;
  }
  edition_places seen;
  bool main_left_out = false;
  for (std::size_t i = 0; i < list->items.size(); ++i) {
    if (auto ed = read_edition(reader, list->items[i], i, config, seen)) {
      config.editions.push_back(std::move(*ed));
    } else if (i == 0) {
      main_left_out = true;
    }
  }
  config.dropped_editions = std::move(seen.dropped);
  config.dropped_edition_without_id = seen.dropped_without_id;
  // The files with no edition in their name are the first edition's: without it they would be
  // taken for the next edition's, and every file of that one reported. Nothing more is checked.
  if (main_left_out) config.editions.clear();
}

}  // namespace

std::string site_config::server_folder() const {
  if (base_url.empty()) return "";
  std::size_t scheme = base_url.find("://");
  std::size_t path = base_url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return path == std::string::npos ? std::string("/") : base_url.substr(path);
}

std::optional<site_config> load_site_config(const std::filesystem::path& site_dir,
                                            diagnostics& diags) {
  std::filesystem::path path = site_dir / config_file;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    // The folder given (or this one) is the site's content/ folder, or one inside it: the site
    // is the folder that holds content/.
    std::string where = "check that --site names the folder that holds content/";
    std::filesystem::path folder = std::filesystem::absolute(site_dir, ec).lexically_normal();
    if (!folder.has_filename()) folder = folder.parent_path();
    for (std::filesystem::path at = folder; !ec && at.has_relative_path(); at = at.parent_path()) {
      if (at.filename() == "content" && std::filesystem::exists(at / "site.json", ec)) {
        where = "this is inside the site, in " + at.string() + "; run tandem from " +
                at.parent_path().string() +
                ", the folder that holds content/, or give it with --site";
        break;
      }
    }
    diags.error(config_file, 0, 0, "site.missing",
                "there is no " + config_file +
                    "; every site needs one, with the site's \"title\" and its \"editions\" (" +
                    where + ")");
    return std::nullopt;
  }
  std::string why;
  auto text = read_file(path, &why);
  if (!text) throw system_failure("cannot read " + path.string() + ": " + why);
  auto root = parse_json(*text, config_file, "site", diags);
  if (!root) return std::nullopt;
  if (!root->is_object()) {
    diags.error(config_file, root->pos.line, root->pos.col, "site.type",
                "site.json should hold an object in { } with the site settings, not " +
                    std::string(json_value::kind_name(root->type)));
    return std::nullopt;
  }
  settings_reader reader(diags);
  site_config config;
  read_site_texts(reader, *root, config);
  read_data_settings(reader, *root, config);
  read_editions(reader, *root, config);
  reader.warn_unknown(*root, site_keys, "in the site settings");
  // Without an edition, or without the main one, nothing else can be checked or built; the
  // reasons are reported above.
  if (config.editions.empty()) return std::nullopt;
  return config;
}

}  // namespace tandem
