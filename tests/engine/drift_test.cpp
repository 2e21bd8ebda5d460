#include "engine/drift.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "engine/report.hpp"
#include "engine/text.hpp"

namespace {

using hb::Status;

hb::RuleResult rule(const std::string& id, Status st, std::vector<std::string> evidence = {},
                    hb::Severity sv = hb::Severity::medium) {
  hb::RuleResult r;
  r.meta.id = id;
  r.meta.title = "Title of " + id;
  r.meta.severity = sv;
  r.status = st;
  r.evidence = std::move(evidence);
  return r;
}

hb::ScanReport scan(std::vector<hb::RuleResult> results, const std::string& host = "web01",
                    long long started_ms = 1795903451000LL) {
  hb::ScanReport rep;
  rep.meta.hostname = host;
  rep.meta.root = "/";
  rep.meta.started = hb::SystemTime(std::chrono::milliseconds(started_ms));
  rep.meta.finished = rep.meta.started + std::chrono::milliseconds(10);
  rep.meta.profiles = {{"linux", "Linux", "1.0.0", "", false, {}},
                       {"default", "Default", "1.0.0", "", true, {"linux"}}};
  rep.results = std::move(results);
  rep.summary = hb::compute_summary(rep.results);
  return rep;
}

// A later scan: the same host a day later.
hb::ScanReport later(std::vector<hb::RuleResult> results, const std::string& host = "web01") {
  return scan(std::move(results), host, 1795903451000LL + 86400000LL);
}

std::vector<std::string> ids(const std::vector<hb::DriftRule>& rules) {
  std::vector<std::string> out;
  for (const auto& r : rules) out.push_back(r.id);
  return out;
}

std::vector<std::string> ids(const hb::Capped<hb::DriftObject>& objects) {
  std::vector<std::string> out;
  for (const auto& o : objects.items) out.push_back(o.id);
  return out;
}

const hb::DriftRule& only(const std::vector<hb::DriftRule>& rules) {
  REQUIRE(rules.size() == 1);
  return rules.front();
}

std::size_t total_entries(const hb::Drift& d) {
  std::size_t n = 0;
  for (auto c : hb::k_drift_categories) n += d.rules(c).size();
  return n;
}

}  // namespace

TEST_CASE("drift: identical scans have no changes") {
  auto r1 = rule("a", Status::pass, {"ok"});
  auto r2 = rule("b", Status::notapplicable);
  auto r3 = rule("c", Status::error, {"unreadable"});
  r1.objects = {{"/etc/x", Status::pass, {"mode 0600"}}};
  auto d = hb::compute_drift(scan({r1, r2, r3}), later({r1, r2, r3}));
  CHECK_FALSE(d.has_changes());
  CHECK(d.newly_failing_count() == 0);
  CHECK(d.unchanged == 3);
  CHECK(total_entries(d) == 0);
  CHECK(d.warnings.empty());
}

TEST_CASE("drift: the scans' meta is kept for 'compared with the scan of HOST at TIME'") {
  auto d = hb::compute_drift(scan({}), later({}));
  CHECK(d.before.hostname == "web01");
  CHECK(hb::format_time(d.before.started) == "2026-11-28T22:04:11.000Z");
  CHECK(hb::format_time(d.after.started) == "2026-11-29T22:04:11.000Z");
  CHECK(d.before.root == "/");
  // Only the requested profiles, with their versions; "linux" came in through extends.
  CHECK(d.before.profiles == std::vector<std::string>{"default 1.0.0"});
}

TEST_CASE("drift: a rule that starts failing is newly failing, with the evidence that differs") {
  for (Status was : {Status::pass, Status::error, Status::notapplicable, Status::notchecked,
                     Status::informational, Status::waived}) {
    CAPTURE(hb::to_string(was));
    auto d = hb::compute_drift(scan({rule("a", was, {"same", "old line"})}),
                               later({rule("a", Status::fail, {"same", "new line"})}));
    const auto& r = only(d.newly_failing);
    CHECK(r.id == "a");
    CHECK(r.title == "Title of a");
    CHECK(r.before == was);
    CHECK(r.after == Status::fail);
    CHECK(r.evidence_added.items == std::vector<std::string>{"new line"});
    CHECK(r.evidence_removed.items == std::vector<std::string>{"old line"});
    CHECK(d.newly_failing_count() == 1);
    CHECK(d.has_changes());
    CHECK(total_entries(d) == 1);
  }
}

