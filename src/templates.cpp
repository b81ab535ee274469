#include "templates.hpp"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <functional>
#include <set>
#include <system_error>
#include <tuple>
#include <utility>

#include "components.hpp"
#include "json.hpp"
#include "mustache.hpp"
#include "text.hpp"

namespace tandem {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

namespace mu = kainjow::mustache;

constexpr std::string_view template_suffix = ".mustache";
constexpr std::string_view builtin_templates_prefix = "templates/";
constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";
constexpr std::string_view docs_hint =
    "the values templates can use are listed in docs/templates.md";

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string trim(std::string_view text) {
  return std::string(trimmed(text));
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t found = text.find(separator, start);
    parts.push_back(text.substr(start, found - start));
    if (found == std::string::npos) break;
    start = found + 1;
  }
  return parts;
}

// ---------------------------------------------------------------------------------------------
// Templates as tandem reads them: a tree of tags with their places, for diagnostics.

enum class tag_kind { variable, raw_variable, section, inverted, partial };

struct tag_node {
  tag_kind kind = tag_kind::variable;
  std::string name;
  text_position pos;
  std::size_t begin = 0;  // byte offsets of the whole tag in the file
  std::size_t end = 0;
  std::vector<std::string> parts;  // the name split at '.', once ("page", "title")
  std::vector<tag_node> children;  // sections only
};

struct template_file {
  std::string display;  // relative to the site folder: "templates/young/page.mustache"
  bool builtin = false;
  std::string text;
  std::vector<tag_node> tags;
  bool valid = true;
};

// Said after every problem in a built-in template, which the site cannot edit in place.
std::string builtin_note(const template_file& file) {
  if (!file.builtin) return "";
  return " (in the built-in template; copy it to " + file.display + " in your site to change it)";
}

