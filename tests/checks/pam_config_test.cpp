#include "checks/pam_config.hpp"

#include <doctest/doctest.h>

using Kind = hb::PamLine::Kind;
using hb::PamType;

TEST_CASE("pam_config: Debian 12's common-auth") {
  auto lines = hb::parse_pam_config(
      "#\n"
      "# /etc/pam.d/common-auth - authentication settings common to all services\n"
      "#\n"
      "# here are the per-package modules (the \"Primary\" block)\n"
      "auth\t[success=1 default=ignore]\tpam_unix.so nullok\n"
      "# here's the fallback if no module succeeds\n"
      "auth\trequisite\t\t\tpam_deny.so\n"
      "auth\trequired\t\t\tpam_permit.so\n"
      "auth\toptional\t\t\tpam_cap.so \n"
      "# end of pam-auth-update config\n");
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].kind == Kind::module);
  CHECK(lines[0].line == 5);
  CHECK(lines[0].type == PamType::auth);
  CHECK(lines[0].control == "[success=1 default=ignore]");
  CHECK(lines[0].module == "pam_unix.so");
  CHECK(lines[0].args == std::vector<std::string>{"nullok"});
  CHECK(lines[0].text() == "auth [success=1 default=ignore] pam_unix.so nullok");
  CHECK(lines[3].module_name() == "pam_cap.so");
  CHECK(lines[3].args.empty());
}

TEST_CASE("pam_config: includes, substacks and @include") {
  auto lines = hb::parse_pam_config(
      "@include common-auth\n"
      "account include system-account\n"
      "password substack /etc/pam.d/common-password\n"
      "-session optional pam_systemd.so\n"
      "AUTH Required /lib/x86_64-linux-gnu/security/pam_env.so readenv=1 user_readenv=0\n");
  REQUIRE(lines.size() == 5);
  CHECK(lines[0].kind == Kind::include_all);
  CHECK(lines[0].target == "common-auth");
  CHECK_FALSE(lines[0].type.has_value());
  CHECK(lines[1].kind == Kind::include);
  CHECK(lines[1].type == PamType::account);
  CHECK(lines[1].target == "system-account");
  CHECK(lines[2].kind == Kind::substack);
  CHECK(lines[2].target == "/etc/pam.d/common-password");
  CHECK(lines[3].dash);
  CHECK(lines[3].type == PamType::session);
  CHECK(lines[3].text() == "-session optional pam_systemd.so");
  CHECK(lines[4].type == PamType::auth);
  CHECK(lines[4].module_name() == "pam_env.so");
  CHECK(lines[4].args.size() == 2);
}

TEST_CASE("pam_config: bracketed arguments keep their blanks, comments and continuations") {
  auto lines = hb::parse_pam_config(
      "auth required pam_exec.so [cmd=/bin/echo a b] quiet # a comment with pam_x.so\n"
      "password requisite pam_pwquality.so \\\n"
      "    retry=3 \\\n"
      "\n"
      "    minlen=14\n"
      "session required pam_limits.so conf=/x \\ # a comment stops the continuation\n"
      "session required pam_env.so\n"
      "account [default=bad\\] success=ok] pam_x.so\n");
  REQUIRE(lines.size() == 5);
  CHECK(lines[0].args == std::vector<std::string>{"cmd=/bin/echo a b", "quiet"});
  CHECK(lines[0].text() == "auth required pam_exec.so [cmd=/bin/echo a b] quiet");
  CHECK(lines[1].line == 2);
  CHECK(lines[1].args == std::vector<std::string>{"retry=3", "minlen=14"});
  CHECK(lines[2].args == std::vector<std::string>{"conf=/x", "\\"});
  CHECK(lines[3].module == "pam_env.so");
  CHECK(lines[4].control == "[default=bad] success=ok]");
}

TEST_CASE("pam_config: lines PAM rejects are kept as invalid, with the reason") {
  auto lines = hb::parse_pam_config(
      "auht required pam_unix.so\n"
      "auth\n"
      "auth required\n"
      "auth include\n"
      "@include\n");
  REQUIRE(lines.size() == 5);
  for (const auto& l : lines) CHECK(l.kind == Kind::invalid);
  CHECK(lines[0].reason == "unknown module type 'auht'");
  CHECK_FALSE(lines[0].type.has_value());
  CHECK(lines[1].reason == "no control flag");
  CHECK(lines[2].reason == "no module path");
  CHECK(lines[3].reason == "no file to include");
  CHECK(lines[4].reason == "@include without a file");
}

TEST_CASE("pam_config: hostile input never crashes") {
  CHECK(hb::parse_pam_config("").empty());
  CHECK(hb::parse_pam_config("\\\n\\\n\\").size() == 0);
  auto unclosed = hb::parse_pam_config("auth [success=1 pam_unix.so nullok\n");
  REQUIRE(unclosed.size() == 1);
  CHECK(unclosed[0].kind == Kind::invalid);  // the control swallowed the rest of the line
  std::string long_line = "auth required pam_x.so " + std::string(1 << 20, 'a') + "\n";
  auto too_long = hb::parse_pam_config(long_line + "auth required pam_y.so\n");
  REQUIRE(too_long.size() == 2);
  CHECK(too_long[0].kind == Kind::invalid);
  CHECK(too_long[0].reason == "a line longer than 65536 bytes");
  CHECK(too_long[1].module == "pam_y.so");
  std::string continued;
  for (int i = 0; i < 50000; ++i) continued += "auth required pam_x.so arg \\\n";
  auto joined = hb::parse_pam_config(continued);
  REQUIRE(joined.size() == 1);  // one logical line, too long to be a guess
  CHECK(joined[0].kind == Kind::invalid);
  std::string brackets(100000, '[');
  CHECK(hb::parse_pam_config(brackets).size() == 1);
  std::string binary("auth\0required\xff pam\x01.so", 22);
  CHECK(hb::parse_pam_config(binary).size() == 1);
}
