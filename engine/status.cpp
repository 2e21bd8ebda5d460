#include "engine/status.hpp"

namespace hb {

std::string_view to_string(Status s) {
  switch (s) {
    case Status::pass: return "pass";
    case Status::fail: return "fail";
    case Status::error: return "error";
    case Status::notapplicable: return "notapplicable";
    case Status::notchecked: return "notchecked";
    case Status::informational: return "informational";
    case Status::waived: return "waived";
  }
  return "error";
}

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::info: return "info";
    case Severity::low: return "low";
    case Severity::medium: return "medium";
    case Severity::high: return "high";
    case Severity::critical: return "critical";
  }
  return "info";
}

std::optional<Status> parse_status(std::string_view s) {
  for (Status st : k_all_statuses)
    if (to_string(st) == s) return st;
  return std::nullopt;
}

std::optional<Severity> parse_severity(std::string_view s) {
  for (Severity sv : k_all_severities)
    if (to_string(sv) == s) return sv;
  return std::nullopt;
}

namespace {
int rank(Status s) {
  switch (s) {
    case Status::notapplicable: return 0;
    case Status::notchecked: return 1;
    case Status::informational: return 2;
    case Status::pass: return 3;
    case Status::waived: return 4;
    case Status::error: return 5;
    case Status::fail: return 6;
  }
  return 5;
}
}  // namespace

Status worst(Status a, Status b) { return rank(a) >= rank(b) ? a : b; }

}  // namespace hb
