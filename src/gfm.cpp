#include "gfm.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>

#include <array>
#include <mutex>

namespace tandem {

namespace {

constexpr std::array<const char*, 5> extension_names = {"table", "strikethrough", "autolink",
                                                        "tasklist", "tagfilter"};

void ensure_extensions_registered() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

std::mutex& parse_mutex() {
  static std::mutex lock;
  return lock;
}

}  // namespace

parser_ptr new_gfm_parser(int options) {
  ensure_extensions_registered();
  parser_ptr parser(cmark_parser_new(options));
  for (const char* name : extension_names) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), ext);
    }
  }
  return parser;
}

node_ptr parse_gfm(cmark_parser* parser, std::string_view body) {
  node_ptr document;
  {
    std::lock_guard lock(parse_mutex());
    cmark_parser_feed(parser, body.data(), body.size());
    document.reset(cmark_parser_finish(parser));
  }
  cmark_node_own(document.get());
  return document;
}

}  // namespace tandem
