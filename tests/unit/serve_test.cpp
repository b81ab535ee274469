// The preview server: what a comms officer sees in the browser while editing, and what no
// request may see. Every server listens on 127.0.0.1, on a port the system picks.
#include <doctest/doctest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "fs.hpp"
#include "serve.hpp"
#include "site.hpp"
#include "temp_site.hpp"
#include "watch.hpp"

using namespace tandem;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr const char* secret_text = "TOP-SECRET-NOT-PART-OF-THE-SITE";

/// A copy of the example site in site/ under a fresh folder that also holds a file the preview
/// must never show (secret.txt, beside the site). read() and write() take paths in the site.
struct preview_site {
  testing::temp_site folder;
  const fs::path root = folder.dir();
  const fs::path site = root / "site";
  preview_site() {
    folder.copy(testing::source_dir / "content", "site/content");
    folder.write("secret.txt", std::string(secret_text) + "\n");
  }
  std::string read(const std::string& rel) const { return folder.read("site/" + rel); }
  void write(const std::string& rel, const std::string& text) const {
    folder.write("site/" + rel, text);
  }
};

/// A preview server for a test, stopped (and its watching thread joined) at the end.
struct running_preview {
  std::ostringstream log;
  preview_server server;
  std::thread watching;
  explicit running_preview(const fs::path& site, bool watch = false) : server(site, log) {
    std::string why;
    REQUIRE_MESSAGE(server.start("127.0.0.1", 0, &why), why);
    if (watch) watching = std::thread([this] { server.watch(); });
  }
  ~running_preview() {
    server.stop();
    if (watching.joinable()) watching.join();
  }
};

struct reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lowercase
  std::string body;
};

/// Sends `target` exactly as written (no client tidies it up) and reads the whole answer.
reply raw_request(int port, const std::string& target, const std::string& method = "GET") {
  reply r;
  int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(sock >= 0);
  timeval timeout{5, 0};
  ::setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(sock, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  std::string request =
      method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  REQUIRE(::send(sock, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  std::string raw;
  char buffer[16384];
  ssize_t got;
  while ((got = ::recv(sock, buffer, sizeof buffer, 0)) > 0) raw.append(buffer, got);
  ::close(sock);
  std::size_t head_end = raw.find("\r\n\r\n");
  REQUIRE_MESSAGE(head_end != std::string::npos, "no complete answer to " << target);
  std::istringstream head(raw.substr(0, head_end));
  std::string line, version;
  std::getline(head, line);
  std::istringstream(line) >> version >> r.status;
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
  }
  r.body = raw.substr(head_end + 4);
  return r;
}

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 30s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return done();
}

/// A preview page as `tandem build` writes it: without the script, the problems panel and its
/// style sheet, which only the preview adds.
std::string without_preview_additions(const std::string& html) {
  static const std::regex script(
      R"(<script src="/_tandem/reload\.js" data-version="[0-9]+"></script>\n)");
  static const std::regex style(R"(<link rel="stylesheet" href="/_tandem/problems\.css">\n)");
  static const std::regex panel(R"(\n<section id="tandem-problems"[\s\S]*?</section>\n)");
  return std::regex_replace(std::regex_replace(std::regex_replace(html, script, ""), style, ""),
                            panel, "");
}

bool has_reload_script(const std::string& html) {
  std::size_t script = html.find("<script src=\"/_tandem/reload.js\"");
  return script != std::string::npos && script < html.rfind("</body>");
}

bool has_panel(const std::string& html) {
  return html.find("id=\"tandem-problems\"") != std::string::npos;
}

/// The values that the pages show for figure `key` (from <data value=".." data-figure="key">).
std::multiset<std::string> figure_values(const std::string& html, const std::string& key) {
  std::multiset<std::string> values;
  std::regex data("<data value=\"([^\"]*)\" data-figure=\"" + key + "\"");
  for (std::sregex_iterator it(html.begin(), html.end(), data), end; it != end; ++it)
    values.insert((*it)[1].str());
  return values;
}

std::map<std::string, std::string> built_html(const preview_site& s) {
  site_run run = load_and_render(s.site);
  REQUIRE(run.rendered);
  std::map<std::string, std::string> pages;
  for (const auto& [path, entry] : run.rendered->out.entries())
    if (path.size() > 5 && path.substr(path.size() - 5) == ".html") pages[path] = entry.bytes;
  return pages;
}

std::string url_of(const std::string& output_path) {
  const std::string index = "index.html";
  if (output_path == index) return "/";
  if (output_path.size() > index.size() &&
      output_path.substr(output_path.size() - index.size() - 1) == "/" + index)
    return "/" + output_path.substr(0, output_path.size() - index.size());
  return "/" + output_path;
}

}  // namespace

