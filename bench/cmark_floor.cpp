// The floor for the benchmark: cmark-gfm alone parsing and rendering the Markdown of every page
// of a site, in one thread, with the extensions and options tandem uses. Files are read first;
// only parsing and rendering are timed (CPU time of this process).
//
//   cmark_floor PAGES_DIR [REPEAT]
//   cmark_floor PAGES_DIR REPEAT --files OUT_DIR
//
// Prints: files=N bytes=B html_bytes=H cpu_seconds=S (the least of REPEAT passes, default 3).
//
// With --files, the floor of a generator that writes what it renders: each pass also reads
// every page's file and writes each page's HTML, as it comes from cmark-gfm, to
// OUT_DIR/<the page's path without .md>/index.html, a folder per page as tandem and Hugo write
// them. The CPU time then includes the system's (opening, reading, making folders, writing).
// OUT_DIR is emptied before each pass, outside the timing, and removed at the end.
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

std::vector<fs::path> markdown_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".md") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> read_bodies(const std::vector<fs::path>& files) {
  std::vector<std::string> bodies;
  for (const auto& path : files) bodies.push_back(body_of(read_file(path)));
  return bodies;
}

// Parses and renders one body; calls `use` with the HTML. Returns its size in bytes.
template <typename Use>
std::size_t parse_and_render_one(const std::string& body, const Use& use) {
  // Without CMARK_OPT_VALIDATE_UTF8, as tandem parses a page once its own check at load has
  // found the text valid (the generated corpus always is): the floor is the least cmark-gfm does.
  const int options = CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES;
  const char* names[] = {"table", "strikethrough", "autolink", "tasklist", "tagfilter"};
  cmark_parser* parser = cmark_parser_new(options);
  for (const char* name : names)
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name))
      cmark_parser_attach_syntax_extension(parser, ext);
  cmark_parser_feed(parser, body.data(), body.size());
  cmark_node* document = cmark_parser_finish(parser);
  char* html = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser));
  std::size_t size = std::char_traits<char>::length(html);
  use(html, size);
  cmark_get_default_mem_allocator()->free(html);
  cmark_node_free(document);
  cmark_parser_free(parser);
  return size;
}

// Parses and renders every body once; returns the bytes of HTML made.
std::size_t parse_and_render(const std::vector<std::string>& bodies) {
  std::size_t html_bytes = 0;
  for (const std::string& body : bodies)
    html_bytes += parse_and_render_one(body, [](const char*, std::size_t) {});
  return html_bytes;
}

// The whole of a file, read with the least system calls (open, fstat, read, close).
std::string read_file_lean(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  struct stat info {};
  if (fd < 0 || ::fstat(fd, &info) != 0) {
    std::perror(path.c_str());
    std::exit(1);
  }
  std::string text(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::read(fd, text.data() + done, text.size() - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  text.resize(done);
  return text;
}

// Reads, parses, renders and writes every page once (--files); returns the bytes of HTML. The
// least a generator does with files: a read of each page, a folder and a write of its HTML.
std::size_t read_render_and_write(const fs::path& pages, const std::vector<fs::path>& files,
                                  const fs::path& out) {
  fs::create_directories(out);
  const std::string prefix = pages.string() + "/";
  std::size_t html_bytes = 0;
  for (const fs::path& path : files) {
    std::string relative = path.string().substr(prefix.size());  // files are under `pages`
    relative.resize(relative.size() - 3);                        // without ".md"
    const std::string folder = (out / relative).string();
    if (::mkdir(folder.c_str(), 0755) != 0) fs::create_directories(folder);  // a nested page
    const std::string target = folder + "/index.html";
    html_bytes += parse_and_render_one(
        body_of(read_file_lean(path.string())), [&](const char* html, std::size_t size) {
          int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
          if (fd < 0 || ::write(fd, html, size) != static_cast<ssize_t>(size) || ::close(fd) != 0) {
            std::perror(target.c_str());
            std::exit(1);
          }
        });
  }
  return html_bytes;
}

}  // namespace

int main(int argc, char** argv) {
  const bool with_files = argc == 5 && std::string(argv[3]) == "--files";
  if (argc < 2 || argc == 4 || argc > 5 || (argc == 5 && !with_files)) {
    std::cerr << "usage: cmark_floor PAGES_DIR [REPEAT] [--files OUT_DIR]\n";
    return 2;
  }
  int repeat = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  cmark_gfm_core_extensions_ensure_registered();
  const fs::path pages = argv[1];
  const auto files = markdown_files(pages);
  const auto bodies = read_bodies(files);
  std::size_t bytes = 0;
  for (const auto& b : bodies) bytes += b.size();
  double best = 1e300;
  std::size_t html_bytes = 0;
  for (int i = 0; i < repeat; ++i) {
    if (with_files) fs::remove_all(argv[4]);
    double start = cpu_seconds();
    html_bytes =
        with_files ? read_render_and_write(pages, files, argv[4]) : parse_and_render(bodies);
    best = std::min(best, cpu_seconds() - start);
  }
  if (with_files) fs::remove_all(argv[4]);
  std::printf("files=%zu bytes=%zu html_bytes=%zu cpu_seconds=%.3f\n", bodies.size(), bytes,
              html_bytes, best);
  return 0;
}
