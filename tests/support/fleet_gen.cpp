#include "tests/support/fleet_gen.hpp"

#include <cstdio>
#include <optional>

#include "engine/report.hpp"  // format_time

namespace hb::test {

namespace {

std::uint64_t mix(std::uint64_t x) {  // splitmix64
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

unsigned linux_rules(const FleetGenOptions& opt) { return opt.rules - opt.rules / 3; }

void filler(std::string& out, std::size_t bytes, std::uint64_t h) {
  static const char* words[] = {"the",    "daemon", "mode",  "0644",   "owned",  "root",
                                "socket", "sysctl", "value", "expect", "config", "kernel"};
  std::size_t start = out.size();
  while (out.size() - start < bytes) {
    h = mix(h);
    out += words[h % 12];
    out += ' ';
  }
}

}  // namespace

std::string synthetic_rule_id(unsigned rule) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "synthetic.section%02u.rule%03u", rule / 25, rule);
  return buf;
}

Severity synthetic_severity(unsigned rule) {
  static constexpr Severity order[] = {Severity::medium, Severity::low, Severity::high,
                                       Severity::medium, Severity::critical, Severity::info};
  return order[rule % 6];
}

std::optional<Status> synthetic_status(const FleetGenOptions& opt, unsigned host, unsigned rule) {
  if (rule >= opt.rules) return std::nullopt;
  if (host % 2 == 1 && rule >= linux_rules(opt)) return std::nullopt;
  std::uint64_t h = mix(opt.seed ^ (std::uint64_t{host} << 32) ^ rule);
  // Rules fail on a share of hosts that grows with their index mod 10; every 7th host is worse.
  unsigned fail_pct = (rule % 10) * 6 + (host % 7 == 0 ? 25 : 0);
  unsigned roll = static_cast<unsigned>(h % 100);
  if (roll < fail_pct) return Status::fail;
  if (rule % 13 == 0) return Status::notapplicable;
  if (roll >= 98) return Status::error;
  if (rule % 29 == 0 && roll >= 90) return Status::waived;
  return Status::pass;
}

std::string synthetic_results(const FleetGenOptions& opt, unsigned host) {
  std::string out;
  out.reserve(opt.rules * (opt.padding + 400) + 2048);
  char buf[512];
  const std::int64_t started = opt.now_epoch - static_cast<std::int64_t>(host % 97) * 3600;
  const std::string when = format_time(SystemTime(std::chrono::seconds(started)));
  std::snprintf(buf, sizeof buf,
                "{\"schema\":\"hostbench-results/1\",\"tool\":{\"name\":\"hostbench\",\"version\":"
                "\"0.1.0\"},\"scan\":{\"started\":\"%s\",\"finished\":\"%s\",\"duration_ms\":%u,"
                "\"root\":\"/\",\"hostname\":\"host-%05u\",\"os\":\"Debian GNU/Linux 12 (bookworm)\","
                "\"kernel\":\"6.1.0-%u-amd64\",\"addresses\":[\"10.%u.%u.%u\"],\"profiles\":[",
                when.c_str(), when.c_str(), 400 + host % 300, host, host % 30, (host >> 16) & 255,
                (host >> 8) & 255, host & 255);
  out += buf;
  out += "{\"id\":\"linux\",\"title\":\"Linux host baseline\",\"version\":\"1.0.0\","
         "\"description\":\"";
  filler(out, 300, host);
  out += "\",\"requested\":true,\"extends\":[]}";
  if (host % 2 == 0)
    out += ",{\"id\":\"docker\",\"title\":\"Docker host\",\"version\":\"1.0.0\",\"description\":"
           "\"CIS Docker Benchmark \\\"v1.6.0\\\" \\u2014 synthetic\",\"requested\":true,"
           "\"extends\":[]}";
  out += "],\"user\":\"root(0)\",\"jobs\":2},\"results\":[";
  SummaryTally tally;
  bool first = true;
  for (unsigned r = 0; r < opt.rules; ++r) {
    auto st = synthetic_status(opt, host, r);
    if (!st) continue;
    Severity sev = synthetic_severity(r);
    tally.add(sev, *st);
    if (!first) out += ',';
    first = false;
    std::uint64_t h = mix(opt.seed + host * 1000003ULL + r);
    std::snprintf(buf, sizeof buf,
                  "\n{\"id\":\"%s\",\"title\":\"Synthetic rule %u: \\\"setting\\\" is \\u00absafe\\u00bb\","
                  "\"profile\":\"%s\",\"severity\":\"%s\",\"status\":\"%s\",\"references\":{"
                  "\"cis-debian12\":\"%u.%u.%u\"},\"tags\":[\"synthetic\",\"level%u\"],"
                  "\"duration_ms\":%.3f,\"description\":\"",
                  synthetic_rule_id(r).c_str(), r, r < linux_rules(opt) ? "linux" : "docker",
                  std::string(to_string(sev)).c_str(), std::string(to_string(*st)).c_str(), r / 50 + 1,
                  r / 10 % 5 + 1, r % 10 + 1, 1 + r % 2, static_cast<double>(h % 5000) / 1000.0);
    out += buf;
    filler(out, opt.padding / 3, h);
    out += "\",\"rationale\":\"";
    filler(out, opt.padding / 3, h + 1);
    out += "\",\"remediation\":\"Run `chmod 0644 /etc/example` \\u2192 \\\"fixed\\\"\\n";
    filler(out, opt.padding / 6, h + 2);
    out += "\",\"source\":\"./profiles/linux.yaml:";
    out += std::to_string(80 + r * 12);
    out += ":5\",\"evidence\":[\"";
    filler(out, opt.padding / 6, h + 3);
    out += "\"],\"objects\":[";
    if (*st == Status::fail && r % 4 == 0) {
      for (unsigned o = 0; o < 3; ++o) {
        std::snprintf(buf, sizeof buf,
                      "%s{\"id\":\"/etc/object-%u\",\"status\":\"fail\",\"evidence\":[\"mode 0666 "
                      "(expected 0644 or stricter)\"]}",
                      o ? "," : "", o);
        out += buf;
      }
    }
    out += "]}";
  }
  Summary s = tally.done();
  std::snprintf(buf, sizeof buf,
                "],\"summary\":{\"total\":%d,\"pass\":%d,\"fail\":%d,\"error\":%d,\"notapplicable\":%d,"
                "\"notchecked\":%d,\"informational\":%d,\"waived\":%d,\"score\":%.1f,"
                "\"failed_by_severity\":{\"info\":%d,\"low\":%d,\"medium\":%d,\"high\":%d,"
                "\"critical\":%d}}}\n",
                s.total, s.count(Status::pass), s.count(Status::fail), s.count(Status::error),
                s.count(Status::notapplicable), s.count(Status::notchecked),
                s.count(Status::informational), s.count(Status::waived), s.score,
                s.by_severity_failed[0], s.by_severity_failed[1], s.by_severity_failed[2],
                s.by_severity_failed[3], s.by_severity_failed[4]);
  out += buf;
  return out;
}

}  // namespace hb::test