// ---- What is served ------------------------------------------------------------------------

TEST_CASE("the preview answers every file of the example site exactly as the build makes it") {
  preview_site s;
  site_run built = load_and_render(s.site);
  REQUIRE(built.rendered);
  REQUIRE_FALSE(built.diags.has_errors());
  running_preview preview(s.site);

  std::size_t pages = 0;
  for (const auto& [path, entry] : built.rendered->out.entries()) {
    CAPTURE(path);
    std::string expected =
        entry.copy_from.empty() ? entry.bytes : read_file(entry.copy_from).value_or("?");
    reply r = raw_request(preview.server.port(), "/" + path);
    CHECK(r.status == 200);
    CHECK(r.headers["content-type"] == content_type_for(path));
    if (r.headers["content-type"] == "text/html; charset=utf-8") {
      ++pages;
      CHECK(has_reload_script(r.body));
      CHECK_FALSE(has_panel(r.body));
      CHECK(without_preview_additions(r.body) == expected);
      // A page is also answered at its folder's address, as links and browsers write it.
      CHECK(raw_request(preview.server.port(), url_of(path)).body == r.body);
    } else {
      CHECK(r.body == expected);
      CHECK(r.body.find("_tandem") == std::string::npos);
    }
  }
  CHECK(pages > built.rendered->pages.size());  // every page, and 404.html
  CHECK(pages > 30);
}

TEST_CASE("files get the Content-Type of their kind") {
  CHECK(content_type_for("index.html") == "text/html; charset=utf-8");
  CHECK(content_type_for("young/our-promise/index.html") == "text/html; charset=utf-8");
  CHECK(content_type_for("assets/council/style.css") == "text/css; charset=utf-8");
  CHECK(content_type_for("assets/bright/menu.js") == "text/javascript; charset=utf-8");
  CHECK(content_type_for("figures.json") == "application/json");
  CHECK(content_type_for("sitemap.xml") == "application/xml");
  CHECK(content_type_for("robots.txt") == "text/plain; charset=utf-8");
  CHECK(content_type_for("media/home.svg") == "image/svg+xml");
  CHECK(content_type_for("media/Photo.JPG") == "image/jpeg");
  CHECK(content_type_for("media/report.pdf") == "application/pdf");
  CHECK(content_type_for("assets/council/font.woff2") == "font/woff2");
  CHECK(content_type_for("media/no-extension") == "application/octet-stream");
  CHECK(content_type_for("media.d/file") == "application/octet-stream");
}

TEST_CASE("request paths name output files, and never anything that could leave the site") {
  CHECK(output_path_for("/") == "index.html");
  CHECK(output_path_for("/young/") == "young/index.html");
  CHECK(output_path_for("/young/our-promise/") == "young/our-promise/index.html");
  CHECK(output_path_for("/assets/council/style.css") == "assets/council/style.css");
  CHECK(output_path_for("/young") == "young");
  CHECK(output_path_for("/a..b/c.html") == "a..b/c.html");  // dots inside a name are fine
  for (const std::string& bad : std::vector<std::string>{
           "", "index.html", "/..", "/../secret.txt", "/young/../../secret.txt", "/./index.html",
           "//etc/passwd", "/young//index.html", "/..\\secret", "/a\\b", std::string("/a\0b", 4),
           "/a\nb", "http://x/index.html"}) {
    CAPTURE(bad);
    CHECK_FALSE(output_path_for(bad).has_value());
  }
}

