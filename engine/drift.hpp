// Drift: what changed between two scans of a host, rule by rule. compute_drift() compares an
// earlier ScanReport with a later one by rule id (and, inside a rule, by object id) and sorts
// every rule that is in either scan into exactly one category:
//
//   newly_failing  fail now and not before (from pass, error, waived — an expired waiver —, ...,
//                  or a rule the earlier scan did not have); or still fail with failing objects
//                  the earlier scan did not have (new_failing_objects lists them)
//   fixed          failed before and not now (`after` says what it is now: pass, waived, ...); or
//                  still fail with fewer failing objects and no new ones (fixed_objects)
//   still_failing  failed in both, with the same failing objects (the evidence may differ)
//   changed        any other difference: the same status with other evidence or objects, or a
//                  status change that involves no fail (pass -> error, notapplicable -> pass)
//   added          in the later scan only, and not failing (a failing one is newly_failing)
//   removed        in the earlier scan only (whatever its status was)
//
// Rules identical in both scans are only counted (unchanged). Each entry carries what a report
// prints: id, title, severity, both statuses, the evidence lines that differ and the objects that
// changed, capped (k_drift_*), with the totals before capping. Work is linear in the number of
// rules, objects and evidence lines (hash maps).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/status.hpp"

namespace hb {

struct ScanReport;

// Caps, so a drift between two scans of 2,000 changed objects stays readable and small.
inline constexpr std::size_t k_drift_max_evidence = 10;        // lines per side and rule
inline constexpr std::size_t k_drift_max_objects = 100;        // objects per list and rule
inline constexpr std::size_t k_drift_max_object_evidence = 3;  // lines per object
inline constexpr std::size_t k_drift_max_line = 300;           // bytes per line (then "...")

// One scan as the drift names it: "compared with the scan of HOST at TIME".
struct DriftScan {
  std::string hostname;
  std::string root;
  std::chrono::system_clock::time_point started{};
  std::vector<std::string> profiles;  // the requested profiles, "id version", scan order
  friend bool operator==(const DriftScan&, const DriftScan&) = default;
};

struct DriftObject {
  std::string id;
  std::optional<Status> before;       // absent: the object was not in the earlier scan
  std::optional<Status> after;        // absent: the object is gone
  std::vector<std::string> evidence;  // the later scan's (else the earlier's), capped
  friend bool operator==(const DriftObject&, const DriftObject&) = default;
};

// A capped list and the number of items before capping.
template <class T>
struct Capped {
  std::vector<T> items;
  std::size_t total = 0;
  bool empty() const { return total == 0; }
  friend bool operator==(const Capped&, const Capped&) = default;
};

struct DriftRule {
  std::string id;
  std::string title;  // the later scan's, else the earlier's
  Severity severity = Severity::medium;
  std::optional<Status> before;             // absent: added
  std::optional<Status> after;              // absent: removed
  Capped<std::string> evidence_removed;     // rule evidence lines only the earlier scan has
  Capped<std::string> evidence_added;       // ... only the later scan has
  Capped<DriftObject> new_failing_objects;  // fail now, not before (or new)
  Capped<DriftObject> fixed_objects;        // failed before, not now (or gone)
  Capped<DriftObject> changed_objects;      // any other object difference
  // Whether anything differs at all (always true outside still_failing).
  bool differs() const;
  friend bool operator==(const DriftRule&, const DriftRule&) = default;
};

enum class DriftCategory { newly_failing, fixed, still_failing, changed, added, removed };
inline constexpr DriftCategory k_drift_categories[] = {
    DriftCategory::newly_failing, DriftCategory::fixed, DriftCategory::still_failing,
    DriftCategory::changed,       DriftCategory::added, DriftCategory::removed};
// "newly_failing", "fixed", ... (the JSON keys) and "newly failing", ... (for people).
const char* to_key(DriftCategory c);
const char* to_label(DriftCategory c);

struct Drift {
  DriftScan before;
  DriftScan after;
  // Not fatal, but they make the comparison doubtful: different hosts or roots, different
  // profile sets or versions, an "earlier" scan that started after the later one.
  std::vector<std::string> warnings;
  // Each sorted by severity (critical first), then in the later scan's rule order (removed:
  // the earlier scan's).
  std::vector<DriftRule> newly_failing;
  std::vector<DriftRule> fixed;
  std::vector<DriftRule> still_failing;
  std::vector<DriftRule> changed;
  std::vector<DriftRule> added;
  std::vector<DriftRule> removed;
  int unchanged = 0;  // rules identical in both scans

  std::vector<DriftRule>& rules(DriftCategory c);
  const std::vector<DriftRule>& rules(DriftCategory c) const;
  // Anything other than identical rules and rules still failing identically.
  bool has_changes() const;
  int newly_failing_count() const { return static_cast<int>(newly_failing.size()); }
  friend bool operator==(const Drift&, const Drift&) = default;
};

Drift compute_drift(const ScanReport& before, const ScanReport& after);

// A line of evidence as a drift keeps it: valid UTF-8, at most k_drift_max_line bytes (cut at a
// character boundary, then "...").
std::string drift_line(const std::string& line);

}  // namespace hb
