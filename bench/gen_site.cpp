// Writes a synthetic corporate parenting strategy of N sections in two editions (formal and
// young), as a tandem site and as an equivalent Hugo site, for the benchmark suite.
//
//   gen_site N OUT_DIR
//
// OUT_DIR/tandem: content/ (site.json, data/stats.json, glossary.json, pages/)
// OUT_DIR/hugo:   hugo.toml, data/stats.json, content/ (formal at the root, young/), layouts/
//
// The Markdown of both is the same text: headings, paragraphs, lists, tables, emphasis, links
// to other sections' headings and figures. Only the figure syntax differs: `{{ key:about }}`
// for tandem, `{{< fig key about >}}` (a shortcode reading data/stats.json) for Hugo. Output is
// deterministic: the same N gives the same files.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// A small deterministic generator (xorshift), seeded per section so sections do not depend on
// N.
class random_source {
 public:
  explicit random_source(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ULL + 1) {}
  std::uint64_t next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return state_;
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
  int between(int lo, int hi) { return lo + below(hi - lo + 1); }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(below(static_cast<int>(items.size())))];
  }

 private:
  std::uint64_t state_;
};

const std::vector<std::string> nouns = {
    "children", "young people", "carers",    "schools",     "families",       "councillors",
    "partners", "services",     "homes",     "plans",       "teams",          "workers",
    "health",   "education",    "housing",   "support",     "advice",         "activities",
    "leaders",  "officers",     "the board", "the council", "social workers", "foster carers",
    "mentors",  "colleges",     "employers", "friends",     "doctors",        "nurses"};
const std::vector<std::string> verbs = {
    "support",  "listen to",  "help",    "plan with", "work with", "care for",  "check on",
    "speak to", "learn from", "meet",    "visit",     "train",     "encourage", "include",
    "protect",  "guide",      "welcome", "review",    "improve",   "fund"};
const std::vector<std::string> adjectives = {"stable",  "safe",    "happy",   "local",  "strong",
                                             "good",    "clear",   "kind",    "fair",   "steady",
                                             "healthy", "lasting", "regular", "simple", "helpful",
                                             "warm",    "open",    "careful", "shared", "early"};
const std::vector<std::string> extras = {"every week",          "at school",
                                         "in their home",       "when they need it",
                                         "as they grow",        "with care",
                                         "without delay",       "in our area",
                                         "across the county",   "after they leave care",
                                         "with their families", "all year",
                                         "each term",           "at every review",
                                         "when things change",  "from the start"};
const std::vector<std::string> topics = {
    "Housing",     "Health",      "Education",    "Training",     "Money",
    "Friendships", "Family time", "Feeling safe", "Leaving care", "Having a say",
    "Hobbies",     "Jobs",        "Wellbeing",    "Identity",     "Stability",
    "Advocacy",    "Sport",       "Travel",       "Learning",     "Belonging"};
const std::vector<std::string> aspects = {
    "what we will do",      "how we will know",   "what young people told us", "our plans",
    "the next steps",       "who can help",       "what has changed",          "our promise",
    "the support on offer", "how to get involved"};
const std::vector<std::string> terms = {"SYPAC", "PEP", "IRO"};

struct figure_spec {
  std::string key;
  std::string label;
  std::string value;
  bool percent;
};

const std::vector<figure_spec> figures = {
    {"children_in_care", "children looked after", "777", false},
    {"care_leavers", "care leavers", "702", false},
    {"foster_carers", "foster carers", "412", false},
    {"new_homes", "children who moved home this year", "1234", false},
    {"foster_care", "children living with foster carers", "41.2", true},
    {"residential", "children living in children's homes", "16.1", true},
    {"in_education", "care leavers in education, employment or training", "58.5", true},
    {"visits_on_time", "visits made on time", "93.4", true},
    {"reviews_on_time", "reviews held on time", "88.7", true},
    {"stable_placements", "children in a stable placement", "71.3", true},
};

std::string capitalised(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 32);
  return text;
}

