// libFuzzer harness: the front-matter splitter and YAML reader (parse_source_page) on any bytes.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

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
  for (const diagnostic& d : diags.items())
    fuzz::require(d.file == file, "a problem in another file");
  if (page) {
    const std::string whole = page->head + page->body;
    fuzz::require(page->text_size == whole.size(),
                  "the front matter and body are not the file as read");
    fuzz::require(page->text_hash == std::hash<std::string_view>{}(whole),
                  "the file's hash is not that of its front matter and body");
    fuzz::require(page->head.rfind("---", 0) == 0, "the front matter does not open the file");
    fuzz::require(page->body_line >= 3, "the body starts inside the front matter");
    fuzz::require(whole.find('\0') == std::string::npos, "a NUL byte kept in the text");
  }
  return 0;
}
