// Shared by the libFuzzer harnesses: checks that hold for every input, and a scratch site folder.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <unistd.h>

#include "diag.hpp"

namespace tandem::fuzz {

/// Stops the run (libFuzzer saves the input) with a message when `ok` is false.
inline void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

/// Every diagnostic names a place that exists and says what to do.
inline void require_sound(const diagnostics& diags) {
  for (const diagnostic& d : diags.items()) {
    require(!d.id.empty(), "a diagnostic without an id");
    require(!d.message.empty(), "a diagnostic without a message");
    require(d.line >= 0 && d.col >= 0, "a diagnostic at a negative line or column");
    require(d.line > 0 || d.col == 0, "a diagnostic with a column but no line");
  }
}

/// True if `html` holds `needle`, ignoring ASCII case.
inline bool contains_ignoring_case(std::string_view html, std::string_view needle) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (std::size_t i = 0; i + needle.size() <= html.size(); ++i) {
    std::size_t k = 0;
    while (k < needle.size() && lower(html[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

/// Markup from content never runs: no script element, no javascript: or vbscript: link.
inline void require_safe_html(std::string_view html) {
  require(!contains_ignoring_case(html, "<script"), "a <script> element in rendered content");
  require(!contains_ignoring_case(html, "href=\"javascript:"), "a javascript: link");
  require(!contains_ignoring_case(html, "href=\"vbscript:"), "a vbscript: link");
  require(!contains_ignoring_case(html, "src=\"javascript:"), "a javascript: source");
}

/// A folder of this process for files the harness writes (in /dev/shm when there is one),
/// removed when the process ends normally (a crash leaves it, to look at).
inline const std::filesystem::path& scratch_dir() {
  struct scratch {
    std::filesystem::path dir;
    scratch() {
      std::filesystem::path base = std::filesystem::exists("/dev/shm")
                                       ? std::filesystem::path("/dev/shm")
                                       : std::filesystem::temp_directory_path();
      dir = base / ("tandem-fuzz-" + std::to_string(::getpid()));
      std::filesystem::create_directories(dir);
    }
    ~scratch() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  };
  static const scratch made;
  return made.dir;
}

inline void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// The fixture site the harnesses start from (tests/invalid/_base, or $TANDEM_FUZZ_SITE).
inline std::filesystem::path fixture_site() {
  if (const char* site = std::getenv("TANDEM_FUZZ_SITE")) return site;
  return std::filesystem::path(TANDEM_SOURCE_DIR) / "tests/invalid/_base";
}

}  // namespace tandem::fuzz