TEST_CASE("no request reads outside the site: traversal, encodings, links and source files") {
  preview_site s;
  running_preview preview(s.site);
  int port = preview.server.port();
  const std::string outside = (s.root / "secret.txt").string();
  for (const std::string& target : std::vector<std::string>{"/../secret.txt",
                                                            "/../../secret.txt",
                                                            "/%2e%2e/secret.txt",
                                                            "/%2E%2E/secret.txt",
                                                            "/..%2fsecret.txt",
                                                            "/%2e%2e%2fsecret.txt",
                                                            "/young/../../secret.txt",
                                                            "/young/%2e%2e/%2e%2e/secret.txt",
                                                            "/..%5csecret.txt",
                                                            "/%252e%252e/secret.txt",
                                                            "/media/leak.txt",
                                                            "/content/pages/06-our-promise.md",
                                                            "/content/data/stats.json",
                                                            outside,
                                                            "/" + outside,
                                                            "//" + outside,
                                                            "/%2f" + outside.substr(1),
                                                            "/%00/secret.txt",
                                                            "/_tandem/../secret.txt",
                                                            "/_tandem/%2e%2e/secret.txt"}) {
    CAPTURE(target);
    reply r = raw_request(port, target);
    CHECK(r.status == 404);
    CHECK(r.body.find(secret_text) == std::string::npos);
    CHECK(r.body.find("{{") == std::string::npos);  // no Markdown source either
  }
}

TEST_CASE("a file of the site replaced by a link to a file outside it is never served") {
  preview_site s;
  running_preview preview(s.site);
  int port = preview.server.port();
  const std::string picture = raw_request(port, "/media/home.svg").body;
  REQUIRE(picture.find("<svg") != std::string::npos);

  // Before the rebuild the preview still serves the old site, whose picture is now the link.
  fs::remove(s.site / "content/media/home.svg");
  fs::create_symlink(s.root / "secret.txt", s.site / "content/media/home.svg");
  reply r = raw_request(port, "/media/home.svg");
  CHECK(r.status == 404);
  CHECK(r.body.find(secret_text) == std::string::npos);

  // The rebuild refuses the link (an error), so the last good site stays: still no secret.
  CHECK_FALSE(preview.server.apply_changes({"content/media/home.svg"}));
  r = raw_request(port, "/media/home.svg");
  CHECK(r.status == 404);
  CHECK(r.body.find(secret_text) == std::string::npos);
  CHECK(r.body.find("content/media/home.svg") != std::string::npos);  // in the problems panel
}

TEST_CASE("unknown addresses get the site's 404 page with status 404") {
  preview_site s;
  auto built = built_html(s);
  running_preview preview(s.site);
  for (std::string target : {"/no-such-section/", "/young/no-such-section/", "/nothing.css",
                             "/_tandem/nothing.js", "/media/missing.png"}) {
    CAPTURE(target);
    reply r = raw_request(preview.server.port(), target);
    CHECK(r.status == 404);
    CHECK(r.headers["content-type"] == "text/html; charset=utf-8");
    CHECK(without_preview_additions(r.body) == built.at("404.html"));
  }
}

TEST_CASE("only GET and HEAD are answered; HEAD has no body; a folder without / is redirected") {
  preview_site s;
  running_preview preview(s.site);
  int port = preview.server.port();
  reply head = raw_request(port, "/", "HEAD");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(std::stoul(head.headers["content-length"]) == raw_request(port, "/").body.size());
  for (std::string method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
    CAPTURE(method);
    reply r = raw_request(port, "/", method);
    CHECK(r.status == 405);
    CHECK(r.headers["allow"] == "GET, HEAD");
  }
  reply young = raw_request(port, "/young");
  CHECK(young.status == 301);
  CHECK(young.headers["location"] == "/young/");
  // The site's own absolute links (its 404 page links under base_url's path) work too.
  CHECK(raw_request(port, "/corporate-parenting/assets/council/style.css").status == 200);
  CHECK(raw_request(port, "/corporate-parenting/young/").status == 200);
}

