// tandem's Mustache renderer against kainjow's, the reference: the same output, byte for byte.
#include <doctest/doctest.h>

#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

#include "components.hpp"
#include "mustache.hpp"

using namespace tandem;
using json = nlohmann::json;
namespace mu = kainjow::mustache;

namespace {

// ---------------------------------------------------------------------------------------------
// kainjow, the reference: the values converted to kainjow's form as tandem converted them when
// kainjow rendered its pages, and looked up through the layers as kainjow's own context does.

// kainjow takes strings and lists only by copy; these build them in place instead (the data
// are ours and not const, so writing through the accessors is sound).
mu::data string_data(const std::string& text) {
  mu::data data(mu::data::type::string);
  const_cast<std::string&>(data.string_value()) = text;
  return data;
}

mu::data to_data(const json& value) {
  if (value.is_object()) {
    mu::data object(mu::data::type::object);
    for (const auto& [key, item] : value.items()) object[key] = to_data(item);
    return object;
  }
  if (value.is_array()) {
    mu::data list(mu::data::type::list);
    auto& items = const_cast<mu::basic_list<std::string>&>(list.list_value());
    items.reserve(value.size());
    for (const auto& item : value) items.push_back(to_data(item));
    return list;
  }
  if (value.is_string() && !mustache_false(value)) {
    return string_data(value.get_ref<const std::string&>());
  }
  if (value.is_number()) return mu::data(mustache_number_text(value));
  return mu::data(value.is_boolean() && value.get<bool>());
}

// A dotted name's parts as kainjow splits them (std::getline at each '.': "a.b." is a, b),
// written apart from the renderer's own, so that the two are tested against each other.
std::vector<std::string> dotted_parts(const std::string& name) {
  std::vector<std::string> parts;
  std::string part;
  for (char c : name) {
    if (c != '.') {
      part += c;
      continue;
    }
    parts.push_back(part);
    part.clear();
  }
  if (!part.empty() || parts.empty()) parts.push_back(part);
  return parts;
}

// The context kainjow reads, as kainjow's own `context` reads it (the innermost scope that
// has the whole dotted name wins), with layers.
class layered_context : public mu::basic_context<std::string> {
 public:
  void push(const mu::data* data) override { scopes_.push_back(data); }
  void pop() override { scopes_.pop_back(); }

  const mu::data* get(const std::string& name) const override {
    if (name == ".") return scopes_.back();
    for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope) {
      const mu::data* data = *scope;
      for (const std::string& part : dotted_parts(name)) {
        data = data->get(part);
        if (!data) break;
      }
      if (data) return data;
    }
    return nullptr;
  }

  const mu::data* get_partial(const std::string&) const override { return nullptr; }

 private:
  std::vector<const mu::data*> scopes_;  // innermost last
};

// kainjow's render of `text` with `layers`, or nullopt if kainjow cannot read the template.
std::optional<std::string> render_with_kainjow(const std::string& text,
                                               const std::vector<const json*>& layers) {
  mu::mustache parsed(text);
  if (!parsed.is_valid()) return std::nullopt;
  parsed.set_custom_escape([](const std::string& s) { return escape_xml(s); });
  std::vector<mu::data> data;
  data.reserve(layers.size());
  layered_context context;
  for (const json* layer : layers) {
    data.push_back(to_data(*layer));
    context.push(&data.back());
  }
  return parsed.render(context);
}

// ---------------------------------------------------------------------------------------------

std::optional<std::string> ours(const std::string& text, const std::vector<const json*>& layers) {
  auto program = mustache_program::compile(text);
  if (!program) return std::nullopt;
  return program->render(layers);
}

void same_as_kainjow(const std::string& text, const std::vector<const json*>& layers) {
  CAPTURE(text);
  auto expected = render_with_kainjow(text, layers);
  auto got = ours(text, layers);
  CHECK(got.has_value() == expected.has_value());
  if (got && expected) CHECK(*got == *expected);
}

const json& sample_values() {
  static const json values = {
      {"name", "Sam & <Jo> \"quoted\" it's"},
      {"empty", ""},
      {"none", nullptr},
      {"no", false},
      {"yes", true},
      {"zero", 0},
      {"count", 777},
      {"negative", -3},
      {"share", 41.2},
      {"big", 12345678901234.0},
      {"nothing", json::array()},
      {"group", json::object()},
      {"page", {{"title", "Our promise"}, {"summary", ""}, {"toc", json::array()}}},
      {"items", json::array({{{"name", "one"}, {"id", 1}},
                             {{"name", "two"}, {"sub", {{"name", "deep"}}}},
                             "three",
                             4,
                             false,
                             json::array({"x", "y"})})},
      {"a", {{"b", {{"c", "abc"}, {"list", json::array({"p", "q"})}}}}},
      {"", "empty key"},
  };
  return values;
}

}  // namespace

