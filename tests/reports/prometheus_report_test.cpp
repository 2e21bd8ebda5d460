#include "reports/prometheus_report.hpp"

#include <doctest/doctest.h>

#include <sstream>

#include "tests/support/sample_report.hpp"

namespace {
std::string render(const hb::ScanReport& r) {
  std::ostringstream out;
  hb::write_prometheus_report(r, out);
  return out.str();
}
}  // namespace

TEST_CASE("prometheus: label values are escaped and valid UTF-8") {
  CHECK(hb::prometheus_label("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
  CHECK(hb::prometheus_label("\xff") == "\xef\xbf\xbd");
}

TEST_CASE("prometheus: a series per rule, counts per status and severity, score and times") {
  auto report = hb::test::sample_report();
  const std::string text = render(report);
  for (const auto& r : report.results) {
    std::string series = "hostbench_rule_status{id=\"" + r.meta.id + "\",severity=\"" +
                         std::string(hb::to_string(r.meta.severity)) + "\",status=\"" +
                         std::string(hb::to_string(r.status)) + "\"} 1\n";
    CHECK(text.find(series) != std::string::npos);
  }
  for (hb::Status s : hb::k_all_statuses)
    CHECK(text.find("hostbench_rules{status=\"" + std::string(hb::to_string(s)) + "\"} " +
                    std::to_string(report.summary.count(s)) + "\n") != std::string::npos);
  CHECK(text.find("# TYPE hostbench_score gauge\n") != std::string::npos);
  CHECK(text.find("hostbench_last_scan_timestamp_seconds ") != std::string::npos);
  CHECK(text.find("hostbench_waivers") == std::string::npos);  // no waivers file, no series
  report.waivers = hb::WaiverStatus{"w.yaml", 3, 2, {}, {}};
  CHECK(render(report).find("hostbench_waivers{state=\"applied\"} 2\n") != std::string::npos);
}

TEST_CASE("prometheus: hostile host text cannot break a line or a label") {
  const std::string text = render(hb::test::hostile_report());
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    CHECK(line.find('\r') == std::string::npos);
    CHECK((line.starts_with("# ") || line.starts_with("hostbench_")));
  }
}