TEST_CASE("the reload script is only in the preview, never in what tandem build writes") {
  preview_site s;
  build_options opts;
  opts.site_dir = s.site;
  opts.out_dir = s.root / "public";
  std::ostringstream out, err;
  REQUIRE_MESSAGE(run_build(opts, out, err) == 0, err.str());
  std::size_t html_files = 0;
  for (const auto& rel : list_files(opts.out_dir)) {
    CAPTURE(rel);
    std::string text = read_file(opts.out_dir / rel).value_or("");
    CHECK(text.find("_tandem") == std::string::npos);
    CHECK(text.find("EventSource") == std::string::npos);
    if (rel.size() > 5 && rel.substr(rel.size() - 5) == ".html") ++html_files;
  }
  CHECK(html_files > 30);

  running_preview preview(s.site);
  reply home = raw_request(preview.server.port(), "/");
  CHECK(has_reload_script(home.body));
  reply script = raw_request(preview.server.port(), "/_tandem/reload.js");
  CHECK(script.status == 200);
  CHECK(script.headers["content-type"] == "text/javascript; charset=utf-8");
  CHECK(script.body.find("new EventSource(\"/_tandem/events\")") != std::string::npos);
}

// ---- Saving and rebuilding -----------------------------------------------------------------

TEST_CASE("a saved edit is served after the rebuild, and open pages are told to reload") {
  preview_site s;
  running_preview preview(s.site, /*watch=*/true);
  int port = preview.server.port();
  std::string before_young = raw_request(port, "/young/our-promise/").body;
  REQUIRE(raw_request(port, "/our-promise/").status == 200);

  // An open page listens for reloads: it hears the current version at once, then each new one.
  std::string events;
  std::mutex events_mutex;
  std::atomic<int> versions_heard{0};
  std::thread listener([&] {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(10, 0);
    client.Get("/_tandem/events", [&](const char* data, std::size_t length) {
      std::lock_guard lock(events_mutex);
      events.append(data, length);
      std::size_t heard = 0;
      for (std::size_t at = events.find("data: "); at != std::string::npos;
           at = events.find("data: ", at + 1))
        ++heard;
      versions_heard = static_cast<int>(heard);
      return heard < 2;
    });
  });
  REQUIRE(wait_until([&] { return versions_heard >= 1; }));

  const std::string added = "We wrote this sentence while the preview was open.";
  s.write("content/pages/06-our-promise.md",
          s.read("content/pages/06-our-promise.md") + "\n" + added + "\n");
  CHECK(wait_until(
      [&] { return raw_request(port, "/our-promise/").body.find(added) != std::string::npos; }));
  listener.join();
  {
    std::lock_guard lock(events_mutex);
    CHECK(events.find("data: 1\n\n") != std::string::npos);
    CHECK(events.find("data: 2\n\n") != std::string::npos);
  }
  reply page = raw_request(port, "/our-promise/");
  CHECK(page.body.find("data-version=\"" + std::to_string(preview.server.version()) + "\"") !=
        std::string::npos);
  CHECK_FALSE(has_panel(page.body));
  // The young people's page is another file: it does not change.
  CHECK(without_preview_additions(raw_request(port, "/young/our-promise/").body) ==
        without_preview_additions(before_young));
}

