// The arena cmark-gfm's documents are allocated in (gfm.hpp): what it hands out is cleared,
// keeps its contents when grown, and a document from an arena reads the same as one from the
// heap, wherever and whenever it is rendered and freed.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include <cmark-gfm-extension_api.h>

#include "gfm.hpp"

using namespace tandem;

namespace {

bool all_bytes(const void* block, std::size_t size, unsigned char value) {
  const auto* bytes = static_cast<const unsigned char*>(block);
  for (std::size_t i = 0; i < size; ++i)
    if (bytes[i] != value) return false;
  return true;
}

bool is_aligned(const void* block) {
  return reinterpret_cast<std::uintptr_t>(block) % 16 == 0;
}

std::string render(cmark_parser* parser, cmark_node* document) {
  char* html =
      cmark_render_html(document, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser));
  std::string out(html);
  gfm_memory()->free(html);
  return out;
}

const std::string body =
    "# A heading\n\nSome *text* with ~~old~~ words, www.example.org and `code`.\n\n"
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- not done\n\n> quoted\n";

}  // namespace

TEST_CASE("gfm arena: pieces in a scope come from its arena, cleared; outside, from the heap") {
  cmark_mem* mem = gfm_memory();
  // Memory an arena gave back is likely to be handed out again: calloc must still clear it.
  {
    gfm_arena dirty;
    arena_scope scope(&dirty);
    void* block = mem->calloc(1, 6000);
    std::memset(block, 0xAB, 6000);
  }
  gfm_arena arena;
  CHECK(arena.reserved() == 0);
  {
    arena_scope scope(&arena);
    void* block = mem->calloc(100, 60);
    CHECK(arena.reserved() > 0);
    CHECK(is_aligned(block));
    CHECK(all_bytes(block, 6000, 0));
    mem->free(block);  // nothing until the arena goes
    void* odd = mem->calloc(3, 7);
    CHECK(is_aligned(odd));
    {
      arena_scope none(nullptr);  // scopes nest: none, then the arena again
      const std::size_t before = arena.reserved();
      void* heap = mem->calloc(64, 1024);
      CHECK(all_bytes(heap, 64 * 1024, 0));
      CHECK(arena.reserved() == before);
      mem->free(heap);  // a heap piece: freed now (the sanitizer build reports a leak if not)
    }
    const std::size_t before = arena.reserved();
    mem->calloc(1, 8);
    CHECK(arena.reserved() == before);
  }
  const std::size_t after = arena.reserved();
  void* heap = mem->calloc(1, 100);
  CHECK(arena.reserved() == after);
  mem->free(heap);
}

TEST_CASE("gfm arena: a piece grown keeps its bytes, in place when it is the last one") {
  cmark_mem* mem = gfm_memory();
  gfm_arena arena;
  arena_scope scope(&arena);
  auto* first = static_cast<char*>(mem->realloc(nullptr, 40));
  std::memset(first, 'a', 40);
  auto* grown = static_cast<char*>(mem->realloc(first, 400));
  CHECK(grown == first);  // the last piece taken: grown where it is
  CHECK(all_bytes(grown, 40, 'a'));
  std::memset(grown, 'b', 400);
  auto* other = static_cast<char*>(mem->calloc(1, 16));
  auto* moved = static_cast<char*>(mem->realloc(grown, 800));
  CHECK(moved != grown);  // no longer the last: copied
  CHECK(is_aligned(moved));
  CHECK(all_bytes(moved, 400, 'b'));
  CHECK(all_bytes(other, 16, 0));           // the copy did not run over the piece after it
  CHECK(mem->realloc(moved, 10) == moved);  // made smaller where it is
  // Beyond the chunk it is in: into a new chunk, its bytes copied.
  auto* big = static_cast<char*>(mem->realloc(moved, 5 * 1024 * 1024));
  CHECK(all_bytes(big, 10, 'b'));
  std::memset(big, 'c', 5 * 1024 * 1024);
  CHECK(arena.reserved() >= 5u * 1024 * 1024);
  // Heap pieces grow too.
  arena_scope none(nullptr);
  auto* heap = static_cast<char*>(mem->realloc(nullptr, 30));
  std::memset(heap, 'd', 30);
  heap = static_cast<char*>(mem->realloc(heap, 3000));
  CHECK(all_bytes(heap, 30, 'd'));
  mem->free(heap);
}

TEST_CASE("gfm arena: a document parsed in an arena renders as one from the heap, anywhere") {
  parser_ptr heap_parser = new_gfm_parser(CMARK_OPT_DEFAULT);
  node_ptr heap_document = parse_gfm(heap_parser.get(), body);
  const std::string expected = render(heap_parser.get(), heap_document.get());
  CHECK(expected.find("<del>old</del>") != std::string::npos);
  CHECK(expected.find("<table>") != std::string::npos);

  auto arena = std::make_unique<gfm_arena>();
  parser_ptr parser;
  node_ptr document;
  {
    arena_scope scope(arena.get());
    parser = new_gfm_parser(CMARK_OPT_DEFAULT);
    document = parse_gfm(parser.get(), body);
  }
  CHECK(arena.get()->reserved() > 0);
  // Changed outside the scope (a heap node joins arena nodes), rendered and freed on another
  // thread, then the arena goes.
  cmark_node* note = cmark_node_new_with_mem(CMARK_NODE_PARAGRAPH, gfm_memory());
  cmark_node* text = cmark_node_new_with_mem(CMARK_NODE_TEXT, gfm_memory());
  REQUIRE(cmark_node_set_literal(text, "Added."));
  REQUIRE(cmark_node_append_child(note, text));
  REQUIRE(cmark_node_append_child(document.get(), note));
  std::string html;
  std::thread([&] {
    html = render(parser.get(), document.get());
    document.reset();
    parser.reset();
  }).join();
  arena.reset();
  CHECK(html == expected + "<p>Added.</p>\n");
}

TEST_CASE("gfm arena: a tree moved onto another frees the old document before the old arena") {
  gfm_tree tree = parse_gfm_tree(body, CMARK_OPT_DEFAULT);
  // Freeing the old arena first would free the old document's nodes from freed memory (the
  // sanitizer build reports it).
  tree = parse_gfm_tree("# Another\n", CMARK_OPT_DEFAULT);
  CHECK(render(tree.parser.get(), tree.document.get()) == "<h1>Another</h1>\n");
}
