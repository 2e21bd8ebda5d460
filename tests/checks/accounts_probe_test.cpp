#include "checks/accounts_probe.hpp"

#include <doctest/doctest.h>

#include "engine/accounts.hpp"
#include "engine/facts.hpp"
#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

using hb::Status;
using hb::test::all_evidence;
using hb::test::contains;
using hb::test::TempTree;

namespace {

// Hashes with a recognisable secret part, to prove that no evidence ever shows them.
const std::string k_secret = "S3CRETsalt";
const std::string k_hash = "$y$j9T$" + k_secret + "$" + k_secret + "HASHtail";

const std::string k_passwd =
    "root:x:0:0:root:/root:/bin/bash\n"
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "sync:x:4:65534:sync:/bin:/bin/sync\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
    "systemd-network:x:998:998:systemd Network Management:/:/usr/sbin/nologin\n"
    "sshd:x:101:65534::/run/sshd:/usr/sbin/nologin\n"
    "admin:x:1000:1000:Site Administrator,,,:/home/admin:/bin/bash\n";
const std::string k_group =
    "root:x:0:\ndaemon:x:1:\nsudo:x:27:admin\nnogroup:x:65534:\nsystemd-network:x:998:\n"
    "admin:x:1000:\n";
const std::string k_shadow =
    "root:*:19800:0:99999:7:::\n"
    "daemon:*:19800:0:99999:7:::\n"
    "sync:*:19800:0:99999:7:::\n"
    "nobody:*:19800:0:99999:7:::\n"
    "systemd-network:!*:19800::::::\n"
    "sshd:!:19800::::::\n"
    "admin:" + k_hash + ":19800:1:365:7:45::\n";

TempTree host() {
  TempTree t;
  t.write("/etc/passwd", k_passwd);
  t.write("/etc/group", k_group);
  t.write("/etc/shadow", k_shadow, 0640);
  return t;
}

hb::Outcome run(const std::string& check, const TempTree& t, const std::string& extra = "") {
  auto v = t.view();
  return hb::test::run_probe(&hb::parse_accounts_probe, "check: " + check + "\n" + extra, *v);
}

const char* const k_all_checks[] = {
    "uid0_only_root",     "no_empty_passwords",       "system_accounts_nologin",
    "no_duplicate_uids",  "no_duplicate_gids",        "no_duplicate_user_names",
    "no_duplicate_group_names", "groups_exist",       "shadowed_passwords"};

std::string limit_for(const std::string& check) {
  if (check == "password_max_days") return "max: 365\n";
  if (check == "password_warn_age") return "min: 7\n";
  if (check == "inactive") return "max: 45\n";
  return "";
}

}  // namespace

TEST_CASE("accounts probe: a clean host passes every check") {
  auto t = host();
  for (std::string c : k_all_checks) {
    CAPTURE(c);
    CHECK(run(c, t).status == Status::pass);
  }
  for (std::string c : {"password_max_days", "password_warn_age", "inactive"}) {
    CAPTURE(c);
    CHECK(run(c, t, limit_for(c)).status == Status::pass);
  }
  CHECK(all_evidence(run("uid0_only_root", t)) == "only root has UID 0 in /etc/passwd (7 accounts)\n");
  CHECK(all_evidence(run("password_max_days", t, "max: 365\n")) ==
        "1 account with a password in /etc/shadow, all with a maximum password age of 1 to 365 "
        "days\n");
}

TEST_CASE("accounts probe: a second UID 0 account fails with its line") {
  auto t = host();
  t.write("/etc/passwd", k_passwd + "toor:x:0:0:old root alias:/root:/bin/bash\n");
  auto o = run("uid0_only_root", t);
  CHECK(o.status == Status::fail);
  REQUIRE(o.objects.size() == 1);
  CHECK(o.objects[0].id == "toor");
  CHECK(o.objects[0].evidence[0] == "/etc/passwd:8: toor has UID 0, the superuser's");
  auto dup = run("no_duplicate_uids", t);
  REQUIRE(dup.objects.size() == 1);
  CHECK(dup.objects[0].id == "UID 0");
  CHECK(dup.objects[0].evidence[0] ==
        "UID 0 is used 2 times in /etc/passwd: root (line 1), toor (line 8)");
}

