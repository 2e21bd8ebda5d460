// Rule: an immutable definition from a profile. RuleMeta is what every report needs to say
// about a rule; it is copied into each RuleResult so that results stand alone (a report
// re-rendered from JSON has no Rule objects).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/check.hpp"
#include "engine/status.hpp"

namespace hb {

struct RuleMeta {
  std::string id;
  std::string title;
  std::string description;
  std::string rationale;
  std::string remediation;
  Severity severity = Severity::medium;
  std::vector<std::pair<std::string, std::string>> references;  // scheme -> id, file order
  std::vector<std::string> tags;
  std::string profile;  // the id of the profile that defines the rule
  std::string source;   // file:line of the definition
};

struct Rule {
  RuleMeta meta;
  std::shared_ptr<const Check> applies_if;  // may be null
  std::shared_ptr<const Check> check;
};

}  // namespace hb
