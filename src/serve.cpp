#include "serve.hpp"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <ostream>
#include <thread>

#include "components.hpp"
#include "config.hpp"
#include "fs.hpp"
#include "incremental.hpp"
#include "text.hpp"
#include "watch.hpp"

namespace tandem {

namespace fs = std::filesystem;

namespace {

using clock_type = std::chrono::steady_clock;

bool starts_with(std::string_view s, std::string_view start) {
  return s.size() >= start.size() && s.substr(0, start.size()) == start;
}

std::string plural(std::size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

long long milliseconds_since(clock_type::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - start).count();
}

// ---- The preview's own files ---------------------------------------------------------------

// Reloads the page when the site is rebuilt. The page knows which build it shows
// (data-version); the event stream sends the current build at once and after every rebuild,
// so a rebuild that finished while the page was loading is not missed. Hidden tabs let go of
// their connection, because a browser allows only a few per server.
constexpr std::string_view reload_script =
    R"js(// tandem preview: reloads this page after every rebuild. Only `tandem serve` adds this file.
(function () {
  "use strict";
  var script = document.currentScript;
  var shown = script ? script.getAttribute("data-version") : null;
  var source = null;
  function listen() {
    if (source || !window.EventSource || document.visibilityState === "hidden") return;
    source = new EventSource("/_tandem/events");
    source.onmessage = function (event) {
      if (event.data !== shown) {
        source.close();
        window.location.reload();
      }
    };
  }
  function pause() {
    if (source) {
      source.close();
      source = null;
    }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") pause(); else listen();
  });
  window.addEventListener("pagehide", pause);
  window.addEventListener("pageshow", listen);
  listen();
})();
)js";

constexpr std::string_view panel_style =
    R"css(/* tandem preview: the panel that lists the problems of the last save. */
#tandem-problems {
  position: relative;
  z-index: 2147483647;
  box-sizing: border-box;
  margin: 0;
  padding: 1rem 1.25rem 0.5rem;
  background: #fff4f4;
  color: #1b1b1b;
  border-bottom: 6px solid #b10e1e;
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Arial, sans-serif;
  text-align: left;
}
#tandem-problems h2 {
  margin: 0 0 0.5rem;
  color: #8a0b17;
  font-size: 1.25rem;
  line-height: 1.3;
}
#tandem-problems p { margin: 0 0 0.5rem; }
#tandem-problems ol { margin: 0.5rem 0; padding-left: 1.75rem; }
#tandem-problems li { margin: 0 0 0.75rem; }
#tandem-problems code, #tandem-problems pre {
  font-family: ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", Menlo, monospace;
  font-size: 0.95rem;
}
#tandem-problems pre {
  margin: 0.25rem 0 0;
  padding: 0.5rem 0.75rem;
  overflow-x: auto;
  white-space: pre;
  background: #ffffff;
  border: 1px solid #c9878e;
}
#tandem-problems .tandem-problems__id { color: #5a5a5a; }
)css";

constexpr std::string_view events_path = "/_tandem/events";
constexpr std::string_view script_path = "/_tandem/reload.js";
constexpr std::string_view style_path = "/_tandem/problems.css";

// ---- HTML additions ------------------------------------------------------------------------

// Position of `tag` in `html` ignoring case, searching from the front or (last) from the back.
std::size_t find_tag(const std::string& html, std::string_view tag, bool last) {
  std::string lower = ascii_lowercase(html);
  return last ? lower.rfind(tag) : lower.find(tag);
}

std::string caret_line(const std::string& line, int col) {
  std::string pad;
  int seen = 0;
  for (std::size_t i = 0; i < line.size() && seen < col - 1; ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte: the same code point
    pad.push_back(c == '\t' ? '\t' : ' ');
    ++seen;
  }
  return pad + "^";
}

