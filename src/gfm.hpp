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

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

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

/// Memory for one document: its parser, nodes and text, and its rendered HTML, taken in large
/// pieces and given back all at once when the arena goes, after the document. cmark-gfm
/// allocates and frees a few hundred small pieces for each page; from an arena that is a few
/// instructions each instead of a general allocator's work.
///
/// cmark-gfm's allocator (cmark_mem) has no place for a pointer to an arena, so the arena is
/// the current one of a thread, between an arena_scope's start and end. Every piece records
/// where it came from: a piece from an arena is freed with the arena, one taken outside any
/// scope from the heap at once. A document may therefore be changed, rendered or freed on any
/// thread and inside or outside a scope, one thread at a time; its arena must outlive it.
class gfm_arena {
 public:
  gfm_arena() = default;
  gfm_arena(const gfm_arena&) = delete;
  gfm_arena& operator=(const gfm_arena&) = delete;
  ~gfm_arena();

  /// `bytes` from the arena, 16-byte aligned, not cleared.
  void* allocate(std::size_t bytes);
  /// `block` (from this arena) made `bytes` long: in place when it is the last piece taken and
  /// there is room, otherwise copied to a new piece.
  void* reallocate(void* block, std::size_t bytes);
  /// Bytes held from the system (for tests).
  std::size_t reserved() const { return reserved_; }

 private:
  struct chunk {
    char* begin;
    std::size_t size;
  };
  std::vector<chunk> chunks_;
  char* next_ = nullptr;  // the free space of the last chunk
  char* end_ = nullptr;
  std::size_t reserved_ = 0;
};

/// While it exists, what cmark-gfm allocates on this thread through gfm_memory() comes from
/// `arena` (none: the heap). Scopes nest.
class arena_scope {
 public:
  explicit arena_scope(gfm_arena* arena);
  arena_scope(const arena_scope&) = delete;
  arena_scope& operator=(const arena_scope&) = delete;
  ~arena_scope();

 private:
  gfm_arena* previous_;
};

/// The allocator of every parser tandem makes: from the thread's current arena, or the heap.
/// Nodes added to a parsed document must be made with it (cmark_node_new_with_mem: cmark-gfm
/// refuses to join nodes of two allocators), and what cmark_render_html returns for such a
/// document freed with its `free`, not std::free.
cmark_mem* gfm_memory();

/// A parser with tandem's extensions attached: table, strikethrough, autolink, tasklist and
/// tagfilter. Safe mode (no raw HTML, dangerous URLs emptied) unless `options` says otherwise,
/// which tandem never does. Its nodes are allocated by gfm_memory().
parser_ptr new_gfm_parser(int options);

/// A parsed document, the parser that knows its extensions (needed again to render) and the
/// arena they are in. The arena goes last: after the document and parser when the tree goes,
/// and after the old ones when another tree is moved onto it.
struct gfm_tree {
  std::unique_ptr<gfm_arena> arena;
  parser_ptr parser;
  node_ptr document;

  gfm_tree() = default;
  gfm_tree(gfm_tree&&) noexcept = default;
  gfm_tree& operator=(gfm_tree&& other) noexcept;  // member by member would free the arena first
};

/// Parses `body` into a tree in an arena of its own, with a parser of `options` (less
/// CMARK_OPT_VALIDATE_UTF8 where parse_options_for drops it).
gfm_tree parse_gfm_tree(std::string_view body, int options);

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
