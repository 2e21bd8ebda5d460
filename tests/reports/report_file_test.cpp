#include "reports/report_file.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/temp_tree.hpp"

namespace {
std::string slurp(const std::string& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("report file: written whole, mode 0640, replacing an older report") {
  hb::test::TempTree t;
  const std::string path = t.real("/out/r.json");
  t.mkdir("/out");
  REQUIRE(hb::write_report_file(path, "old").ok());
  REQUIRE(hb::write_report_file(path, "new content").ok());
  CHECK(slurp(path) == "new content");
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  // No temporary file is left behind.
  int n = 0;
  for (auto& e : std::filesystem::directory_iterator(t.real("/out"))) (void)e, ++n;
  CHECK(n == 1);
}

TEST_CASE("report file: a symlink planted at the target is replaced, its target untouched") {
  hb::test::TempTree t;
  t.write("/etc/passwd", "precious\n");
  t.mkdir("/out");
  t.symlink(t.real("/etc/passwd"), "/out/r.html");
  REQUIRE(hb::write_report_file(t.real("/out/r.html"), "<html>").ok());
  CHECK(slurp(t.real("/etc/passwd")) == "precious\n");
  struct stat st {};
  REQUIRE(::lstat(t.real("/out/r.html").c_str(), &st) == 0);
  CHECK(S_ISREG(st.st_mode));
}

TEST_CASE("report file: errors name the path") {
  hb::test::TempTree t;
  auto r = hb::write_report_file(t.real("/missing-dir/r.json"), "x");
  REQUIRE_FALSE(r.ok());
  CHECK(r.message().find("/missing-dir/r.json") != std::string::npos);
  t.mkdir("/d");
  CHECK_FALSE(hb::write_report_file(t.real("/d"), "x").ok());
}
