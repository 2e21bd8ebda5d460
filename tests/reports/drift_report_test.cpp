// The drift in every output: JSON (embedded in results and standalone), the host report's HTML
// section and the diff page, the console block.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "engine/drift.hpp"
#include "engine/report.hpp"
#include "reports/console.hpp"
#include "reports/drift_console.hpp"
#include "reports/drift_html.hpp"
#include "reports/drift_json.hpp"
#include "reports/html_assets.hpp"
#include "reports/html_report.hpp"
#include "reports/json_report.hpp"
#include "tests/support/sample_report.hpp"

namespace {

using hb::Status;

// sample_report() a day later: shadow fixed, ip_forward now fails with a new object, the
// waived rule's waiver expired, banner gone, a new rule added.
hb::ScanReport later_report() {
  hb::ScanReport rep = hb::test::sample_report();
  rep.meta.started += std::chrono::hours(24);
  rep.meta.finished += std::chrono::hours(24);
  for (auto& r : rep.results) {
    if (r.meta.id == "host.files.shadow") {
      r.status = Status::pass;
      r.evidence = {"/etc/shadow: mode 0640 within 0640"};
      r.objects = {{"/etc/shadow", Status::pass, {"mode 0640"}},
                   {"/etc/shadow-", Status::pass, {"mode 0600"}}};
    } else if (r.meta.id == "host.net.ip_forward") {
      r.status = Status::fail;
      r.evidence = {"net.ipv4.ip_forward = 1"};
      r.objects = {{"eth0", Status::fail, {"forwarding 1"}}};
    } else if (r.meta.id == "default.extra") {
      r.status = Status::fail;
    }
  }
  std::erase_if(rep.results,
                [](const hb::RuleResult& r) { return r.meta.id == "host.ssh.banner"; });
  hb::RuleResult added = rep.results.front();
  added.meta.id = "host.new.rule";
  added.status = Status::notapplicable;
  added.objects.clear();
  rep.results.push_back(added);
  rep.summary = hb::compute_summary(rep.results);
  return rep;
}

hb::ScanReport with_drift(hb::ScanReport before, hb::ScanReport after) {
  after.drift = hb::compute_drift(before, after);
  return after;
}

std::string json_of(const hb::ScanReport& r) {
  std::ostringstream out;
  hb::write_json_report(r, out);
  return out.str();
}

std::string html_of(const hb::ScanReport& r) {
  std::ostringstream out;
  hb::write_html_report(r, out);
  return out.str();
}

std::string console_of(const hb::ScanReport& r, bool quiet = false, bool color = false) {
  hb::ConsoleOptions o;
  o.quiet = quiet;
  o.color = color;
  std::ostringstream out;
  hb::write_console_report(r, o, out);
  return out.str();
}

bool contains(const std::string& hay, std::string_view needle) {
  return hay.find(needle) != std::string::npos;
}

// The part of the page between <section class="drift" ...> and its </section>.
std::string drift_section(const std::string& html) {
  auto b = html.find("<section class=\"drift\"");
  REQUIRE(b != std::string::npos);
  auto e = html.find("</section>", b);
  REQUIRE(e != std::string::npos);
  return html.substr(b, e - b);
}

}  // namespace

TEST_CASE("drift json: results carry the drift and read it back unchanged") {
  const auto rep = with_drift(hb::test::sample_report(), later_report());
  REQUIRE(rep.drift);
  CHECK(rep.drift->newly_failing.size() ==
        2);  // ip_forward (error -> fail), default.extra (waived -> fail)
  const std::string text = json_of(rep);
  auto j = nlohmann::ordered_json::parse(text);
  REQUIRE(j.contains("drift"));
  CHECK(j.back() == j["drift"]);  // the last key: nothing before it moved
  const auto& d = j["drift"];
  CHECK(d["counts"]["newly_failing"] == 2);
  CHECK(d["counts"]["fixed"] == 1);
  CHECK(d["counts"]["removed"] == 1);
  CHECK(d["counts"]["added"] == 1);
  CHECK(d["has_changes"] == true);
  CHECK(d["before"]["started"] == "2026-11-28T22:04:11.000Z");
  CHECK(d["fixed"][0]["id"] == "host.files.shadow");
  CHECK(d["fixed"][0]["after"] == "pass");
  CHECK(d["removed"][0]["after"].is_null());
  auto back = hb::read_json_report(text);
  REQUIRE(back);
  REQUIRE(back->drift);
  CHECK(*back->drift == *rep.drift);
  CHECK(json_of(*back) == text);
}

