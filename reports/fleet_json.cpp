#include "reports/fleet_json.hpp"

#include <cmath>
#include <cstdio>
#include <string_view>

#include "engine/text.hpp"

namespace hb {

namespace {

// A JSON string: the model's text is valid UTF-8 already except file names from the command
// line, so everything goes through sanitize_utf8 first when it is not plain ASCII.
void put(std::ostream& out, std::string_view s) {
  bool plain = true;
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) plain = false;
  std::string clean;
  if (!plain) {
    clean = sanitize_utf8(s);
    s = clean;
  }
  out << '"';
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.write(s.data() + run, static_cast<std::streamsize>(i - run));
    run = i + 1;
    switch (c) {
      case '"': out << "\\\""; break;
      case '\\': out << "\\\\"; break;
      case '\n': out << "\\n"; break;
      case '\t': out << "\\t"; break;
      case '\r': out << "\\r"; break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out << buf;
      }
    }
  }
  out.write(s.data() + run, static_cast<std::streamsize>(s.size() - run));
  out << '"';
}

void number(std::ostream& out, double v) {
  if (!std::isfinite(v)) {
    out << "null";
    return;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  out << buf;
}

void summary(std::ostream& out, const Summary& s) {
  out << "{\"total\":" << s.total;
  for (Status st : k_all_statuses) out << ",\"" << to_string(st) << "\":" << s.count(st);
  out << ",\"failed_by_severity\":{";
  bool first = true;
  for (Severity sv : k_all_severities) {
    out << (first ? "" : ",") << '"' << to_string(sv) << "\":" << s.by_severity_failed[static_cast<int>(sv)];
    first = false;
  }
  out << "}}";
}

}  // namespace

std::string fleet_host_name(const FleetHost& host) {
  return host.hostname.empty() ? host.file : host.hostname;
}

void write_fleet_json(const Fleet& fleet, std::ostream& out) {
  int skipped = 0;
  for (const auto& p : fleet.problems) skipped += p.skipped ? 1 : 0;
  int rules_failing = 0;
  for (const auto& r : fleet.rules) rules_failing += r.count(Status::fail) > 0 ? 1 : 0;

  out << "{\"schema\":\"" << k_fleet_schema << "\",\"tool\":{\"name\":\"hostbench\",\"version\":";
  put(out, HOSTBENCH_VERSION);
  out << "},\"generated\":";
  put(out, fleet.generated);
  out << ",\"max_result_age_hours\":";
  number(out, fleet.max_age_hours);
  out << ",\n\"summary\":{\"files\":" << fleet.files_given << ",\"hosts\":" << fleet.hosts.size()
      << ",\"hosts_failing\":" << fleet.hosts_failing() << ",\"hosts_stale\":" << fleet.hosts_stale()
      << ",\"skipped\":" << skipped << ",\"rules\":" << fleet.rules.size()
      << ",\"rules_failing\":" << rules_failing << "},\n\"hosts\":[";

  const char* sep = "\n";
  for (const auto& h : fleet.hosts) {
    out << sep << "{\"hostname\":";
    put(out, h.hostname);
    out << ",\"file\":";
    put(out, h.file);
    out << ",\"started\":";
    if (h.started.empty()) out << "null"; else put(out, h.started);
    out << ",\"age_hours\":";
    if (h.age_hours) number(out, *h.age_hours); else out << "null";
    out << ",\"stale\":" << (h.stale ? "true" : "false") << ",\"tool_version\":";
    put(out, h.tool_version);
    out << ",\"profiles\":[";
    for (std::size_t i = 0; i < h.profiles.size(); ++i) {
      if (i) out << ',';
      put(out, h.profiles[i]);
    }
    out << "],\"score\":";
    number(out, h.summary.score);
    out << ",\"summary\":";
    summary(out, h.summary);
    for (Status st : {Status::fail, Status::error, Status::waived}) {
      out << ",\"" << (st == Status::fail ? "failed" : to_string(st)) << "\":[";
      bool first = true;
      for (std::size_t r = 0; r < h.status.size(); ++r) {
        if (h.status[r] != static_cast<std::uint8_t>(st)) continue;
        if (!first) out << ',';
        put(out, fleet.rules[r].id);
        first = false;
      }
      out << ']';
    }
    out << ",\"report_html\":";
    if (h.report_html.empty()) out << "null"; else put(out, h.report_html);
    out << '}';
    sep = ",\n";
  }
  out << "],\n\"rules\":[";
  sep = "\n";
  for (std::size_t r = 0; r < fleet.rules.size(); ++r) {
    const FleetRule& rule = fleet.rules[r];
    out << sep << "{\"id\":";
    put(out, rule.id);
    out << ",\"title\":";
    put(out, rule.title);
    out << ",\"profile\":";
    put(out, rule.profile);
    out << ",\"severity\":\"" << to_string(rule.severity)
        << "\",\"severity_differs\":" << (rule.severity_differs ? "true" : "false") << ",\"hosts\":{";
    int scanned = 0;
    for (Status st : k_all_statuses) {
      out << '"' << to_string(st) << "\":" << rule.count(st) << ',';
      scanned += rule.count(st);
    }
    out << "\"not_scanned\":" << static_cast<long>(fleet.hosts.size()) - scanned << "},\"failing\":[";
    bool first = true;
    for (const auto& h : fleet.hosts) {
      if (h.status[r] != static_cast<std::uint8_t>(Status::fail)) continue;
      if (!first) out << ',';
      put(out, fleet_host_name(h));
      first = false;
    }
    out << "]}";
    sep = ",\n";
  }
  out << "],\n\"problems\":[";
  sep = "\n";
  for (const auto& p : fleet.problems) {
    out << sep << "{\"file\":";
    put(out, p.file);
    out << ",\"message\":";
    put(out, p.message);
    out << ",\"skipped\":" << (p.skipped ? "true" : "false") << '}';
    sep = ",\n";
  }
  out << "]}\n";
}

}  // namespace hb
