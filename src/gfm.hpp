// cmark-gfm as tandem parses it: the same extensions for the renderer and the checks, owned
// pointers, and parses that can run on several threads at once.
//
// cmark-gfm 0.29.0.gfm.6 (Debian) keeps the characters that start an extension's inline syntax
// ('~' for strikethrough, ':' and 'w' for autolinks ...) in one table for the whole process.
// cmark_parser_finish switches them on before it parses the inlines and off again after, through
// the exported function cmark_manage_extensions_special_characters; a parse on one thread can
// therefore miss strikethrough or autolinks because another thread has just finished.
//
// tandem attaches the same extensions to every parser, so the table never needs to change once
// it holds their characters. gfm.cpp defines cmark_manage_extensions_special_characters itself:
// the library's own call goes to tandem's (the dynamic linker binds the program's definition
// first). The first parse runs under a lock with the library's function, as before; then the
// characters are switched on for good and every later call does nothing, so parses need no
// lock. If the library does not call tandem's definition (a static or differently linked
// cmark-gfm), every parse keeps holding the lock: slower, never wrong. `parses_share_a_lock`
// says which.
#pragma once

#include <cmark-gfm.h>

#include <memory>
#include <string_view>

namespace tandem {

struct gfm_parser_deleter {
  void operator()(cmark_parser* parser) const { cmark_parser_free(parser); }
};
struct gfm_node_deleter {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};
struct gfm_iterator_deleter {
  void operator()(cmark_iter* iter) const { cmark_iter_free(iter); }
};
using parser_ptr = std::unique_ptr<cmark_parser, gfm_parser_deleter>;
using node_ptr = std::unique_ptr<cmark_node, gfm_node_deleter>;
using iterator_ptr = std::unique_ptr<cmark_iter, gfm_iterator_deleter>;

/// A parser with tandem's extensions attached: table, strikethrough, autolink, tasklist and
/// tagfilter. Safe mode (no raw HTML, dangerous URLs emptied) unless `options` says otherwise,
/// which tandem never does.
parser_ptr new_gfm_parser(int options);

/// `options` for a parser of `body`: without CMARK_OPT_VALIDATE_UTF8 when `body` is valid UTF-8
/// without NUL bytes (as every loaded page is), since cmark-gfm would then only copy each line
/// as it is; unchanged otherwise.
int parse_options_for(std::string_view body, int options);

/// Parses `body` with `parser` and returns the document with every node owning its text (no
/// node points into the parser's buffers). Safe to call on several threads at once, each with
/// its own parser.
node_ptr parse_gfm(cmark_parser* parser, std::string_view body);

/// True while every parse still holds one lock: before the first parse, or for good when
/// cmark-gfm does not call tandem's cmark_manage_extensions_special_characters.
bool parses_share_a_lock();

}  // namespace tandem