TEST_CASE("drift: an expired waiver (waived -> fail) is newly failing, a new waiver is a fix") {
  auto expired =
      hb::compute_drift(scan({rule("a", Status::waived)}), later({rule("a", Status::fail)}));
  CHECK(ids(expired.newly_failing) == std::vector<std::string>{"a"});
  auto waived =
      hb::compute_drift(scan({rule("a", Status::fail)}), later({rule("a", Status::waived)}));
  CHECK(waived.newly_failing_count() == 0);
  const auto& r = only(waived.fixed);
  CHECK(r.before == Status::fail);
  CHECK(r.after == Status::waived);  // "fixed: now waived"
}

TEST_CASE("drift: a failing rule that stops failing is fixed and says what it is now") {
  for (Status now : {Status::pass, Status::notapplicable, Status::error, Status::notchecked}) {
    CAPTURE(hb::to_string(now));
    auto d = hb::compute_drift(scan({rule("a", Status::fail)}), later({rule("a", now)}));
    const auto& r = only(d.fixed);
    CHECK(r.after == now);
    CHECK(d.newly_failing_count() == 0);
    CHECK(d.has_changes());
  }
}

TEST_CASE("drift: still failing the same way is listed but is no change") {
  auto a = rule("a", Status::fail, {"mode 0644"});
  a.objects = {{"/etc/shadow", Status::fail, {"mode 0644"}}, {"/etc/gshadow", Status::pass, {}}};
  auto d = hb::compute_drift(scan({a}), later({a}));
  const auto& r = only(d.still_failing);
  CHECK_FALSE(r.differs());
  CHECK_FALSE(d.has_changes());
  CHECK(d.newly_failing_count() == 0);

  auto b = a;
  b.evidence = {"mode 0666"};
  auto d2 = hb::compute_drift(scan({a}), later({b}));
  const auto& r2 = only(d2.still_failing);  // same failing objects: still failing, other evidence
  CHECK(r2.differs());
  CHECK(r2.evidence_added.items == std::vector<std::string>{"mode 0666"});
  CHECK(d2.has_changes());
}

TEST_CASE("drift: a still-failing rule with new failing objects is newly failing, listing them") {
  auto a = rule("a", Status::fail);
  a.objects = {{"/srv/one", Status::fail, {"0666"}},
               {"/srv/two", Status::pass, {"0600"}},
               {"/srv/three", Status::error, {"unreadable"}}};
  auto b = rule("a", Status::fail);
  b.objects = {{"/srv/one", Status::fail, {"0666"}},
               {"/srv/two", Status::fail, {"0666"}},
               {"/srv/three", Status::fail, {"0777"}},
               {"/srv/four", Status::fail, {"0777"}}};
  auto d = hb::compute_drift(scan({a}), later({b}));
  const auto& r = only(d.newly_failing);
  CHECK(r.before == Status::fail);
  CHECK(ids(r.new_failing_objects) ==
        std::vector<std::string>{"/srv/two", "/srv/three", "/srv/four"});
  CHECK(r.new_failing_objects.total == 3);
  CHECK(r.new_failing_objects.items[0].before == Status::pass);
  CHECK(r.new_failing_objects.items[1].before == Status::error);
  CHECK_FALSE(r.new_failing_objects.items[2].before.has_value());  // a new object
  CHECK(r.new_failing_objects.items[2].evidence == std::vector<std::string>{"0777"});
  CHECK(r.fixed_objects.empty());
  CHECK(d.newly_failing_count() == 1);
}