TEST_CASE("accounts probe: an empty password field fails, in shadow or in passwd") {
  auto t = host();
  t.write("/etc/shadow", k_shadow + "guest::19800:0:99999:7:::\n");
  auto o = run("no_empty_passwords", t);
  CHECK(o.status == Status::fail);
  REQUIRE(o.objects.size() == 1);
  CHECK(o.objects[0].id == "guest");
  CHECK(o.objects[0].evidence[0] ==
        "/etc/shadow:8: guest has an empty password field: it logs in without a password wherever "
        "PAM allows nullok");
  t.write("/etc/passwd", k_passwd + "kiosk::1001:1001::/home/kiosk:/bin/sh\n");
  auto both = run("no_empty_passwords", t);
  CHECK(both.objects.size() == 2);
  CHECK(both.objects[0].evidence[0] == "/etc/passwd:8: kiosk has an empty password field");
}

TEST_CASE("accounts probe: evidence never contains a password hash or any part of one") {
  auto t = host();
  // Every account has a hash with the secret, so every check that looks at it has its chance.
  t.write("/etc/passwd", k_passwd + "legacy:" + k_hash + ":0:1003::/home/legacy:/bin/sh\n" +
                             "root:" + k_hash + ":1004:0::/:/bin/sh\n");
  t.write("/etc/shadow", k_shadow + "legacy:" + k_hash + ":19800:0:99999:0:::\n" +
                             "broken:" + k_hash + ":x:y\n" + "admin:" + k_hash + "\n");
  t.write("/etc/group", k_group + "admin:x:1000:\n");
  std::vector<std::string> checks(std::begin(k_all_checks), std::end(k_all_checks));
  checks.insert(checks.end(), {"password_max_days", "password_warn_age", "inactive"});
  int failed = 0;
  for (const auto& c : checks) {
    CAPTURE(c);
    auto o = run(c, t, limit_for(c));
    const std::string ev = all_evidence(o);
    failed += o.status == Status::fail;
    CHECK(ev.find(k_secret) == std::string::npos);
    CHECK(ev.find("$y$") == std::string::npos);
    CHECK(ev.find("j9T") == std::string::npos);
  }
  CHECK(failed >= 6);  // the secret-bearing accounts did reach the evidence-writing paths
}

TEST_CASE("accounts probe: system accounts need nologin or false, UID_MIN comes from login.defs") {
  auto t = host();
  t.write("/etc/passwd",
          k_passwd + "postgres:x:105:111:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash\n"
                     "games2:x:600:60::/usr/games:\n"
                     "app:x:700:700::/srv/app:/bin/false\n");
  auto o = run("system_accounts_nologin", t);
  CHECK(o.status == Status::fail);
  REQUIRE(o.objects.size() == 2);
  CHECK(o.objects[0].evidence[0] ==
        "/etc/passwd:8: system account postgres (UID 105) has the login shell /bin/bash");
  CHECK(o.objects[1].evidence[0] ==
        "/etc/passwd:9: system account games2 (UID 600) has the login shell '' (/bin/sh)");
  t.write("/etc/login.defs", "# UID_MIN 1000\nUID_MIN\t\t\t 500\n");
  auto lower = run("system_accounts_nologin", t);
  REQUIRE(lower.objects.size() == 1);
  CHECK(lower.objects[0].id == "postgres");
  // root, sync and an admin above UID_MIN never count.
  CHECK_FALSE(contains(all_evidence(lower), "root"));
}

