// JUnit XML for CI systems: <testsuites> with a <testsuite> per profile (the profile that
// defines each rule) and a <testcase> per rule. fail → <failure> with the evidence, error →
// <error>, notapplicable and notchecked → <skipped>; pass, informational and waived are plain
// passing test cases (a waived one carries its justification in <system-out>).
#pragma once

#include <ostream>

#include "engine/report.hpp"

namespace hb {

void write_junit_report(const ScanReport& report, std::ostream& out);

}  // namespace hb
