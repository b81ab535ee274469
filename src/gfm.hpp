// cmark-gfm as tandem parses it: the same extensions for the renderer and the checks, owned
// pointers, and one lock around every parse.
//
// cmark-gfm 0.29.0.gfm.6 (Debian) is not safe to parse on several threads at once: every parse
// (and every table row) switches the extensions' special characters ('~', ':', 'w' ...) on and
// off in a table shared by the whole process, so a parse on one thread can miss strikethrough
// or autolinks because another thread has just finished. Parsing (cmark_parser_feed and
// cmark_parser_finish) therefore holds one lock; everything else (the passes over a parsed
// tree and rendering it to HTML) stays parallel.
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

/// Parses `body` with `parser`, holding the parse lock, and returns the document with every
/// node owning its text (no node points into the parser's buffers).
node_ptr parse_gfm(cmark_parser* parser, std::string_view body);

}  // namespace tandem