std::string tag_text(const tag_node& tag) {
  switch (tag.kind) {
    case tag_kind::variable:
      return "{{" + tag.name + "}}";
    case tag_kind::raw_variable:
      return "{{{" + tag.name + "}}}";
    case tag_kind::section:
      return "{{#" + tag.name + "}}";
    case tag_kind::inverted:
      return "{{^" + tag.name + "}}";
    case tag_kind::partial:
      return "{{> " + tag.name + "}}";
  }
  return tag.name;
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// "page.title", "url" or "." (the current item).
bool is_valid_value_name(const std::string& name) {
  if (name == ".") return true;
  if (name.empty()) return false;
  for (const auto& part : split(name, '.')) {
    if (part.empty() || !std::all_of(part.begin(), part.end(), is_name_char)) return false;
  }
  return true;
}

// "header" or "cards/item": a file under partials/, never outside it.
bool is_valid_partial_name(const std::string& name) {
  if (name.empty()) return false;
  for (const auto& part : split(name, '/')) {
    if (part.empty() || part == "." || part == "..") return false;
    auto ok = [](char c) { return is_name_char(c) || c == '.'; };
    if (!std::all_of(part.begin(), part.end(), ok)) return false;
  }
  return true;
}

// Reads a template into tags, reporting every syntax problem with its line and column.
class template_scanner {
 public:
  template_scanner(template_file& file, diagnostics& diags)
      : file_(file), text_(file.text), diags_(diags) {
    levels_.push_back(&file_.tags);
  }

  void run() {
    std::size_t pos = 0;
    while (pos != std::string::npos) pos = scan_from(pos);
    for (auto it = open_.rbegin(); it != open_.rend(); ++it) report_never_closed(**it);
  }

 private:
  // Handles the next tag at or after `pos`; returns where to go on (npos at the end).
  std::size_t scan_from(std::size_t pos) {
    std::size_t open = text_.find("{{", pos);
    if (open == std::string::npos) return std::string::npos;
    bool triple = text_.compare(open, 3, "{{{") == 0;
    std::string_view closer = triple ? "}}}" : "}}";
    std::size_t inner_begin = open + (triple ? 3 : 2);
    std::size_t close = text_.find(closer, inner_begin);
    std::string inner =
        close == std::string::npos ? "" : trim(text_.substr(inner_begin, close - inner_begin));
    bool comment = !triple && !inner.empty() && inner.front() == '!';
    std::size_t next_open = text_.find("{{", inner_begin);
    if (close == std::string::npos || (!comment && next_open < close)) {
      error(open, "this tag is not closed: add '" + std::string(closer) +
                      "' after its name, or remove the '" + (triple ? "{{{" : "{{") + "'");
      return close == std::string::npos ? std::string::npos : next_open;
    }
    std::size_t end = close + closer.size();
    if (!comment) read_tag(triple, inner, open, end);
    return end;
  }

  void read_tag(bool triple, const std::string& inner, std::size_t begin, std::size_t end) {
    tag_node tag;
    tag.pos = position_of(text_, begin);
    tag.begin = begin;
    tag.end = end;
    if (triple) {
      tag.kind = tag_kind::raw_variable;
      tag.name = inner;
    } else if (inner.empty()) {
      error(begin, "this tag has no name; write the name of a value inside, e.g. {{page.title}}");
      return;
    } else if (inner.front() == '=') {
      error(begin,
            "changing the tag markers with '{{=' is not supported; remove this tag and write "
            "every tag with {{ and }}");
      return;
    } else if (inner.front() == '/') {
      close_section(trim(std::string_view(inner).substr(1)), begin);
      return;
    } else {
      tag.kind = kind_of(inner.front());
      tag.name = tag.kind == tag_kind::variable ? inner : trim(std::string_view(inner).substr(1));
    }
    if (!has_valid_name(tag)) return;
    if (tag.kind != tag_kind::partial && tag.name != ".") tag.parts = split(tag.name, '.');
    bool opens = tag.kind == tag_kind::section || tag.kind == tag_kind::inverted;
    levels_.back()->push_back(std::move(tag));
    if (opens) {
      open_.push_back(&levels_.back()->back());
      levels_.push_back(&open_.back()->children);
    }
  }

  static tag_kind kind_of(char sigil) {
    switch (sigil) {
      case '#':
        return tag_kind::section;
      case '^':
        return tag_kind::inverted;
      case '>':
        return tag_kind::partial;
      case '&':
        return tag_kind::raw_variable;
      default:
        return tag_kind::variable;
    }
  }

  bool has_valid_name(const tag_node& tag) {
    if (tag.kind == tag_kind::partial) {
      if (is_valid_partial_name(tag.name)) return true;
      error(tag.begin, "'" + tag_text(tag) +
                           "' is not a valid partial name: use letters, digits, '-' and '_' "
                           "(and '/' for a subfolder of partials/), e.g. {{> header}}");
      return false;
    }
    if (is_valid_value_name(tag.name)) return true;
    error(tag.begin, "'" + tag_text(tag) +
                         "' is not a valid name: use letters, digits, '-' and '_', with '.' "
                         "between the parts, e.g. {{page.title}}");
    return false;
  }

  void close_section(const std::string& name, std::size_t begin) {
    auto match = std::find_if(open_.rbegin(), open_.rend(),
                              [&](const tag_node* t) { return t->name == name; });
    if (match == open_.rend()) {
      report_stray_close(name, begin);
      return;
    }
    text_position here = position_of(text_, begin);
    const tag_node* target = *match;
    while (open_.back() != target) {
      const tag_node& inner = *open_.back();
      error(inner.begin, "the section " + tag_text(inner) + " must be closed with {{/" +
                             inner.name + "}} before {{/" + name + "}} on line " +
                             std::to_string(here.line));
      pop_section();
    }
    pop_section();
  }

  void report_stray_close(const std::string& name, std::size_t begin) {
    std::string message = "{{/" + name + "}} closes a section that is not open";
    if (open_.empty()) {
      message += "; remove it, or add {{#" + name + "}} where the section starts";
    } else {
      const tag_node& inner = *open_.back();
      message += "; the open section is " + tag_text(inner) + " from line " +
                 std::to_string(inner.pos.line) + ", which ends with {{/" + inner.name + "}}";
    }
    error(begin, message);
  }

  void report_never_closed(const tag_node& tag) {
    error(tag.begin, "the section " + tag_text(tag) + " is never closed; add {{/" + tag.name +
                         "}} where it should end");
  }

  void pop_section() {
    open_.pop_back();
    levels_.pop_back();
  }

  void error(std::size_t offset, const std::string& message) {
    text_position p = position_of(text_, offset);
    diags_.error(file_.display, p.line, p.col, "template.syntax", message + builtin_note(file_));
    file_.valid = false;
  }

  template_file& file_;
  const std::string& text_;
  diagnostics& diags_;
  std::vector<std::vector<tag_node>*> levels_;  // where the next tag goes: innermost last
  std::vector<tag_node*> open_;                 // sections not closed yet: innermost last
};

void for_each_partial(const std::vector<tag_node>& tags,
                      const std::function<void(const tag_node&)>& visit) {
  for (const auto& tag : tags) {
    if (tag.kind == tag_kind::partial) visit(tag);
    for_each_partial(tag.children, visit);
  }
}

// ---------------------------------------------------------------------------------------------
// The render context

// Every dotted name reachable in `value`, for "did you mean" suggestions.
void collect_names(const json& value, const std::string& prefix, int depth,
                   std::vector<std::string>& names) {
  if (!value.is_object() || depth == 0) return;
  for (const auto& [key, item] : value.items()) {
    std::string name = prefix.empty() ? key : prefix + "." + key;
    names.push_back(name);
    collect_names(item, name, depth - 1, names);
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// template_set

struct template_set::impl {
  // A layout with its partials written in, parsed once.
  struct compiled {
    const template_file* root = nullptr;
    std::string text;  // with its partials written in
    std::optional<mustache_program> program;
    bool usable = false;
  };

  std::map<std::string, template_file> files;  // by path under templates/
  std::set<std::string> edition_folders;
  std::map<std::pair<std::string, std::string>, compiled> layouts;  // (folder or "", layout)

  const template_file* find(const std::string& rel) const {
    auto it = files.find(rel);
    return it == files.end() ? nullptr : &it->second;
  }

  // The folder whose templates an edition uses first ("" when it has none of its own).
  std::string folder_for(const std::string& edition_id) const {
    return edition_folders.count(edition_id) ? edition_id : "";
  }

  const template_file* find_in(const std::string& folder, const std::string& rel) const {
    if (!folder.empty()) {
      if (const auto* own = find(folder + "/" + rel)) return own;
    }
    return find(rel);
  }

  const template_file* find_partial(const std::string& folder, const std::string& name) const {
    return find_in(folder, "partials/" + name + std::string(template_suffix));
  }

  std::vector<std::string> partial_names(const std::string& folder) const {
    std::vector<std::string> names;
    for (const auto& [rel, file] : files) {
      for (const std::string& prefix : {std::string("partials/"), folder + "/partials/"}) {
        if (starts_with(rel, prefix) && ends_with(rel, template_suffix))
          names.push_back(
              rel.substr(prefix.size(), rel.size() - prefix.size() - template_suffix.size()));
      }
    }
    return names;
  }
};

namespace {

using set_impl = template_set::impl;

void add_builtin_templates(set_impl& set) {
  for (const auto& [path, bytes] : builtin_files()) {
    if (!starts_with(path, builtin_templates_prefix) || !ends_with(path, template_suffix)) continue;
    template_file file;
    file.display = path;
    file.builtin = true;
    file.text = std::string(bytes);
    set.files[path.substr(builtin_templates_prefix.size())] = std::move(file);
  }
}

void add_site_templates(set_impl& set, const fs::path& site_dir) {
  fs::path dir = site_dir / "templates";
  for (const auto& rel : list_files(dir)) {
    if (!ends_with(rel, template_suffix)) continue;
    std::string why;
    auto text = read_file(dir / rel, &why);
    if (!text) throw system_failure("cannot read templates/" + rel + ": " + why);
    template_file file;
    file.display = "templates/" + rel;
    file.text = std::move(*text);
    if (starts_with(file.text, byte_order_mark)) file.text.erase(0, byte_order_mark.size());
    set.files[rel] = std::move(file);
  }
}

// Layouts are templates/L.mustache and templates/E/L.mustache; partials live in partials/.
void sort_out_folders(set_impl& set, diagnostics& diags) {
  for (const auto& [rel, file] : set.files) {
    auto parts = split(rel, '/');
    if (parts.size() < 2 || parts[0] == "partials") continue;
    if (parts.size() == 2 || parts[1] == "partials") {
      set.edition_folders.insert(parts[0]);
      continue;
    }
    diags.warning(file.display, 0, 0, "template.unused",
                  "this template is never used: layouts go in templates/ or "
                  "templates/<edition>/, partials in templates/partials/ or "
                  "templates/<edition>/partials/");
  }
}

// Writes a template's partials into its text (recursively), the way kainjow would include them
// at every render, so that each layout is parsed once. Missing partials and partials that
// include themselves are reported at the {{> name}} tag.
class partial_expander {
 public:
  partial_expander(const set_impl& set, const std::string& folder, diagnostics& diags)
      : set_(set), folder_(folder), diags_(diags) {}

  std::string expand(const template_file& file) {
    if (!file.valid) usable_ = false;
    chain_.push_back(&file);
    std::string out;
    std::size_t copied = 0;
    for_each_partial(file.tags, [&](const tag_node& tag) {
      out.append(file.text, copied, tag.begin - copied);
      copied = tag.end;
      out += expand_partial(file, tag);
    });
    out.append(file.text, copied);
    chain_.pop_back();
    return out;
  }

  bool usable() const { return usable_; }

 private:
  std::string expand_partial(const template_file& file, const tag_node& tag) {
    const template_file* partial = set_.find_partial(folder_, tag.name);
    if (!partial) {
      report_missing(file, tag);
      return "";
    }
    auto loop = std::find(chain_.begin(), chain_.end(), partial);
    if (loop != chain_.end()) {
      report_loop(file, tag, loop);
      return "";
    }
    // Editors end files with a newline; the {{> name}} tag's own line already has one.
    std::string text = expand(*partial);
    if (ends_with(text, "\n")) text.pop_back();
    return text;
  }

  void report_missing(const template_file& file, const tag_node& tag) {
    std::string message = "there is no partial '" + tag.name + "'";
    std::string near = nearest_name(tag.name, set_.partial_names(folder_));
    if (!near.empty()) message += " (did you mean '" + near + "'?)";
    message += ": add templates/partials/" + tag.name + ".mustache, or correct the name";
    diags_.error(file.display, tag.pos.line, tag.pos.col, "template.partial",
                 message + builtin_note(file));
  }

  void report_loop(const template_file& file, const tag_node& tag,
                   std::vector<const template_file*>::const_iterator loop) {
    std::string chain;
    for (auto it = loop; it != chain_.end(); ++it) chain += (*it)->display + " -> ";
    chain += (*loop)->display;
    diags_.error(file.display, tag.pos.line, tag.pos.col, "template.recursion",
                 "the partial '" + tag.name + "' includes itself (" + chain +
                     "), which would never end; remove one of these {{> ...}} tags" +
                     builtin_note(file));
    usable_ = false;
  }

  const set_impl& set_;
  const std::string& folder_;
  diagnostics& diags_;
  std::vector<const template_file*> chain_;
  bool usable_ = true;
};

set_impl::compiled compile_layout(const set_impl& set, const std::string& folder,
                                  const template_file& root, diagnostics& diags) {
  partial_expander expander(set, folder, diags);
  std::string text = expander.expand(root);
  set_impl::compiled result;
  result.root = &root;
  result.usable = expander.usable();
  if (result.usable) {
    // kainjow reads it first, for its message when it cannot.
    mu::mustache parsed(text);
    result.program = mustache_program::compile(text);
    if (!parsed.is_valid() || !result.program) {
      std::string why =
          parsed.is_valid() ? "a tag or section is not closed" : parsed.error_message();
      diags.error(root.display, 0, 0, "template.syntax",
                  "this template (with its partials) cannot be read: " + why + builtin_note(root));
      result.usable = false;
    }
  }
  result.text = std::move(text);
  return result;
}

std::string layout_name(const std::string& file_name) {
  return file_name.substr(0, file_name.size() - template_suffix.size());
}

void compile_layouts(set_impl& set, diagnostics& diags) {
  std::vector<std::string> folders{""};
  folders.insert(folders.end(), set.edition_folders.begin(), set.edition_folders.end());
  for (const std::string& folder : folders) {
    for (const auto& [rel, file] : set.files) {
      auto parts = split(rel, '/');
      bool shared = parts.size() == 1;
      bool own = !folder.empty() && parts.size() == 2 && parts[0] == folder;
      if (!shared && !own) continue;
      std::string layout = layout_name(parts.back());
      if (shared && !folder.empty() && set.find(folder + "/" + parts.back())) continue;
      set.layouts[{folder, layout}] = compile_layout(set, folder, file, diags);
    }
  }
}

// Follows a render's path through a layout and the partials it includes, with the templates'
// own files, lines and columns: a section is entered as its value makes it (once per item of a
// list, not at all when false), as mustache_program renders it. What it meets goes to the
// derived class: each {{name}} with its value (null when there is none), and each section whose
// name has no value.
class template_walker {
 public:
  // `layers`: the context's root, outermost first; names are looked up in the last first.
  template_walker(const set_impl& set, const std::string& folder,
                  const std::vector<const json*>& layers)
      : set_(set), folder_(folder), scopes_(layers) {}
  virtual ~template_walker() = default;
  template_walker(const template_walker&) = delete;
  template_walker& operator=(const template_walker&) = delete;

  void walk(const template_file& file) {
    chain_.push_back(&file);
    for (const auto& tag : file.tags) visit(file, tag);
    chain_.pop_back();
  }

 protected:
  virtual void variable(const template_file& file, const tag_node& tag, const json* value) = 0;
  virtual void missing_section(const template_file& file, const tag_node& tag) = 0;

  const std::vector<const json*>& scopes() const { return scopes_; }

 private:
  void visit(const template_file& file, const tag_node& tag) {
    switch (tag.kind) {
      case tag_kind::variable:
      case tag_kind::raw_variable:
        variable(file, tag, resolve(tag));
        break;
      case tag_kind::section:
        enter_section(file, tag);
        break;
      case tag_kind::inverted:
        enter_inverted(file, tag);
        break;
      case tag_kind::partial:
        enter_partial(tag);
        break;
    }
  }

  void visit_children(const template_file& file, const tag_node& tag) {
    for (const auto& child : tag.children) visit(file, child);
  }

  void enter_section(const template_file& file, const tag_node& tag) {
    const json* value = resolve(tag);
    if (!value) {
      missing_section(file, tag);
      return;
    }
    if (mustache_false(*value)) return;
    if (value->is_array()) {
      for (const auto& item : *value) visit_with_scope(file, tag, item);
    } else {
      visit_with_scope(file, tag, *value);
    }
  }

  void visit_with_scope(const template_file& file, const tag_node& tag, const json& scope) {
    scopes_.push_back(&scope);
    visit_children(file, tag);
    scopes_.pop_back();
  }

  void enter_inverted(const template_file& file, const tag_node& tag) {
    const json* value = resolve(tag);
    if (!value) missing_section(file, tag);
    if (!value || mustache_false(*value)) visit_children(file, tag);
  }

  void enter_partial(const tag_node& tag) {
    const template_file* partial = set_.find_partial(folder_, tag.name);
    // Missing partials and loops were reported when the templates were loaded.
    if (!partial || std::find(chain_.begin(), chain_.end(), partial) != chain_.end()) return;
    walk(*partial);
  }

  // kainjow's look-up: the innermost scope that has the whole dotted name wins.
  const json* resolve(const tag_node& tag) const {
    if (tag.name == ".") return scopes_.back();
    for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope) {
      const json* value = *scope;
      for (const auto& part : tag.parts) {
        if (!value->is_object()) {
          value = nullptr;
          break;
        }
        auto it = value->find(part);
        value = it == value->end() ? nullptr : &*it;
        if (!value) break;
      }
      if (value) return value;
    }
    return nullptr;
  }

  const set_impl& set_;
  const std::string& folder_;
  std::vector<const json*> scopes_;  // innermost last
  std::vector<const template_file*> chain_;
};

// Reports each name a render did not find, and each {{name}} that shows nothing because its
// value is a list or a group (template.variable). A section over false or an empty list is never
// entered, so its names are not looked up (and not reported).
class variable_checker : public template_walker {
 public:
  variable_checker(const set_impl& set, const std::string& folder,
                   const std::vector<const json*>& layers, diagnostics& diags)
      : template_walker(set, folder, layers), diags_(diags) {}

 private:
  void variable(const template_file& file, const tag_node& tag, const json* value) override {
    if (!value)
      report_missing(file, tag);
    else if (value->is_object() || value->is_array())
      report_not_text(file, tag, *value);
  }

  void missing_section(const template_file& file, const tag_node& tag) override {
    report_missing(file, tag);
  }

  std::string suggestion(const std::string& name) const {
    std::vector<std::string> names;
    for (const json* scope : scopes()) collect_names(*scope, "", 3, names);
    // The root may come in several layers: sorted, the suggestion does not depend on them.
    std::sort(names.begin(), names.end());
    std::string near = nearest_name(name, names);
    return near.empty() ? "" : " (did you mean '" + near + "'?)";
  }

  // Whether the first part of a dotted name is a group the context leaves null: the figures,
  // when stats.json cannot be read. Its names cannot be known, and are checked when it is there.
  bool inside_unknown_group(const tag_node& tag) const {
    if (tag.parts.size() < 2) return false;
    for (auto scope = scopes().rbegin(); scope != scopes().rend(); ++scope) {
      if (!(*scope)->is_object()) continue;
      auto it = (*scope)->find(tag.parts.front());
      if (it != (*scope)->end()) return it->is_null();
    }
    return false;
  }

  void report_missing(const template_file& file, const tag_node& tag) {
    if (inside_unknown_group(tag)) return;
    std::string subject = "'" + tag.name + "'";
    if (tag.kind == tag_kind::section || tag.kind == tag_kind::inverted)
      subject = "the section " + tag_text(tag) + " uses " + subject + ", which";
    report(file, tag,
           subject + " is not a value templates can use here" + suggestion(tag.name) + "; " +
               std::string(docs_hint));
  }

  void report_not_text(const template_file& file, const tag_node& tag, const json& value) {
    std::string message = "'" + tag_text(tag) + "' shows nothing: '" + tag.name + "' is ";
    if (value.is_array()) {
      message += "a list, not text; to show its items write {{#" + tag.name + "}} ... {{/" +
                 tag.name + "}}";
    } else {
      std::string example =
          value.empty() ? "" : " such as {{" + tag.name + "." + value.begin().key() + "}}";
      message += "a group of values, not text; use one of its values" + example;
    }
    report(file, tag, message);
  }

  void report(const template_file& file, const tag_node& tag, const std::string& message) {
    if (!reported_.insert({file.display, tag.pos.line, tag.pos.col}).second) return;
    diags_.error(file.display, tag.pos.line, tag.pos.col, "template.variable",
                 message + builtin_note(file));
  }

  diagnostics& diags_;
  std::set<std::tuple<std::string, int, int>> reported_;
};

// Lists each {{name}} a render shows whose value is a value of an entry of the group `group`
// (an object of objects at the context's root, such as the figures): {{figures.x.text}}, or
// {{text}} inside {{#figures.x}}.
class group_value_finder : public template_walker {
 public:
  group_value_finder(const set_impl& set, const std::string& folder,
                     const std::vector<const json*>& layers, const json& group,
                     std::vector<shown_value>& found)
      : template_walker(set, folder, layers), group_(group), found_(found) {}

 private:
  void variable(const template_file& file, const tag_node& tag, const json* value) override {
    if (!value || !(value->is_string() || value->is_number())) return;
    for (auto entry = group_.begin(); entry != group_.end(); ++entry) {
      if (!entry->is_object()) continue;
      for (auto shown = entry->begin(); shown != entry->end(); ++shown) {
        if (&*shown != value) continue;
        found_.push_back(
            {entry.key(), shown.key(),
             value->is_string() ? value->get<std::string>() : mustache_number_text(*value),
             file.display, tag.pos});
        return;
      }
    }
  }

  void missing_section(const template_file&, const tag_node&) override {}

  const json& group_;
  std::vector<shown_value>& found_;
};

std::string_view first_segment(std::string_view name) {
  return name.substr(0, name.find('.'));
}

// Calls `visit` with the first part of every name in these tags and the partials they include,
// in order, until it returns true; returns whether it did.
template <typename Visit>
bool any_first_segment(const set_impl& set, const std::string& folder,
                       const std::vector<tag_node>& tags, std::vector<const template_file*>& chain,
                       const Visit& visit) {
  for (const tag_node& tag : tags) {
    if (tag.kind == tag_kind::partial) {
      const template_file* partial = set.find_partial(folder, tag.name);
      if (!partial || std::find(chain.begin(), chain.end(), partial) != chain.end()) continue;
      chain.push_back(partial);
      bool found = any_first_segment(set, folder, partial->tags, chain, visit);
      chain.pop_back();
      if (found) return true;
    } else if (visit(first_segment(tag.name)) ||
               any_first_segment(set, folder, tag.children, chain, visit)) {
      return true;
    }
  }
  return false;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// template_set: the public interface

template_set::template_set() : self_(std::make_unique<impl>()) {}
template_set::~template_set() = default;
template_set::template_set(template_set&&) noexcept = default;
template_set& template_set::operator=(template_set&&) noexcept = default;

template_set template_set::load(const fs::path& site_dir, diagnostics& diags) {
  template_set set;
  impl& self = *set.self_;
  add_builtin_templates(self);
  add_site_templates(self, site_dir);
  for (auto& [rel, file] : self.files) template_scanner(file, diags).run();
  sort_out_folders(self, diags);
  compile_layouts(self, diags);
  return set;
}

std::vector<std::string> template_set::layout_names(const std::string& edition_id) const {
  const std::string folder = self_->folder_for(edition_id);
  std::vector<std::string> names;
  for (const auto& [key, compiled] : self_->layouts)
    if (key.first == folder) names.push_back(key.second);
  std::sort(names.begin(), names.end());
  return names;
}

bool template_set::has_layout(const std::string& edition_id, const std::string& layout) const {
  return self_->layouts.count({self_->folder_for(edition_id), layout}) != 0;
}

std::optional<std::string> template_set::render(const std::string& edition_id,
                                                const std::string& layout,
                                                const std::vector<const template_values*>& layers,
                                                diagnostics& diags) const {
  std::string folder = self_->folder_for(edition_id);
  auto found = self_->layouts.find({folder, layout});
  if (found == self_->layouts.end()) {
    diags.error("templates/" + layout + ".mustache", 0, 0, "template.missing",
                "there is no layout '" + layout + "' for the edition '" + edition_id +
                    "': add templates/" + layout + ".mustache (or templates/" + edition_id + "/" +
                    layout + ".mustache)");
    return std::nullopt;
  }
  const impl::compiled& compiled = found->second;
  // Problems that make the template unusable were reported when it was loaded.
  if (!compiled.usable) return std::nullopt;
  std::vector<const json*> roots;
  roots.reserve(layers.size());
  for (const template_values* layer : layers) roots.push_back(&layer->object());
  // One parsed layout serves many threads at once: rendering only reads it. The names are
  // checked only when the render met something the checks may report (it says so); they follow
  // the render's path with the template's own files, lines and columns.
  bool all_found = false;
  std::string html = compiled.program->render(roots, &all_found);
  if (!all_found) variable_checker(*self_, folder, roots, diags).walk(*compiled.root);
  return html;
}

std::vector<shown_value> template_set::shown_from(const std::string& edition_id,
                                                  const std::string& layout,
                                                  const std::vector<const template_values*>& layers,
                                                  const std::string& group) const {
  std::vector<shown_value> found;
  std::string folder = self_->folder_for(edition_id);
  auto compiled = self_->layouts.find({folder, layout});
  if (compiled == self_->layouts.end() || !compiled->second.usable || !compiled->second.root)
    return found;
  std::vector<const json*> roots;
  roots.reserve(layers.size());
  for (const template_values* layer : layers) roots.push_back(&layer->object());
  // The group as a name at the root finds it: in the last layer that has it.
  const json* values = nullptr;
  for (auto root = roots.rbegin(); root != roots.rend() && !values; ++root) {
    auto it = (*root)->find(group);
    if (it != (*root)->end()) values = &*it;
  }
  if (!values || !values->is_object()) return found;
  group_value_finder(*self_, folder, roots, *values, found).walk(*compiled->second.root);
  return found;
}

std::optional<std::string> template_set::render(const std::string& edition_id,
                                                const std::string& layout, const json& context,
                                                diagnostics& diags) const {
  template_values values(context);
  return render(edition_id, layout, {&values}, diags);
}

std::optional<std::string> template_set::layout_text(const std::string& edition_id,
                                                     const std::string& layout) const {
  auto found = self_->layouts.find({self_->folder_for(edition_id), layout});
  if (found == self_->layouts.end()) return std::nullopt;
  return found->second.text + (found->second.usable ? "" : "\n(unusable)");
}

bool template_set::mentions(const std::string& edition_id, const std::string& layout,
                            const std::string& name) const {
  std::string folder = self_->folder_for(edition_id);
  auto found = self_->layouts.find({folder, layout});
  if (found == self_->layouts.end() || !found->second.root) return false;
  std::vector<const template_file*> chain;
  return any_first_segment(*self_, folder, found->second.root->tags, chain,
                           [&](std::string_view first) { return first == name; });
}

value_names template_set::names_used(const std::string& edition_id,
                                     const std::string& layout) const {
  std::string folder = self_->folder_for(edition_id);
  value_names names;
  auto found = self_->layouts.find({folder, layout});
  if (found == self_->layouts.end() || !found->second.root) return names;
  std::vector<const template_file*> chain;
  any_first_segment(*self_, folder, found->second.root->tags, chain, [&](std::string_view first) {
    names.emplace(first);
    return false;
  });
  return names;
}

// ---------------------------------------------------------------------------------------------
// Themes

namespace {

constexpr std::string_view site_settings_file = "content/site.json";

bool is_valid_theme_name(const std::string& name) {
  return !name.empty() && name.front() != '.' &&
         std::all_of(name.begin(), name.end(), is_name_char);
}

// A path under the theme's assets/ folder that is safe to put in a URL as it is.
bool is_valid_asset_path(const std::string& path) {
  if (path.empty()) return false;
  for (const auto& part : split(path, '/')) {
    if (part.empty() || part == "." || part == "..") return false;
    auto ok = [](char c) { return is_name_char(c) || c == '.'; };
    if (!std::all_of(part.begin(), part.end(), ok)) return false;
  }
  return true;
}

std::vector<std::string> builtin_theme_names() {
  std::vector<std::string> names;
  for (const auto& [path, bytes] : builtin_files()) {
    auto parts = split(path, '/');
    if (parts.size() == 3 && parts[0] == "themes" && parts[2] == "theme.json")
      names.push_back(parts[1]);
  }
  return names;
}

std::vector<std::string> site_theme_names(const fs::path& site_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  fs::directory_iterator it(site_dir / "themes", ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec)) names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

void report_missing_theme(const fs::path& site_dir, const std::string& name, diagnostics& diags) {
  auto builtin = builtin_theme_names();
  auto all = builtin;
  for (const auto& own : site_theme_names(site_dir)) all.push_back(own);
  std::string listed;
  for (const auto& b : builtin) listed += (listed.empty() ? "" : ", ") + b;
  std::string message = "there is no theme '" + name + "'";
  std::string near = nearest_name(name, all);
  if (!near.empty()) message += " (did you mean '" + near + "'?)";
  message += ": the built-in themes are " + listed + "; to make your own, add themes/" + name +
             "/theme.json and themes/" + name + "/assets/";
  diags.error(std::string(site_settings_file), 0, 0, "theme.missing", message);
}

// Reads theme.json into `t`, checking it against the asset files the theme has.
class theme_settings_reader {
 public:
  theme_settings_reader(theme& t, const std::string& file, const std::set<std::string>& assets,
                        diagnostics& diags)
      : theme_(t), file_(file), assets_(assets), diags_(diags) {}

  bool read(std::string_view text) {
    diagnostics syntax;
    auto root = parse_json(text, file_, "theme", syntax);
    diags_.merge(syntax);
    if (!root || syntax.has_errors()) return false;
    if (!root->is_object()) {
      error(root->pos, "theme.json must be an object, like {\"name\": \"" + theme_.name +
                           "\", \"stylesheets\": [\"style.css\"], \"scripts\": []}");
      return false;
    }
    for (std::size_t i = 0; i < root->members.size(); ++i)
      read_member(root->members[i].first, root->members[i].second, root->key_positions[i]);
    return !failed_;
  }

 private:
  void read_member(const std::string& key, const json_value& value, text_position key_pos) {
    if (key == "name") {
      read_name(value);
    } else if (key == "description") {
      if (!value.is_string()) error(value.pos, "'description' must be text in double quotes");
    } else if (key == "stylesheets") {
      read_files(key, value, theme_.stylesheets);
    } else if (key == "scripts") {
      read_files(key, value, theme_.scripts);
    } else {
      std::string near = nearest_name(key, {"name", "description", "stylesheets", "scripts"});
      std::string hint = near.empty() ? "remove it" : "did you mean '" + near + "'?";
      diags_.warning(file_, key_pos.line, key_pos.col, "theme.json",
                     "unknown setting '" + key + "' is ignored; " + hint +
                         " (theme.json knows name, description, stylesheets and scripts)");
    }
  }

  void read_name(const json_value& value) {
    if (!value.is_string()) {
      error(value.pos, "'name' must be text in double quotes, e.g. \"" + theme_.name + "\"");
    } else if (value.string != theme_.name) {
      diags_.warning(file_, value.pos.line, value.pos.col, "theme.json",
                     "this theme is in the folder themes/" + theme_.name + "/ but is named '" +
                         value.string + "'; the folder name is what editions use, so write \"" +
                         theme_.name + "\" here");
    }
  }

  void read_files(const std::string& key, const json_value& value, std::vector<std::string>& into) {
    if (!value.is_array()) {
      error(value.pos, "'" + key +
                           "' must be a list of file names in the theme's assets/ "
                           "folder, e.g. [\"style.css\"]");
      return;
    }
    for (const auto& item : value.items) {
      if (!item.is_string() || !is_valid_asset_path(item.string)) {
        error(item.pos, "each entry of '" + key +
                            "' must be a file name in the theme's assets/ folder, like "
                            "\"style.css\" (letters, digits, '-', '_', '.' and '/')");
      } else if (!assets_.count(item.string)) {
        error(item.pos, "the theme has no file assets/" + item.string + "; add it to themes/" +
                            theme_.name + "/assets/ or correct the name");
      } else {
        into.push_back(item.string);
      }
    }
  }

  void error(text_position pos, const std::string& message) {
    diags_.error(file_, pos.line, pos.col, "theme.json", message);
    failed_ = true;
  }

  theme& theme_;
  const std::string& file_;
  const std::set<std::string>& assets_;
  diagnostics& diags_;
  bool failed_ = false;
};

std::set<std::string> asset_names(const theme& t) {
  std::set<std::string> names;
  for (const auto& [rel, bytes] : t.builtin_assets) names.insert(rel);
  for (const auto& [rel, path] : t.file_assets) names.insert(rel);
  return names;
}

std::optional<theme> load_site_theme(const fs::path& site_dir, const std::string& name,
                                     diagnostics& diags) {
  theme t;
  t.name = name;
  fs::path dir = site_dir / "themes" / name;
  std::string file = "themes/" + name + "/theme.json";
  std::error_code ec;
  if (!fs::exists(dir / "theme.json", ec)) {
    diags.error(file, 0, 0, "theme.json",
                "the theme folder themes/" + name +
                    "/ has no theme.json; add one like {\"name\": "
                    "\"" +
                    name + "\", \"stylesheets\": [\"style.css\"], \"scripts\": []}");
    return std::nullopt;
  }
  std::string why;
  auto text = read_file(dir / "theme.json", &why);
  if (!text) throw system_failure("cannot read " + file + ": " + why);
  std::vector<std::string> outside;
  for (const auto& rel : list_files(dir / "assets", &outside))
    t.file_assets[rel] = dir / "assets" / rel;
  for (const auto& rel : outside) {
    diags.warning("themes/" + name + "/assets/" + rel, 0, 0, "theme.asset",
                  "this link points outside the theme's folder, so it is not copied; put the "
                  "file itself in themes/" +
                      name + "/assets/");
  }
  auto assets = asset_names(t);
  if (!theme_settings_reader(t, file, assets, diags).read(*text)) return std::nullopt;
  return t;
}

std::optional<theme> load_builtin_theme(const std::string& name, std::string_view settings,
                                        diagnostics& diags) {
  theme t;
  t.name = name;
  std::string assets_prefix = "themes/" + name + "/assets/";
  for (const auto& [path, bytes] : builtin_files()) {
    if (starts_with(path, assets_prefix))
      t.builtin_assets[path.substr(assets_prefix.size())] = std::string(bytes);
  }
  auto assets = asset_names(t);
  std::string file = "themes/" + name + "/theme.json";
  if (!theme_settings_reader(t, file, assets, diags).read(settings)) return std::nullopt;
  return t;
}

}  // namespace

std::optional<theme> load_theme(const fs::path& site_dir, const std::string& name,
                                diagnostics& diags) {
  if (!is_valid_theme_name(name)) {
    report_missing_theme(site_dir, name, diags);
    return std::nullopt;
  }
  std::error_code ec;
  // A site's theme replaces the built-in theme of the same name wholesale.
  if (fs::is_directory(site_dir / "themes" / name, ec))
    return load_site_theme(site_dir, name, diags);
  const auto& files = builtin_files();
  auto settings = files.find("themes/" + name + "/theme.json");
  if (settings != files.end()) return load_builtin_theme(name, settings->second, diags);
  report_missing_theme(site_dir, name, diags);
  return std::nullopt;
}

void add_theme_assets(const theme& t, output_tree& out) {
  std::string prefix = "assets/" + t.name + "/";
  for (const auto& [rel, bytes] : t.builtin_assets) out.add(prefix + rel, bytes);
  for (const auto& [rel, path] : t.file_assets) out.add_copy(prefix + rel, path);
}

}  // namespace tandem
