#include "engine/waivers.hpp"

#include <doctest/doctest.h>

#include "tests/support/temp_tree.hpp"

using hb::Status;

namespace {

hb::WaiverSet parse(const std::string& text) {
  auto set = hb::parse_waivers(text, "w.yaml");
  if (!set) FAIL(set.message());
  return std::move(set.value());
}

std::string load_error(const std::string& text) {
  auto set = hb::parse_waivers(text, "w.yaml");
  REQUIRE_FALSE(set);
  return set.message();
}

hb::RuleResult result(const std::string& id, Status st,
                      std::vector<std::pair<std::string, Status>> objects = {}) {
  hb::RuleResult r;
  r.meta.id = id;
  r.status = st;
  r.evidence = {"observed"};
  for (auto& [oid, ost] : objects) r.objects.push_back({oid, ost, {"object evidence"}});
  return r;
}

// 2026-11-29T12:00:00Z
const hb::SystemTime k_now = hb::SystemTime(std::chrono::seconds(1795953600));

}  // namespace

TEST_CASE("waivers: the file format, and errors that name file:line") {
  auto set = parse(
      "waivers:\n"
      "  - rule: host.packages.unwanted\n"
      "    object: telnetd\n"
      "    justification: Legacy appliance, replaced in Q1\n"
      "    owner: ops@example.org\n"
      "    expires: 2027-03-31\n"
      "  - {rule: 'docker.container.*', justification: lab host}\n");
  REQUIRE(set.waivers.size() == 2);
  CHECK(set.waivers[0].rule == "host.packages.unwanted");
  CHECK(set.waivers[0].object == "telnetd");
  CHECK(set.waivers[0].owner == "ops@example.org");
  CHECK(set.waivers[0].expires == "2027-03-31");
  CHECK(set.waivers[0].source == "w.yaml:2");
  CHECK(set.waivers[1].source == "w.yaml:7");
  CHECK(set.waivers[1].expires.empty());

  CHECK(parse("").waivers.empty());
  CHECK(parse("waivers: []\n").waivers.empty());
  CHECK(load_error("waivers:\n  - rule: a.b\n    owner: me\n").find("w.yaml:2") != std::string::npos);
  CHECK(load_error("waivers:\n  - rule: a.b\n    justification: '  '\n").find("justification") !=
        std::string::npos);
  CHECK(load_error("waivers:\n  - {rule: a, justification: j, expires: 2027-02-30}\n").find("not a date") !=
        std::string::npos);
  CHECK(load_error("waivers:\n  - {rule: a, justification: j, expires: 31/03/2027}\n").find("w.yaml:2") !=
        std::string::npos);
  CHECK(load_error("waivers:\n  - {rule: a, justification: j, expire: 2027-01-01}\n").find("expires") !=
        std::string::npos);  // did you mean
  CHECK(load_error("waivers: {rule: a}\n").find("list") != std::string::npos);
  CHECK(load_error("- rule: a\n").find("mapping") != std::string::npos);
  CHECK(load_error("waivers:\n  - rule: [a\n").find("w.yaml:") != std::string::npos);
  CHECK(load_error("waivers:\n  - just a string\n").find("w.yaml:2") != std::string::npos);
}

TEST_CASE("waivers: a file that is missing, too large or not a regular file is an error") {
  hb::test::TempTree t;
  CHECK_FALSE(hb::load_waivers(t.root() + "/missing.yaml"));
  t.mkfifo("/fifo");
  auto fifo = hb::load_waivers(t.real("/fifo"));  // must not hang waiting for a writer
  REQUIRE_FALSE(fifo);
  CHECK(fifo.message().find("not a regular file") != std::string::npos);
  t.write("/big.yaml", std::string(5u << 20, '#'));
  CHECK(hb::load_waivers(t.real("/big.yaml")).message().find("larger than") != std::string::npos);
  t.write("/ok.yaml", "waivers:\n  - {rule: a, justification: j}\n");
  auto ok = hb::load_waivers(t.real("/ok.yaml"));
  REQUIRE(ok);
  CHECK(ok->waivers.at(0).source == t.real("/ok.yaml") + ":2");
}

TEST_CASE("waivers: object patterns match ids, names, ports and paths") {
  CHECK(hb::waiver_object_matches("telnetd", "telnetd"));
  CHECK_FALSE(hb::waiver_object_matches("telnet", "telnetd"));
  CHECK(hb::waiver_object_matches("web", "web (3f2a9c1b2d4e, nginx:1.25)"));
  CHECK(hb::waiver_object_matches("web*", "web-2 (3f2a9c1b2d4e, nginx:1.25)"));
  CHECK_FALSE(hb::waiver_object_matches("nginx", "web (3f2a9c1b2d4e, nginx:1.25)"));
  CHECK(hb::waiver_object_matches("25", "tcp 0.0.0.0:25"));
  CHECK_FALSE(hb::waiver_object_matches("2", "tcp 0.0.0.0:25"));
  CHECK(hb::waiver_object_matches("tcp 0.0.0.0:25", "tcp 0.0.0.0:25"));
  CHECK(hb::waiver_object_matches("/etc/pam.d/common-auth", "/etc/pam.d/common-auth:17"));
  CHECK(hb::waiver_object_matches("/etc/ssh/*", "/etc/ssh/sshd_config"));
  CHECK_FALSE(hb::waiver_object_matches("/etc/ssh/*", "/etc/shadow"));
}

