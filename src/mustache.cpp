#include "mustache.hpp"

#include <algorithm>
#include <string_view>
#include <tuple>
#include <utility>

#include "components.hpp"
#include "text.hpp"

namespace tandem {

using nlohmann::json;

bool mustache_false(const json& value) {
  return value.is_null() || (value.is_boolean() && !value.get<bool>()) ||
         (value.is_string() && value.get_ref<const std::string&>().empty()) ||
         (value.is_array() && value.empty());
}

std::string mustache_number_text(const json& value) {
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  if (value.is_number_unsigned()) return std::to_string(value.get<unsigned long long>());
  return value.dump();
}

namespace {

// kainjow's trim: std::isspace in the "C" locale.
std::string_view kainjow_trimmed(std::string_view s) {
  return trimmed(s, is_c_space);
}

// kainjow's rule for a delimiter tag's contents ("=<% %>="): nullopt if it is not one.
std::optional<std::pair<std::string, std::string>> delimiters_of(std::string_view contents) {
  if (contents.size() < 5 || contents.back() != '=') return std::nullopt;
  std::string_view inner = kainjow_trimmed(contents.substr(1, contents.size() - 2));
  std::size_t space = inner.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  std::size_t next = inner.find_first_not_of(' ', space + 1);
  if (next == std::string_view::npos) return std::nullopt;
  std::string_view begin = inner.substr(0, space), end = inner.substr(next);
  auto valid = [](std::string_view d) {
    return std::none_of(d.begin(), d.end(), [](char c) { return c == '=' || is_c_space(c); });
  };
  if (!valid(begin) || !valid(end)) return std::nullopt;
  return std::make_pair(std::string(begin), std::string(end));
}

// A name's parts as kainjow's look-up follows them ("a.b" -> a, b; an empty part after the
// last '.' does not count; "" is one empty part).
std::vector<std::string> name_parts(std::string_view name) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  do {
    std::size_t dot = std::min(name.find('.', start), name.size());
    parts.emplace_back(name.substr(start, dot - start));
    start = dot + 1;
  } while (start < name.size());
  return parts;
}

}  // namespace

std::optional<mustache_program> mustache_program::compile(std::string_view input) {
  mustache_program program;
  std::vector<node>& nodes = program.nodes_;
  std::string begin = "{{", end = "}}";
  bool braces = true;
  std::vector<std::pair<std::size_t, std::string>> open;  // sections: node index, name
  std::string text;
  auto flush_text = [&] {
    if (text.empty()) return;
    nodes.push_back({kind::text, std::move(text), {}, false, 0});
    text.clear();
  };
  const std::size_t size = input.size();
  for (std::size_t at = 0; at < size;) {
    if (input.compare(at, begin.size(), begin) != 0) {
      std::size_t newline = input.compare(at, 2, "\r\n") == 0        ? 2
                            : input[at] == '\n' || input[at] == '\r' ? 1
                                                                     : 0;
      if (newline == 0) {
        text += input[at++];
        continue;
      }
      flush_text();
      nodes.push_back({kind::newline, std::string(input.substr(at, newline)), {}, false, 0});
      at += newline;
      continue;
    }
    std::size_t contents_at = at + begin.size();
    const bool triple = braces && at != size - 2 && contents_at < size && input[contents_at] == '{';
    const std::string closing = triple ? "}}}" : end;
    if (triple) ++contents_at;
    std::size_t closing_at = input.find(closing, contents_at);
    if (closing_at == std::string_view::npos) return std::nullopt;  // an unclosed tag
    std::string_view contents =
        kainjow_trimmed(input.substr(contents_at, closing_at - contents_at));
    at = closing_at + closing.size();
    if (!contents.empty() && contents.front() == '=') {
      auto delimiters = delimiters_of(contents);
      if (!delimiters) return std::nullopt;
      std::tie(begin, end) = *delimiters;
      braces = begin == "{{" && end == "}}";
      continue;
    }
    char sigil = triple || contents.empty() ? '\0' : contents.front();
    std::string_view name = contents;
    if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '>' || sigil == '&' ||
        sigil == '!')
      name = kainjow_trimmed(contents.substr(1));
    if (sigil == '!' || sigil == '>') continue;  // comments, and partials already written in
    flush_text();
    if (sigil == '/') {
      if (open.empty() || open.back().second != name) return std::nullopt;
      nodes[open.back().first].end = nodes.size();
      open.pop_back();
      continue;
    }
    node tag;
    tag.what = sigil == '#'             ? kind::section
               : sigil == '^'           ? kind::inverted
               : triple || sigil == '&' ? kind::raw_variable
                                        : kind::variable;
    tag.dot = name == ".";
    tag.parts = name_parts(name);
    if (tag.what == kind::section || tag.what == kind::inverted)
      open.emplace_back(nodes.size(), std::string(name));
    nodes.push_back(std::move(tag));
  }
  flush_text();
  if (!open.empty()) return std::nullopt;  // an unclosed section
  program.size_hint_ = size + size / 2;
  return program;
}

