#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "diag.hpp"
#include "fs.hpp"
#include "temp_site.hpp"

using namespace tandem;
using tandem::testing::temp_site;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  return read_file(p).value_or("<missing>");
}

std::size_t entries_in(const fs::path& dir) {
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

}  // namespace

TEST_CASE("publish writes every file of the tree, in folders") {
  temp_site tmp;
  output_tree tree;
  tree.add("index.html", "home");
  tree.add("young/our-promise/index.html", "promise");
  std::ofstream(tmp.dir() / "source.svg") << "<svg/>";
  tree.add_copy("media/house.svg", tmp.dir() / "source.svg");
  publish(tree, tmp.dir() / "public");
  CHECK(slurp(tmp.dir() / "public/index.html") == "home");
  CHECK(slurp(tmp.dir() / "public/young/our-promise/index.html") == "promise");
  CHECK(slurp(tmp.dir() / "public/media/house.svg") == "<svg/>");
}

TEST_CASE("publishing again replaces the whole old site and leaves nothing beside it") {
  temp_site tmp;
  output_tree first;
  first.add("index.html", "one");
  first.add("old/index.html", "gone soon");
  publish(first, tmp.dir() / "public");
  output_tree second;
  second.add("index.html", "two");
  publish(second, tmp.dir() / "public");
  CHECK(slurp(tmp.dir() / "public/index.html") == "two");
  CHECK_FALSE(fs::exists(tmp.dir() / "public/old"));
  CHECK(entries_in(tmp.dir()) == 1);  // only public/: no staging folder left
}

TEST_CASE("a failed publish leaves the previous site exactly as it was") {
  temp_site tmp;
  output_tree good;
  good.add("index.html", "good");
  publish(good, tmp.dir() / "public");
  output_tree bad;
  bad.add("index.html", "new");
  bad.add_copy("media/missing.png", tmp.dir() / "does-not-exist.png");
  CHECK_THROWS_AS(publish(bad, tmp.dir() / "public"), system_failure);
  CHECK(slurp(tmp.dir() / "public/index.html") == "good");
  CHECK(entries_in(tmp.dir()) == 1);
}

TEST_CASE("a picture that cannot be read is named, with advice about the picture, not --out") {
  temp_site tmp;
  output_tree tree;
  tree.add_copy("media/missing.png", tmp.dir() / "does-not-exist.png");
  std::string message;
  try {
    publish(tree, tmp.dir() / "public");
  } catch (const system_failure& failure) {
    message = failure.what();
  }
  CHECK(message.find("cannot read") != std::string::npos);
  CHECK(message.find("does-not-exist.png") != std::string::npos);
  CHECK(message.find("check that the file is there") != std::string::npos);
  CHECK(message.find("--out") == std::string::npos);
}

TEST_CASE("an output path that is a file is a system failure, and the file is untouched") {
  temp_site tmp;
  std::ofstream(tmp.dir() / "public") << "not a folder";
  output_tree tree;
  tree.add("index.html", "x");
  CHECK_THROWS_AS(publish(tree, tmp.dir() / "public"), system_failure);
  CHECK(slurp(tmp.dir() / "public") == "not a folder");
}

TEST_CASE("publish refuses paths that would leave the output folder") {
  temp_site tmp;
  output_tree tree;
  tree.add("../escaped.html", "x");
  CHECK_THROWS_AS(publish(tree, tmp.dir() / "public"), system_failure);
  CHECK_FALSE(fs::exists(tmp.dir() / "escaped.html"));
}

