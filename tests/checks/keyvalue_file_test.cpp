#include "checks/keyvalue_file.hpp"

#include <doctest/doctest.h>

#include "tests/support/temp_tree.hpp"

using hb::KeyValueDialect;
using hb::KeyValueLine;
using hb::test::TempTree;

namespace {

std::vector<KeyValueLine> parse_ok(std::string_view text, KeyValueDialect d) {
  auto r = hb::parse_keyvalue_text(text, d, "/f");
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.message()));
  return std::move(r).value();
}

}  // namespace

TEST_CASE("keyvalue file: sshd splits keyword and value as servconf.c does") {
  auto lines = parse_ok(
      "# comment\n"
      "\n"
      "   \t\n"
      "PermitRootLogin no\n"
      "MaxAuthTries=3\n"
      "LoginGraceTime = 30\n"
      "ClientAliveInterval =300\n"
      "  Banner   \"/etc/issue net\"  \n"
      "AllowUsers alice\t  bob   # trailing comment\n"
      "Ciphers aes256-gcm@openssh.com,chacha20-poly1305@openssh.com\r\n"
      "ForceCommand echo a\\ b 'c d' x#y\n",
      KeyValueDialect::sshd);
  REQUIRE(lines.size() == 8);
  CHECK(lines[0].key == "PermitRootLogin");
  CHECK(lines[0].value == "no");
  CHECK(lines[0].line == 4);
  CHECK(lines[1].key == "MaxAuthTries");
  CHECK(lines[1].value == "3");
  CHECK(lines[2].value == "30");
  CHECK(lines[3].key == "ClientAliveInterval");
  CHECK(lines[3].value == "300");
  CHECK(lines[4].value == "/etc/issue net");
  CHECK(lines[5].value == "alice bob");
  CHECK(lines[6].value == "aes256-gcm@openssh.com,chacha20-poly1305@openssh.com");
  CHECK(lines[7].value == "echo a b c d x#y");
}

TEST_CASE("keyvalue file: sshd Include and Match lines are recognised in any case") {
  auto lines = parse_ok(
      "include /etc/ssh/sshd_config.d/*.conf \"other dir/x.conf\"\n"
      "Match User bob\n"
      "MATCH all\n"
      "Match All # back to global\n",
      KeyValueDialect::sshd);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].kind == KeyValueLine::Kind::include);
  REQUIRE(lines[0].args.size() == 2);
  CHECK(lines[0].args[0] == "/etc/ssh/sshd_config.d/*.conf");
  CHECK(lines[0].args[1] == "other dir/x.conf");
  CHECK(lines[1].kind == KeyValueLine::Kind::match);
  CHECK_FALSE(lines[1].match_all);
  CHECK(lines[2].match_all);
  CHECK(lines[3].match_all);
}

TEST_CASE("keyvalue file: sshd syntax errors name file and line") {
  auto quotes = hb::parse_keyvalue_text("Port 22\nBanner \"/etc/issue\n", KeyValueDialect::sshd,
                                        "/etc/ssh/sshd_config");
  REQUIRE_FALSE(quotes.ok());
  CHECK(quotes.kind() == hb::ErrorKind::parse);
  CHECK(quotes.message() == "/etc/ssh/sshd_config:2: invalid quotes");

  auto bare = hb::parse_keyvalue_text("PermitRootLogin\n", KeyValueDialect::sshd, "/c");
  REQUIRE_FALSE(bare.ok());
  CHECK(bare.message() == "/c:1: no argument after keyword \"PermitRootLogin\"");

  auto only_comment = hb::parse_keyvalue_text("PermitRootLogin #no\n", KeyValueDialect::sshd, "/c");
  CHECK_FALSE(only_comment.ok());

  auto empty_include = hb::parse_keyvalue_text("Include \"\"\n", KeyValueDialect::sshd, "/c");
  REQUIRE_FALSE(empty_include.ok());
  CHECK(empty_include.message() == "/c:1: keyword Include empty argument");
}

