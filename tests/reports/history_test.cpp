#include "reports/history.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "tests/support/temp_tree.hpp"

namespace fs = std::filesystem;

namespace {

// 2026-11-29T03:15:00Z
const hb::SystemTime k_t = hb::SystemTime(std::chrono::seconds(1795922100));

std::set<std::string> names(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

std::string link_target(const std::string& path) {
  char buf[256];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof buf);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
}

}  // namespace

TEST_CASE("history: stems name the host and the UTC start time, safely") {
  CHECK(hb::history_stem("web-1.example.org", k_t) == "web-1.example.org-20261129T031500Z");
  CHECK(hb::history_host("../etc/passwd") == ".._etc_passwd");
  CHECK(hb::history_host("") == "host");
  CHECK(hb::history_host("..") == "host");
  CHECK(hb::history_host("a b\nc") == "a_b_c");
}

TEST_CASE("history: files are written with latest.* links, and a taken stem gets a suffix") {
  hb::test::TempTree t;
  const std::string dir = t.root();
  auto w = hb::write_history(dir, "h-20261129T031500Z", {{".json", "{1}"}, {".html", "<1>"}});
  REQUIRE(w);
  CHECK(w->size() == 2);
  CHECK(link_target(dir + "/latest.json") == "h-20261129T031500Z.json");
  CHECK(link_target(dir + "/latest.html") == "h-20261129T031500Z.html");
  struct stat st {};
  REQUIRE(::stat((dir + "/h-20261129T031500Z.json").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0640);
  // The same second again: a new stem, and latest moves to it.
  REQUIRE(hb::write_history(dir, "h-20261129T031500Z", {{".json", "{2}"}, {".html", "<2>"}}));
  CHECK(link_target(dir + "/latest.json") == "h-20261129T031500Z-2.json");
  CHECK(t.real("/h-20261129T031500Z.json").size() > 0);
  CHECK(names(dir).count("h-20261129T031500Z.json") == 1);  // the first scan is kept
  // No temporary link is left behind.
  for (const auto& n : names(dir)) CHECK(n.find(".tmp") == std::string::npos);
}

TEST_CASE("history: retention by count and by age keeps the newest scan and other hosts") {
  hb::test::TempTree t;
  const std::string dir = t.root();
  auto day = std::chrono::hours(24);
  for (int i = 0; i < 5; ++i) {  // h: 0, 1, 2, 3, 4 days old
    auto stem = hb::history_stem("h", k_t - i * day);
    REQUIRE(hb::write_history(dir, stem, {{".json", "{}"}, {".junit.xml", "<x/>"}}));
  }
  REQUIRE(hb::write_history(dir, hb::history_stem("other", k_t - 30 * day), {{".json", "{}"}}));
  t.write("/h-notes.txt", "mine");  // not a scan file: never touched

  auto by_count = hb::prune_history(dir, "h", {3, std::nullopt}, k_t);
  REQUIRE(by_count);
  CHECK(by_count->size() == 4);  // the two oldest scans, two files each
  CHECK(names(dir).count("h-20261127T031500Z.json") == 1);
  CHECK(names(dir).count("h-20261126T031500Z.json") == 0);

  auto by_age = hb::prune_history(dir, "h", {std::nullopt, 1}, k_t);
  REQUIRE(by_age);
  CHECK(names(dir).count("h-20261128T031500Z.json") == 1);  // exactly one day old: kept
  CHECK(names(dir).count("h-20261127T031500Z.json") == 0);
  CHECK(names(dir).count("other-20261030T031500Z.json") == 1);
  CHECK(names(dir).count("h-notes.txt") == 1);

  // Everything is old: the newest scan stays all the same.
  auto all_old = hb::prune_history(dir, "h", {1, 1}, k_t + 100 * day);
  REQUIRE(all_old);
  CHECK(names(dir).count("h-20261129T031500Z.json") == 1);
  CHECK(names(dir).count("h-20261128T031500Z.json") == 0);
  CHECK(names(dir).count("latest.json") == 1);
}

TEST_CASE("history: the directory lock is exclusive and names its holder") {
  hb::test::TempTree t;
  const std::string dir = t.root() + "/out";
  auto first = hb::lock_output_dir(dir);  // creates the directory
  REQUIRE(first);
  CHECK_FALSE(first->busy);
  struct stat st {};
  REQUIRE(::stat(dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0750);
  auto second = hb::lock_output_dir(dir);  // another open file description: flock conflicts
  REQUIRE(second);
  CHECK(second->busy);
  CHECK(second->holder == "pid " + std::to_string(::getpid()));
  first->fd.reset();
  auto third = hb::lock_output_dir(dir);
  REQUIRE(third);
  CHECK_FALSE(third->busy);
  t.write("/file", "x");
  CHECK_FALSE(hb::lock_output_dir(t.real("/file")));
}
