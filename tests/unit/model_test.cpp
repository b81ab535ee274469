#include <doctest/doctest.h>

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

TEST_CASE("root_prefix climbs one folder per level") {
  CHECK(root_prefix("index.html") == "");
  CHECK(root_prefix("young/index.html") == "../");
  CHECK(root_prefix("young/our-promise/index.html") == "../../");
}