TEST_CASE("drift: a still-failing rule that lost failing objects lists them as fixed") {
  auto a = rule("a", Status::fail);
  a.objects = {{"/srv/one", Status::fail, {}},
               {"/srv/two", Status::fail, {}},
               {"/srv/three", Status::fail, {"0666"}}};
  auto b = rule("a", Status::fail);
  b.objects = {{"/srv/one", Status::fail, {}}, {"/srv/two", Status::pass, {"0600"}}};
  auto d = hb::compute_drift(scan({a}), later({b}));
  CHECK(d.newly_failing_count() == 0);
  const auto& r = only(d.fixed);
  CHECK(r.after == Status::fail);  // the rule itself still fails
  REQUIRE(ids(r.fixed_objects) == std::vector<std::string>{"/srv/two", "/srv/three"});
  CHECK(r.fixed_objects.items[0].after == Status::pass);
  CHECK_FALSE(r.fixed_objects.items[1].after.has_value());  // gone from the later scan
  CHECK(r.fixed_objects.items[1].evidence == std::vector<std::string>{"0666"});

  // Gained one and lost one: the new failure decides.
  auto c = rule("a", Status::fail);
  c.objects = {{"/srv/one", Status::fail, {}},
               {"/srv/two", Status::fail, {}},
               {"/srv/new", Status::fail, {}}};
  auto d2 = hb::compute_drift(scan({a}), later({c}));
  const auto& r2 = only(d2.newly_failing);
  CHECK(ids(r2.new_failing_objects) == std::vector<std::string>{"/srv/new"});
  CHECK(ids(r2.fixed_objects) == std::vector<std::string>{"/srv/three"});
}

TEST_CASE("drift: other status changes and same-status differences are changed") {
  auto d = hb::compute_drift(
      scan({rule("a", Status::pass), rule("b", Status::notapplicable),
            rule("c", Status::pass, {"x 1"}), rule("d", Status::pass)}),
      later({rule("a", Status::error, {"Permission denied"}), rule("b", Status::pass),
             rule("c", Status::pass, {"x 2"}), rule("d", Status::pass)}));
  CHECK(ids(d.changed) == std::vector<std::string>{"a", "b", "c"});
  CHECK(d.changed[0].before == Status::pass);
  CHECK(d.changed[0].after == Status::error);
  CHECK(d.changed[2].before == d.changed[2].after);
  CHECK(d.changed[2].evidence_removed.items == std::vector<std::string>{"x 1"});
  CHECK(d.changed[2].evidence_added.items == std::vector<std::string>{"x 2"});
  CHECK(d.unchanged == 1);
  CHECK(d.newly_failing_count() == 0);
  CHECK(d.has_changes());

  // Objects only: a passing object's evidence changed, one appeared.
  auto p = rule("p", Status::pass);
  p.objects = {{"/etc/a", Status::pass, {"mode 0600"}}};
  auto q = rule("p", Status::pass);
  q.objects = {{"/etc/a", Status::pass, {"mode 0400"}}, {"/etc/b", Status::pass, {}}};
  auto d2 = hb::compute_drift(scan({p}), later({q}));
  const auto& r = only(d2.changed);
  CHECK(ids(r.changed_objects) == std::vector<std::string>{"/etc/a", "/etc/b"});
  CHECK(r.changed_objects.items[0].evidence == std::vector<std::string>{"mode 0400"});
}

TEST_CASE("drift: evidence lines that only moved are no change") {
  auto d = hb::compute_drift(scan({rule("a", Status::pass, {"one", "two", "two"})}),
                             later({rule("a", Status::pass, {"two", "one", "two"})}));
  CHECK_FALSE(d.has_changes());
  // A repeated line counts as often as it appears.
  auto d2 = hb::compute_drift(scan({rule("a", Status::pass, {"one", "two", "two"})}),
                              later({rule("a", Status::pass, {"two", "one"})}));
  CHECK(only(d2.changed).evidence_removed.items == std::vector<std::string>{"two"});
}

