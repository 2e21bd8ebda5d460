#include "engine/report.hpp"

#include <cstdio>
#include <ctime>

namespace hb {

int severity_weight(Severity s) {
  switch (s) {
    case Severity::info: return 0;
    case Severity::low: return 1;
    case Severity::medium: return 2;
    case Severity::high: return 3;
    case Severity::critical: return 4;
  }
  return 1;
}

void SummaryTally::add(Severity severity, Status status) {
  ++s_.total;
  ++s_.counts[static_cast<int>(status)];
  if (status == Status::fail) ++s_.by_severity_failed[static_cast<int>(severity)];
  if (status == Status::pass || status == Status::fail || status == Status::waived) {
    judged_ += severity_weight(severity);
    if (status != Status::fail) good_ += severity_weight(severity);
  }
}

Summary SummaryTally::done() const {
  Summary s = s_;
  s.score = judged_ > 0 ? 100.0 * static_cast<double>(good_) / static_cast<double>(judged_) : 0.0;
  return s;
}

Summary compute_summary(const std::vector<RuleResult>& results) {
  SummaryTally tally;
  for (const auto& r : results) tally.add(r.meta.severity, r.status);
  return tally.done();
}

int exit_code_for(const ScanReport& report, Severity fail_on) {
  bool failed = false, errored = false;
  for (const auto& r : report.results) {
    if (r.status == Status::fail && r.meta.severity >= fail_on) failed = true;
    if (r.status == Status::error) errored = true;
  }
  if (failed) return 1;
  if (errored) return 3;
  return 0;
}

std::string format_time(SystemTime t) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  int frac = static_cast<int>(ms % 1000);
  if (frac < 0) frac += 1000, --secs;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
  return buf;
}

std::optional<SystemTime> parse_time(const std::string& text) {
  std::tm tm{};
  int ms = 0;
  char z = 0;
  int n = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &tm.tm_year, &tm.tm_mon,
                      &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms, &z);
  if (n == 8 && z == 'Z') {
  } else {
    ms = 0;
    n = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon,
                    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z);
    if (n != 7 || z != 'Z') return std::nullopt;
  }
  // system_clock counts nanoseconds in 64 bits: about 1678 to 2262. Anything outside a sane
  // range would overflow the conversion below (found by fuzzing the fleet reader).
  if (tm.tm_year < 1900 || tm.tm_year > 2200) return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::time_t secs = timegm(&tm);
  if (secs == static_cast<std::time_t>(-1)) return std::nullopt;
  return SystemTime(std::chrono::seconds(secs)) + std::chrono::milliseconds(ms);
}

}  // namespace hb
