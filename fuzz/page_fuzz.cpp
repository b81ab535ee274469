// libFuzzer harness: the whole pipeline for one page. The input is written as
// content/pages/01-about.md of a copy of the fixture site, which is then loaded, checked and
// rendered in every edition (load_and_render: what `tandem build` does before publishing).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

#include "fuzz_common.hpp"
#include "site.hpp"

using namespace tandem;
namespace fs = std::filesystem;

namespace {

const fs::path& site_copy() {
  static const fs::path dir = [] {
    fs::path copy = fuzz::scratch_dir() / "page-site";
    fs::remove_all(copy);
    fs::copy(fuzz::fixture_site(), copy, fs::copy_options::recursive);
    return copy;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fs::path& site = site_copy();
  fuzz::write_file(site / "content/pages/01-about.md",
                   std::string_view(reinterpret_cast<const char*>(data), size));
  site_run run = load_and_render(site);
  fuzz::require_sound(run.diags);
  if (run.rendered && !run.diags.has_errors()) {
    for (const auto& [path, entry] : run.rendered->out.entries()) {
      fuzz::require(!path.empty() && path.front() != '/' && path.find("..") == std::string::npos,
                    "an output path that leaves the output folder");
      if (path.size() > 5 && path.compare(path.size() - 5, 5, ".html") == 0) {
        // The site's own scripts are loaded by src; content adds none.
        std::string_view html = entry.bytes;
        std::size_t main_start = html.find("<main");
        std::size_t main_end = html.find("</main>");
        if (main_start != std::string_view::npos && main_end != std::string_view::npos)
          fuzz::require_safe_html(html.substr(main_start, main_end - main_start));
      }
    }
  }
  return 0;
}