TEST_CASE("drift: added and removed rules") {
  auto failing = rule("new.fails", Status::fail, {"why"});
  failing.objects = {{"/x", Status::fail, {"0666"}}, {"/y", Status::pass, {}}};
  auto d = hb::compute_drift(
      scan({rule("kept", Status::pass), rule("gone", Status::fail, {"was bad"})}),
      later({rule("kept", Status::pass), rule("new.passes", Status::pass), failing}));
  CHECK(ids(d.added) == std::vector<std::string>{"new.passes"});
  CHECK_FALSE(d.added[0].before.has_value());
  CHECK(d.added[0].after == Status::pass);
  // A new rule that fails is newly failing (and says it is new: no earlier status).
  const auto& nf = only(d.newly_failing);
  CHECK(nf.id == "new.fails");
  CHECK_FALSE(nf.before.has_value());
  CHECK(ids(nf.new_failing_objects) == std::vector<std::string>{"/x"});
  CHECK(nf.evidence_added.items == std::vector<std::string>{"why"});
  // Removed, whatever it was: not "fixed".
  const auto& rm = only(d.removed);
  CHECK(rm.id == "gone");
  CHECK(rm.before == Status::fail);
  CHECK_FALSE(rm.after.has_value());
  CHECK(rm.evidence_removed.items == std::vector<std::string>{"was bad"});
  CHECK(d.fixed.empty());
  CHECK(d.unchanged == 1);
}

TEST_CASE("drift: warnings for other hosts, roots, profiles, versions and swapped scans") {
  auto same = hb::compute_drift(scan({}), later({}));
  CHECK(same.warnings.empty());

  auto hosts = hb::compute_drift(scan({}, "web01"), later({}, "db02"));
  REQUIRE(hosts.warnings.size() == 1);
  CHECK(hosts.warnings[0].find("different hosts") != std::string::npos);
  CHECK(hosts.warnings[0].find("'web01' then 'db02'") != std::string::npos);

  auto b = scan({});
  auto a = later({});
  a.meta.root = "/mnt/image";
  a.meta.profiles.push_back({"docker", "Docker", "1.0.0", "", true, {}});
  auto profiles = hb::compute_drift(b, a);
  REQUIRE(profiles.warnings.size() == 2);
  CHECK(profiles.warnings[0].find("different roots") != std::string::npos);
  CHECK(profiles.warnings[1] ==
        "the scans used different profiles: default 1.0.0 then default 1.0.0, docker 1.0.0");

  auto v = later({});
  v.meta.profiles[1].version = "1.1.0";
  auto versions = hb::compute_drift(b, v);
  REQUIRE(versions.warnings.size() == 1);
  CHECK(versions.warnings[0].find("profile default changed version: 1.0.0 then 1.1.0") == 0);

  auto swapped = hb::compute_drift(later({}), scan({}));
  REQUIRE(swapped.warnings.size() == 1);
  CHECK(swapped.warnings[0].find("swapped") != std::string::npos);
}

TEST_CASE("drift: evidence, objects and long lines are capped, with the totals kept") {
  std::vector<std::string> many;
  for (int i = 0; i < 50; ++i) many.push_back("line " + std::to_string(i));
  auto a = rule("a", Status::fail);
  auto b = rule("a", Status::fail, many);
  for (int i = 0; i < 500; ++i)
    b.objects.push_back(
        {"/obj/" + std::to_string(i), Status::fail, {"e1", "e2", "e3", "e4", "e5"}});
  auto d = hb::compute_drift(scan({a}), later({b}));
  const auto& r = only(d.newly_failing);
  CHECK(r.evidence_added.items.size() == hb::k_drift_max_evidence);
  CHECK(r.evidence_added.total == 50);
  CHECK(r.evidence_added.items.front() == "line 0");
  CHECK(r.new_failing_objects.items.size() == hb::k_drift_max_objects);
  CHECK(r.new_failing_objects.total == 500);
  CHECK(r.new_failing_objects.items[0].evidence.size() == hb::k_drift_max_object_evidence);

  // A long line is cut at a character boundary and stays valid UTF-8.
  std::string accented;
  for (int i = 0; i < 1000; ++i) accented += "\xC3\xA9";  // é, two bytes each
  const std::string cut = hb::drift_line("x" + accented);
  CHECK(cut.size() <= hb::k_drift_max_line);
  CHECK(cut.size() >= hb::k_drift_max_line - 4);
  CHECK(cut.substr(cut.size() - 3) == "...");
  CHECK(hb::sanitize_utf8(cut) == cut);
  CHECK(hb::drift_line("bad \xff byte") == "bad \xEF\xBF\xBD byte");
  CHECK(hb::drift_line("short") == "short");
}

