// The console report: one line per rule (status, severity, id, title), the evidence and the
// remediation of what failed or erred, and a summary line. Colour only when asked (the CLI
// asks on a terminal without NO_COLOR). Host text passes through terminal_safe().
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "engine/report.hpp"

namespace hb {

struct ConsoleOptions {
  bool color = false;
  bool quiet = false;             // the summary alone
  std::size_t max_objects = 20;   // failing objects shown per rule
};

void write_console_report(const ScanReport& report, const ConsoleOptions& options,
                          std::ostream& out);
// `scan --timings`: the n slowest rules and the n slowest sources (each parsed once per scan,
// keyed as in the facts cache: "apt.lists", "keyvalue:sshd:/etc/ssh/sshd_config" ...).
void write_timings(const std::vector<RuleResult>& results,
                   const std::map<std::string, std::int64_t>& source_us, std::size_t n,
                   std::ostream& out);
// "42 rules: 30 pass, 5 fail, 1 error, 6 notapplicable; score 85.7/100"
std::string summary_line(const Summary& s);
// Why rules ended in error, printed after the summary line (not with --quiet): "12 rules in
// error: 9 permission denied (run as root), 1 timed out, 2 other"; "" when none did.
std::string error_summary(const std::vector<RuleResult>& results);

}  // namespace hb
