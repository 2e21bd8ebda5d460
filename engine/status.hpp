// The result vocabulary: statuses (aligned with XCCDF's rule-result values) and severities.
#pragma once

#include <optional>
#include <string_view>

namespace hb {

// Order matters: aggregate() picks the "worst" by the rank below, not by enum order.
enum class Status {
  pass,
  fail,
  error,           // the check could not observe what it needed
  notapplicable,   // the component the rule is about is not present
  notchecked,      // the rule was not evaluated (skipped, or no automated check)
  informational,   // the rule reports facts without a verdict
  waived,          // a fail covered by an unexpired waiver
};

enum class Severity { info, low, medium, high, critical };

std::string_view to_string(Status s);
std::string_view to_string(Severity s);
std::optional<Status> parse_status(std::string_view s);
std::optional<Severity> parse_severity(std::string_view s);

// The worst of two statuses, for a rule that looks at many objects:
// fail > error > waived > pass > informational > notchecked > notapplicable.
Status worst(Status a, Status b);

inline constexpr Status k_all_statuses[] = {Status::pass,          Status::fail,
                                            Status::error,         Status::notapplicable,
                                            Status::notchecked,    Status::informational,
                                            Status::waived};
inline constexpr Severity k_all_severities[] = {Severity::info, Severity::low, Severity::medium,
                                                Severity::high, Severity::critical};

}  // namespace hb
