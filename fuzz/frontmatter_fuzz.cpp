// libFuzzer harness: the front-matter splitter and YAML reader (parse_source_page) on any bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "content.hpp"
#include "fuzz_common.hpp"

using namespace tandem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // Pages and pledges have different settings; the first byte chooses which this input is.
  const bool pledge = size > 0 && (data[0] & 1) != 0;
  const std::string file = pledge ? "content/pledges/01-fuzz.md" : "content/pages/01-fuzz.md";
  diagnostics diags;
  auto page = parse_source_page(file, text, "formal", diags);
  fuzz::require_sound(diags);
  for (const diagnostic& d : diags.items()) fuzz::require(d.file == file, "a problem in another file");
  if (page) {
    fuzz::require(page->text.size() >= page->body.size(), "a body longer than the file");
    fuzz::require(page->text.compare(page->text.size() - page->body.size(), page->body.size(),
                                     page->body) == 0,
                  "the body is not the end of the file");
    fuzz::require(page->body_line >= 3, "the body starts inside the front matter");
    fuzz::require(page->text.find('\0') == std::string::npos, "a NUL byte kept in the text");
  }
  return 0;
}
