// libFuzzer harness: Markdown bodies through the limits, cmark-gfm and every pass over its tree
// (figure references, components, links, pictures, headings, glossary) on a fixed loaded site,
// in two editions. Rendered HTML must never hold script.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.hpp"
#include "markdown.hpp"
#include "model.hpp"

using namespace tandem;

namespace {

struct fixture {
  site_model model;
  link_index links;
};

const fixture& loaded() {
  static const fixture f = [] {
    fixture out;
    diagnostics diags;
    auto model = load_site(fuzz::fixture_site(), diags);
    fuzz::require(model.has_value() && !diags.has_errors(), "the fixture site does not load");
    out.model = std::move(*model);
    for (const section& sec : out.model.content.sections) {
      for (const auto& [edition_id, page] : sec.pages) {
        const edition* ed = out.model.config.find_edition(edition_id);
        auto& target = out.links.pages[{sec.stem, edition_id}];
        target.output_path = page_output_path(*ed, sec);
        diagnostics ignored;
        parsed_markdown parsed = parse_markdown(page, out.model, ignored);
        for (const heading& h : parsed.headings()) target.anchors.insert(h.id);
      }
    }
    return out;
  }();
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fixture& f = loaded();
  source_page page;
  page.file = "content/pages/01-about.md";
  page.body.assign(reinterpret_cast<const char*>(data), size);
  page.head = "---\ntitle: Fuzz\n---\n";
  page.body_line = 4;
  page.meta.title = "Fuzz";
  for (const edition& ed : f.model.config.editions) {
    page.edition = ed.id;
    diagnostics diags;
    parsed_markdown parsed = parse_markdown(page, f.model, diags);
    markdown_env env{f.model, ed, (ed.path.empty() ? "" : ed.path + "/") + "about/index.html",
                     f.links};
    rendered_markdown out = render_markdown(parsed, page, env, diags);
    fuzz::require_sound(diags);
    fuzz::require_safe_html(out.html);
  }
  return 0;
}
