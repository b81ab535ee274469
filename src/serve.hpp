// `tandem serve`: a preview of every edition from memory, rebuilt and reloaded on every save.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>

namespace tandem {

struct serve_options {
  std::filesystem::path site_dir = ".";
  std::string host = "127.0.0.1";
  int port = 8080;
  bool host_given = false;  // true only when the user typed --host
};

/// Runs the preview server until interrupted; returns the exit code.
int run_serve(const serve_options& opts, std::ostream& out, std::ostream& err);

}  // namespace tandem