TEST_CASE("a statistics update reaches every page of every edition that shows the figure") {
  preview_site s;
  running_preview preview(s.site, /*watch=*/true);
  int port = preview.server.port();
  auto pages = built_html(s);

  // Where the example shows children_in_care, in both editions.
  std::set<std::string> showing;
  std::set<std::string> editions_showing;
  std::string old_value;
  for (const auto& [path, html] : pages) {
    auto values = figure_values(html, "children_in_care");
    if (values.empty()) continue;
    showing.insert(path);
    editions_showing.insert(path.rfind("young/", 0) == 0 ? "young" : "formal");
    old_value = *values.begin();
  }
  REQUIRE(editions_showing == std::set<std::string>{"formal", "young"});

  auto stats = nlohmann::json::parse(s.read("content/data/stats.json"));
  double old_number = stats["figures"]["children_in_care"]["value"].get<double>();
  REQUIRE(old_value == std::to_string(static_cast<long long>(old_number)));
  long long new_number = static_cast<long long>(old_number) + 13;
  stats["figures"]["children_in_care"]["value"] = new_number;
  auto version_before = preview.server.version();
  s.write("content/data/stats.json", stats.dump(2));
  REQUIRE(wait_until([&] { return preview.server.version() > version_before; }));
  // Quiet again: no second rebuild still on its way.
  std::this_thread::sleep_for(100ms);

  for (const auto& [path, old_html] : pages) {
    CAPTURE(path);
    reply r = raw_request(port, "/" + path);
    REQUIRE(r.status == 200);
    auto values = figure_values(r.body, "children_in_care");
    CHECK(values.count(old_value) == 0);
    if (showing.count(path)) {
      CHECK(values.count(std::to_string(new_number)) > 0);
    }
  }
  CHECK_FALSE(has_panel(raw_request(port, "/").body));
}

TEST_CASE("a broken save keeps the last good site with the problems on every page, until fixed") {
  preview_site s;
  running_preview preview(s.site);
  int port = preview.server.port();
  const std::string file = "content/pages/06-our-promise.md";
  const std::string good_text = s.read(file);
  std::string good_page = raw_request(port, "/our-promise/").body;
  auto pages = built_html(s);
  std::string good_young_home = raw_request(port, "/young/").body;

  // A typo in a figure's name, on a new last line of the file.
  std::string broken_line = "We look after {{ children_in_kare }} <children> & more.";
  s.write(file, good_text + "\n" + broken_line + "\n");
  int line = static_cast<int>(std::count(good_text.begin(), good_text.end(), '\n')) + 2;
  CHECK_FALSE(preview.server.apply_changes({file}));

  reply page = raw_request(port, "/our-promise/");
  CHECK(page.status == 200);
  REQUIRE(has_panel(page.body));
  // The page itself is the last good one.
  CHECK(without_preview_additions(page.body) == without_preview_additions(good_page));
  // The panel says where, what and shows the line, safely escaped.
  std::size_t start = page.body.find("<section id=\"tandem-problems\"");
  std::string panel = page.body.substr(start, page.body.find("</section>", start) - start);
  CHECK(panel.find("role=\"alert\"") != std::string::npos);
  CHECK(panel.find("<code>" + file + "</code>, line " + std::to_string(line)) != std::string::npos);
  CHECK(panel.find("children_in_kare") != std::string::npos);
  CHECK(panel.find("children_in_care") != std::string::npos);  // the suggestion
  CHECK(panel.find("[figure.unknown]") != std::string::npos);
  CHECK(panel.find(std::to_string(line) +
                   " | We look after {{ children_in_kare }} &lt;children&gt; &amp; more.") !=
        std::string::npos);
  CHECK(panel.find("<children>") == std::string::npos);
  CHECK(page.body.find("<link rel=\"stylesheet\" href=\"/_tandem/problems.css\">") <
        page.body.find("</head>"));
  CHECK(page.body.find("<body") < start);

  // Every page, in every edition, and the 404 page, show it.
  for (const auto& [path, html] : pages) {
    CAPTURE(path);
    CHECK(has_panel(raw_request(port, url_of(path)).body));
  }
  CHECK(without_preview_additions(raw_request(port, "/young/").body) ==
        without_preview_additions(good_young_home));
  reply style = raw_request(port, "/_tandem/problems.css");
  CHECK(style.status == 200);
  CHECK(style.headers["content-type"] == "text/css; charset=utf-8");

  // Fixed: the panel goes, and the fixed text shows.
  const std::string fixed_line = "We look after {{ children_in_care }} children.";
  s.write(file, good_text + "\n" + fixed_line + "\n");
  CHECK(preview.server.apply_changes({file}));
  page = raw_request(port, "/our-promise/");
  CHECK_FALSE(has_panel(page.body));
  CHECK(page.body.find("/_tandem/problems.css") == std::string::npos);
  CHECK(page.body.find("data-figure=\"children_in_care\"") != std::string::npos);
  CHECK_FALSE(has_panel(raw_request(port, "/young/").body));
}

