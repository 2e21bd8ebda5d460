// Waivers: accepted failures, shared between hosts as a YAML file (README, "Waivers").
//
//   waivers:
//     - rule: host.packages.unwanted     # a rule id, or a glob such as docker.container.*
//       object: telnetd                  # optional: which object of the rule (glob)
//       justification: Legacy appliance, replaced in Q1   # required
//       owner: ops@example.org           # optional
//       expires: 2027-03-31              # optional ISO date, valid through that day (UTC)
//
// Only a `fail` is waived (a waiver never hides an error or turns anything into a pass). A rule
// waived as a whole becomes `waived`; a waiver with `object` waives the failing objects it
// matches, and the rule becomes `waived` once none of its failures is left. An expired waiver is
// not applied, and says so in the evidence of what it would have covered; an unexpired waiver
// that waived nothing is reported as unused. A bad entry (no justification, a bad date, an
// unknown key) is a load error naming file:line.
#pragma once

#include <string>
#include <vector>

#include "engine/expected.hpp"
#include "engine/report.hpp"

namespace hb {

struct WaiverSet {
  std::string file;
  std::vector<Waiver> waivers;  // file order: the first that matches applies
};

// Reads and validates a waivers file (at most 4 MiB; a regular file).
Expected<WaiverSet> load_waivers(const std::string& path);
// The same from text (`file` names it in errors).
Expected<WaiverSet> parse_waivers(const std::string& text, const std::string& file);

// Whether an object pattern matches an object id as the reports show it. The glob is tried on
// the whole id ("tcp 0.0.0.0:25", "/etc/shadow", "web (3f2a9c1b2d4e, nginx:1.25)"), on its name
// before " (" (a container's name), and, for an id ending in ":DIGITS", on those digits (a port)
// and on what precedes them (a path of "path:line").
bool waiver_object_matches(const std::string& pattern, const std::string& object_id);

// "2026-11-29": the UTC date of a time point, the day waivers are judged on.
std::string utc_date(SystemTime t);

// Applies the waivers to the results of a scan started at `now`: fails become `waived`, each
// result lists the waivers applied (AppliedWaiver) and carries a line of evidence with the
// justification. Returns what the reports say about the file.
WaiverStatus apply_waivers(const WaiverSet& set, std::vector<RuleResult>& results, SystemTime now);

}  // namespace hb
