// Synthetic host results (hostbench-results/1) for the fleet merge's tests and benchmark: host i
// of a fleet gets `rules` results whose statuses, severities and profiles follow from (seed, i,
// rule) alone, with descriptions, evidence and objects padding each result to about the size of
// a real one (a real host's result is ~1.4 KB per rule). Every document is valid JSON that the
// scanner's own reader (read_json_report) accepts.
#pragma once

#include <cstdint>
#include <string>

#include "engine/status.hpp"

namespace hb::test {

struct FleetGenOptions {
  unsigned rules = 300;          // the first 2/3 in profile "linux", the rest in "docker"
  std::uint64_t seed = 1;
  std::size_t padding = 900;     // bytes of description/rationale/remediation/evidence per rule
  std::int64_t now_epoch = 1'800'000'000;  // the newest scan time; host i is i % 97 hours older
};

// Host i: hostname "host-%05u"; odd hosts scan "linux" alone (so they lack the docker rules).
std::string synthetic_results(const FleetGenOptions& opt, unsigned host);
// The status the generator gives host `host` for rule `rule` (k_not_scanned-like: nullopt when
// the host's profiles lack the rule), so tests can check the merge against it.
std::optional<Status> synthetic_status(const FleetGenOptions& opt, unsigned host, unsigned rule);
Severity synthetic_severity(unsigned rule);
std::string synthetic_rule_id(unsigned rule);

}  // namespace hb::test
