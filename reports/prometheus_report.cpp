#include "reports/prometheus_report.hpp"

#include <cstdio>

#include "engine/text.hpp"

namespace hb {

namespace {

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void header(std::ostream& out, const char* name, const char* help) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " gauge\n";
}

}  // namespace

std::string prometheus_label(std::string_view value) {
  const std::string clean = sanitize_utf8(value);
  std::string out;
  out.reserve(clean.size());
  for (char c : clean) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

void write_prometheus_report(const ScanReport& report, std::ostream& out) {
  const ScanMeta& m = report.meta;
  std::string profiles;
  for (const auto& p : m.profiles)
    if (p.requested) profiles += (profiles.empty() ? "" : ",") + p.id;
  header(out, "hostbench_info", "The scanner and what it scanned, as labels.");
  out << "hostbench_info{version=\"" << prometheus_label(m.version) << "\",hostname=\""
      << prometheus_label(m.hostname) << "\",profiles=\"" << prometheus_label(profiles) << "\"} 1\n";

  header(out, "hostbench_rule_status", "The status of each rule of the last scan (always 1).");
  for (const auto& r : report.results)
    out << "hostbench_rule_status{id=\"" << prometheus_label(r.meta.id) << "\",severity=\""
        << to_string(r.meta.severity) << "\",status=\"" << to_string(r.status) << "\"} 1\n";

  header(out, "hostbench_rules", "Rules of the last scan by status.");
  for (Status s : k_all_statuses)
    out << "hostbench_rules{status=\"" << to_string(s) << "\"} " << report.summary.count(s) << "\n";

  header(out, "hostbench_failed_rules", "Failed rules of the last scan by severity.");
  for (Severity s : k_all_severities)
    out << "hostbench_failed_rules{severity=\"" << to_string(s) << "\"} "
        << report.summary.by_severity_failed[static_cast<int>(s)] << "\n";

  header(out, "hostbench_score", "Severity-weighted share of judged rules that did not fail (0 to 100).");
  out << "hostbench_score " << number(report.summary.score) << "\n";

  using namespace std::chrono;
  header(out, "hostbench_scan_duration_seconds", "How long the last scan took.");
  out << "hostbench_scan_duration_seconds "
      << number(static_cast<double>(duration_cast<milliseconds>(m.finished - m.started).count()) / 1000.0)
      << "\n";
  header(out, "hostbench_last_scan_timestamp_seconds", "When the last scan finished, in Unix time.");
  out << "hostbench_last_scan_timestamp_seconds "
      << number(static_cast<double>(duration_cast<milliseconds>(m.finished.time_since_epoch()).count()) / 1000.0)
      << "\n";

  if (report.waivers) {
    header(out, "hostbench_waivers", "Waivers of the last scan: fails waived, entries expired, entries unused.");
    out << "hostbench_waivers{state=\"applied\"} " << report.waivers->applied << "\n"
        << "hostbench_waivers{state=\"expired\"} " << report.waivers->expired.size() << "\n"
        << "hostbench_waivers{state=\"unused\"} " << report.waivers->unused.size() << "\n";
  }
}

}  // namespace hb
