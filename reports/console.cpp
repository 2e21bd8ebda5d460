#include "reports/console.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "reports/drift_console.hpp"
#include "reports/escape.hpp"

namespace hb {

namespace {

const char* color_of(Status s) {
  switch (s) {
    case Status::pass: return "\033[32m";
    case Status::fail: return "\033[1;31m";
    case Status::error: return "\033[35m";
    case Status::waived: return "\033[36m";
    case Status::notapplicable:
    case Status::notchecked: return "\033[2m";
    case Status::informational: return "\033[34m";
  }
  return "";
}

std::string label(Status s) {
  switch (s) {
    case Status::pass: return "PASS ";
    case Status::fail: return "FAIL ";
    case Status::error: return "ERROR";
    case Status::notapplicable: return "N/A  ";
    case Status::notchecked: return "SKIP ";
    case Status::informational: return "INFO ";
    case Status::waived: return "WAIVE";
  }
  return "?    ";
}

// Multi-line text (a YAML block remediation, say) stays multi-line, each line made safe.
void write_block(std::ostream& out, const std::string& indent, const std::string& text,
                 const char* on, const char* off) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    if (!(nl == std::string::npos && line.empty() && start > 0))
      out << indent << on << terminal_safe(line) << off << "\n";
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

}  // namespace

void write_timings(const std::vector<RuleResult>& results,
                   const std::map<std::string, std::int64_t>& source_us, std::size_t n,
                   std::ostream& out) {
  auto ms = [](std::int64_t us) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%9.1f ms", static_cast<double>(us) / 1000.0);
    return std::string(buf);
  };
  std::vector<const RuleResult*> rules;
  for (const auto& r : results) rules.push_back(&r);
  std::stable_sort(rules.begin(), rules.end(), [](const RuleResult* a, const RuleResult* b) {
    return a->duration_us > b->duration_us;
  });
  out << "Slowest rules:\n";
  for (std::size_t i = 0; i < rules.size() && i < n; ++i)
    out << "  " << ms(rules[i]->duration_us) << "  " << terminal_safe(rules[i]->meta.id) << "\n";
  std::vector<std::pair<std::string, std::int64_t>> sources(source_us.begin(), source_us.end());
  std::stable_sort(sources.begin(), sources.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  out << "Slowest sources (each parsed once per scan):\n";
  for (std::size_t i = 0; i < sources.size() && i < n; ++i)
    out << "  " << ms(sources[i].second) << "  " << terminal_safe(sources[i].first) << "\n";
}

std::string summary_line(const Summary& s) {
  std::string out = std::to_string(s.total) + " rules:";
  bool first = true;
  for (Status st : k_all_statuses) {
    if (s.count(st) == 0) continue;
    out += (first ? " " : ", ") + std::to_string(s.count(st)) + " " + std::string(to_string(st));
    first = false;
  }
  if (s.count(Status::fail) > 0) {
    std::string sev;
    for (int i = 4; i >= 0; --i)
      if (s.by_severity_failed[i] > 0)
        sev += (sev.empty() ? "" : ", ") + std::to_string(s.by_severity_failed[i]) + " " +
               std::string(to_string(static_cast<Severity>(i)));
    out += " (failed: " + sev + ")";
  }
  char score[32];
  std::snprintf(score, sizeof score, "%.1f", s.score);
  out += "; score " + std::string(score) + "/100";
  return out;
}

void write_console_report(const ScanReport& report, const ConsoleOptions& opt, std::ostream& out) {
  const char* reset = opt.color ? "\033[0m" : "";
  const char* dim = opt.color ? "\033[2m" : "";
  const char* bold = opt.color ? "\033[1m" : "";
  const ScanMeta& m = report.meta;
  if (!opt.quiet) {
    std::string profiles;
    for (const auto& p : m.profiles)
      if (p.requested) profiles += (profiles.empty() ? "" : ", ") + p.id + " " + p.version;
    out << bold << "hostbench " << m.version << reset << ": " << terminal_safe(m.hostname) << " ("
        << terminal_safe(m.os) << ", kernel " << terminal_safe(m.kernel) << ", "
        << terminal_safe(m.virtualization.empty() ? "virtualization unknown" : m.virtualization)
        << "), root "
        << terminal_safe(m.root) << ", profiles " << terminal_safe(profiles) << "\n\n";
    for (const auto& r : report.results) {
      out << (opt.color ? color_of(r.status) : "") << label(r.status) << reset << " "
          << pad(std::string(to_string(r.meta.severity)), 8) << " " << pad(r.meta.id, 36) << " "
          << terminal_safe(r.meta.title) << "\n";
      if (r.status == Status::waived) {  // why a failure is accepted, one line per waiver
        for (const auto& a : r.waivers)
          write_block(out, "        ",
                      (a.object.empty() ? "" : a.object + ": ") + a.waiver.justification + " [" +
                          a.waiver.source + "]",
                      dim, reset);
        continue;
      }
      if (r.status != Status::fail && r.status != Status::error) continue;
      for (const auto& e : r.evidence) write_block(out, "        ", e, dim, reset);
      std::size_t shown = 0, hidden = 0;
      for (const auto& o : r.objects) {
        if (o.status != Status::fail && o.status != Status::error) continue;
        if (shown >= opt.max_objects) {
          ++hidden;
          continue;
        }
        ++shown;
        out << "        " << label(o.status) << " " << terminal_safe(o.id) << "\n";
        for (const auto& e : o.evidence) write_block(out, "              ", e, dim, reset);
      }
      if (hidden) out << "        ... and " << hidden << " more objects (see the JSON report)\n";
      if (r.status == Status::fail && !r.meta.remediation.empty()) {
        out << "        fix:\n";
        write_block(out, "          ", r.meta.remediation, "", "");
      }
    }
    out << "\n";
    if (report.waivers) {
      const WaiverStatus& w = *report.waivers;
      out << "waivers " << terminal_safe(w.file) << ": " << w.loaded << " loaded, " << w.applied
          << " applied, " << w.expired.size() << " expired, " << w.unused.size() << " unused\n";
      for (const auto& n : w.expired)
        out << "  expired " << terminal_safe(n.waiver.source) << " " << terminal_safe(n.waiver.rule)
            << ": " << terminal_safe(n.reason) << "\n";
      for (const auto& n : w.unused)
        out << "  unused  " << terminal_safe(n.waiver.source) << " " << terminal_safe(n.waiver.rule)
            << ": " << terminal_safe(n.reason) << "\n";
      out << "\n";
    }
  }
  if (report.drift) write_drift_console(*report.drift, opt, false, out);  // compared with a baseline
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(m.finished - m.started).count();
  out << bold << terminal_safe(m.hostname) << ": " << summary_line(report.summary) << reset << " ("
      << ms << " ms)\n";
  if (!opt.quiet) {  // why rules could not be checked (--quiet keeps the one summary line)
    std::string why = error_summary(report.results);
    if (!why.empty()) out << why << "\n";
  }
}

std::string error_summary(const std::vector<RuleResult>& results) {
  std::size_t total = 0, denied = 0, timed_out = 0;
  bool hint = false;
  for (const auto& r : results) {
    if (r.status != Status::error) continue;
    ++total;
    bool is_denied = false, is_timeout = false;
    auto look = [&](const std::string& e) {
      if (e.find("Permission denied") != std::string::npos ||
          e.find("permission denied") != std::string::npos)
        is_denied = true;
      if (e.find("(run as root)") != std::string::npos) is_denied = hint = true;
      if (e.find("timed out") != std::string::npos) is_timeout = true;
    };
    for (const auto& e : r.evidence) look(e);
    for (const auto& o : r.objects)
      if (o.status == Status::error)
        for (const auto& e : o.evidence) look(e);
    if (is_denied)
      ++denied;
    else if (is_timeout)
      ++timed_out;
  }
  if (total == 0) return "";
  std::string out = std::to_string(total) + (total == 1 ? " rule" : " rules") + " in error:";
  std::string sep = " ";
  if (denied) {
    out += sep + std::to_string(denied) + " permission denied" + (hint ? " (run as root)" : "");
    sep = ", ";
  }
  if (timed_out) {
    out += sep + std::to_string(timed_out) + " timed out";
    sep = ", ";
  }
  if (const std::size_t other = total - denied - timed_out)
    out += sep + std::to_string(other) + " other";
  return out;
}

}  // namespace hb
