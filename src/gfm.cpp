#include "gfm.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <dlfcn.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <mutex>

#include "frontmatter.hpp"

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

using manage_function = void (*)(cmark_parser*, int);

// cmark-gfm's own cmark_manage_extensions_special_characters, the one tandem's stands in for.
manage_function library_manage() {
  static const manage_function found = reinterpret_cast<manage_function>(
      dlsym(RTLD_NEXT, "cmark_manage_extensions_special_characters"));
  return found;
}

// How often cmark-gfm has called tandem's definition: it changes during a parse only if the
// library's call reaches it.
std::atomic<unsigned long> manage_calls{0};
// Set (once, under the parse lock) when the characters are on for good: from then on calls do
// nothing and parses take no lock.
std::atomic<bool> characters_fixed{false};

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

int parse_options_for(std::string_view body, int options) {
  return is_clean_utf8(body) ? options & ~CMARK_OPT_VALIDATE_UTF8 : options;
}

node_ptr parse_gfm(cmark_parser* parser, std::string_view body) {
  node_ptr document;
  if (characters_fixed.load(std::memory_order_acquire)) {
    cmark_parser_feed(parser, body.data(), body.size());
    document.reset(cmark_parser_finish(parser));
  } else {
    std::lock_guard lock(parse_mutex());
    unsigned long calls_before = manage_calls.load();
    cmark_parser_feed(parser, body.data(), body.size());
    document.reset(cmark_parser_finish(parser));
    if (!characters_fixed.load() && manage_calls.load() != calls_before && library_manage()) {
      // cmark-gfm called tandem's definition: switch this parser's characters (every
      // extension's: all parsers get the same ones) on and leave them on. The parser keeps its
      // extensions after cmark_parser_finish.
      library_manage()(parser, 1);
      characters_fixed.store(true, std::memory_order_release);
    }
  }
  cmark_node_own(document.get());
  return document;
}

bool parses_share_a_lock() {
  return !characters_fixed.load(std::memory_order_acquire);
}

}  // namespace tandem

// Called by cmark_parser_finish with add = 1 before it parses inlines and add = 0 after (see
// gfm.hpp). Until the characters are fixed, the library's function does the work (only under
// the parse lock); after, there is nothing left to do.
extern "C" void cmark_manage_extensions_special_characters(cmark_parser* parser, int add) {
  tandem::manage_calls.fetch_add(1);
  if (tandem::characters_fixed.load(std::memory_order_acquire)) return;
  tandem::manage_function library = tandem::library_manage();
  if (!library) std::abort();  // cannot happen: cmark-gfm defines it, or it would not call it
  library(parser, add);
}