TEST_CASE("a site that cannot be built at the start shows its problems until it is fixed") {
  preview_site s;
  const std::string file = "content/data/stats.json";
  const std::string good = s.read(file);
  s.write(file, good.substr(0, good.size() / 2));  // cut off in the middle: not JSON
  running_preview preview(s.site);
  reply r = raw_request(preview.server.port(), "/our-promise/");
  CHECK(r.status == 503);
  CHECK(has_panel(r.body));
  CHECK(r.body.find("<code>" + file + "</code>") != std::string::npos);
  // The figures' uses wait for stats.json, and the panel says so.
  CHECK(r.body.find("<p>The figures the pages use are checked once content/data/stats.json can "
                    "be read.</p>\n</section>") != std::string::npos);
  CHECK(has_reload_script(r.body));

  s.write(file, good);
  CHECK(preview.server.apply_changes({file}));
  r = raw_request(preview.server.port(), "/our-promise/");
  CHECK(r.status == 200);
  CHECK_FALSE(has_panel(r.body));
}

TEST_CASE("a glossary that cannot be read: the panel says the abbreviations wait for it") {
  preview_site s;
  running_preview preview(s.site);
  const std::string file = "content/glossary.json";
  const std::string good = s.read(file);
  s.write(file, "{ \"PEP\" }");  // a colon and a value left out: nothing can be read
  CHECK_FALSE(preview.server.apply_changes({file}));
  reply r = raw_request(preview.server.port(), "/our-promise/");
  REQUIRE(has_panel(r.body));
  CHECK(r.body.find("[glossary.syntax]") != std::string::npos);
  CHECK(r.body.find("<p>Abbreviations are checked against the glossary once "
                    "content/glossary.json can be read.</p>\n</section>") != std::string::npos);
  CHECK(r.body.find("stats.json can be read") == std::string::npos);
  s.write(file, good);
  CHECK(preview.server.apply_changes({file}));
}

// ---- The pieces --------------------------------------------------------------------------

TEST_CASE("preview additions: script before </body>, panel first in <body>, style in <head>") {
  const std::string page =
      "<!doctype html>\n<html>\n<HEAD>\n<title>x</title>\n</HEAD>\n<Body "
      "class=\"a\">\n<p>text</p>\n"
      "<p>mentions </body> in a comment</p>\n</BODY>\n</html>\n";
  std::string plain = with_preview_additions(page, 7, "");
  CHECK(plain ==
        "<!doctype html>\n<html>\n<HEAD>\n<title>x</title>\n</HEAD>\n<Body "
        "class=\"a\">\n<p>text</p>\n"
        "<p>mentions </body> in a comment</p>\n"
        "<script src=\"/_tandem/reload.js\" data-version=\"7\"></script>\n</BODY>\n</html>\n");

  std::string with_panel = with_preview_additions(page, 8, "<section>P</section>\n");
  CHECK(with_panel.find("<link rel=\"stylesheet\" href=\"/_tandem/problems.css\">\n</HEAD>") !=
        std::string::npos);
  CHECK(with_panel.find("<Body class=\"a\">\n<section>P</section>\n\n<p>text</p>") !=
        std::string::npos);
  CHECK(with_panel.find("data-version=\"8\"></script>\n</BODY>") != std::string::npos);

  // A fragment without <head> or <body> still gets the script (at the end) and the panel (first).
  std::string fragment = with_preview_additions("<p>x</p>", 1, "<section>P</section>\n");
  CHECK(fragment.rfind("\n<section>P</section>\n<p>x</p>", 0) == 0);
  CHECK(fragment.find("</script>\n") == fragment.size() - 10);
}

