#include "checks/shadow.hpp"

#include <doctest/doctest.h>

using hb::PasswordField;

TEST_CASE("shadow: password fields are classified, never kept") {
  CHECK(hb::classify_password_field("") == PasswordField::empty);
  CHECK(hb::classify_password_field("x") == PasswordField::shadowed);
  CHECK(hb::classify_password_field("*") == PasswordField::locked);
  CHECK(hb::classify_password_field("!") == PasswordField::locked);
  CHECK(hb::classify_password_field("!*") == PasswordField::locked);
  CHECK(hb::classify_password_field("!$6$salt$hash") == PasswordField::locked);
  CHECK(hb::classify_password_field("$y$j9T$salt$hash") == PasswordField::hash);
  CHECK(hb::classify_password_field("$6$rounds=5000$salt$hash") == PasswordField::hash);
  CHECK(hb::classify_password_field("abJnggxhB/yWI") == PasswordField::hash);  // DES
  CHECK(hb::classify_password_field("NP") == PasswordField::invalid);
  CHECK(hb::classify_password_field("$1") == PasswordField::invalid);
  CHECK(hb::describe(PasswordField::empty) == "empty");
  CHECK(hb::describe(PasswordField::hash) == "a password hash");
}

TEST_CASE("shadow: Debian 12 lines give names, classes and day counts") {
  auto f = hb::parse_shadow(
      "root:*:19800:0:99999:7:::\n"
      "systemd-network:!*:19800::::::\n"
      "admin:$y$j9T$fixture.salt.only$notarealhash:19800:1:365:7:45::\n"
      "guest::19800:0:99999:7:::\n"
      "old:$6$x$y:19000:0:90:14:-1:19999:\n");
  REQUIRE(f.entries.size() == 5);
  CHECK(f.malformed_count == 0);
  CHECK(f.entries[0].name == "root");
  CHECK(f.entries[0].password == PasswordField::locked);
  CHECK(f.entries[0].max_days == 99999);
  CHECK_FALSE(f.entries[1].max_days.has_value());
  CHECK_FALSE(f.entries[1].warn_days.has_value());
  CHECK(f.entries[2].password == PasswordField::hash);
  CHECK(f.entries[2].line == 3);
  CHECK(f.entries[2].min_days == 1);
  CHECK(f.entries[2].max_days == 365);
  CHECK(f.entries[2].warn_days == 7);
  CHECK(f.entries[2].inactive_days == 45);
  CHECK_FALSE(f.entries[2].expire.has_value());
  CHECK(f.entries[3].password == PasswordField::empty);
  CHECK(f.entries[4].inactive_days == -1);
  CHECK(f.entries[4].expire == 19999);
}

TEST_CASE("shadow: malformed lines are skipped and counted by number only") {
  auto f = hb::parse_shadow(
      "root:*:19800:0:99999:7:::\n"
      "short:$6$secret\n"
      "text:$6$secret:abc:0:99999:7:::\n"
      ":$6$secret:1:0:99999:7:::\n"
      "\n"
      "ok:*:1:0:99999:7:::\n");
  CHECK(f.entries.size() == 2);
  CHECK(f.malformed_count == 3);
  CHECK(f.malformed_lines == std::vector<int>{2, 3, 4});
}

TEST_CASE("shadow: hostile input never crashes") {
  CHECK(hb::parse_shadow("").entries.empty());
  CHECK(hb::parse_shadow(std::string(1 << 20, ':')).entries.empty());
  CHECK(hb::parse_shadow(std::string(100000, '\n')).entries.empty());
  auto big = hb::parse_shadow("a:b:99999999999999999999:::::::\n");
  CHECK(big.entries.empty());
  CHECK(big.malformed_count == 1);
  std::string many;
  for (int i = 0; i < 3000; ++i) many += "x\n";
  auto m = hb::parse_shadow(many);
  CHECK(m.malformed_count == 3000);
  CHECK(m.malformed_lines.size() == hb::k_max_listed_malformed);
}
