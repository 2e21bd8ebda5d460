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
  CHECK_FALSE(hb::iequals("@[", "`{"));  // only A-Z fold: 0x40 and 0x60 differ by the same bit
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

TEST_CASE("text: sanitize_utf8 keeps valid UTF-8 and replaces each bad byte with U+FFFD") {
  const std::string r = "\xEF\xBF\xBD";
  CHECK(hb::sanitize_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\xB3") ==
        "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\xB3");
  CHECK(hb::sanitize_utf8(std::string("a\0b", 3)) == std::string("a\0b", 3));
  CHECK(hb::sanitize_utf8("ok\xff\xfe") == "ok" + r + r);
  CHECK(hb::sanitize_utf8("\xC0\xAF") == r + r);                  // overlong '/'
  CHECK(hb::sanitize_utf8("\xE0\x80\xAF") == r + r + r);          // overlong, 3 bytes
  CHECK(hb::sanitize_utf8("\xED\xA0\x80") == r + r + r);          // a surrogate, U+D800
  CHECK(hb::sanitize_utf8("\xF4\x90\x80\x80") == r + r + r + r);  // past U+10FFFF
  CHECK(hb::sanitize_utf8("x\xE2\x82") == "x" + r + r);           // truncated at the end
  CHECK(hb::sanitize_utf8("\xE2\x82x") == r + r + "x");           // cut short by an ASCII byte
  CHECK(hb::sanitize_utf8("") == "");
  std::uint32_t cp = 0;
  CHECK(hb::utf8_sequence("\xE2\x82\xAC", 0, cp) == 3);
  CHECK(cp == 0x20AC);
  CHECK(hb::utf8_sequence("a\xF0\x9F\x90\xB3", 1, cp) == 4);
  CHECK(cp == 0x1F433);
  CHECK(hb::utf8_sequence("\x80", 0, cp) == 0);
}

TEST_CASE("text: in_quotes is printable() in single quotes") {
  CHECK(hb::in_quotes("icc") == "'icc'");
  CHECK(hb::in_quotes("a\x1b!") == "'a\\x1b!'");
  CHECK(hb::in_quotes(std::string(200, 'x'), 5) == "'xxxxx...'");
}
