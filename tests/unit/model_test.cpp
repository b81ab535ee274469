#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "model.hpp"

using namespace tandem;

TEST_CASE("pages get pretty output paths under their edition's path") {
  edition formal{"formal", "Full", "", "council", "en-GB", {}, {}};
  edition young{"young", "Young", "young", "bright", "en-GB", {}, {}};
  section home;
  section promise;
  promise.slug = "our-promise";
  CHECK(page_output_path(formal, home) == "index.html");
  CHECK(page_output_path(formal, promise) == "our-promise/index.html");
  CHECK(page_output_path(young, home) == "young/index.html");
  CHECK(page_output_path(young, promise) == "young/our-promise/index.html");
}

TEST_CASE("relative URLs work from any depth and keep index.html for reading from disk") {
  CHECK(relative_url("index.html", "our-promise/index.html") == "our-promise/index.html");
  CHECK(relative_url("our-promise/index.html", "index.html") == "../index.html");
  CHECK(relative_url("young/a/index.html", "b/index.html") == "../../b/index.html");
  CHECK(relative_url("young/a/index.html", "young/b/index.html") == "../b/index.html");
  CHECK(relative_url("young/a/index.html", "young/a/index.html") == "index.html");
  CHECK(relative_url("young/index.html", "young/b/index.html") == "b/index.html");
  CHECK(relative_url("easy/read/index.html", "media/x.svg") == "../../media/x.svg");
}

namespace {

// relative_url as the documentation puts it: drop the file name of `from`, skip the folders
// both paths start with (never the last part of `to`), climb out of the rest of `from`, then go
// down `to`.
std::string relative_url_by_parts(const std::string& from, const std::string& to) {
  auto split = [](const std::string& path) {
    std::vector<std::string> parts(1);
    for (char c : path) {
      if (c == '/')
        parts.emplace_back();
      else
        parts.back() += c;
    }
    return parts;
  };
  std::vector<std::string> up = split(from), down = split(to);
  up.pop_back();
  std::size_t common = 0;
  while (common < up.size() && common + 1 < down.size() && up[common] == down[common]) ++common;
  std::string url;
  for (std::size_t i = common; i < up.size(); ++i) url += "../";
  for (std::size_t i = common; i < down.size(); ++i) url += (i > common ? "/" : "") + down[i];
  return url;
}

}  // namespace

TEST_CASE("relative URLs agree with the part-by-part rule on every kind of path") {
  // Folders that share a beginning ("a" and "ab"), empty parts, a path that is a prefix of the
  // other, and paths with no folder at all.
  const std::vector<std::string> parts = {"a", "ab", "b", "young", "", "index.html"};
  std::vector<std::string> paths = {"", "/", "//", "index.html", "a/", "/index.html"};
  for (const auto& x : parts)
    for (const auto& y : parts) {
      paths.push_back(x + "/" + y);
      for (const auto& z : parts) paths.push_back(x + "/" + y + "/" + z);
    }
  std::size_t compared = 0;
  for (const auto& from : paths)
    for (const auto& to : paths) {
      CAPTURE(from);
      CAPTURE(to);
      REQUIRE(relative_url(from, to) == relative_url_by_parts(from, to));
      ++compared;
    }
  CHECK(compared == paths.size() * paths.size());
  CHECK(relative_url("young/ab/index.html", "young/a/index.html") == "../a/index.html");
  CHECK(relative_url("a/index.html", "a") == "../a");
}

TEST_CASE("root_prefix climbs one folder per level") {
  CHECK(root_prefix("index.html") == "");
  CHECK(root_prefix("young/index.html") == "../");
  CHECK(root_prefix("young/our-promise/index.html") == "../../");
}
