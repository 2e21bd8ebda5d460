// Writes fleet report pages from Fleets built here (no results files, no merge), for the browser
// test (tests/html/fleet_html.test.mjs) and for measuring the page at scale:
//
//   fleet_html_gen sample OUT.html            120 hosts × 60 rules, hostile text in some places
//   fleet_html_gen large HOSTS RULES OUT.html  synthetic statuses, e.g. 10000 300
//
// Prints "hosts rules bytes write_ms" on stdout. Hosts and rules are sorted the way the merge
// sorts them (engine/fleet.hpp), so the page sees what it would see from `hostbench merge`.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "engine/fleet.hpp"
#include "reports/fleet_html.hpp"

namespace {

using hb::Fleet;
using hb::FleetHost;
using hb::FleetRule;
using hb::Severity;
using hb::Status;

constexpr std::uint8_t st(Status s) {
  return static_cast<std::uint8_t>(s);
}

// A small deterministic generator (SplitMix64): the same page every run.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double unit() { return static_cast<double>(next() >> 11) / 9007199254740992.0; }
};

// Summaries from the rows (the scanner's score), rule counts, then the merge's own order
// (engine/fleet.hpp: sort_rules_most_failed, sort_hosts_worst_first),
// with every row permuted to the rules' new order.
void finish(Fleet& f) {
  for (auto& h : f.hosts) {
    hb::SummaryTally tally;
    for (std::size_t r = 0; r < h.status.size(); ++r)
      if (h.status[r] < 7) tally.add(f.rules[r].severity, static_cast<Status>(h.status[r]));
    h.summary = tally.done();
  }
  for (auto& r : f.rules) std::fill(std::begin(r.hosts), std::end(r.hosts), 0);
  for (const auto& h : f.hosts)
    for (std::size_t r = 0; r < f.rules.size(); ++r)
      if (h.status[r] < 7) ++f.rules[r].hosts[h.status[r]];
  hb::sort_rules_most_failed(f);
  hb::sort_hosts_worst_first(f.hosts);
}

std::string pad(std::size_t i, int width) {
  std::string s = std::to_string(i);
  return std::string(s.size() < static_cast<std::size_t>(width) ? width - s.size() : 0, '0') + s;
}

constexpr Severity k_sev[] = {Severity::critical, Severity::high, Severity::medium, Severity::low,
                              Severity::info};
constexpr const char* k_sections[] = {"ssh", "fs", "net", "kernel", "accounts", "services"};

// Rules: the last fifth belong to the docker profile, which only some hosts scan.
std::vector<FleetRule> make_rules(std::size_t n) {
  std::vector<FleetRule> rules;
  for (std::size_t i = 0; i < n; ++i) {
    FleetRule r;
    bool docker = i >= n - n / 5;
    r.profile = docker ? "docker" : "linux";
    r.id = r.profile + "." + (docker ? "daemon" : k_sections[i % 6]) + ".rule_" + pad(i, 3);
    r.title = "Synthetic rule " + std::to_string(i) + ": keep the setting within its limit";
    r.severity = k_sev[(i * 7) % 5];
    rules.push_back(std::move(r));
  }
  return rules;
}

Fleet large(std::size_t n_hosts, std::size_t n_rules) {
  Fleet f;
  f.generated = "2026-11-29T12:00:00Z";
  f.max_age_hours = 48;
  f.rules = make_rules(n_rules);
  f.rules[n_rules / 3].severity_differs = true;
  Rng rng{42};
  // Per rule a failure rate (most rules rarely fail, a few fail widely); per host a badness.
  std::vector<double> rate(n_rules);
  for (auto& x : rate) {
    double u = rng.unit();
    x = u < 0.5 ? 0 : u * u * u * 0.6;
  }
  for (std::size_t i = 0; i < n_hosts; ++i) {
    FleetHost h;
    h.hostname = "host-" + pad(i, 5) + ".dc" + std::to_string(i % 4) + ".example.net";
    h.file = "results/" + h.hostname + ".json";
    h.report_html = "results/" + h.hostname + ".html";
    h.tool_version = "0.1.0";
    bool docker = i % 5 < 3;
    h.profiles =
        docker ? std::vector<std::string>{"linux", "docker"} : std::vector<std::string>{"linux"};
    double age = rng.unit() * 40;
    if (i % 20 == 7) age = 60 + rng.unit() * 200;  // 5% stale
    h.age_hours = age;
    h.started_epoch = 1795953600 - static_cast<std::int64_t>(age * 3600);
    char buf[32];
    std::time_t t = static_cast<std::time_t>(*h.started_epoch);
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    h.started = buf;
    h.stale = age > f.max_age_hours;
    double bad = 0.3 + 1.4 * rng.unit();
    h.status.resize(n_rules);
    for (std::size_t r = 0; r < n_rules; ++r) {
      if (f.rules[r].profile == "docker" && !docker) {
        h.status[r] = hb::k_not_scanned;
        continue;
      }
      double u = rng.unit();
      if (u < rate[r] * bad)
        h.status[r] = st(Status::fail);
      else if (u < rate[r] * bad + 0.004)
        h.status[r] = st(Status::error);
      else if (u < rate[r] * bad + 0.008)
        h.status[r] = st(Status::waived);
      else if (r % 17 == 3)
        h.status[r] = st(Status::notapplicable);
      else
        h.status[r] = st(Status::pass);
    }
    f.hosts.push_back(std::move(h));
  }
  f.files_given = static_cast<int>(n_hosts) + 3;
  f.problems = {
      {"results/broken-1.json", "line 1:1: expected a value", true},
      {"results/old-schema.json", "not hostbench results (schema \"hostbench-results/0\")", true},
      {"results/huge.json", "larger than 268435456 bytes", true},
      {"results/" + f.hosts[7].hostname + ".json", "scan.started is in the future", false}};
  finish(f);
  return f;
}