TEST_CASE("drift: each category is ordered by severity, then by the later scan's order") {
  auto d = hb::compute_drift(scan({rule("low1", Status::pass), rule("crit", Status::pass),
                                   rule("low2", Status::pass), rule("high", Status::pass)}),
                             later({rule("low1", Status::fail, {}, hb::Severity::low),
                                    rule("crit", Status::fail, {}, hb::Severity::critical),
                                    rule("low2", Status::fail, {}, hb::Severity::low),
                                    rule("high", Status::fail, {}, hb::Severity::high)}));
  CHECK(ids(d.newly_failing) == std::vector<std::string>{"crit", "high", "low1", "low2"});
}

TEST_CASE("drift: objects with a repeated id are paired by occurrence") {
  auto a = rule("a", Status::fail);
  a.objects = {{"tcp 0.0.0.0:25", Status::fail, {"exim"}}, {"tcp 0.0.0.0:25", Status::pass, {}}};
  auto b = rule("a", Status::fail);
  b.objects = {{"tcp 0.0.0.0:25", Status::fail, {"exim"}}, {"tcp 0.0.0.0:25", Status::fail, {"x"}}};
  auto d = hb::compute_drift(scan({a}), later({b}));
  const auto& r = only(d.newly_failing);
  REQUIRE(r.new_failing_objects.items.size() == 1);
  CHECK(r.new_failing_objects.items[0].before == Status::pass);
  // A rule repeated in one scan counts once (the first), and does not crash.
  auto d2 = hb::compute_drift(scan({rule("a", Status::pass), rule("a", Status::fail)}),
                              later({rule("a", Status::pass), rule("a", Status::pass)}));
  CHECK_FALSE(d2.has_changes());
}

TEST_CASE("drift: 300 rules of 2,000 objects each, all changed, in linear time") {
  std::vector<hb::RuleResult> before, after;
  for (int i = 0; i < 300; ++i) {
    auto b = rule("rule." + std::to_string(i), Status::pass, {"evidence " + std::to_string(i)});
    auto a = rule("rule." + std::to_string(i), Status::fail, {"evidence now " + std::to_string(i)});
    for (int j = 0; j < 2000; ++j) {
      std::string id = "/srv/data/file-" + std::to_string(j);
      b.objects.push_back({id, Status::pass, {"mode 0600"}});
      a.objects.push_back({id, j % 2 ? Status::fail : Status::pass, {"mode 0666"}});
    }
    std::reverse(a.objects.begin(), a.objects.end());  // order must not matter
    before.push_back(std::move(b));
    after.push_back(std::move(a));
  }
  const auto b = scan(std::move(before));
  const auto a = later(std::move(after));
  const auto t0 = std::chrono::steady_clock::now();
  const auto d = hb::compute_drift(b, a);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  MESSAGE("compute_drift, 300 rules x 2,000 objects: " << ms << " ms");
  REQUIRE(d.newly_failing.size() == 300);
  CHECK(d.newly_failing[0].new_failing_objects.total == 1000);
  CHECK(d.newly_failing[0].changed_objects.total == 1000);  // pass, other evidence
  CHECK(ms < 5000);  // about 0.5 s here; quadratic pairing would take minutes
}
