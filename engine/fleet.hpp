// `hostbench merge`: many hosts' saved results (hostbench-results/1) folded into one fleet view.
//
// A result file of a real host is a few hundred KB, mostly descriptions, evidence and objects.
// The merge skims each file instead of building a JSON tree: a single pass over the text that
// keeps only the scan's host, time, tool version and profiles, and per result the id, title,
// severity, profile and status, skipping every other value without decoding it. Files are read
// by a few threads, each into one reused buffer, so 10,000 hosts × 300 rules take seconds and
// tens of MiB. A file that is not valid results (not JSON, the wrong schema, a result without an
// id or status, too large, not a regular file) is reported in `problems` and left out; it never
// stops the merge.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expected.hpp"
#include "engine/report.hpp"  // Summary, compute_summary's score
#include "engine/status.hpp"

namespace hb {

// One status per fleet rule in a host's row: a Status as its integer, or k_not_scanned when the
// host's results do not hold the rule (another profile, or --check left it out).
inline constexpr std::uint8_t k_not_scanned = 0xFF;

struct FleetHost {
  std::string file;                 // the results file, as given
  std::string hostname;             // scan.hostname ("" when the file names none)
  std::string started;              // scan.started as written (ISO 8601 UTC), "" when absent
  std::optional<std::int64_t> started_epoch;  // seconds since the epoch, when it parses
  std::optional<double> age_hours;  // merge time − started (negative: the host's clock is ahead)
  bool stale = false;               // older than MergeOptions::max_age_hours, or no scan time
  std::string tool_version;         // tool.version
  std::vector<std::string> profiles;  // scan.profiles[].id, in the file's order
  Summary summary;                  // recomputed from the statuses below (the file's own is not trusted)
  std::vector<std::uint8_t> status;  // one per Fleet::rules entry (same order), or k_not_scanned
  std::string report_html;          // HOST.html next to HOST.json when it is a regular file, else ""
};

struct FleetRule {
  std::string id;
  std::string title;     // from the first host (in input order) that has the rule
  std::string profile;   // likewise
  Severity severity = Severity::medium;
  bool severity_differs = false;  // hosts disagree on the severity (different profile versions)
  int hosts[7] = {};     // hosts per Status (indexed by static_cast<int>(Status))
  int count(Status s) const { return hosts[static_cast<int>(s)]; }
};

struct FleetProblem {
  std::string file;
  std::string message;  // "not hostbench results (schema ...)", "line 3:17: ...", "duplicate ..."
  bool skipped = true;  // false: a warning about a file that was merged
};

struct Fleet {
  std::string generated;      // when the merge ran (ISO 8601 UTC)
  double max_age_hours = 48;
  // Worst first: most failed rules weighted by severity (critical 4 … low 1, info 0), then the
  // lowest score, then hostname and file.
  std::vector<FleetHost> hosts;
  // Most failing hosts first, then the highest severity, then id.
  std::vector<FleetRule> rules;
  std::vector<FleetProblem> problems;  // in input order
  int files_given = 0;
  int hosts_stale() const;
  int hosts_failing() const;  // hosts with at least one failed rule
};

struct MergeOptions {
  double max_age_hours = 48;
  unsigned jobs = 0;                       // reader threads; 0: the number of cores
  std::optional<std::int64_t> now_epoch;   // the merge's clock (tests); default: now
  std::size_t max_file_bytes = std::size_t{256} << 20;  // k_max_results_bytes
};

// Fleet::rules' order: most failing hosts first, then the highest severity, then id; every
// host's status row is permuted to match.
void sort_rules_most_failed(Fleet& fleet);
// Fleet::hosts' order: the failed rules weighted by severity (summary.by_severity_failed), then
// the lowest score, then hostname and file.
void sort_hosts_worst_first(std::vector<FleetHost>& hosts);

// Reads, skims and merges the files. Never fails: what cannot be read is in Fleet::problems.
Fleet merge_results(std::span<const std::string> files, const MergeOptions& options);

// One skimmed document, for the merge, the tests and the fuzzer.
struct SkimmedResult {
  std::string id, title, profile;
  Severity severity = Severity::medium;
  Status status = Status::notchecked;
};
struct SkimmedHost {
  std::string hostname, started, tool_version;
  std::vector<std::string> profiles;
  std::vector<SkimmedResult> results;
};
// Errors name the line:column and what is wrong; `origin` prefixes nothing (the caller adds the
// file). Accepts exactly what the JSON grammar accepts (RFC 8259), nesting up to k_max_json_depth.
Expected<SkimmedHost> skim_results(std::string_view text);

}  // namespace hb
