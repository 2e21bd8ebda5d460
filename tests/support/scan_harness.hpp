// Scans a shipped profile (profiles/NAME.yaml) over a root, as `hostbench scan` would, keeping
// the rules whose id matches a glob; results by rule id.
#pragma once

#include <map>
#include <string>

#include "engine/report.hpp"

namespace hb::test {

std::map<std::string, RuleResult> scan_profile(const std::string& profile, const std::string& root,
                                               const std::string& id_glob = "*");
// "id status: evidence [object] evidence ...", for CAPTURE.
std::string describe(const RuleResult& r);

}  // namespace hb::test