// 120 hosts × 60 rules (the last 12 of the docker profile): three host pages, two pages of
// matrix columns. A few fixed hosts the test knows by name, hostile text in others, every status
// somewhere.
Fleet sample() {
  Fleet f;
  f.generated = "2026-11-29T12:00:00Z";
  f.max_age_hours = 24;
  f.rules = make_rules(60);
  f.rules[0].title =
      "Hostile title <img src=x onerror=\"window.__pwned=1\"> \xE2\x80\xAE"
      "evil";
  f.rules[1].id = "linux.ssh.</script><script>window.__pwned=1</script>";
  Rng rng{7};
  for (std::size_t i = 0; i < 120; ++i) {
    FleetHost h;
    h.hostname = "node-" + pad(i, 3) + ".example.net";
    h.file = "results/" + h.hostname + ".json";
    h.report_html = "reports/" + h.hostname + ".html";
    h.tool_version = "0.1.0";
    bool docker = i % 3 == 0;
    h.profiles =
        docker ? std::vector<std::string>{"linux", "docker"} : std::vector<std::string>{"linux"};
    h.age_hours = (i % 10 == 9) ? 30.0 + static_cast<double>(i) : 1.0 + static_cast<double>(i % 7);
    h.started = "2026-11-29T" + pad(i % 24, 2) + ":00:00Z";
    h.started_epoch = 1795953600;
    h.stale = *h.age_hours > f.max_age_hours;
    h.status.resize(60);
    for (std::size_t r = 0; r < 60; ++r) {
      if (f.rules[r].profile == "docker" && !docker) {
        h.status[r] = hb::k_not_scanned;
        continue;
      }
      double u = rng.unit();
      // 50 failing rules: the first 45 of linux, and the last 5 (docker, scanned by a third).
      double p = r < 45 ? 0.05 + 0.5 * static_cast<double>(45 - r) / 45.0 : r >= 55 ? 0.6 : 0.0;
      h.status[r] = st(u < p * 0.9    ? Status::fail
                       : u < p        ? Status::error
                       : u < p + 0.03 ? Status::waived
                       : r % 11 == 5  ? Status::notapplicable
                       : r % 13 == 6  ? Status::notchecked
                       : r % 19 == 7  ? Status::informational
                                      : Status::pass);
    }
    f.hosts.push_back(std::move(h));
  }
  // Known hosts for the test.
  f.hosts[0].hostname = "web01";
  f.hosts[0].report_html = "reports/web01 #1.html";
  f.hosts[1].hostname =
      "db01 \xE2\x80\xAE"
      "evil <script>window.__pwned=1</script> ctl\x01";
  f.hosts[1].report_html = "javascript:window.__pwned=1";
  f.hosts[2].hostname = "";  // no hostname: shown by its file
  f.hosts[2].file = "results/\"quoted\" & <b>bold</b>.json";
  f.hosts[3].report_html = "/var/lib/hostbench/absolute.html";
  f.hosts[4].hostname = "mail";
  f.hosts[4].started.clear();
  f.hosts[4].started_epoch.reset();
  f.hosts[4].age_hours.reset();
  f.hosts[4].stale = true;
  f.hosts[5].hostname = "clean";
  for (std::size_t r = 0; r < 60; ++r)
    if (f.hosts[5].status[r] != hb::k_not_scanned) f.hosts[5].status[r] = st(Status::pass);
  f.files_given = 123;
  f.problems = {
      {"results/broken.json", "line 3:17: expected a value", true},
      {"results/<img src=x onerror=alert(1)>.json", "not hostbench results (schema \"x\")", true},
      {"results/web01.json",
       "scan.started is in the future \xE2\x80\xAE"
       "evil",
       false}};
  finish(f);
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  Fleet fleet;
  std::string out_path;
  if (args.size() == 2 && args[0] == "sample") {
    fleet = sample();
    out_path = args[1];
  } else if (args.size() == 4 && args[0] == "large") {
    fleet = large(std::strtoul(args[1].c_str(), nullptr, 10),
                  std::strtoul(args[2].c_str(), nullptr, 10));
    out_path = args[3];
  } else {
    std::cerr << "usage: fleet_html_gen sample OUT.html | large HOSTS RULES OUT.html\n";
    return 2;
  }
  if (fleet.rules.empty() && !fleet.hosts.empty()) {
    std::cerr << "fleet_html_gen: RULES must be at least 1\n";
    return 2;
  }
  auto t0 = std::chrono::steady_clock::now();
  std::ostringstream page;
  hb::write_fleet_html(fleet, page);
  auto ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::ofstream out(out_path, std::ios::binary);
  out << page.str();
  out.close();
  if (!out) {
    std::cerr << "fleet_html_gen: cannot write " << out_path << "\n";
    return 1;
  }
  std::printf("%zu %zu %zu %.1f\n", fleet.hosts.size(), fleet.rules.size(), page.str().size(), ms);
  return 0;
}