std::string slug_of(const std::string& text) {
  std::string slug;
  bool dash = false;
  for (char c : text) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    bool upper = c >= 'A' && c <= 'Z';
    if (alnum || upper) {
      if (dash && !slug.empty()) slug += '-';
      dash = false;
      slug += upper ? static_cast<char>(c + 32) : c;
    } else {
      dash = true;
    }
  }
  return slug;
}

// Words of the section's number, so titles (and so slugs) are unique without digits in text.
std::string number_words(int n) {
  static const std::vector<std::string> digits = {"zero", "one", "two",   "three", "four",
                                                  "five", "six", "seven", "eight", "nine"};
  std::string out;
  std::string text = std::to_string(n);
  for (char c : text) out += (out.empty() ? "" : " ") + digits[static_cast<std::size_t>(c - '0')];
  return out;
}

enum class flavour { tandem, hugo };

// A figure written in each syntax; `format` is "" (plain) or "about" / "in_ten".
std::string figure_ref(flavour f, const std::string& key, const std::string& format) {
  if (f == flavour::tandem) return "{{ " + key + (format.empty() ? "" : ":" + format) + " }}";
  return "{{< fig " + key + (format.empty() ? "" : " " + format) + " >}}";
}

struct section_plan {
  int number = 0;
  std::string title;
  std::string nav_title;
  std::string stem;  // "00042-housing-and-health-four-two"
  std::string slug;
  std::vector<std::string> formal_headings;
  std::vector<std::string> young_headings;
};

section_plan plan_section(int number) {
  random_source rng(static_cast<std::uint64_t>(number) + 7);
  section_plan plan;
  plan.number = number;
  std::string topic = rng.pick(topics);
  plan.nav_title = topic + " " + number_words(number);
  plan.title = topic + " and " + rng.pick(aspects) + " (part " + number_words(number) + ")";
  plan.slug = slug_of(plan.title);
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "%05d-", number);
  plan.stem = prefix + plan.slug;
  std::vector<std::string> used;
  auto unique_heading = [&](std::vector<std::string>& into, int count) {
    while (static_cast<int>(into.size()) < count) {
      std::string h = capitalised(rng.pick(aspects)) + " for " + rng.pick(nouns);
      bool seen = false;
      for (const auto& u : into) seen = seen || slug_of(u) == slug_of(h);
      if (!seen) into.push_back(h);
    }
  };
  unique_heading(plan.formal_headings, rng.between(4, 6));
  unique_heading(plan.young_headings, 3);
  return plan;
}

class page_writer {
 public:
  page_writer(flavour f, std::uint64_t seed) : flavour_(f), rng_(seed) {}

  std::string sentence(int min_words, int max_words, bool with_figure) {
    std::string s = capitalised(rng_.pick(nouns)) + " " + rng_.pick(verbs) + " " +
                    rng_.pick(adjectives) + " " + rng_.pick(nouns);
    int words = rng_.between(min_words, max_words);
    int count = 5;
    while (count < words) {
      int kind = rng_.below(6);
      if (kind == 0) {
        s += " and " + rng_.pick(verbs) + " " + rng_.pick(nouns);
        count += 3;
      } else if (kind == 1) {
        s += " " + rng_.pick(extras);
        count += 3;
      } else if (kind == 2 && rng_.below(4) == 0) {
        s += " with **" + rng_.pick(adjectives) + " " + rng_.pick(nouns) + "**";
        count += 3;
      } else if (kind == 3 && rng_.below(6) == 0) {
        s += " through the " + rng_.pick(terms);
        count += 3;
      } else if (kind == 4 && rng_.below(3) == 0) {
        s += " so that *" + rng_.pick(nouns) + "* feel " + rng_.pick(adjectives);
        count += 5;
      } else {
        s += " who are " + rng_.pick(adjectives);
        count += 3;
      }
    }
    if (with_figure) s += " for " + figure_phrase();
    return s + ".";
  }

  // "{{ children_in_care }} children looked after" or "about 4 in 10 foster carers".
  std::string figure_phrase() {
    const figure_spec& f = rng_.pick(figures);
    if (f.percent) {
      std::string format = rng_.below(2) == 0 ? "" : "in_ten";
      return figure_ref(flavour_, f.key, format) + " of " + rng_.pick(nouns);
    }
    std::string format = rng_.below(2) == 0 ? "" : "about";
    return figure_ref(flavour_, f.key, format) + " " + f.label;
  }