TEST_CASE("a tree written through to a publication's folder publishes the same site") {
  temp_site tmp;
  std::ofstream(tmp.dir() / "source.svg") << "<svg/>";
  output_tree tree;
  tree.add("index.html", "old home");
  publish(tree, tmp.dir() / "public");
  {
    publication staged(tmp.dir() / "public");
    output_tree through;
    through.write_through(staged.folder());
    // Written on another thread, as the renderer does, then listed.
    std::thread([&] {
      write_output_file(staged.folder(), "young/promise/index.html", "p");
    }).join();
    through.add_written("young/promise/index.html");
    through.add("index.html", "home");
    through.add_copy("media/house.svg", tmp.dir() / "source.svg");
    CHECK(through.bytes("index.html") == nullptr);  // not held in memory
    CHECK(through.contains("young/promise/index.html"));
    // Nothing is published before the commit.
    CHECK(slurp(tmp.dir() / "public/index.html") == "old home");
    staged.commit(through);
  }
  CHECK(slurp(tmp.dir() / "public/index.html") == "home");
  CHECK(slurp(tmp.dir() / "public/young/promise/index.html") == "p");
  CHECK(slurp(tmp.dir() / "public/media/house.svg") == "<svg/>");
  CHECK(entries_in(tmp.dir()) == 2);  // public/ and source.svg: the old site is gone
}

TEST_CASE("a publication dropped without a commit leaves everything as it was") {
  temp_site tmp;
  output_tree tree;
  tree.add("index.html", "old home");
  publish(tree, tmp.dir() / "public");
  {
    publication staged(tmp.dir() / "public");
    write_output_file(staged.folder(), "index.html", "new home");
    CHECK(entries_in(tmp.dir()) == 2);  // the folder beside the output
  }
  CHECK(slurp(tmp.dir() / "public/index.html") == "old home");
  CHECK(entries_in(tmp.dir()) == 1);
  // Folders made for an output folder that was never published are removed too.
  { publication staged(tmp.dir() / "new/deeper/public"); }
  CHECK(entries_in(tmp.dir()) == 1);
  CHECK_THROWS_AS(write_output_file(tmp.dir() / "public", "../escaped.html", "x"), system_failure);
  CHECK_FALSE(fs::exists(tmp.dir() / "escaped.html"));
}

TEST_CASE("output paths that would leave the output folder are refused, others written") {
  temp_site tmp;
  const fs::path root = tmp.dir() / "public";
  fs::create_directories(root);
  for (const char* rel :
       {"../escaped.html", "young/../../escaped.html", "/tmp/escaped.html", "young/..", ".."}) {
    CAPTURE(rel);
    CHECK_THROWS_AS(write_output_file(root, rel, "x"), system_failure);
    CHECK_THROWS_AS(read_output_range(root, rel, 0, 1), system_failure);
  }
  CHECK_FALSE(fs::exists(tmp.dir() / "escaped.html"));
  // Parts that stay inside, whatever the folder looks like.
  for (const fs::path& folder :
       {root, root / "." / "", tmp.dir() / "elsewhere" / ".." / "public"}) {
    CAPTURE(folder);
    write_output_file(folder, "young/./promise/index.html", "p");
    CHECK(read_output_range(folder, "young/promise/index.html", 0, 1) == "p");
  }
  // A relative output folder, as `--out public` gives before it is made absolute. The working
  // folder is put back even if a check throws.
  {
    struct working_folder {
      fs::path before = fs::current_path();
      ~working_folder() { fs::current_path(before); }
    } restore;
    fs::current_path(tmp.dir());
    CHECK_THROWS_AS(write_output_file("public", "../escaped.html", "x"), system_failure);
    write_output_file("public", "relative.html", "r");
  }
  CHECK(slurp(root / "relative.html") == "r");
  CHECK_FALSE(fs::exists(tmp.dir() / "escaped.html"));
}