TEST_CASE("drift json: results without a drift have no key and load as before") {
  const auto rep = hb::test::sample_report();
  const std::string text = json_of(rep);
  CHECK_FALSE(contains(text, "\"drift\""));
  auto back = hb::read_json_report(text);
  REQUIRE(back);
  CHECK_FALSE(back->drift.has_value());
}

TEST_CASE("drift json: the standalone document round-trips, malformed drifts name the place") {
  const auto d = hb::compute_drift(hb::test::sample_report(), later_report());
  std::ostringstream out;
  hb::write_drift_json(d, out);
  auto j = nlohmann::ordered_json::parse(out.str());
  CHECK(j.begin().key() == "schema");
  CHECK(j["schema"] == "hostbench-drift/1");
  auto back = hb::read_drift_json(out.str());
  REQUIRE(back);
  CHECK(*back == d);

  CHECK_FALSE(hb::read_drift_json("{\"schema\": \"hostbench-results/1\"}"));
  CHECK_FALSE(hb::read_drift_json("not json"));
  auto bad = j;
  bad["newly_failing"][1]["after"] = "broken";
  auto e = hb::read_drift_json(bad.dump());
  REQUIRE_FALSE(e);
  CHECK(e.message() == "newly_failing[1].after: not a status or null");
  bad = j;
  bad["fixed"][0]["evidence_added_total"] = 0;  // fewer than listed
  CHECK_FALSE(hb::read_drift_json(bad.dump()));
  bad = j;
  bad.erase("removed");
  CHECK(hb::read_drift_json(bad.dump()).message() == "removed: missing");

  // Inside results: the error names "drift." and the results are refused.
  auto results =
      nlohmann::ordered_json::parse(json_of(with_drift(hb::test::sample_report(), later_report())));
  results["drift"]["before"]["started"] = "yesterday";
  auto r = hb::read_json_report(results.dump());
  REQUIRE_FALSE(r);
  CHECK(r.message() == "drift.before.started: not an RFC 3339 time: 'yesterday'");
}

TEST_CASE("drift html: no section without a drift, the page is otherwise unchanged") {
  const auto plain = hb::test::sample_report();
  const std::string html = html_of(plain);
  CHECK_FALSE(contains(html, "Changes since the last scan"));
  CHECK_FALSE(contains(html, "drift-counts"));  // not even its styles
  // With a drift, the page is the same page plus the section and its styles.
  auto rep = with_drift(hb::test::sample_report(), later_report());
  const std::string with = html_of(rep);
  CHECK(contains(with, "<h2 id=\"drift-h\">Changes since the last scan</h2>"));
  CHECK(contains(with, "ul.drift-counts{"));
  CHECK(with.find("id=\"drift\"") < with.find("id=\"results\""));  // before the rule list
}

TEST_CASE("drift html: its stylesheet loads nothing") {
  const std::string css(hb::k_html_drift_css);
  REQUIRE(css.find("table.drift-rules") != std::string::npos);
  CHECK(css.find("@import") == std::string::npos);
  CHECK(css.find("url(") == std::string::npos);
  CHECK(css.find("@font-face") == std::string::npos);
}

TEST_CASE("drift html: counts, newly failing first, then fixed, changed, added, removed") {
  const auto rep = with_drift(hb::test::sample_report(), later_report());
  const std::string s = drift_section(html_of(rep));
  CHECK(contains(s,
                 "Compared with the scan of <span class=\"mono\">web01</span> at <time "
                 "class=\"mono\" datetime=\"2026-11-28T22:04:11.000Z\">"));
  CHECK(contains(s, "data-drift-count=\"newly_failing\">2<"));
  CHECK(contains(s, "data-drift-count=\"fixed\">1<"));
  CHECK(contains(s, "data-drift-count=\"added\">1<"));
  CHECK(contains(s, "data-drift-count=\"removed\">1<"));
  const auto nf = s.find("data-drift=\"newly_failing\"");
  const auto fx = s.find("data-drift=\"fixed\"");
  const auto ad = s.find("data-drift=\"added\"");
  const auto rm = s.find("data-drift=\"removed\"");
  REQUIRE(nf != std::string::npos);
  CHECK(nf < fx);
  CHECK(fx < ad);
  CHECK(ad < rm);
  // Newly failing by severity: default.extra is info, ip_forward medium.
  CHECK(s.find("data-rule=\"host.net.ip_forward\"") < s.find("data-rule=\"default.extra\""));
  CHECK(contains(s,
                 "<span class=\"badge b-waived\">waived</span></td><td><span class=\"badge "
                 "b-fail\">fail</span>"));
  CHECK(contains(s, "not in this scan"));  // the removed rule
  CHECK(contains(s, "<span class=\"obj-id\">eth0</span>"));
  CHECK(contains(s, "/etc/shadow: mode 0640 within 0640"));
  CHECK_FALSE(contains(s, "<script"));
}