std::string problem_item(const shown_problem& p) {
  const diagnostic& d = p.where;
  std::string where = d.file.empty() ? "tandem" : "<code>" + escape_html(d.file) + "</code>";
  if (d.line > 0) where += ", line " + std::to_string(d.line);
  if (d.line > 0 && d.col > 0) where += ", column " + std::to_string(d.col);
  std::string item = "<li>\n<p>" + where + ":</p>\n<p>" + escape_html(d.message);
  if (!d.id.empty())
    item += " <span class=\"tandem-problems__id\">[" + escape_html(d.id) + "]</span>";
  item += "</p>\n";
  if (!p.source_line.empty()) {
    std::string number = std::to_string(d.line);
    item += "<pre>" + number + " | " + escape_html(p.source_line);
    if (d.col > 0) {
      item += "\n<span aria-hidden=\"true\">" + std::string(number.size(), ' ') + " | " +
              escape_html(caret_line(p.source_line, d.col)) + "</span>";
    }
    item += "</pre>\n";
  }
  return item + "</li>\n";
}

std::optional<std::string> line_of(const fs::path& file, int line) {
  auto text = read_file(file);
  if (!text || line < 1) return std::nullopt;
  std::size_t start = 0;
  for (int n = 1; n < line; ++n) {
    start = text->find('\n', start);
    if (start == std::string::npos) return std::nullopt;
    ++start;
  }
  std::string out = text->substr(start, text->find('\n', start) - start);
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return out;
}

// ---- Reading files ----------------------------------------------------------------------

fs::path resolved(const fs::path& path) {
  std::error_code ec;
  fs::path real = fs::weakly_canonical(fs::absolute(path, ec), ec);
  return ec ? path : real;
}

/// Reads a file the build copies (media, theme assets), but only while it still is in the site:
/// if it was replaced by a link to somewhere else since the build, it is not read.
std::optional<std::string> read_inside(const fs::path& root, const fs::path& file) {
  std::error_code ec;
  fs::path real = fs::canonical(file, ec);
  if (ec) return std::nullopt;
  auto [end, ignored] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
  if (end != root.end()) return std::nullopt;
  return read_file(real);
}

// ---- What is served ------------------------------------------------------------------------

using served_file = std::shared_ptr<const output_tree::entry>;

/// One site as built: its files by output path, shared with the next build where unchanged.
struct served_site {
  std::map<std::string, served_file> files;
  std::string base_path = "/";  // the path of base_url, which the site's 404 page links from

  const output_tree::entry* find(const std::string& path) const {
    auto it = files.find(path);
    return it == files.end() ? nullptr : it->second.get();
  }
};

/// What the preview shows at one moment; replaced whole after every build.
struct preview_snapshot {
  std::shared_ptr<const served_site> site;  // the last site that built; null if none has
  std::vector<shown_problem> problems;      // errors of the last build
  std::string panel;                        // problems_panel(problems)
  std::uint64_t version = 0;
};

std::string path_of_url(const std::string& url) {
  std::size_t scheme = url.find("://");
  std::size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (path == std::string::npos) return "/";
  std::string out = url.substr(path, url.find_first_of("?#", path) - path);
  if (out.back() != '/') out += '/';
  return out;
}

// Every file of `tree`, as a site to serve.
std::shared_ptr<const served_site> site_of(const output_tree& tree, const site_model& model) {
  auto site = std::make_shared<served_site>();
  site->base_path = path_of_url(model.config.base_url);
  for (const auto& [path, entry] : tree.entries())
    site->files.emplace_hint(site->files.end(), path,
                             std::make_shared<const output_tree::entry>(entry));
  return site;
}

// `previous` with the files at `changed` taken from `tree` (or gone when `tree` has none): the
// rest is shared with `previous`, not copied.
std::shared_ptr<const served_site> site_of(const output_tree& tree, const site_model& model,
                                           const served_site& previous,
                                           const std::set<std::string>& changed) {
  auto site = std::make_shared<served_site>(previous);
  site->base_path = path_of_url(model.config.base_url);
  for (const std::string& path : changed) {
    auto entry = tree.entries().find(path);
    if (entry == tree.entries().end()) {
      site->files.erase(path);
    } else {
      site->files.insert_or_assign(path, std::make_shared<const output_tree::entry>(entry->second));
    }
  }
  return site;
}