TEST_CASE("the problems panel lists each error with its place and line, escaped, and no warnings") {
  std::vector<shown_problem> problems = {
      {{"content/pages/03-a.md", 12, 18, severity::error, "figure.unknown",
        "unknown figure 'x<y>'"},
       "We look after {{ x<y> }} children."},
      {{"content/site.json", 0, 0, severity::error, "site.syntax", "broken & bad"}, ""}};
  std::string panel = problems_panel(problems);
  CHECK(panel.rfind("<section id=\"tandem-problems\" role=\"alert\"", 0) == 0);
  CHECK(panel.find("2 problems to fix") != std::string::npos);
  CHECK(panel.find("<code>content/pages/03-a.md</code>, line 12, column 18:") != std::string::npos);
  CHECK(panel.find("unknown figure &#39;x&lt;y&gt;&#39;") != std::string::npos);
  CHECK(panel.find("<pre>12 | We look after {{ x&lt;y&gt; }} children.\n"
                   "<span aria-hidden=\"true\">   |                  ^</span></pre>") !=
        std::string::npos);
  CHECK(panel.find("<code>content/site.json</code>:") != std::string::npos);
  CHECK(panel.find("broken &amp; bad") != std::string::npos);
  CHECK(panel.find("<y>") == std::string::npos);
  CHECK(problems_panel({}).empty());
  CHECK(problems_panel(problems, {"wait & see"}).find("</ol>\n<p>wait &amp; see</p>\n</section>") !=
        std::string::npos);
  CHECK(problems_panel(problems).find("</ol>\n</section>") != std::string::npos);

  diagnostics diags;
  diags.warning("content/pages/03-a.md", 1, 1, "readability.grade", "long words");
  CHECK(problems_to_show(diags, ".").empty());
  diags.error("content/pages/03-a.md", 1, 1, "figure.unknown", "no such figure");
  CHECK(problems_to_show(diags, ".").size() == 1);
}

// ---- Watching ------------------------------------------------------------------------------