  std::string paragraph(int sentences, int min_words, int max_words, int figure_chance) {
    std::string p;
    for (int i = 0; i < sentences; ++i) {
      if (!p.empty()) p += (rng_.below(3) == 0) ? "\n" : " ";
      p += sentence(min_words, max_words, rng_.below(figure_chance) == 0);
    }
    return p + "\n\n";
  }

  std::string list(int items) {
    std::string l;
    bool ordered = rng_.below(3) == 0;
    for (int i = 0; i < items; ++i) {
      l += ordered ? std::to_string(i + 1) + ". " : "- ";
      l += capitalised(rng_.pick(verbs)) + " " + rng_.pick(adjectives) + " " + rng_.pick(nouns) +
           " " + rng_.pick(extras) + ".\n";
    }
    return l + "\n";
  }

  std::string table() {
    std::string t = "| Measure | Now | Aim |\n|:---|---:|---:|\n";
    for (int i = 0; i < 4; ++i) {
      const figure_spec& f =
          figures[static_cast<std::size_t>(rng_.below(static_cast<int>(figures.size())))];
      t += "| " + capitalised(f.label) + " | " + figure_ref(flavour_, f.key, "") + " | " +
           capitalised(rng_.pick(adjectives)) + " |\n";
    }
    return t + "\n";
  }

  std::string link_to(const section_plan& other, flavour f) {
    std::string anchor = slug_of(other.formal_headings.front());
    (void)f;
    return "Read more in [" + other.nav_title + "](" + other.stem + ".md#" + anchor + ").\n\n";
  }

  random_source& rng() { return rng_; }

 private:
  flavour flavour_;
  random_source rng_;
};

std::string formal_body(const section_plan& plan, const section_plan* linked, flavour f) {
  page_writer w(f, static_cast<std::uint64_t>(plan.number) * 31 + 3);
  std::string body = w.paragraph(3, 12, 22, 3);
  for (std::size_t h = 0; h < plan.formal_headings.size(); ++h) {
    bool sub = h > 1 && w.rng().below(3) == 0;
    body += (sub ? "### " : "## ") + plan.formal_headings[h] + "\n\n";
    body += w.paragraph(w.rng().between(3, 5), 12, 24, 4);
    if (h == 1) body += w.list(w.rng().between(4, 6));
    if (h == 2 && plan.number % 3 == 0) body += w.table();
    if (h == 2 && linked) body += w.link_to(*linked, f);
    if (h == 3) body += w.paragraph(2, 10, 18, 3);
  }
  return body;
}

std::string young_body(const section_plan& plan, flavour f) {
  page_writer w(f, static_cast<std::uint64_t>(plan.number) * 37 + 5);
  std::string body = w.paragraph(2, 6, 12, 3);
  for (std::size_t h = 0; h < plan.young_headings.size(); ++h) {
    body += "## " + plan.young_headings[h] + "\n\n";
    body += w.paragraph(w.rng().between(2, 4), 6, 12, 4);
    if (h == 1) body += w.list(3);
  }
  return body;
}

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) {
    std::cerr << "gen_site: cannot write " << path << "\n";
    std::exit(1);
  }
}

std::string stats_json() {
  std::string json = "{\n  \"as_of\": \"2025-12-14\",\n";
  json += "  \"source\": \"Synthetic performance data for the benchmark\",\n  \"figures\": {\n";
  for (std::size_t i = 0; i < figures.size(); ++i) {
    const auto& f = figures[i];
    json += "    \"" + f.key + "\": { \"label\": \"" + f.label + "\", \"value\": " + f.value +
            (f.percent ? ", \"unit\": \"percent\"" : "") + " }" +
            (i + 1 < figures.size() ? "," : "") + "\n";
  }
  return json + "  }\n}\n";
}

// The section that section `n` links to: deterministic, never itself.
int linked_number(int n, int count) {
  if (count < 2) return 0;
  int target = (n * 7919) % count + 1;
  return target == n ? (n % count) + 1 : target;
}

