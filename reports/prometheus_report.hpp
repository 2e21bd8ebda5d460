// Metrics in the Prometheus text exposition format (version 0.0.4), for node_exporter's textfile
// collector (`hostbench scan --prometheus FILE`, written atomically so the collector never reads
// half a file):
//
//   hostbench_rule_status{id,severity,status} 1      one series per rule, its current status
//   hostbench_rules{status} N                        rules per status (every status, 0 included)
//   hostbench_failed_rules{severity} N               failed rules per severity
//   hostbench_score                                  0..100 (engine/report.hpp)
//   hostbench_scan_duration_seconds
//   hostbench_last_scan_timestamp_seconds            when the scan finished (Unix time)
//   hostbench_waivers{state} N                       applied, expired, unused (with a waivers file)
//   hostbench_info{version,hostname,profiles} 1
#pragma once

#include <ostream>

#include "engine/report.hpp"

namespace hb {

void write_prometheus_report(const ScanReport& report, std::ostream& out);

// A label value as the format wants it: \ " and newline escaped; invalid UTF-8 replaced.
std::string prometheus_label(std::string_view value);

}  // namespace hb
