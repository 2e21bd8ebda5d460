#include "engine/scanner.hpp"

#include <doctest/doctest.h>

#include "tests/support/fake_probe.hpp"
#include "tests/support/temp_tree.hpp"

using hb::Status;
using hb::test::TempTree;

namespace {

hb::ProfileSet load_rules(TempTree& t, const std::string& rules) {
  t.write("/p/p.yaml", "profile: {id: p, title: P, version: '1'}\nrules:\n" + rules);
  hb::LoadOptions lo;
  lo.dirs = {t.root() + "/p"};
  auto set = hb::load_profiles({"p"}, hb::test::fake_kinds(), lo);
  if (!set) FAIL(set.message());
  return std::move(set.value());
}

std::string rule(const std::string& id, const std::string& check, const std::string& extra = "") {
  return "  - {id: " + id + ", title: " + id + ", rationale: r, remediation: m, severity: medium, " +
         extra + "check: " + check + "}\n";
}

hb::ScanRun scan(const hb::ProfileSet& profile_set, unsigned jobs = 4,
                 std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  // A copy owned by the scan: an abandoned rule's thread may outlive this function.
  auto set = std::make_shared<const hb::ProfileSet>(profile_set);
  std::vector<const hb::Rule*> rules;
  for (const auto& r : set->rules) rules.push_back(&r);
  TempTree host;
  std::shared_ptr<const hb::HostView> view(host.view());
  hb::ScanOptions so;
  so.jobs = jobs;
  so.rule_timeout = timeout;
  return hb::run_scan(set, rules, view, nullptr, so);
}

}  // namespace

TEST_CASE("scanner: results come out in profile order whatever the timing") {
  TempTree t;
  std::string rules;
  for (int i = 0; i < 24; ++i)
    rules += rule("r" + std::to_string(i),
                  "{probe: fake, sleep_ms: " + std::to_string((i * 7) % 5 * 3) + "}");
  auto set = load_rules(t, rules);
  auto run = scan(set, 4);
  REQUIRE(run.results.size() == 24);
  for (int i = 0; i < 24; ++i) CHECK(run.results[i].meta.id == "r" + std::to_string(i));
  CHECK(run.abandoned == 0);
}

TEST_CASE("scanner: probes learn the scan's job count, even when there are fewer rules") {
  TempTree t;
  auto set = load_rules(t, rule("one", "{probe: fake, report_jobs: true}"));
  CHECK(scan(set, 3).results.at(0).evidence.at(0) == "jobs 3");
  CHECK(scan(set, 1).results.at(0).evidence.at(0) == "jobs 1");
}

TEST_CASE("scanner: a probe that throws makes its rule error and the scan goes on") {
  TempTree t;
  auto set = load_rules(t, rule("boom", "{probe: fake, throws: true}") +
                               rule("fine", "{probe: fake, status: fail}"));
  auto run = scan(set);
  CHECK(run.results[0].status == Status::error);
  CHECK(run.results[0].evidence.at(0).find("fake probe exploded") != std::string::npos);
  CHECK(run.results[1].status == Status::fail);
}

TEST_CASE("scanner: a rule past its timeout is an error and the others still finish") {
  TempTree t;
  auto set = load_rules(t, rule("slow", "{probe: fake, sleep_ms: 3000}") +
                               rule("quick1", "{probe: fake}") + rule("quick2", "{probe: fake}"));
  auto t0 = std::chrono::steady_clock::now();
  auto run = scan(set, 1, std::chrono::milliseconds(200));
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(2500));
  CHECK(run.results[0].status == Status::error);
  CHECK(run.results[0].evidence.at(0).find("timed out") != std::string::npos);
  CHECK(run.results[1].status == Status::pass);
  CHECK(run.results[2].status == Status::pass);
  CHECK(run.abandoned == 1);
}