std::string index_body(flavour f, bool young) {
  page_writer w(f, young ? 2 : 1);
  std::string body = "## About this strategy\n\n" + w.paragraph(3, 10, 18, 2);
  body += "## Our promise\n\n" + w.paragraph(2, 10, 18, 2) + w.list(4);
  return body;
}

void write_tandem(const fs::path& root, const std::vector<section_plan>& plans) {
  write(root / "content/site.json", R"({
  "title": "Benchmark strategy",
  "subtitle": "A synthetic corporate parenting strategy",
  "organisation": "Benchmark County Council",
  "language": "en-GB",
  "base_url": "https://www.example.gov.uk/bench/",
  "editions": [
    { "id": "formal", "name": "Full strategy", "path": "", "theme": "council" },
    { "id": "young", "name": "For children and young people", "path": "young", "theme": "bright" }
  ]
}
)");
  write(root / "content/data/stats.json", stats_json());
  write(root / "content/glossary.json", R"({
  "IRO": { "stands_for": "Independent Reviewing Officer", "means": "The person who chairs a child's reviews.", "young": "The person who runs your review meetings." },
  "PEP": { "stands_for": "Personal Education Plan", "means": "The plan for a child's education.", "young": "Your plan for school." },
  "SYPAC": { "stands_for": "Supporting Young People After Care", "means": "The forum for care leavers.", "young": "A group for young people who have left care." }
}
)");
  fs::path pages = root / "content/pages";
  write(pages / "index.md",
        "---\ntitle: Benchmark strategy\nsummary: A synthetic strategy.\n---\n" +
            index_body(flavour::tandem, false));
  write(pages / "index.young.md",
        "---\ntitle: Benchmark strategy\nsummary: A synthetic strategy for young people.\n---\n" +
            index_body(flavour::tandem, true));
  int count = static_cast<int>(plans.size());
  for (const auto& plan : plans) {
    const section_plan* linked =
        count > 1 ? &plans[static_cast<std::size_t>(linked_number(plan.number, count) - 1)]
                  : nullptr;
    std::string front = "---\ntitle: " + plan.title + "\nnav_title: " + plan.nav_title +
                        "\nsummary: What we will do about " + plan.nav_title + ".\n---\n";
    write(pages / (plan.stem + ".md"), front + formal_body(plan, linked, flavour::tandem));
    write(pages / (plan.stem + ".young.md"), front + young_body(plan, flavour::tandem));
  }
}

// Hugo layouts equivalent to bench/templates: title, edition link, table of contents, content,
// previous and next, footer with the data date. Figures come from a shortcode.
void write_hugo_layouts(const fs::path& root) {
  const std::string head = R"(<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} – {{ site.Title }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header><a href="{{ "" | relURL }}">{{ site.Title }}</a></header>
<main id="main">
<h1>{{ .Title }}</h1>
)";
  const std::string foot = R"(</main>