// Percent-encodes what may not stand in a Location header's path.
std::string encoded_path(std::string_view path) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// The page shown for every address while no build has worked yet.
std::string nothing_built_page() {
  return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<title>Preview: problems to fix</title>\n</head>\n<body>\n<main>\n"
         "<h1>The site cannot be shown yet</h1>\n"
         "<p>Fix the problems listed above and save: this page reloads by itself.</p>\n"
         "</main>\n</body>\n</html>\n";
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || starts_with(host, "127.");
}

std::string url_of(const std::string& host, int port, const std::string& path) {
  std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return "http://" + shown + ":" + std::to_string(port) + path;
}

}  // namespace

// ---- Public helpers ------------------------------------------------------------------------

std::string content_type_for(std::string_view path) {
  static const std::map<std::string, std::string, std::less<>> types = {
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"json", "application/json"},
      {"xml", "application/xml"},
      {"txt", "text/plain; charset=utf-8"},
      {"md", "text/plain; charset=utf-8"},
      {"csv", "text/csv; charset=utf-8"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"avif", "image/avif"},
      {"ico", "image/x-icon"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"ttf", "font/ttf"},
      {"otf", "font/otf"},
      {"pdf", "application/pdf"},
      {"zip", "application/zip"},
      {"mp3", "audio/mpeg"},
      {"mp4", "video/mp4"},
      {"webm", "video/webm"},
      {"vtt", "text/vtt; charset=utf-8"},
      {"doc", "application/msword"},
      {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
      {"odt", "application/vnd.oasis.opendocument.text"},
      {"ods", "application/vnd.oasis.opendocument.spreadsheet"},
  };
  std::size_t slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  std::size_t dot = name.rfind('.');
  if (dot != std::string_view::npos) {
    auto type = types.find(ascii_lowercase(name.substr(dot + 1)));
    if (type != types.end()) return type->second;
  }
  return "application/octet-stream";
}

std::optional<std::string> output_path_for(std::string_view url_path) {
  if (url_path.empty() || url_path.front() != '/') return std::nullopt;
  std::string out;
  std::string_view rest = url_path.substr(1);
  while (!rest.empty()) {
    std::size_t slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    if (segment.empty() || segment == "." || segment == "..") return std::nullopt;
    for (char c : segment)
      if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return std::nullopt;
    out += segment;
    if (slash == std::string_view::npos) return out;
    out += '/';
    rest = rest.substr(slash + 1);
  }
  return out + "index.html";  // "/" or a path ending in "/": the folder's page
}

std::vector<shown_problem> problems_to_show(const diagnostics& diags, const fs::path& site_dir) {
  std::vector<shown_problem> shown;
  for (const auto& d : diags.sorted()) {
    if (d.level != severity::error) continue;
    shown_problem p{d, ""};
    if (!d.file.empty() && d.line > 0) {
      std::string line = line_of(site_dir / d.file, d.line).value_or("");
      if (line.size() <= 300) p.source_line = line;  // a minified line helps nobody
    }
    shown.push_back(std::move(p));
  }
  return shown;
}

std::string problems_panel(const std::vector<shown_problem>& problems,
                           const std::vector<std::string>& notes) {
  if (problems.empty()) return "";
  std::string html =
      "<section id=\"tandem-problems\" role=\"alert\" aria-labelledby=\"tandem-problems-title\">\n"
      "<h2 id=\"tandem-problems-title\">" +
      plural(problems.size(), "problem") +
      " to fix: this preview is not up to date</h2>\n"
      "<p>Your last change could not be built, so you are looking at the last version that "
      "worked. Fix " +
      std::string(problems.size() == 1 ? "the problem" : "each problem") +
      " below and save: the page reloads by itself.</p>\n<ol>\n";
  for (const auto& p : problems) html += problem_item(p);
  html += "</ol>\n";
  for (const std::string& note : notes) html += "<p>" + escape_html(note) + "</p>\n";
  return html + "</section>\n";
}