TEST_CASE("templates render as kainjow renders them: lines, sections, names, escaping") {
  json outer = {{"name", "outer name"}, {"only_outer", "from outside"}, {"count", 1}};
  const json& inner = sample_values();
  std::vector<const json*> layers{&outer, &inner};
  const std::vector<std::string> templates = {
      "",
      "plain text",
      "{{name}}|{{{name}}}|{{& name}}|{{ name }}",
      "{{count}} {{negative}} {{share}} {{big}} {{zero}} {{yes}} {{no}} {{none}} {{group}}",
      "{{only_outer}}|{{missing}}|{{}}|{{.}}",
      "{{a.b.c}}|{{a.b}}|{{a.}}|{{.a}}|{{a..b}}|{{a.b.c.d}}|{{name.}}|{{name..}}|{{#name.}}x{{/"
      "name.}}",
      // Lines holding only section tags and white space are left out; comments are not.
      "before\n{{#items}}\n  {{name}}\n{{/items}}\nafter\n",
      "before\n  {{#yes}}  \nin\n  {{/yes}}\t\nafter",
      "x\n{{! a comment }}\ny\n  {{! indented }}  \nz",
      "a\r\n{{#yes}}\r\nb\r\n{{/yes}}\r\nc\rd\r{{^no}}\re",
      "{{#items}}[{{.}}|{{name}}|{{id}}|{{sub.name}}|{{#sub}}{{name}}{{/sub}}]{{/items}}",
      "{{#items}}{{#.}}<{{.}}>{{/.}}{{/items}}",
      "{{^nothing}}none{{/nothing}}{{^empty}}E{{.}}{{/empty}}{{^none}}N{{/none}}"
      "{{^no}}F{{/no}}{{^zero}}Z{{/zero}}{{^missing}}M{{/missing}}{{^group}}G{{/group}}",
      "{{#group}}in group: {{name}}{{/group}}{{#count}}{{.}}!{{/count}}{{#name}}{{.}}{{/name}}",
      "{{#a}}{{#b}}{{c}}{{#list}}{{.}}{{c}}{{/list}}{{/b}}{{/a}}",
      "{{#page}}{{title}}{{#summary}}S{{/summary}}{{^toc}}no toc{{/toc}}{{/page}}",
      "{{=<% %>=}}<% name %>{{name}}<%={{ }}=%>{{name}}",
      "{{=| |=}}|{name}| |#yes|y|/yes|",
      "{{> partial}}after partial\n  {{> indented}}\nend",
      "{{#yes}}\n{{#items}}\n{{name}}\n{{/items}}\n{{/yes}}",
      "  {{#nothing}}\n  never\n  {{/nothing}}\n  {{^nothing}}\n  shown\n  {{/nothing}}\n",
      "{{{ name }}} {{&name}} {{{{name}}}}",
      // Not readable: both say so.
      "{{unclosed",
      "{{#open}}never closed",
      "{{/closed}} never opened",
      "{{#a}}{{/b}}",
      "{{=<%>=}}",
      "{{= a b c =}}{{x}}",
      "{{{name}}",
  };
  for (const std::string& text : templates) same_as_kainjow(text, layers);
}

TEST_CASE("random templates render as kainjow renders them") {
  const json& values = sample_values();
  json outer = {{"name", "outer"}, {"only_outer", "o"}};
  std::vector<const json*> layers{&outer, &values};
  const std::vector<std::string> names = {
      "name",  "empty",      "none",       "no",      "yes", "zero",  "count",    "share",
      "items", "nothing",    "group",      "page",    "a.b", "a.b.c", "sub.name", ".",
      "id",    "page.title", "only_outer", "missing", "",    "name.", "a..b"};
  const std::vector<std::string> texts = {"x",  "word ", " ", "\t", "\n", "\r\n", "\r",
                                          "  ", "<",     "&", "{",  "}",  "a.b"};
  std::mt19937 random(20261124);
  auto pick = [&](const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(random)];
  };
  auto chance = [&](int percent) {
    return std::uniform_int_distribution<int>(0, 99)(random) < percent;
  };
  // A template of `pieces` parts, sections nested up to `depth`.
  std::function<std::string(int, int)> make = [&](int pieces, int depth) {
    std::string t;
    for (int i = 0; i < pieces; ++i) {
      int what = std::uniform_int_distribution<int>(0, 9)(random);
      std::string name = pick(names);
      if (what <= 3) {
        t += pick(texts);
      } else if (what == 4) {
        t += "{{" + std::string(chance(30) ? " " : "") + name + "}}";
      } else if (what == 5) {
        t += chance(50) ? "{{{" + name + "}}}" : "{{& " + name + "}}";
      } else if (what == 6) {
        t += chance(50) ? "{{! note }}" : "{{> part }}";
      } else if (depth > 0) {
        std::string sigil = what == 9 ? "^" : "#";
        std::string open = std::string(chance(40) ? "\n  " : "") + "{{" + sigil + name + "}}" +
                           (chance(40) ? "\n" : "");
        std::string close =
            std::string(chance(40) ? "\n\t" : "") + "{{/" + name + "}}" + (chance(40) ? " \n" : "");
        // Now and then a section closed with the wrong name: unreadable to both.
        if (chance(2)) close = "{{/other}}";
        t += open + make(std::uniform_int_distribution<int>(0, 5)(random), depth - 1) + close;
      }
    }
    if (chance(3)) t += "{{unclosed";
    return t;
  };
  for (int n = 0; n < 3000; ++n) same_as_kainjow(make(12, 3), layers);
}