TEST_CASE("drift html: host text is escaped, control and bidi characters shown, not obeyed") {
  auto before = hb::test::sample_report();
  auto after = hb::test::hostile_report();
  after.results[0].evidence.push_back(
      "bidi \xE2\x80\xAE"
      "evil");
  auto rep = with_drift(before, after);
  const std::string html = html_of(rep);
  const std::string s = drift_section(html);
  CHECK_FALSE(contains(s, "<script>"));
  CHECK_FALSE(contains(s, "<img"));
  CHECK(contains(s, "&lt;script&gt;window.__pwned=1&lt;/script&gt;"));
  CHECK(contains(s, "\\x1b[31m"));
  CHECK(contains(s, "bidi &lt;U+202E&gt;evil"));
  CHECK_FALSE(contains(s, "\x1b"));
  CHECK_FALSE(contains(s, "\xE2\x80\xAE"));
  CHECK(contains(s, "different hosts"));
  // The diff page: same escaping, no script at all, a CSP that allows none.
  std::ostringstream page;
  hb::write_drift_page(*rep.drift, page);
  CHECK_FALSE(contains(page.str(), "<script"));
  CHECK(contains(page.str(), "content=\"default-src 'none'; style-src 'unsafe-inline';"));
  CHECK_FALSE(contains(page.str(), "<img"));
}

TEST_CASE("drift html: a report rendered again from its JSON is the same, drift included") {
  const auto rep = with_drift(hb::test::sample_report(), hb::test::hostile_report());
  auto back = hb::read_json_report(json_of(rep));
  REQUIRE(back);
  CHECK(html_of(*back) == html_of(rep));
}

TEST_CASE("drift console: a short block before the summary, one line with --quiet") {
  const auto rep = with_drift(hb::test::sample_report(), later_report());
  const std::string s = console_of(rep);
  CHECK(contains(s,
                 "Changes since the scan of web01 at 2026-11-28T22:04:11.000Z: 2 newly failing, "
                 "1 fixed, 0 still failing, 0 changed, 1 added, 1 removed, 1 unchanged\n"));
  CHECK(contains(s, "  NEW FAIL  medium   host.net.ip_forward"));
  CHECK(contains(s, "(error -> fail)"));
  CHECK(contains(s, "  FIXED     high     host.files.shadow"));
  CHECK(s.find("Changes since") < s.find("web01: 5 rules"));
  const std::string q = console_of(rep, true);
  CHECK(std::count(q.begin(), q.end(), '\n') == 2);  // the drift line and the summary
  CHECK(q.rfind("Changes since the scan of web01", 0) == 0);
  CHECK_FALSE(contains(console_of(hb::test::sample_report()), "Changes since"));
  CHECK_FALSE(contains(s, "\x1b"));
  CHECK(contains(console_of(rep, false, true), "\033[1;31mNEW FAIL"));
}

TEST_CASE("drift console: the full listing shows evidence and objects, host text is inert") {
  auto after = hb::test::hostile_report();
  auto d = hb::compute_drift(hb::test::sample_report(), after);
  std::ostringstream out;
  hb::write_drift_console(d, hb::ConsoleOptions{}, true, out);
  const std::string s = out.str();
  CHECK(s.rfind("hostbench diff: web01 at ", 0) == 0);
  CHECK(contains(s, "warning: the scans are of different hosts"));
  CHECK(contains(s, "\n            + value <script>window.__pwned=1</script>"));
  CHECK_FALSE(contains(s, "\x1b"));
  CHECK(contains(s, "\\x1b[31m"));
  // Still failing the same way is counted, not listed.
  auto same = hb::compute_drift(hb::test::sample_report(), hb::test::sample_report());
  std::ostringstream o2;
  hb::write_drift_console(same, hb::ConsoleOptions{}, true, o2);
  CHECK(contains(o2.str(), "Nothing changed since the earlier scan."));
  CHECK(contains(o2.str(), "  1 failing as before (--json lists them)\n"));
  CHECK_FALSE(contains(o2.str(), "host.files.shadow"));
}
