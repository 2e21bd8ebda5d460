#include "engine/accounts.hpp"

#include <doctest/doctest.h>

#include "engine/facts.hpp"
#include "tests/support/temp_tree.hpp"

TEST_CASE("accounts: passwd and group parse as on Debian, skipping malformed lines") {
  auto users = hb::parse_passwd(
      "root:x:0:0:root:/root:/bin/bash\n# comment\nbroken line\nsshd:x:101:65534::/run/sshd:/usr/sbin/nologin\nbad:x:abc:0::/:/bin/sh\n");
  REQUIRE(users.size() == 2);
  CHECK(users[1].name == "sshd");
  CHECK(users[1].uid == 101);
  CHECK(users[1].shell == "/usr/sbin/nologin");
  auto groups = hb::parse_group("root:x:0:\nshadow:x:42:\ndocker:x:999:alice,bob\n");
  REQUIRE(groups.size() == 3);
  CHECK(groups[2].members == std::vector<std::string>{"alice", "bob"});
}

TEST_CASE("accounts: names come from the scanned root's files, once per scan") {
  hb::test::TempTree t;
  t.write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nauditor:x:4242:4242::/home/a:/bin/sh\n");
  t.write("/etc/group", "root:x:0:\nshadow:x:42:\n");
  auto v = t.view();
  hb::Facts facts;
  auto a = hb::load_accounts(*v, facts);
  CHECK(a->have_passwd);
  CHECK(a->user_name(4242) == "auditor");
  CHECK(a->gid_of("shadow") == 42u);
  CHECK(a->describe_user(4242) == "auditor(4242)");
  CHECK(a->describe_group(7) == "7");
  (void)hb::load_accounts(*v, facts);
  CHECK(facts.parse_counts().at("accounts") == 1);
}

TEST_CASE("accounts: a root without passwd gives empty maps, not a failure") {
  hb::test::TempTree t;
  auto v = t.view();
  hb::Facts facts;
  auto a = hb::load_accounts(*v, facts);
  CHECK_FALSE(a->have_passwd);
  CHECK_FALSE(a->user_name(0).has_value());
}

TEST_CASE("accounts: entries carry their line, and passwd's second field comes back beside them") {
  std::vector<std::string_view> fields;
  auto users = hb::parse_passwd(
      "# comment\nroot:x:0:0:root:/root:/bin/bash\r\nbroken\n\nold:$1$ab$cd:7:7::/:/bin/sh\n",
      &fields);
  REQUIRE(users.size() == 2);
  CHECK(users[0].line == 2);
  CHECK(users[1].line == 5);
  CHECK(fields == std::vector<std::string_view>{"x", "$1$ab$cd"});
  auto groups = hb::parse_group("\nroot:x:0:\nbad\nstaff:x:50:a\n");
  REQUIRE(groups.size() == 2);
  CHECK(groups[0].line == 2);
  CHECK(groups[1].line == 4);
}

TEST_CASE("accounts: each account file is read once per scan, whoever asks first") {
  hb::test::TempTree t;
  t.write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
  auto v = t.view();
  hb::Facts facts;
  auto text = hb::account_file(*v, facts, "/etc/passwd");
  REQUIRE(text->ok());
  CHECK(text->value() == "root:x:0:0:root:/root:/bin/bash\n");
  auto a = hb::load_accounts(*v, facts);
  CHECK(a->have_passwd);
  CHECK_FALSE(a->have_group);  // no /etc/group: its read failed, once
  CHECK(hb::account_file(*v, facts, "/etc/passwd").get() == text.get());
  CHECK_FALSE(hb::account_file(*v, facts, "/etc/group")->ok());
  auto counts = facts.parse_counts();
  CHECK(counts.at("file:/etc/passwd") == 1);
  CHECK(counts.at("file:/etc/group") == 1);
  CHECK(counts.at("accounts") == 1);
}