TEST_CASE("a file written piece by piece holds every piece, in order, whatever their sizes") {
  temp_site tmp;
  // Pieces of two bytes, pieces that just fit or just overflow what is gathered before a
  // write, and pieces larger than that on their own.
  std::vector<std::size_t> sizes;
  for (int i = 0; i < 40000; ++i) sizes.push_back(2);
  for (std::size_t size : {65535, 65536, 65537, 1, 200000, 3, 65534, 2, 131072, 7})
    sizes.push_back(size);
  for (int i = 0; i < 300; ++i) sizes.push_back(1 + (static_cast<std::size_t>(i) * 7919) % 9000);
  std::string expected;
  for (std::size_t i = 0; i < sizes.size(); ++i)
    expected += std::string(sizes[i], static_cast<char>('a' + i % 26));
  write_output_file(tmp.dir(), "young/figures.json", [&](const output_writer& write) {
    std::size_t at = 0;
    for (std::size_t size : sizes) {
      write(std::string_view(expected).substr(at, size));
      at += size;
    }
  });
  CHECK(slurp(tmp.dir() / "young/figures.json") == expected);
  // A second file in the same folder, and one in the output folder itself.
  write_output_file(tmp.dir(), "young/other.json", [](const output_writer& write) {
    write("{");
    write("}");
  });
  write_output_file(tmp.dir(), "top.json", [](const output_writer& write) { write(""); });
  CHECK(slurp(tmp.dir() / "young/other.json") == "{}");
  CHECK(fs::exists(tmp.dir() / "top.json"));
  CHECK(fs::file_size(tmp.dir() / "top.json") == 0);
}

TEST_CASE("leftovers of a killed build are cleaned by the next publish") {
  temp_site tmp;
  // A process id that cannot be running: the build that made this folder is gone.
  fs::create_directories(tmp.dir() / ".public.tandem-999999999/half");
  output_tree tree;
  tree.add("index.html", "x");
  publish(tree, tmp.dir() / "public");
  CHECK_FALSE(fs::exists(tmp.dir() / ".public.tandem-999999999"));
}

TEST_CASE("list_files lists files sorted and keeps links that leave the folder apart") {
  temp_site tmp;
  fs::create_directories(tmp.dir() / "media/b");
  std::ofstream(tmp.dir() / "media/z.png") << "z";
  std::ofstream(tmp.dir() / "media/b/a.png") << "a";
  std::ofstream(tmp.dir() / "secret.txt") << "s";
  fs::create_symlink(tmp.dir() / "secret.txt", tmp.dir() / "media/link.txt");
  std::vector<std::string> outside;
  auto files = list_files(tmp.dir() / "media", &outside);
  CHECK(files == std::vector<std::string>{"b/a.png", "z.png"});
  CHECK(outside == std::vector<std::string>{"link.txt"});
}

TEST_CASE("a recording output tree keeps what each path held before its first write") {
  output_tree tree;
  tree.add("a.html", "A");
  tree.add("b.html", "B");
  tree.start_recording();
  tree.add("a.html", "A2");
  tree.add("a.html", "A3");  // the first write's old bytes are the ones kept
  tree.add("c.html", "C");
  tree.add_copy("b.html", "/pictures/b.png");
  output_tree::record kept = tree.stop_recording();
  REQUIRE(kept.size() == 3);
  REQUIRE(kept.at("a.html"));
  CHECK(kept.at("a.html")->bytes == "A");
  CHECK_FALSE(kept.at("c.html"));  // new
  CHECK(kept.at("b.html")->bytes == "B");
  CHECK(*tree.bytes("a.html") == "A3");
  CHECK(tree.bytes("b.html") == nullptr);  // now a copy
  tree.add("a.html", "A4");
  CHECK(tree.stop_recording().empty());  // no longer recording

  SUBCASE("a tree made afresh goes on with the record of the one it replaces") {
    tree.start_recording();
    tree.add("a.html", "A5");
    output_tree fresh;
    fresh.add("a.html", "A6");
    fresh.add("d.html", "D");
    fresh.replaces(std::move(tree));
    output_tree::record all = fresh.stop_recording();
    CHECK(all.at("a.html")->bytes == "A4");  // as it was when recording started
    CHECK(all.at("b.html")->copy_from == fs::path("/pictures/b.png"));  // gone from the new one
    CHECK(all.at("c.html")->bytes == "C");
    CHECK_FALSE(all.at("d.html"));  // new
  }
  SUBCASE("replacing a tree that was not recording records nothing") {
    output_tree fresh;
    fresh.add("d.html", "D");
    fresh.replaces(std::move(tree));
    CHECK(fresh.stop_recording().empty());
  }
}