std::string with_preview_additions(std::string html, std::uint64_t version,
                                   const std::string& panel) {
  std::string script = "<script src=\"" + std::string(script_path) + "\" data-version=\"" +
                       std::to_string(version) + "\"></script>\n";
  std::size_t body_end = find_tag(html, "</body", true);
  html.insert(body_end == std::string::npos ? html.size() : body_end, script);
  if (panel.empty()) return html;
  std::size_t body = find_tag(html, "<body", false);
  std::size_t at = 0;
  if (body != std::string::npos) {
    std::size_t close = html.find('>', body);
    at = close == std::string::npos ? html.size() : close + 1;
  }
  html.insert(at, "\n" + panel);
  std::size_t head_end = find_tag(html, "</head", false);
  if (head_end != std::string::npos && head_end < at)
    html.insert(head_end, "<link rel=\"stylesheet\" href=\"" + std::string(style_path) + "\">\n");
  return html;
}

// ---- The server ----------------------------------------------------------------------------

struct preview_server::state {
  fs::path site_dir;
  fs::path site_root;  // site_dir as the system resolves it: no file outside it is served
  std::ostream& log;

  std::mutex build_mutex;  // one build at a time; also guards `log`, `unserved`
  incremental_builder builder;
  // Output files the builder changed since the site being served was built (while builds fail,
  // they add up); when unknown, the next site that builds is taken whole.
  std::set<std::string> unserved;
  bool unserved_unknown = false;
  bool builder_unsure = false;  // a build threw: the next one starts again from the files

  mutable std::mutex snapshot_mutex;
  std::condition_variable snapshot_changed;
  std::shared_ptr<const preview_snapshot> snapshot = std::make_shared<preview_snapshot>();
  bool stopping = false;

  std::mutex stop_mutex;  // stop() may come from the Ctrl+C thread and the main one at once
  std::unique_ptr<folder_watcher> watcher;
  httplib::Server http;
  std::thread listener;
  int port = 0;

  state(fs::path dir, std::ostream& out)
      : site_dir(dir), site_root(resolved(dir)), log(out), builder(std::move(dir)) {}

  std::shared_ptr<const preview_snapshot> current() const {
    std::lock_guard lock(snapshot_mutex);
    return snapshot;
  }

  // ---- Building ----

  /// Makes what `run` built the preview, or keeps the last good site when it has errors.
  /// Returns true if the run built without errors.
  /// `changes` is what the build changed in the builder's output, or null when that is not
  /// known (the build failed with an exception).
  bool take(const site_run& run, const output_changes* changes) {
    auto before = current();
    auto next = std::make_shared<preview_snapshot>();
    next->version = before->version + 1;
    bool built = run.rendered && run.model && !run.diags.has_errors();
    if (changes) {
      for (const auto* paths : {&changes->added, &changes->changed, &changes->removed})
        unserved.insert(paths->begin(), paths->end());
    } else {
      unserved_unknown = true;
    }
    if (built) {
      if (before->site && !unserved_unknown) {
        next->site = site_of(run.rendered->out, *run.model, *before->site, unserved);
      } else {
        next->site = site_of(run.rendered->out, *run.model);
      }
      unserved.clear();
      unserved_unknown = false;
    } else {
      next->site = before->site;
      next->problems = problems_to_show(run.diags, site_dir);
      if (next->problems.empty()) {
        next->problems.push_back({{"", 0, 0, severity::error, "build.failed",
                                   "the site could not be built; run 'tandem check' to see why"},
                                  ""});
      }
      next->panel = problems_panel(next->problems, waiting(run));
    }
    {
      std::lock_guard lock(snapshot_mutex);
      snapshot = std::move(next);
    }
    snapshot_changed.notify_all();
    return built;
  }

  static std::vector<std::string> waiting(const site_run& run) {
    return run.model ? checks_waiting(*run.model) : std::vector<std::string>();
  }

  static site_run failed_run(const std::exception& failure) {
    site_run run;
    run.diags.error("", 0, 0, "build.failed",
                    std::string("tandem could not rebuild the site: ") + failure.what());
    return run;
  }

