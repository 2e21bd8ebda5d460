#include "engine/text.hpp"

#include <doctest/doctest.h>

TEST_CASE("text: split_lines handles CRLF and a last line without newline") {
  auto l = hb::split_lines("a\r\nb\n\nc");
  REQUIRE(l.size() == 4);
  CHECK(l[0] == "a");
  CHECK(l[2] == "");
  CHECK(l[3] == "c");
  CHECK(hb::split_lines("").empty());
}

TEST_CASE("text: fields, trimming and case") {
  auto f = hb::split("a::b", ':');
  REQUIRE(f.size() == 3);
  CHECK(f[1] == "");
  auto w = hb::split_ws("  PermitRootLogin \t no  ");
  REQUIRE(w.size() == 2);
  CHECK(w[1] == "no");
  CHECK(hb::trim("  x \n") == "x");
  CHECK(hb::iequals("PermitRootLogin", "permitrootlogin"));
  CHECK_FALSE(hb::iequals("a", "ab"));
}

TEST_CASE("text: glob_match follows fnmatch") {
  CHECK(hb::glob_match("host.ssh.*", "host.ssh.permit_root_login"));
  CHECK_FALSE(hb::glob_match("host.ssh.*", "host.net.ip_forward"));
  CHECK(hb::glob_match("ssh_host_*_key", "ssh_host_ed25519_key"));
  CHECK_FALSE(hb::glob_match("ssh_host_*_key", "ssh_host_ed25519_key.pub"));
  CHECK(hb::has_glob("a*"));
  CHECK_FALSE(hb::has_glob("/etc/passwd"));
}

TEST_CASE("text: printable escapes control bytes and caps the length") {
  CHECK(hb::printable("a\x1b[31mb") == "a\\x1b[31mb");
  CHECK(hb::printable(std::string(300, 'x'), 10) == std::string(10, 'x') + "...");
}