TEST_CASE("scanner: the scan's deadline leaves unfinished rules notchecked, saying why") {
  TempTree t;
  auto set_value = load_rules(t, rule("quick", "{probe: fake, status: fail}") +
                                     rule("slow", "{probe: fake, sleep_ms: 3000}") +
                                     rule("later", "{probe: fake}"));
  auto set = std::make_shared<const hb::ProfileSet>(set_value);
  std::vector<const hb::Rule*> rules;
  for (const auto& r : set->rules) rules.push_back(&r);
  TempTree host;
  std::shared_ptr<const hb::HostView> view(host.view());
  hb::ScanOptions so;
  so.jobs = 1;  // "later" waits behind "slow" and never starts
  so.scan_timeout = std::chrono::milliseconds(300);
  auto t0 = std::chrono::steady_clock::now();
  auto run = hb::run_scan(set, rules, view, nullptr, so);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(2500));
  REQUIRE(run.results.size() == 3);
  CHECK(run.results[0].status == Status::fail);  // finished in time: kept as it was
  CHECK(run.results[1].status == Status::notchecked);
  CHECK(run.results[1].evidence.at(0).find("passed while the check ran") != std::string::npos);
  CHECK(run.results[2].status == Status::notchecked);
  CHECK(run.results[2].evidence.at(0).find("before the check started") != std::string::npos);
  CHECK(run.not_finished == 2);
  CHECK(run.abandoned == 1);
}

TEST_CASE("scanner: applies_if decides notapplicable and error") {
  TempTree t;
  auto set = load_rules(
      t, rule("na", "{probe: fake, status: fail}", "applies_if: {probe: fake, status: fail, evidence: no sshd}, ") +
             rule("na2", "{probe: fake, status: fail}", "applies_if: {probe: fake, status: notapplicable}, ") +
             rule("err", "{probe: fake, status: fail}", "applies_if: {probe: fake, status: error}, ") +
             rule("yes", "{probe: fake, status: fail}", "applies_if: {probe: fake, status: pass}, "));
  auto run = scan(set);
  CHECK(run.results[0].status == Status::notapplicable);
  CHECK(run.results[0].evidence.at(0) == "not applicable: no sshd");
  CHECK(run.results[1].status == Status::notapplicable);
  CHECK(run.results[2].status == Status::error);
  CHECK(run.results[3].status == Status::fail);
}

TEST_CASE("scanner: a source shared by many rules is computed once per scan") {
  TempTree t;
  std::string rules;
  for (int i = 0; i < 16; ++i) rules += rule("s" + std::to_string(i), "{probe: fake, source: shared, sleep_ms: 2}");
  auto set = load_rules(t, rules);
  int before = hb::test::g_fake_source_computations;
  auto run = scan(set, 4);
  CHECK(hb::test::g_fake_source_computations - before == 1);
  CHECK(run.parse_counts.at("shared") == 1);
}

TEST_CASE("scanner: durations are recorded per rule") {
  TempTree t;
  auto set = load_rules(t, rule("slowish", "{probe: fake, sleep_ms: 30}"));
  auto run = scan(set);
  CHECK(run.results[0].duration_us >= 30000);
}

TEST_CASE("scanner: selection by --check, --skip and --tag, and typos are errors") {
  TempTree t;
  auto set = load_rules(t, rule("host.ssh.a", "{probe: fake}", "tags: [ssh], ") +
                               rule("host.ssh.b", "{probe: fake}", "tags: [ssh], ") +
                               rule("host.net.c", "{probe: fake}", "tags: [net], "));
  auto all = hb::select_rules(set, {});
  CHECK(all->size() == 3);
  auto ssh = hb::select_rules(set, {{"host.ssh.*"}, {"host.ssh.b"}, {}});
  REQUIRE(ssh.ok());
  REQUIRE(ssh->size() == 1);
  CHECK((*ssh)[0]->meta.id == "host.ssh.a");
  auto net = hb::select_rules(set, {{}, {}, {"net"}});
  REQUIRE(net->size() == 1);
  CHECK((*net)[0]->meta.id == "host.net.c");
  CHECK(hb::select_rules(set, {{"host.shh.*"}, {}, {}}).message() == "--check host.shh.*: matches no rule");
  CHECK_FALSE(hb::select_rules(set, {{}, {}, {"nosuchtag"}}).ok());
}