  void report(const site_run& run, bool built, long long ms, const std::string& cause) {
    if (built) {
      log << cause << "built " << plural(run.rendered->pages.size(), "page") << " in " << ms
          << " ms";
      if (run.diags.warning_count() > 0)
        log << " (" << plural(run.diags.warning_count(), "warning")
            << "; 'tandem check' lists them)";
      log << ".\n";
    } else {
      diagnostics errors;
      for (const auto& d : run.diags.items())
        if (d.level == severity::error) errors.add(d);
      print_diagnostics(log, errors, site_dir);
      log << cause << plural(errors.error_count(), "error")
          << ": the preview keeps the last version that built and lists the problems on every "
             "page.\n";
      for (const std::string& note : waiting(run)) log << note << "\n";
    }
    log.flush();
  }

  bool first_build() {
    std::lock_guard lock(build_mutex);
    auto started = clock_type::now();
    site_run failed;
    const site_run* run = &failed;
    const output_changes* changes = nullptr;
    try {
      run = &builder.build();
      changes = &builder.changes();
    } catch (const std::exception& failure) {
      failed = failed_run(failure);
      builder_unsure = true;
    }
    bool built = take(*run, changes);
    if (run->diags.warning_count() > 0 && built) print_diagnostics(log, run->diags, site_dir);
    report(*run, built, milliseconds_since(started), "");
    return built;
  }

  bool rebuild(const std::vector<std::string>& changed) {
    std::lock_guard lock(build_mutex);
    auto started = clock_type::now();
    site_run failed;
    const site_run* run = &failed;
    const output_changes* changes = nullptr;
    try {
      // After a build that stopped half way, nothing the builder kept can be trusted.
      run = builder_unsure ? &builder.build() : &builder.rebuild(changed);
      builder_unsure = false;
      changes = &builder.changes();
    } catch (const std::exception& failure) {
      failed = failed_run(failure);
      builder_unsure = true;
    }
    bool built = take(*run, changes);
    std::string cause = changed.size() == 1 ? changed.front() : plural(changed.size(), "file");
    report(*run, built, milliseconds_since(started), cause + " changed: ");
    return built;
  }

  // ---- Answering requests ----

  void send_html(httplib::Response& res, std::string html, const preview_snapshot& shown,
                 int status) {
    res.status = status;
    res.set_content(with_preview_additions(std::move(html), shown.version, shown.panel),
                    content_type_for("x.html"));
  }

  void send_not_found(httplib::Response& res, const preview_snapshot& shown) {
    const output_tree::entry* page = shown.site ? shown.site->find("404.html") : nullptr;
    std::string html = page && page->copy_from.empty()
                           ? page->bytes
                           : "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"
                             "\n<title>Page not found</title>\n</head>\n<body>\n<h1>Page not "
                             "found</h1>\n</body>\n</html>\n";
    send_html(res, std::move(html), shown, 404);
  }

  void send_file(httplib::Response& res, const std::string& path, const output_tree::entry& file,
                 const preview_snapshot& shown) {
    std::string bytes;
    if (file.copy_from.empty()) {
      bytes = file.bytes;
    } else if (auto read = read_inside(site_root, file.copy_from)) {
      bytes = std::move(*read);
    } else {
      return send_not_found(res, shown);  // deleted since the build; the rebuild is on its way
    }
    std::string type = content_type_for(path);
    if (starts_with(type, "text/html")) return send_html(res, std::move(bytes), shown, 200);
    res.status = 200;
    res.set_content(bytes, type);
  }

  /// The output path a request names, also when written under the path of the site's
  /// base_url (the site's 404 page links that way).
  static std::optional<std::string> file_for(const served_site& site, const std::string& url) {
    auto path = output_path_for(url);
    if (!path) return std::nullopt;
    if (!site.find(*path) && site.base_path != "/" && starts_with(url, site.base_path))
      return output_path_for(url.substr(site.base_path.size() - 1));
    return path;
  }

