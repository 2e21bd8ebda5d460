#include "checks/deb_version.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

extern char** environ;

namespace {

int cmp(const std::string& a, const std::string& b) {
  auto va = hb::parse_deb_version(a);
  auto vb = hb::parse_deb_version(b);
  REQUIRE_MESSAGE(va.ok(), a);
  REQUIRE_MESSAGE(vb.ok(), b);
  int r = hb::compare_deb_versions(*va, *vb);
  return r < 0 ? -1 : r > 0 ? 1 : 0;
}

// The real dpkg: `dpkg --compare-versions A OP B`, by fork/exec (no shell), output discarded.
// Returns the exit status: 0 true, 1 false, 2 a syntax error; -1 when dpkg cannot run.
int dpkg_compare(const std::string& a, const std::string& op, const std::string& b) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> args = {"dpkg", "--compare-versions", a, op, b};
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, "/usr/bin/dpkg", &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

// Versions meant to trip a comparison: epochs, tildes, letters against other characters,
// revisions, leading zeros, long digit runs, Debian's security and stable suffixes.
const std::vector<std::string> k_versions = {
    "1.0",
    "1.0-1",
    "1.0-1.1",
    "1.0-1+deb12u1",
    "1.0-1~deb12u1",
    "1.0-1+b1",
    "1.0~rc1",
    "1.0~rc1-1",
    "1.0~rc2",
    "1.0~~",
    "1.0~~a",
    "1.0~",
    "1.0a",
    "1.0+",
    "1.0.",
    "1.0.0",
    "1.00",
    "01.0",
    "1.0-0",
    "1.0-00",
    "1.0-a",
    "1.0-1a",
    "1.0-1.a",
    "1.0-1-1",
    "1:1.0",
    "0:1.0",
    "2:0.1",
    "1:1.0-1",
    "10",
    "9",
    "1.10",
    "1.9",
    "1.000000000000000000000000000001",
    "99999999999999999999999999",
    "99999999999999999999999998",
    "3.0.11-1~deb12u1",
    "3.0.15-1~deb12u1",
    "3.0.15-1~deb12u2",
    "3.0.15-1",
    "2.36-9+deb12u7",
    "2.36-9+deb12u14",
    "2026b-0+deb12u1",
    "2025b-0+deb12u2",
    "1.2.3+dfsg-1",
    "1.2.3+dfsg1-1",
    "1.2.3+dfsg-1build1",
    "22.01+really26.02+dfsg-0+deb12u1",
    "1:9.2p1-2+deb12u7",
    "1:9.2p1-2+deb12u10",
    "1.0+git20230101.abc-1",
    "1:2:3",
    "1.0a~",
    "1.0A",
    "1.0Z",
    "1.0z",
    "1.0-1~~",
    "0",
    "0-0",
    "a1.0",
    "1.0_1",
    "1.0-1_2",
};

}  // namespace

TEST_CASE("deb version: deb-version(7)'s tilde example sorts as documented") {
  // "~~" < "~~a" < "~" < "" < "a" (as upstream suffixes of 1.0)
  CHECK(cmp("1.0~~", "1.0~~a") < 0);
  CHECK(cmp("1.0~~a", "1.0~") < 0);
  CHECK(cmp("1.0~", "1.0") < 0);
  CHECK(cmp("1.0", "1.0a") < 0);
}

TEST_CASE("deb version: epochs, revisions and security suffixes") {
  CHECK(cmp("1:1.0", "2.0") > 0);
  CHECK(cmp("0:1.0", "1.0") == 0);
  CHECK(cmp("1.0-1", "1.0-1.1") < 0);
  CHECK(cmp("1.0", "1.0-0") == 0);  // no revision equals revision "0"
  CHECK(cmp("3.0.11-1~deb12u1", "3.0.15-1~deb12u1") < 0);
  CHECK(cmp("3.0.15-1~deb12u1", "3.0.15-1") < 0);
  CHECK(cmp("2.36-9+deb12u7", "2.36-9+deb12u14") < 0);  // numeric, not textual
  CHECK(cmp("1.0a", "1.0+") < 0);                       // letters before other characters
  CHECK(cmp("1.00", "1.0") == 0);                       // leading zeros
  CHECK(cmp("99999999999999999999999999", "99999999999999999999999998") > 0);  // no overflow
}

