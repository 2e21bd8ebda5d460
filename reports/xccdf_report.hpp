// XCCDF 1.2 results: a Benchmark built from the scan's rules (a Group per section — a rule's
// first tag —, a Rule per rule, a Profile per hostbench profile) holding one TestResult (target,
// addresses, facts, identity, times, a rule-result per rule with severity, idents, references
// and the evidence as messages, scores in the default and flat models). Valid against the
// XCCDF 1.2 schema; `oscap xccdf validate` and `oscap xccdf generate report` accept it.
//
// Ids: xccdf_org.hostbench_rule_<rule id>, ..._group_<section>, ..._profile_<profile id>;
// rule_id_of() maps back.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "engine/report.hpp"

namespace hb {

inline constexpr const char* k_xccdf_namespace = "http://checklists.nist.gov/xccdf/1.2";
inline constexpr const char* k_xccdf_prefix = "xccdf_org.hostbench_";

std::string xccdf_rule_id(const std::string& rule_id);
std::optional<std::string> rule_id_of(const std::string& xccdf_id);

void write_xccdf_report(const ScanReport& report, std::ostream& out);

}  // namespace hb