TEST_CASE("keyvalue file: login_defs reads fields as getdef.c does") {
  auto lines = parse_ok(
      "#\n"
      "MAIL_DIR        /var/mail\n"
      "UID_MIN\t\t\t 1000\n"
      "ENV_PATH\tPATH=/usr/local/bin:/usr/bin:/bin\n"
      "ENCRYPT_METHOD \"SHA512\"\n"
      "LONELY\n"
      "  # indented comment\n"
      "TWO words here  \n",
      KeyValueDialect::login_defs);
  REQUIRE(lines.size() == 5);
  CHECK(lines[0].key == "MAIL_DIR");
  CHECK(lines[0].value == "/var/mail");
  CHECK(lines[1].value == "1000");
  CHECK(lines[2].value == "PATH=/usr/local/bin:/usr/bin:/bin");
  CHECK(lines[3].value == "SHA512");
  CHECK(lines[4].key == "TWO");
  CHECK(lines[4].value == "words here");
}

TEST_CASE("keyvalue file: equals dialect with comments, sections and quotes") {
  auto lines = parse_ok(
      "; comment\n"
      "# comment\n"
      "[Coredump]\n"
      "Storage=none\n"
      "GRUB_CMDLINE_LINUX=\"quiet apparmor=1\"\n"
      "not an assignment\n"
      " = novalue\n"
      "ProcessSizeMax = 0\n",
      KeyValueDialect::equals);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].kind == KeyValueLine::Kind::section);
  CHECK(lines[0].key == "Coredump");
  CHECK(lines[1].key == "Storage");
  CHECK(lines[1].value == "none");
  CHECK(lines[2].value == "quiet apparmor=1");
  CHECK(lines[3].key == "ProcessSizeMax");
  CHECK(lines[3].value == "0");
}

TEST_CASE("keyvalue file: whitespace dialect normalises blanks") {
  auto lines = parse_ok("# c\nkey   a\t b\nflag\n", KeyValueDialect::whitespace);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].value == "a b");
  CHECK(lines[1].key == "flag");
  CHECK(lines[1].value == "");
}

TEST_CASE("keyvalue file: host glob is sorted and skips dot files") {
  TempTree t;
  t.write("/etc/ssh/sshd_config.d/20-b.conf", "");
  t.write("/etc/ssh/sshd_config.d/10-a.conf", "");
  t.write("/etc/ssh/sshd_config.d/.hidden.conf", "");
  t.write("/etc/ssh/sshd_config.d/README", "");
  auto v = t.view();
  auto r = hb::expand_host_glob(*v, "/etc/ssh/sshd_config.d/*.conf");
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  CHECK((*r)[0] == "/etc/ssh/sshd_config.d/10-a.conf");
  CHECK((*r)[1] == "/etc/ssh/sshd_config.d/20-b.conf");

  auto literal = hb::expand_host_glob(*v, "/etc/ssh/sshd_config.d/README");
  REQUIRE(literal.ok());
  CHECK(literal->size() == 1);
  auto none = hb::expand_host_glob(*v, "/etc/ssh/nowhere/*.conf");
  REQUIRE(none.ok());
  CHECK(none->empty());
  auto dir_glob = hb::expand_host_glob(*v, "/etc/*/sshd_config.d/1*.conf");
  REQUIRE(dir_glob.ok());
  REQUIRE(dir_glob->size() == 1);
  CHECK((*dir_glob)[0] == "/etc/ssh/sshd_config.d/10-a.conf");
}

TEST_CASE("keyvalue file: find_setting picks first for sshd, last for the others") {
  hb::KeyValueConfig cfg;
  cfg.assignments = {{"Port", "22", "", {"/a", 1}},
                     {"PermitRootLogin", "no", "", {"/a", 2}},
                     {"permitrootlogin", "yes", "", {"/a", 3}},
                     {"Port", "2222", "", {"/a", 4}}};
  auto sshd = hb::find_setting(cfg, KeyValueDialect::sshd, "PERMITROOTLOGIN");
  REQUIRE(sshd);
  CHECK(sshd->value == "no");
  CHECK(sshd->where[0].line == 2);
  auto port = hb::find_setting(cfg, KeyValueDialect::sshd, "port");
  REQUIRE(port);
  CHECK(port->value == "22 2222");  // Port accumulates in sshd
  CHECK(port->where.size() == 2);
  auto last = hb::find_setting(cfg, KeyValueDialect::whitespace, "Port");
  REQUIRE(last);
  CHECK(last->value == "2222");
  CHECK_FALSE(hb::find_setting(cfg, KeyValueDialect::whitespace, "PERMITROOTLOGIN"));
}