<footer><p>Figures as of {{ (time.AsTime site.Data.stats.as_of).Format "2 January 2006" }}. Source: {{ site.Data.stats.source }}.</p></footer>
</body>
</html>
)";
  write(
      root / "layouts/_default/single.html",
      head +
          R"({{ if eq .Section "young" }}<p class="editions"><a href="{{ (printf "/%s/" .Params.slug) | relURL }}">Full strategy</a></p>{{ else }}<p class="editions"><a href="{{ (printf "/young/%s/" .Params.slug) | relURL }}">For children and young people</a></p>{{ end }}
{{ with .TableOfContents }}<nav class="toc"><h2>On this page</h2>
{{ . }}</nav>{{ end }}
<div class="content">
{{ .Content }}
</div>
<nav class="pagination">
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}" rel="prev">Previous: {{ .LinkTitle }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}" rel="next">Next: {{ .LinkTitle }}</a>{{ end }}
</nav>
)" + foot);
  write(root / "layouts/index.html", head + R"(<div class="content">
{{ .Content }}
</div>
)" + foot);
  write(root / "layouts/_default/list.html", head + R"(<div class="content">
{{ .Content }}
</div>
)" + foot);
  write(root / "layouts/shortcodes/fig.html",
        R"({{- $key := .Get 0 -}}
{{- $format := .Get 1 | default "plain" -}}
{{- $f := index site.Data.stats.figures $key -}}
{{- $text := "" -}}
{{- if eq $f.unit "percent" -}}
  {{- if eq $format "in_ten" -}}{{- $text = printf "about %d in 10" (int (math.Round (div $f.value 10.0))) -}}
  {{- else -}}{{- $text = printf "%v%%" $f.value -}}{{- end -}}
{{- else -}}
  {{- if eq $format "about" -}}{{- $text = printf "about %s" (lang.FormatNumber 0 (math.Round $f.value)) -}}
  {{- else -}}{{- $text = lang.FormatNumber 0 $f.value -}}{{- end -}}
{{- end -}}
<data value="{{ $f.value }}" data-figure="{{ $key }}">{{ $text }}</data>
{{- /**/ -}})");
  // Links to a section's source file go to that section's page in the same edition.
  write(root / "layouts/_default/_markup/render-link.html",
        R"({{- $dest := .Destination -}}
{{- $parts := split $dest "#" -}}
{{- $path := index $parts 0 -}}
{{- if strings.HasSuffix $path ".md" -}}
  {{- with $.Page.GetPage (strings.TrimSuffix ".md" $path) -}}
    {{- $dest = .RelPermalink -}}
    {{- if gt (len $parts) 1 -}}{{- $dest = printf "%s#%s" $dest (index $parts 1) -}}{{- end -}}
  {{- end -}}
{{- end -}}
<a href="{{ $dest | safeURL }}">{{ .Text | safeHTML }}</a>
{{- /**/ -}})");
  write(root / "static/style.css", "body { font-family: sans-serif; max-width: 40em; }\n");
}

void write_hugo(const fs::path& root, const std::vector<section_plan>& plans) {
  write(root / "hugo.toml", R"(baseURL = "https://www.example.gov.uk/bench/"
languageCode = "en-GB"
title = "Benchmark strategy"
disableKinds = ["taxonomy", "term", "RSS"]
relativeURLs = true
[markup.goldmark.renderer]
unsafe = false
[markup.tableOfContents]
startLevel = 2
endLevel = 3
)");
  write(root / "data/stats.json", stats_json());
  write_hugo_layouts(root);
  fs::path content = root / "content";
  write(content / "_index.md",
        "---\ntitle: Benchmark strategy\ndescription: A synthetic strategy.\n---\n" +
            index_body(flavour::hugo, false));
  write(content / "young/_index.md",
        "---\ntitle: Benchmark strategy\ndescription: A synthetic strategy for young "
        "people.\n---\n" +
            index_body(flavour::hugo, true));
  int count = static_cast<int>(plans.size());
  for (const auto& plan : plans) {
    const section_plan* linked =
        count > 1 ? &plans[static_cast<std::size_t>(linked_number(plan.number, count) - 1)]
                  : nullptr;
    std::string front = "---\ntitle: \"" + plan.title + "\"\nlinkTitle: \"" + plan.nav_title +
                        "\"\nslug: " + plan.slug + "\nweight: " + std::to_string(plan.number) +
                        "\ndescription: \"What we will do about " + plan.nav_title + ".\"\n---\n";
    write(content / (plan.stem + ".md"), front + formal_body(plan, linked, flavour::hugo));
    write(content / "young" / (plan.stem + ".md"), front + young_body(plan, flavour::hugo));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: gen_site SECTIONS OUT_DIR\n";
    return 2;
  }
  int sections = std::atoi(argv[1]);
  if (sections < 1 || sections > 99999) {
    std::cerr << "gen_site: SECTIONS must be 1 to 99999\n";
    return 2;
  }
  fs::path out = argv[2];
  fs::remove_all(out / "tandem");
  fs::remove_all(out / "hugo");
  std::vector<section_plan> plans;
  plans.reserve(static_cast<std::size_t>(sections));
  for (int n = 1; n <= sections; ++n) plans.push_back(plan_section(n));
  write_tandem(out / "tandem", plans);
  write_hugo(out / "hugo", plans);
  std::cout << "gen_site: " << sections << " sections in two editions in " << out.string() << "\n";
  return 0;
}
