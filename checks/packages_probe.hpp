// The `packages` probe kind: installed Debian packages (dpkg's database), the updates apt could
// install (apt's lists), the lists' age, and the repositories' signature settings. See
// profiles/README.md ("Probe: packages") for its parameters:
//
//   { probe: packages, check: installed, names: [telnetd], expect: { installed: false } }
//   { probe: packages, check: updates, suites: security, max_list_age_days: 7 }
//   { probe: packages, check: lists_fresh, max_list_age_days: 7 }
//   { probe: packages, check: sources_signed }
//
// A root without a dpkg database is notapplicable (notchecked when it has an RPM database
// instead: hostbench does not read RPM). List ages are judged against the clock of the machine
// running the scan.
#pragma once

#include <memory>

#include "engine/probe.hpp"

namespace hb {

std::unique_ptr<Probe> parse_packages_probe(const Params& params);

}  // namespace hb