TEST_CASE("accounts probe: duplicate GIDs, names, and groups that do not exist") {
  auto t = host();
  t.write("/etc/group", k_group + "webadmin:x:1000:admin\nsudo:x:28:\n");
  auto gids = run("no_duplicate_gids", t);
  REQUIRE(gids.objects.size() == 1);
  CHECK(gids.objects[0].evidence[0] ==
        "GID 1000 is used 2 times in /etc/group: admin (line 6), webadmin (line 7)");
  auto names = run("no_duplicate_group_names", t);
  REQUIRE(names.objects.size() == 1);
  CHECK(names.objects[0].id == "sudo");
  t.write("/etc/passwd", k_passwd + "deploy:x:1002:1002::/home/deploy:/bin/bash\n"
                                    "admin:x:1001:1000::/home/admin2:/bin/bash\n");
  auto missing = run("groups_exist", t);
  REQUIRE(missing.objects.size() == 1);
  CHECK(missing.objects[0].evidence[0] ==
        "/etc/passwd:8: deploy's primary GID 1002 has no entry in /etc/group");
  auto users = run("no_duplicate_user_names", t);
  REQUIRE(users.objects.size() == 1);
  CHECK(users.objects[0].id == "admin");
}

TEST_CASE("accounts probe: passwords kept in /etc/passwd fail shadowed_passwords") {
  auto t = host();
  t.write("/etc/passwd", k_passwd + "legacy:abJnggxhB/yWI:1003:100::/home/legacy:/bin/sh\n"
                                    "locked:*:1004:100::/home/locked:/bin/sh\n");
  auto o = run("shadowed_passwords", t);
  REQUIRE(o.objects.size() == 2);
  CHECK(o.objects[0].evidence[0] ==
        "/etc/passwd:8: legacy's password field is a password hash, not 'x' (the password is not "
        "kept in /etc/shadow)");
  CHECK(contains(o.objects[1].evidence[0], "locked's password field is locked, not 'x'"));
}

TEST_CASE("accounts probe: password ageing of accounts with a usable password") {
  auto t = host();
  t.write("/etc/shadow", k_shadow + "deploy:" + k_hash + ":19850:0:99999:3:::\n" +
                             "ops:" + k_hash + ":19850:1:0:7:-1::\n" +
                             "locked:!" + k_hash + ":19850:0:99999:0:::\n");
  auto max = run("password_max_days", t, "max: 365\n");
  CHECK(max.status == Status::fail);
  REQUIRE(max.objects.size() == 2);
  CHECK(max.objects[0].evidence[0] ==
        "/etc/shadow:8: deploy: maximum password age 99999 (field 5); expected 1 to 365 days");
  CHECK(max.objects[1].id == "ops");  // 0: the password is always expired, CIS wants >= 1
  auto warn = run("password_warn_age", t, "min: 7\n");
  REQUIRE(warn.objects.size() == 1);
  CHECK(warn.objects[0].evidence[0] ==
        "/etc/shadow:8: deploy: password expiry warning 3 (field 6); expected at least 7 days");
  auto inactive = run("inactive", t, "max: 45\n");
  REQUIRE(inactive.objects.size() == 2);
  CHECK(inactive.objects[0].evidence[0] ==
        "/etc/shadow:8: deploy: inactivity lock empty (never locked) (field 7); expected 0 to 45 "
        "days");
  CHECK(contains(inactive.objects[1].evidence[0], "ops: inactivity lock -1 (field 7)"));
}

TEST_CASE("accounts probe: missing or unreadable account files are errors") {
  TempTree empty;
  for (std::string c : k_all_checks) {
    CAPTURE(c);
    CHECK(run(c, empty).status == Status::error);
  }
  auto t = host();
  t.remove("/etc/shadow");
  auto o = run("no_empty_passwords", t);
  CHECK(o.status == Status::error);
  CHECK(all_evidence(o) == "/etc/shadow does not exist\n");
  CHECK(run("password_max_days", t, "max: 365\n").status == Status::error);
  CHECK(run("uid0_only_root", t).status == Status::pass);  // passwd alone decides this one
  t.mkfifo("/etc/shadow");
  CHECK(contains(all_evidence(run("inactive", t, "max: 45\n")), "cannot read /etc/shadow"));
}