  void answer(const httplib::Request& req, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Content-Type-Options", "nosniff");
    if (starts_with(req.path, preview_prefix)) return answer_preview_file(req, res);
    auto shown = current();
    if (!shown->site) {
      // Nothing has built yet: every page is the list of problems.
      return send_html(res, nothing_built_page(), *shown, 503);
    }
    const served_site& site = *shown->site;
    auto path = file_for(site, req.path);
    if (path) {
      if (const auto* file = site.find(*path)) return send_file(res, *path, *file, *shown);
      if (site.find(*path + "/index.html")) {
        // "/young" is the folder "/young/": links in the page are relative to it.
        res.set_redirect(encoded_path(req.path) + "/", 301);
        return;
      }
    }
    send_not_found(res, *shown);
  }

  void answer_preview_file(const httplib::Request& req, httplib::Response& res) {
    if (req.path == script_path) {
      res.set_content(std::string(reload_script), content_type_for("x.js"));
    } else if (req.path == style_path) {
      res.set_content(std::string(panel_style), content_type_for("x.css"));
    } else if (req.path == events_path) {
      stream_versions(res);
    } else {
      send_not_found(res, *current());
    }
  }

  /// Server-Sent Events: the current version at once, then each new one as builds finish.
  void stream_versions(httplib::Response& res) {
    auto last_sent = std::make_shared<std::optional<std::uint64_t>>();
    res.set_chunked_content_provider(
        "text/event-stream", [this, last_sent](std::size_t, httplib::DataSink& sink) {
          std::unique_lock lock(snapshot_mutex);
          if (*last_sent) {
            snapshot_changed.wait_for(lock, std::chrono::seconds(10),
                                      [&] { return stopping || snapshot->version != **last_sent; });
          }
          if (stopping) return false;
          std::string message;
          if (!*last_sent || snapshot->version != **last_sent) {
            *last_sent = snapshot->version;
            message = "retry: 1000\ndata: " + std::to_string(snapshot->version) + "\n\n";
          } else {
            message = ": waiting for a change\n\n";  // keeps the connection known to be alive
          }
          lock.unlock();
          return sink.write(message.data(), message.size());
        });
  }

  void set_up_http() {
    // Each open page holds one connection for its reload events.
    http.new_task_queue = [] { return new httplib::ThreadPool(32); };
    http.set_keep_alive_timeout(1);
    // A page's last small write otherwise waits for the browser's delayed ACK (about 40 ms).
    http.set_tcp_nodelay(true);
    // Not SO_REUSEPORT (httplib's default): a second preview on the same port must fail, not
    // share the port and answer every other request with another site.
    http.set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    http.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
      if (req.method == "GET" || req.method == "HEAD")
        return httplib::Server::HandlerResponse::Unhandled;
      res.status = 405;
      res.set_header("Allow", "GET, HEAD");
      res.set_content("Only GET and HEAD requests are answered here.\n", content_type_for("x.txt"));
      return httplib::Server::HandlerResponse::Handled;
    });
    http.Get(".*",
             [this](const httplib::Request& req, httplib::Response& res) { answer(req, res); });
  }
};

preview_server::preview_server(fs::path site_dir, std::ostream& log)
    : self_(std::make_unique<state>(std::move(site_dir), log)) {}

preview_server::~preview_server() {
  stop();
}

bool preview_server::start(const std::string& host, int port, std::string* why) {
  // Watch before building, so that a save during the first build is not missed.
  self_->watcher = std::make_unique<folder_watcher>(self_->site_dir, watched_folders);
  self_->first_build();
  self_->set_up_http();
  if (port == 0) {
    self_->port = self_->http.bind_to_any_port(host);
  } else if (self_->http.bind_to_port(host, port)) {
    self_->port = port;
  } else {
    self_->port = -1;
  }
  if (self_->port <= 0) {
    if (why) {
      *why = "cannot listen on " + url_of(host, port, "/") +
             ": another program may be using that port (try another with --port), or the "
             "address is not one of this computer's";
    }
    return false;
  }
  self_->listener = std::thread([this] { self_->http.listen_after_bind(); });
  // stop() only works once the server runs; requests already queue in the bound socket.
  auto started = clock_type::now();
  while (!self_->http.is_running() && milliseconds_since(started) < 5000)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return true;
}