TEST_CASE("deb version: parse splits epoch, upstream and the last hyphen's revision") {
  auto v = hb::parse_deb_version("  1:2.0-rc-3  ");
  REQUIRE(v.ok());
  CHECK(v->epoch == 1);
  CHECK(v->upstream == "2.0-rc");
  CHECK(v->revision == "3");
  CHECK(v->warning.empty());
  auto w = hb::parse_deb_version("abc");
  REQUIRE(w.ok());
  CHECK(w->warning == "version number does not start with digit");
}

TEST_CASE("deb version: the epoch is read as strtol reads it") {
  auto plus = hb::parse_deb_version("+1:1.0");
  REQUIRE(plus.ok());
  CHECK(plus->epoch == 1);
  auto minus_zero = hb::parse_deb_version("-0:1.0");
  REQUIRE(minus_zero.ok());
  CHECK(minus_zero->epoch == 0);
  CHECK(hb::parse_deb_version("-1:1.0").message() == "epoch in version is negative");
  CHECK(hb::parse_deb_version("2147483648:1").message() == "epoch in version is too big");
  CHECK(hb::parse_deb_version("0x1:1.0").message() == "epoch in version is not number");
}

TEST_CASE("deb version: dpkg's syntax errors are errors") {
  for (const char* bad : {"", "   ", "1.0-", ":1.0", "1:", "a:1.0", "-1:1.0", "1 0", "1:-1",
                          "99999999999:1.0", "1.0 x"}) {
    CAPTURE(bad);
    auto v = hb::parse_deb_version(bad);
    CHECK_FALSE(v.ok());
    if (!v.ok()) CHECK(v.kind() == hb::ErrorKind::parse);
  }
}

TEST_CASE("deb version: hostile input never crashes") {
  std::string big(1 << 20, '~');
  big += "1";
  auto v = hb::parse_deb_version(big);
  REQUIRE(v.ok());
  CHECK(hb::compare_deb_versions(*v, *v) == 0);
  std::string bytes;
  for (int c = 1; c < 256; ++c) bytes += static_cast<char>(c);
  std::string no_blank_no_colon;
  for (char c : bytes)
    if (c != ' ' && c != '\t' && c != ':') no_blank_no_colon += c;
  auto b = hb::parse_deb_version("1" + no_blank_no_colon);
  REQUIRE(b.ok());
  CHECK(b->warning == "invalid character in version number");
  CHECK(hb::compare_deb_versions(*b, *b) == 0);
  CHECK(hb::compare_version_part(bytes, "1") != 0);
  CHECK(hb::compare_version_part(std::string("1\0"
                                             "2",
                                             3),
                                 "1") == 0);  // C string semantics
}

TEST_CASE("deb version: ordering matches dpkg --compare-versions on tricky pairs") {
  if (access("/usr/bin/dpkg", X_OK) != 0) {
    MESSAGE("skipped: /usr/bin/dpkg is not here");
    return;
  }
  int compared = 0;
  const std::size_t n = k_versions.size();
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t step : {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{19}}) {
      const std::string& a = k_versions[i];
      const std::string& b = k_versions[(i + step) % n];
      int lt = dpkg_compare(a, "lt", b);
      int eq = dpkg_compare(a, "eq", b);
      REQUIRE(lt >= 0);
      REQUIRE(eq >= 0);
      int expected = lt == 0 ? -1 : eq == 0 ? 0 : 1;
      CAPTURE(a);
      CAPTURE(b);
      CHECK(cmp(a, b) == expected);
      CHECK(cmp(b, a) == -expected);
      ++compared;
    }
  }
  CHECK(compared >= 200);
  MESSAGE("compared " << compared << " pairs with dpkg");
}

TEST_CASE("deb version: parse errors are exactly dpkg's syntax errors") {
  if (access("/usr/bin/dpkg", X_OK) != 0) {
    MESSAGE("skipped: /usr/bin/dpkg is not here");
    return;
  }
  std::vector<std::string> candidates = k_versions;
  // (No candidate starts with '-': dpkg would take it for an option.)
  for (const char* s : {"1.0-",         ":1.0",         "1:",   "a:1.0", "+1:1.0",
                        "+0:1.0",       "0x1:1.0",      "1 0",  "1:-1",  "99999999999:1.0",
                        "2147483647:1", "2147483648:1", " 1.0", "1.0\t", "1.0 x",
                        "1:2:3-",       "1--1",         "1:-",  "1::1",  "01:1.0"}) {
    candidates.push_back(s);
  }
  for (const auto& v : candidates) {
    CAPTURE(v);
    int rc = dpkg_compare(v, "eq", "1.0");
    REQUIRE(rc >= 0);
    CHECK(hb::parse_deb_version(v).ok() == (rc != 2));
  }
}