TEST_CASE("accounts probe: the fixture hosts") {
  auto hardened = TempTree::from_fixture("hardened");
  auto weak = TempTree::from_fixture("weak");
  std::vector<std::string> checks(std::begin(k_all_checks), std::end(k_all_checks));
  checks.insert(checks.end(), {"password_max_days", "password_warn_age", "inactive"});
  int weak_failed = 0;
  for (const auto& c : checks) {
    CAPTURE(c);
    auto h = run(c, hardened, limit_for(c));
    CAPTURE(all_evidence(h));
    CHECK(h.status == Status::pass);
    auto w = run(c, weak, limit_for(c));
    CHECK(w.status != Status::error);
    weak_failed += w.status == Status::fail;
  }
  CHECK(weak_failed >= 10);
}

TEST_CASE("accounts probe: files are parsed once per scan") {
  auto t = host();
  hb::Facts facts;
  auto v = t.view();
  hb::test::run_probe(&hb::parse_accounts_probe, "check: uid0_only_root\n", *v, &facts);
  hb::test::run_probe(&hb::parse_accounts_probe, "check: inactive\nmax: 30\n", *v, &facts);
  hb::test::run_probe(&hb::parse_accounts_probe, "check: no_empty_passwords\n", *v, &facts);
  (void)hb::load_accounts(*v, facts);  // the engine's view of the same files
  CHECK(facts.parse_counts().at("accounts.lines") == 1);
  CHECK(facts.parse_counts().at("accounts") == 1);
  CHECK(facts.parse_counts().at("file:/etc/passwd") == 1);  // one read shared by both
  CHECK(facts.parse_counts().at("file:/etc/group") == 1);
  CHECK(facts.parse_counts().at("shadow") == 1);
}

TEST_CASE("accounts probe: bad parameters are load errors") {
  using hb::test::parse_error;
  auto p = &hb::parse_accounts_probe;
  CHECK(contains(parse_error(p, "max: 3\n"), "check"));
  CHECK(contains(parse_error(p, "check: uid0_only\n"), "uid0_only"));
  CHECK(contains(parse_error(p, "check: password_max_days\n"),
                 "check: password_max_days needs 'max: DAYS'"));
  CHECK(contains(parse_error(p, "check: password_warn_age\nmax: 7\n"), "needs 'min: DAYS'"));
  CHECK(contains(parse_error(p, "check: uid0_only_root\nmax: 7\n"), "max"));
  CHECK(contains(parse_error(p, "check: inactive\nmax: -3\n"), "expected a number of days"));
  CHECK(contains(parse_error(p, "check: inactive\nmax: soon\n"), "expected a whole number"));
}

TEST_CASE("accounts probe: group_members judges listed members and primary-group users") {
  auto t = host();
  t.write("/etc/group", k_group + "docker:x:999:alice,admin\n");
  t.write("/etc/passwd", k_passwd + "alice:x:1001:1001::/home/alice:/bin/bash\n"
                                    "ci:x:1002:999::/home/ci:/bin/bash\n");
  auto o = run("group_members", t, "group: docker\nallowed: [admin]\n");
  CHECK(o.status == Status::fail);
  REQUIRE(o.objects.size() == 2);
  CHECK(o.objects[0].id == "alice");
  CHECK(o.objects[0].evidence[0] ==
        "/etc/group:7: alice is a member of docker and not in the allowed list");
  CHECK(o.objects[1].id == "ci");
  CHECK(contains(all_evidence(o), "ci's primary group is docker (GID 999)"));
  CHECK(contains(all_evidence(o), "members of docker (/etc/group:7): alice, admin, ci"));

  auto ok = run("group_members", t, "group: docker\nallowed: [admin, alice, ci]\n");
  CHECK(ok.status == Status::pass);
  // No such group: nobody can use its access.
  auto none = run("group_members", t, "group: wheel\nallowed: []\n");
  CHECK(none.status == Status::pass);
  CHECK(contains(all_evidence(none), "no group wheel"));
  // An unreadable /etc/group is an error, not a pass.
  t.remove("/etc/group");
  CHECK(run("group_members", t, "group: docker\n").status == Status::error);
  CHECK(contains(hb::test::parse_error(&hb::parse_accounts_probe, "check: group_members\n"),
                 "group"));
}