int preview_server::port() const {
  return self_->port;
}

bool preview_server::apply_changes(const std::vector<std::string>& changed_files) {
  return self_->rebuild(changed_files);
}

void preview_server::watch() {
  if (!self_->watcher) return;
  while (true) {
    std::vector<std::string> changed;
    try {
      changed = self_->watcher->wait_for_changes();
    } catch (const system_failure& failure) {
      // Such as the limit of watched folders reached for a new folder: say so, keep previewing.
      std::lock_guard lock(self_->build_mutex);
      self_->log << "tandem: warning: " << failure.what() << "\n";
      self_->log.flush();
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    if (changed.empty()) return;  // stopped
    apply_changes(changed);
  }
}

void preview_server::stop() {
  std::lock_guard stopping(self_->stop_mutex);
  {
    std::lock_guard lock(self_->snapshot_mutex);
    self_->stopping = true;
  }
  self_->snapshot_changed.notify_all();
  if (self_->watcher) self_->watcher->stop();
  if (self_->listener.joinable()) {
    self_->http.stop();
    self_->listener.join();
  }
}

std::uint64_t preview_server::version() const {
  return self_->current()->version;
}

// ---- The command ---------------------------------------------------------------------------

namespace {

/// Waits for Ctrl+C (or a polite kill) on its own thread, so the server can stop cleanly.
class interrupt_waiter {
 public:
  explicit interrupt_waiter(preview_server& server) {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    thread_ = std::thread([this, &server] {
      timespec tick{0, 200'000'000};
      while (!done_) {
        if (sigtimedwait(&signals_, nullptr, &tick) > 0) {
          interrupted_ = true;
          server.stop();
          return;
        }
      }
    });
  }
  ~interrupt_waiter() {
    done_ = true;
    thread_.join();
  }
  bool interrupted() const { return interrupted_; }

  /// Keeps SIGINT and SIGTERM for sigtimedwait: call before any thread starts.
  static void block_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
  }

 private:
  sigset_t signals_;
  std::atomic<bool> done_{false};
  std::atomic<bool> interrupted_{false};
  std::thread thread_;
};

void print_addresses(std::ostream& out, const fs::path& site_dir, const std::string& host,
                     int port) {
  diagnostics ignored;  // the build has reported the problems of site.json already
  auto config = load_site_config(site_dir, ignored);
  std::string title = config && !config->title.empty() ? config->title : "the site";
  out << "Previewing " << title << " at " << url_of(host, port, "/") << "\n";
  if (config) {
    for (const auto& ed : config->editions) {
      std::string path = ed.path.empty() ? "/" : "/" + ed.path + "/";
      out << "  " << (ed.name.empty() ? ed.id : ed.name) << ": " << url_of(host, port, path)
          << "\n";
    }
  }
  out << "Every save in content/, templates/ or themes/ rebuilds the site and reloads the open "
         "pages. Press Ctrl+C to stop.\n";
  out.flush();
}

}  // namespace

int run_serve(const serve_options& opts, std::ostream& out, std::ostream& err) {
  std::string host = opts.host_given ? opts.host : "127.0.0.1";
  if (host.empty()) {
    err << "tandem: error: --host needs an address, such as 127.0.0.1\n";
    return exit_usage;
  }
  if (!is_loopback(host)) {
    err << "tandem: warning: listening on " << host
        << ": other computers that can reach this one may see the preview\n";
  }
  interrupt_waiter::block_signals();
  preview_server server(opts.site_dir, out);
  std::string why;
  if (!server.start(host, opts.port, &why)) {
    err << "tandem: error: " << why << "\n";
    return exit_system;
  }
  print_addresses(out, opts.site_dir, host, server.port());
  {
    interrupt_waiter waiter(server);
    server.watch();
    server.stop();
  }
  out << "Preview stopped.\n";
  return exit_ok;
}

}  // namespace tandem