TEST_CASE("waivers: a waived fail becomes waived, with its justification, pass and error are left") {
  auto set = parse(
      "waivers:\n"
      "  - {rule: 'host.packages.*', justification: patched monthly, owner: ops, expires: 2026-11-29}\n");
  std::vector<hb::RuleResult> results = {result("host.packages.updates", Status::fail),
                                         result("host.packages.security", Status::error),
                                         result("host.packages.lists", Status::pass),
                                         result("host.ssh.root", Status::fail)};
  auto st = hb::apply_waivers(set, results, k_now);  // expires today: still valid
  CHECK(results[0].status == Status::waived);
  REQUIRE(results[0].waivers.size() == 1);
  CHECK(results[0].waivers[0].object.empty());
  CHECK(results[0].waivers[0].waiver.justification == "patched monthly");
  CHECK(results[0].evidence.back() == "waived (w.yaml:2): patched monthly (owner ops, until 2026-11-29)");
  CHECK(results[1].status == Status::error);  // a waiver never hides an unknown
  CHECK(results[2].status == Status::pass);
  CHECK(results[3].status == Status::fail);
  CHECK(st.loaded == 1);
  CHECK(st.applied == 1);
  CHECK(st.expired.empty());
  CHECK(st.unused.empty());
}

TEST_CASE("waivers: object waivers waive matching objects, the rule follows when none fails") {
  auto set = parse(
      "waivers:\n"
      "  - {rule: host.network.listeners, object: '25', justification: mail relay}\n"
      "  - {rule: docker.container.privileged, object: ci-runner, justification: builds images}\n");
  std::vector<hb::RuleResult> results = {
      result("host.network.listeners", Status::fail,
             {{"tcp 0.0.0.0:25", Status::fail}, {"tcp 0.0.0.0:22", Status::pass}}),
      result("docker.container.privileged", Status::fail,
             {{"ci-runner (0123456789ab, gitlab-runner:16)", Status::fail},
              {"web (ba9876543210, nginx:1.25)", Status::fail}})};
  auto st = hb::apply_waivers(set, results, k_now);
  CHECK(results[0].status == Status::waived);
  CHECK(results[0].objects[0].status == Status::waived);
  CHECK(results[0].objects[0].evidence.back().find("mail relay") != std::string::npos);
  CHECK(results[0].objects[1].status == Status::pass);
  REQUIRE(results[0].waivers.size() == 1);
  CHECK(results[0].waivers[0].object == "tcp 0.0.0.0:25");
  // One of two failing containers waived: the rule still fails.
  CHECK(results[1].status == Status::fail);
  CHECK(results[1].objects[0].status == Status::waived);
  CHECK(results[1].objects[1].status == Status::fail);
  CHECK(st.applied == 2);
  CHECK(st.unused.empty());
}

TEST_CASE("waivers: an object waiver cannot change a failure its objects do not explain") {
  auto set = parse("waivers:\n  - {rule: r, object: a, justification: j}\n");
  // The rule fails on its own account (say, a missing file) although its only object passes.
  std::vector<hb::RuleResult> results = {result("r", Status::fail, {{"a", Status::pass}})};
  auto st = hb::apply_waivers(set, results, k_now);
  CHECK(results[0].status == Status::fail);
  REQUIRE(st.unused.size() == 1);
  CHECK(st.unused[0].reason == "nothing it covers fails");
}

TEST_CASE("waivers: a whole-rule waiver leaves an object in error as error") {
  auto set = parse("waivers:\n  - {rule: r, justification: j}\n");
  std::vector<hb::RuleResult> results = {
      result("r", Status::fail, {{"a", Status::fail}, {"b", Status::error}})};
  hb::apply_waivers(set, results, k_now);
  CHECK(results[0].objects[0].status == Status::waived);
  CHECK(results[0].objects[1].status == Status::error);
  CHECK(results[0].status == Status::error);
}

TEST_CASE("waivers: expired waivers do not apply and say so, unused ones are reported") {
  auto set = parse(
      "waivers:\n"
      "  - {rule: host.ssh.root, justification: old exception, expires: 2026-11-28}\n"
      "  - {rule: no.such.rule, justification: stale}\n"
      "  - {rule: host.ssh.root, object: nothing-like-it, justification: wrong object}\n"
      "  - {rule: host.fine, justification: fixed long ago}\n");
  std::vector<hb::RuleResult> results = {result("host.ssh.root", Status::fail, {{"root", Status::fail}}),
                                         result("host.fine", Status::pass)};
  auto st = hb::apply_waivers(set, results, k_now);
  CHECK(results[0].status == Status::fail);
  CHECK(results[0].evidence.back() == "waiver expired on 2026-11-28 (w.yaml:2): old exception");
  REQUIRE(st.expired.size() == 1);
  CHECK(st.expired[0].reason == "expired on 2026-11-28");
  REQUIRE(st.unused.size() == 3);
  CHECK(st.unused[0].waiver.rule == "no.such.rule");
  CHECK(st.unused[0].reason == "no rule id matches");
  CHECK(st.unused[1].reason == "no object of the matching rules matches");
  CHECK(st.unused[2].reason == "nothing it covers fails");
  CHECK(st.applied == 0);
}

TEST_CASE("waivers: the first matching entry applies, later ones for the same failure are unused") {
  auto set = parse(
      "waivers:\n"
      "  - {rule: 'host.*', justification: first}\n"
      "  - {rule: host.a, justification: second}\n");
  std::vector<hb::RuleResult> results = {result("host.a", Status::fail)};
  auto st = hb::apply_waivers(set, results, k_now);
  REQUIRE(results[0].waivers.size() == 1);
  CHECK(results[0].waivers[0].waiver.justification == "first");
  REQUIRE(st.unused.size() == 1);
  CHECK(st.unused[0].waiver.justification == "second");
}

TEST_CASE("waivers: the UTC date waivers are judged on") {
  CHECK(hb::utc_date(k_now) == "2026-11-29");
  CHECK(hb::utc_date(k_now - std::chrono::hours(13)) == "2026-11-28");
}
