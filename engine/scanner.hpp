// Scanner: selects rules and runs them in parallel. Results come back in profile order whatever
// the thread timing, each with its duration. One Facts cache serves the whole scan, so every
// source is parsed at most once. A probe that throws makes its rule `error` with the reason; a
// rule still running after the timeout is reported as `error` ("timed out") and the scan goes on
// without it (its thread is abandoned, and the CLI exits without waiting for it).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "engine/command_runner.hpp"
#include "engine/expected.hpp"
#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/profile.hpp"
#include "engine/report.hpp"

namespace hb {

struct Selection {
  std::vector<std::string> checks;  // --check: globs on rule ids; empty = all
  std::vector<std::string> skips;   // --skip: globs on rule ids
  std::vector<std::string> tags;    // --tag: a rule with any of these tags
};

// The rules of `set` that the selection keeps, in profile order. A --check or --tag that matches
// no rule is an error (a typo should not give an empty, "clean" scan).
Expected<std::vector<const Rule*>> select_rules(const ProfileSet& set, const Selection& sel);

struct ScanOptions {
  unsigned jobs = 0;  // 0: the number of cores
  std::chrono::milliseconds rule_timeout{60'000};
  // The whole scan's deadline (--timeout): rules not finished by then are `notchecked`, saying
  // why, and the scan returns at once with every other result. Unset: no deadline.
  std::optional<std::chrono::milliseconds> scan_timeout;
  // The time probes judge ages against (ProbeContext::now); unset: the time the scan starts.
  std::optional<std::chrono::system_clock::time_point> now;
  DockerAccess docker = {};
  std::vector<std::string> dockerfiles;  // scan --dockerfile, expanded to files
  // Called on the calling thread after each rule ends.
  std::function<void(std::size_t done, std::size_t total, const RuleResult&)> progress;
};

struct ScanRun {
  std::vector<RuleResult> results;      // in the order of the rules given
  std::map<std::string, int> parse_counts;  // Facts key -> times computed (always 1)
  std::map<std::string, std::int64_t> source_us;  // Facts key -> time spent computing it
  int abandoned = 0;                    // rules that timed out and whose threads still run
  int not_finished = 0;                 // rules left notchecked by the scan's deadline
};

// Evaluates one rule (applies_if, then check) and times it. Never throws.
RuleResult evaluate_rule(const Rule& rule, const ProbeContext& ctx);

// `rules` point into `owner`. The owner, host and commands are shared because an abandoned rule
// may still be using them after the call returns.
ScanRun run_scan(std::shared_ptr<const ProfileSet> owner, const std::vector<const Rule*>& rules,
                 std::shared_ptr<const HostView> host,
                 std::shared_ptr<const CommandRunner> commands, const ScanOptions& options);

}  // namespace hb
