// ScanReport: a finished scan — what was scanned, one RuleResult per selected rule in profile
// order, and the summary. Report writers (reports/) are pure functions of this; JSON written
// from it is the one source of truth that every other format can be rendered from.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/drift.hpp"
#include "engine/probe.hpp"
#include "engine/rule.hpp"

namespace hb {

using SystemTime = std::chrono::system_clock::time_point;

// A waiver from a waivers file (engine/waivers.hpp): an accepted failure, with its reason.
struct Waiver {
  std::string rule;           // a rule id or a glob on rule ids
  std::string object;         // a glob on object ids (see waivers.hpp); empty: the whole rule
  std::string justification;  // required
  std::string owner;
  std::string expires;        // YYYY-MM-DD, valid through that day (UTC); empty: no expiry
  std::string source;         // file:line of the entry
};

// A waiver that turned a fail into `waived`: the whole rule, or one of its objects.
struct AppliedWaiver {
  Waiver waiver;
  std::string object;  // the object id waived; empty: the rule itself
};

struct RuleResult {
  RuleMeta meta;
  Status status = Status::notchecked;
  std::vector<std::string> evidence;
  std::vector<ObjectResult> objects;
  std::int64_t duration_us = 0;
  std::vector<AppliedWaiver> waivers;  // what turned fails into `waived`
};

struct ProfileRef {
  std::string id;
  std::string title;
  std::string version;
  std::string description;
  bool requested = true;  // named with --profile (false: loaded as a parent through extends)
  std::vector<std::string> extends;
};

struct ScanMeta {
  std::string tool = "hostbench";
  std::string version;
  SystemTime started{};
  SystemTime finished{};
  std::string root;
  std::string hostname;
  std::string os;
  std::string kernel;
  std::string virtualization;
  bool container_optimized_os = false;
  std::vector<std::string> addresses;
  std::vector<ProfileRef> profiles;
  std::string user;  // who ran the scan: "root(0)"
  unsigned jobs = 1;
};

struct Summary {
  int total = 0;
  int counts[7] = {};  // indexed by static_cast<int>(Status)
  int by_severity_failed[5] = {};
  double score = 0;  // 0..100, see compute_summary
  int count(Status s) const { return counts[static_cast<int>(s)]; }
};

// The waivers file of a scan: what it held, which entries expired, which waived nothing.
struct WaiverNote {
  Waiver waiver;
  std::string reason;  // "expired on 2026-03-31", "no rule id matches", "rule passes"
};
struct WaiverStatus {
  std::string file;
  int loaded = 0;
  int applied = 0;                  // fails (rules or objects) waived
  std::vector<WaiverNote> expired;  // no longer applied
  std::vector<WaiverNote> unused;   // unexpired, but waived nothing in this scan
};

struct ScanReport {
  ScanMeta meta;
  std::vector<RuleResult> results;
  Summary summary;
  std::optional<WaiverStatus> waivers;  // set when the scan used a waivers file
  std::optional<Drift> drift;  // set when compared with an earlier scan (engine/drift.hpp)
};

// Score: the share of judged rules (pass, fail, waived) that passed or were waived, each rule
// weighted by severity (info 0, low 1, medium 2, high 3, critical 4), times 100. A scan that
// judged nothing scores 0: an empty verdict is not a clean bill of health.
Summary compute_summary(const std::vector<RuleResult>& results);
int severity_weight(Severity s);  // the score's weights: info 0, low 1 … critical 4
// compute_summary one result at a time, for readers that keep no RuleResults (the fleet merge).
class SummaryTally {
 public:
  void add(Severity severity, Status status);
  Summary done() const;

 private:
  Summary s_;
  long judged_ = 0, good_ = 0;
};

// Exit codes (README): 0 nothing failed at or above fail_on; 1 something did; 3 no such failure
// but some rule ended in error. (2 — usage, profile or I/O error — is the CLI's.)
int exit_code_for(const ScanReport& report, Severity fail_on);

// RFC 3339 UTC with milliseconds: 2026-11-28T22:04:11.123Z
std::string format_time(SystemTime t);
std::optional<SystemTime> parse_time(const std::string& text);

}  // namespace hb
