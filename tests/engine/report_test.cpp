#include "engine/report.hpp"

#include <doctest/doctest.h>

using hb::Status;

TEST_CASE("report: exit codes follow results and --fail-on") {
  hb::ScanReport rep;
  auto add = [&](Status s, hb::Severity sv) {
    hb::RuleResult r;
    r.status = s;
    r.meta.severity = sv;
    rep.results.push_back(r);
  };
  add(Status::pass, hb::Severity::high);
  CHECK(hb::exit_code_for(rep, hb::Severity::info) == 0);
  add(Status::error, hb::Severity::low);
  CHECK(hb::exit_code_for(rep, hb::Severity::info) == 3);
  add(Status::fail, hb::Severity::medium);
  CHECK(hb::exit_code_for(rep, hb::Severity::info) == 1);
  CHECK(hb::exit_code_for(rep, hb::Severity::medium) == 1);
  CHECK(hb::exit_code_for(rep, hb::Severity::high) == 3);
}

TEST_CASE("report: score weighs judged rules by severity, nothing judged scores 0") {
  std::vector<hb::RuleResult> rs(3);
  rs[0].status = Status::pass, rs[0].meta.severity = hb::Severity::high;      // 3
  rs[1].status = Status::fail, rs[1].meta.severity = hb::Severity::low;       // 1
  rs[2].status = Status::notapplicable, rs[2].meta.severity = hb::Severity::critical;
  auto s = hb::compute_summary(rs);
  CHECK(s.total == 3);
  CHECK(s.count(Status::pass) == 1);
  CHECK(s.by_severity_failed[static_cast<int>(hb::Severity::low)] == 1);
  CHECK(s.score == doctest::Approx(75.0));
  std::vector<hb::RuleResult> none(1);
  none[0].status = Status::notapplicable;
  CHECK(hb::compute_summary(none).score == 0.0);
}

TEST_CASE("report: RFC 3339 times round-trip") {
  auto t = hb::SystemTime(std::chrono::milliseconds(1795903451123LL));
  auto s = hb::format_time(t);
  CHECK(s == "2026-11-28T22:04:11.123Z");
  CHECK(hb::parse_time(s) == t);
  CHECK(hb::parse_time("2026-11-28T22:04:11Z").has_value());
  CHECK_FALSE(hb::parse_time("yesterday").has_value());
  // Years whose nanoseconds would overflow system_clock (found by fuzzing): refused.
  CHECK_FALSE(hb::parse_time("1013-01-01T00:00:00Z").has_value());
  CHECK_FALSE(hb::parse_time("9999-12-31T23:59:59.999Z").has_value());
  CHECK(hb::parse_time("2200-01-01T00:00:00Z").has_value());
}