struct mustache_program::renderer {
  const std::vector<node>& nodes;
  std::vector<const json*> scopes;  // innermost last
  std::string out;
  std::size_t line_start = 0;     // where the line being written starts in `out`
  bool line_has_section = false;  // a section tag was on it
  bool all_found = true;          // see render

  // What the names' checks look at: a name not found, a {{name}} that is a list or a group of
  // values, and {{.}} (or a section over it) when it is false, null or "": the checks' {{.}}
  // inside an inverted section is the value around it, not the one the section is over.
  const json* find_checked(const node& tag) {
    const json* value = find(tag);
    if (!value || (tag.dot && mustache_false(*value)) ||
        ((tag.what == kind::variable || tag.what == kind::raw_variable) &&
         (value->is_object() || value->is_array())))
      all_found = false;
    return value;
  }

  const json* find(const node& tag) const {
    if (tag.dot) return scopes.back();
    for (auto scope = scopes.rbegin(); scope != scopes.rend(); ++scope) {
      const json* value = *scope;
      for (const std::string& part : tag.parts) {
        auto it = value->is_object() ? value->find(part) : value->end();
        value = value->is_object() && it != value->end() ? &*it : nullptr;
        if (!value) break;
      }
      if (value) return value;
    }
    return nullptr;
  }

  void end_line(const node* newline) {
    bool blank = std::all_of(out.begin() + static_cast<std::ptrdiff_t>(line_start), out.end(),
                             is_space_or_tab);
    if (line_has_section && blank)
      out.resize(line_start);
    else if (newline)
      out += newline->text;
    line_start = out.size();
    line_has_section = false;
  }

  void show(const json& value, bool escape) {
    if (value.is_string()) {
      const std::string& text = value.get_ref<const std::string&>();
      if (escape)
        append_escaped_xml(out, text);
      else
        out += text;
    } else if (value.is_number()) {
      out += mustache_number_text(value);  // digits, signs and points need no escaping
    }
  }

  void section(std::size_t at, const json* value) {
    auto inside = [&](const json* scope) {
      line_has_section = true;
      if (scope) scopes.push_back(scope);
      run(at + 1, nodes[at].end);
      if (scope) scopes.pop_back();
      line_has_section = true;
    };
    if (value && value->is_array() && !value->empty()) {
      for (const json& item : *value) inside(&item);
    } else {
      inside(value);
    }
  }

  void run(std::size_t from, std::size_t to) {
    for (std::size_t at = from; at < to; ++at) {
      const node& n = nodes[at];
      switch (n.what) {
        case kind::text:
          out += n.text;
          break;
        case kind::newline:
          end_line(&n);
          break;
        case kind::variable:
        case kind::raw_variable:
          if (const json* value = find_checked(n)) show(*value, n.what == kind::variable);
          break;
        case kind::section:
          if (const json* value = find_checked(n); value && !mustache_false(*value))
            section(at, value);
          at = n.end - 1;
          break;
        case kind::inverted:
          if (const json* value = find_checked(n); !value || mustache_false(*value))
            section(at, value);
          at = n.end - 1;
          break;
      }
    }
  }
};

std::string mustache_program::render(const std::vector<const json*>& layers,
                                     bool* all_found) const {
  renderer r{nodes_, layers, {}, 0, false, true};
  r.out.reserve(size_hint_);
  r.run(0, nodes_.size());
  r.end_line(nullptr);
  if (all_found) *all_found = r.all_found;
  return std::move(r.out);
}

}  // namespace tandem
