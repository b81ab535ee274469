#include "gfm.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

// Before every piece handed to cmark-gfm: where it came from and how long it is. 16 bytes, so
// the piece keeps the 16-byte alignment malloc gives.
struct alignas(16) piece_header {
  gfm_arena* arena;  // null: the heap
  std::size_t size;
};
static_assert(sizeof(piece_header) == 16);

constexpr std::size_t round_up(std::size_t bytes) {
  return (bytes + 15) & ~static_cast<std::size_t>(15);
}

piece_header* header_of(void* block) {
  return static_cast<piece_header*>(block) - 1;
}

thread_local gfm_arena* current_arena = nullptr;

// cmark-gfm cannot go on without memory: it aborts when its own allocator fails, and so does
// tandem's.
[[noreturn]] void out_of_memory() {
  std::fputs("tandem: out of memory while reading Markdown\n", stderr);
  std::abort();
}

void* heap_piece(std::size_t bytes, bool clear) {
  if (bytes > SIZE_MAX - sizeof(piece_header)) out_of_memory();
  void* raw = clear ? std::calloc(1, sizeof(piece_header) + bytes)
                    : std::malloc(sizeof(piece_header) + bytes);
  if (!raw) out_of_memory();
  auto* header = static_cast<piece_header*>(raw);
  header->arena = nullptr;
  header->size = bytes;
  return header + 1;
}

void* gfm_calloc(std::size_t count, std::size_t size) {
  if (size != 0 && count > SIZE_MAX / size) out_of_memory();
  std::size_t bytes = count * size;
  if (!current_arena) return heap_piece(bytes, true);
  void* block = current_arena->allocate(bytes);
  std::memset(block, 0, bytes);
  return block;
}

void* gfm_realloc(void* block, std::size_t bytes) {
  if (!block) return current_arena ? current_arena->allocate(bytes) : heap_piece(bytes, false);
  piece_header* header = header_of(block);
  if (header->arena) return header->arena->reallocate(block, bytes);
  if (bytes > SIZE_MAX - sizeof(piece_header)) out_of_memory();
  auto* moved = static_cast<piece_header*>(std::realloc(header, sizeof(piece_header) + bytes));
  if (!moved) out_of_memory();
  moved->size = bytes;
  return moved + 1;
}

void gfm_free(void* block) {
  if (!block) return;
  piece_header* header = header_of(block);
  if (!header->arena) std::free(header);  // an arena's pieces go with the arena
}

cmark_mem memory{gfm_calloc, gfm_realloc, gfm_free};

}  // namespace

gfm_arena::~gfm_arena() {
  for (const chunk& c : chunks_) std::free(c.begin);
}

void* gfm_arena::allocate(std::size_t bytes) {
  if (bytes > SIZE_MAX / 2) out_of_memory();
  const std::size_t needed = sizeof(piece_header) + round_up(bytes);
  if (static_cast<std::size_t>(end_ - next_) < needed) {
    // Chunks double from 8 KB to 1 MB (a page's tree is a few kilobytes); a piece larger than
    // that has a chunk of its own size.
    constexpr std::size_t first = 8 * 1024, largest = 1024 * 1024;
    std::size_t size = chunks_.empty() ? first : std::min(chunks_.back().size * 2, largest);
    size = std::max(size, needed);
    auto* begin = static_cast<char*>(std::malloc(size));
    if (!begin) out_of_memory();
    chunks_.push_back({begin, size});
    reserved_ += size;
    next_ = begin;
    end_ = begin + size;
  }
  auto* header = reinterpret_cast<piece_header*>(next_);
  header->arena = this;
  header->size = bytes;
  next_ += needed;
  return header + 1;
}

void* gfm_arena::reallocate(void* block, std::size_t bytes) {
  piece_header* header = header_of(block);
  char* piece_end = static_cast<char*>(block) + round_up(header->size);
  if (bytes <= round_up(header->size)) {
    header->size = bytes;  // it fits where it is: it stays there
    return block;
  }
  if (piece_end == next_ && static_cast<char*>(block) > chunks_.back().begin &&
      bytes <= SIZE_MAX / 2 &&
      static_cast<std::size_t>(end_ - static_cast<char*>(block)) >= round_up(bytes)) {
    next_ = static_cast<char*>(block) + round_up(bytes);  // the last piece: grown in place
    header->size = bytes;
    return block;
  }
  void* moved = allocate(bytes);
  std::memcpy(moved, block, header->size);
  return moved;
}

arena_scope::arena_scope(gfm_arena* arena) : previous_(current_arena) {
  current_arena = arena;
}

arena_scope::~arena_scope() {
  current_arena = previous_;
}

cmark_mem* gfm_memory() {
  return &memory;
}

parser_ptr new_gfm_parser(int options) {
  ensure_extensions_registered();
  parser_ptr parser(cmark_parser_new_with_mem(options, gfm_memory()));
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

gfm_tree& gfm_tree::operator=(gfm_tree&& other) noexcept {
  document = std::move(other.document);
  parser = std::move(other.parser);
  arena = std::move(other.arena);
  return *this;
}

gfm_tree parse_gfm_tree(std::string_view body, int options) {
  gfm_tree tree;
  tree.arena = std::make_unique<gfm_arena>();
  arena_scope scope(tree.arena.get());
  tree.parser = new_gfm_parser(parse_options_for(body, options));
  tree.document = parse_gfm(tree.parser.get(), body);
  return tree;
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
