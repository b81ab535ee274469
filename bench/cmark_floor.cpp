// The floor for the benchmark: cmark-gfm alone parsing and rendering the Markdown of every page
// of a site, in one thread, with the extensions and options tandem uses. Files are read first;
// only parsing and rendering are timed (CPU time of this process).
//
//   cmark_floor PAGES_DIR [REPEAT]
//
// Prints: files=N bytes=B html_bytes=H cpu_seconds=S (the least of REPEAT passes, default 3).
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// The Markdown after the `---` front matter, as tandem gives it to cmark-gfm.
std::string body_of(const std::string& text) {
  if (text.rfind("---\n", 0) != 0) return text;
  std::size_t end = text.find("\n---\n", 3);
  return end == std::string::npos ? text : text.substr(end + 5);
}

std::vector<std::string> read_bodies(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".md") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<std::string> bodies;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    bodies.push_back(body_of(text.str()));
  }
  return bodies;
}

// Parses and renders every body once; returns the bytes of HTML made.
std::size_t parse_and_render(const std::vector<std::string>& bodies) {
  // Without CMARK_OPT_VALIDATE_UTF8, as tandem parses a page once its own check at load has
  // found the text valid (the generated corpus always is): the floor is the least cmark-gfm does.
  const int options = CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES;
  const char* names[] = {"table", "strikethrough", "autolink", "tasklist", "tagfilter"};
  std::size_t html_bytes = 0;
  for (const std::string& body : bodies) {
    cmark_parser* parser = cmark_parser_new(options);
    for (const char* name : names)
      if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name))
        cmark_parser_attach_syntax_extension(parser, ext);
    cmark_parser_feed(parser, body.data(), body.size());
    cmark_node* document = cmark_parser_finish(parser);
    char* html = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser));
    html_bytes += std::char_traits<char>::length(html);
    cmark_get_default_mem_allocator()->free(html);
    cmark_node_free(document);
    cmark_parser_free(parser);
  }
  return html_bytes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: cmark_floor PAGES_DIR [REPEAT]\n";
    return 2;
  }
  int repeat = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  cmark_gfm_core_extensions_ensure_registered();
  auto bodies = read_bodies(argv[1]);
  std::size_t bytes = 0;
  for (const auto& b : bodies) bytes += b.size();
  double best = 1e300;
  std::size_t html_bytes = 0;
  for (int i = 0; i < repeat; ++i) {
    double start = cpu_seconds();
    html_bytes = parse_and_render(bodies);
    best = std::min(best, cpu_seconds() - start);
  }
  std::printf("files=%zu bytes=%zu html_bytes=%zu cpu_seconds=%.3f\n", bodies.size(), bytes,
              html_bytes, best);
  return 0;
}
