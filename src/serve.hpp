// `tandem serve`: a preview of every edition from memory, rebuilt and reloaded on every save.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diag.hpp"

namespace tandem {

struct serve_options {
  std::filesystem::path site_dir = ".";
  std::string host = "127.0.0.1";
  int port = 8080;
  bool host_given = false;  // true only when the user typed --host
};

/// Runs the preview server until interrupted (Ctrl+C); returns the exit code.
int run_serve(const serve_options& opts, std::ostream& out, std::ostream& err);

/// The folders of a site the preview watches for saves.
inline const std::vector<std::string> watched_folders = {"content", "templates", "themes"};

/// Where the preview's own files live; no site file can be served from under it.
inline constexpr std::string_view preview_prefix = "/_tandem/";

/// The Content-Type of an output file, from its extension ("text/html; charset=utf-8");
/// "application/octet-stream" for extensions it does not know.
std::string content_type_for(std::string_view path);

/// The output file a request path names (already percent-decoded): "/" is "index.html",
/// "/young/" is "young/index.html", "/assets/a.css" is "assets/a.css". Nullopt for any path that
/// could step outside the site or is ambiguous: a ".." or "." segment, an empty segment ("//"),
/// a backslash, a control character, or one that does not start with '/'.
std::optional<std::string> output_path_for(std::string_view url_path);

/// A problem as the preview shows it: the diagnostic and the line of its file it points at.
struct shown_problem {
  diagnostic where;
  std::string source_line;  // "" when there is no line to show
};

/// The problems of a build with their source lines read from `site_dir`, errors first.
std::vector<shown_problem> problems_to_show(const diagnostics& diags,
                                            const std::filesystem::path& site_dir);

/// The HTML of the panel at the top of every preview page that lists the errors of the last
/// save: each with its file, line, column, message and source line, in a region announced to
/// screen readers (role="alert"), and `notes` (plain text, a paragraph each) under them. ""
/// when there are no errors.
std::string problems_panel(const std::vector<shown_problem>& problems,
                           const std::vector<std::string>& notes = {});

/// An HTML page of the preview with what only the preview adds: the reload script (an external
/// script before </body>, told which version of the site the page is), and when `panel` is not
/// empty, the panel right after <body ...> and its style sheet before </head>.
std::string with_preview_additions(std::string html, std::uint64_t version,
                                   const std::string& panel);

/// The preview server: builds the site, serves it from memory, rebuilds on every change and
/// tells open pages to reload (Server-Sent Events at /_tandem/events). After a change that
/// breaks the build it keeps serving the last site that built, with the problems panel on
/// every page. Safe to use from several threads.
class preview_server {
 public:
  /// `log` receives one line per rebuild and the diagnostics of each.
  preview_server(std::filesystem::path site_dir, std::ostream& log);
  ~preview_server();
  preview_server(const preview_server&) = delete;
  preview_server& operator=(const preview_server&) = delete;

  /// Builds the site, then listens on `host`:`port` (port 0: any free port) in the background.
  /// Returns false, with the reason in `why`, when the address cannot be used.
  bool start(const std::string& host, int port, std::string* why = nullptr);
  /// The port listened on (after a successful start).
  int port() const;

  /// Rebuilds after `changed_files` (relative to the site folder) changed, then tells open
  /// pages to reload. Returns true if the site built without errors.
  bool apply_changes(const std::vector<std::string>& changed_files);
  /// Watches content/, templates/ and themes/ and applies every change, until `stop()`.
  void watch();
  /// Stops watching and listening; pages waiting for a reload are let go. Any thread.
  void stop();

  /// Counts the builds so far; every page served carries it, and a page reloads when it moves.
  std::uint64_t version() const;

 private:
  struct state;
  std::unique_ptr<state> self_;
};

}  // namespace tandem