namespace {

/// Waits for the next changes, but never for more than 10 s (then the test fails, not hangs).
std::vector<std::string> next_changes(folder_watcher& watcher) {
  std::atomic<bool> finished{false};
  std::thread watchdog([&] {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!finished && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(10ms);
    if (!finished) watcher.stop();
  });
  auto changed = watcher.wait_for_changes();
  finished = true;
  watchdog.join();
  return changed;
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

}  // namespace

TEST_CASE("editor and system temporary files are told apart from content") {
  for (std::string temp :
       {".06-a.md.swp", ".06-a.md.swx", "06-a.md~", ".#06-a.md", "#06-a.md#", "4913", ".DS_Store",
        "06-a.md___jb_tmp___", "06-a.md.swp", "stats.json.tmp", ".goutputstream-AB12"}) {
    CAPTURE(temp);
    CHECK(is_editor_temp_file(temp));
  }
  for (std::string real : {"06-a.md", "06-a.young.md", "stats.json", "site.json", "home.svg",
                           "page.mustache", "theme.json", "#hashtag.md", "a#b.md", "49134.md"}) {
    CAPTURE(real);
    CHECK_FALSE(is_editor_temp_file(real));
  }
}

TEST_CASE(
    "the watcher reports saved files relative to the site, in new folders too, not temp files") {
  preview_site s;
  folder_watcher watcher(s.site, watched_folders);

  // An editor's save: a swap file, a backup, then the file itself.
  write_text(s.site / "content/pages/.06-our-promise.md.swp", "swap");
  write_text(s.site / "content/pages/06-our-promise.md~", "backup");
  write_text(s.site / "content/pages/4913", "");
  fs::remove(s.site / "content/pages/4913");
  write_text(s.site / "content/pages/06-our-promise.md", "---\ntitle: X\n---\n");
  CHECK(next_changes(watcher) == std::vector<std::string>{"content/pages/06-our-promise.md"});

  // A burst of saves is one change (while a file of it is still being written, the watcher
  // waits the whole quiet time; once every file is closed, only a few milliseconds).
  {
    std::ofstream held(s.site / "content/data/stats.json", std::ios::binary | std::ios::trunc);
    held << "{}" << std::flush;
    write_text(s.site / "content/glossary.json", "{}");
    write_text(s.site / "content/pages/index.md", "x");
  }
  CHECK(next_changes(watcher) == std::vector<std::string>{"content/data/stats.json",
                                                          "content/glossary.json",
                                                          "content/pages/index.md"});

  // A new folder, and a file in it; then a file in a folder inside that.
  fs::create_directories(s.site / "content/media/photos");
  write_text(s.site / "content/media/photos/a.png", "png");
  CHECK(next_changes(watcher) == std::vector<std::string>{"content/media/photos/a.png"});
  fs::create_directories(s.site / "content/media/photos/2025");
  std::this_thread::sleep_for(50ms);
  write_text(s.site / "content/media/photos/2025/b.png", "png");
  auto nested = next_changes(watcher);
  CHECK(nested == std::vector<std::string>{"content/media/photos/2025/b.png"});

  // templates/ did not exist when watching began; it is picked up when it appears.
  fs::create_directories(s.site / "templates/partials");
  write_text(s.site / "templates/partials/footer.mustache", "<footer></footer>");
  std::set<std::string> seen;
  for (int i = 0; i < 3 && !seen.count("templates/partials/footer.mustache"); ++i)
    for (auto& f : next_changes(watcher)) seen.insert(f);
  CHECK(seen.count("templates/partials/footer.mustache") == 1);

  // A deleted file and a renamed one (editors that save by renaming a new file into place).
  fs::remove(s.site / "content/pages/index.md");
  CHECK(next_changes(watcher) == std::vector<std::string>{"content/pages/index.md"});
  write_text(s.site / "content/pages/.tmp-save", "---\ntitle: Y\n---\n");
  fs::rename(s.site / "content/pages/.tmp-save", s.site / "content/pages/index.md");
  CHECK(next_changes(watcher) == std::vector<std::string>{"content/pages/index.md"});

  // Files outside the watched folders do not count.
  write_text(s.site / "notes.txt", "x");
  write_text(s.site / "content/pages/02-introduction.md", "---\ntitle: Y\n---\n");
  CHECK(next_changes(watcher) == std::vector<std::string>{"content/pages/02-introduction.md"});
}

TEST_CASE("a file written in two goes without being closed in between is one change") {
  preview_site s;
  folder_watcher watcher(s.site, watched_folders);
  std::vector<std::string> changed;
  std::thread waiting([&] { changed = next_changes(watcher); });
  {
    std::ofstream slow(s.site / "content/pages/06-our-promise.md",
                       std::ios::binary | std::ios::trunc);
    slow << "---\ntitle: Half" << std::flush;
    std::this_thread::sleep_for(15ms);  // longer than the wait after a closed file
    slow << " and the rest\n---\n" << std::flush;
  }
  waiting.join();
  CHECK(changed == std::vector<std::string>{"content/pages/06-our-promise.md"});
  // Nothing is left over for the next wait: the second write was part of the first change.
  std::vector<std::string> next;
  std::thread waiting_again([&] { next = next_changes(watcher); });
  std::this_thread::sleep_for(100ms);
  watcher.stop();
  waiting_again.join();
  CHECK(next.empty());
}

TEST_CASE("stopping the watcher ends a wait at once") {
  preview_site s;
  folder_watcher watcher(s.site, watched_folders);
  auto started = std::chrono::steady_clock::now();
  std::thread stopper([&] {
    std::this_thread::sleep_for(50ms);
    watcher.stop();
  });
  CHECK(watcher.wait_for_changes().empty());
  stopper.join();
  CHECK(std::chrono::steady_clock::now() - started < 2s);
  CHECK(watcher.wait_for_changes().empty());  // and from then on
}
