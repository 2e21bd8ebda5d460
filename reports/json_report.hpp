// JSON results, schema "hostbench-results/1" (README): the one source of truth, from which
// every other format can be rendered again. Keys come out in a stable order; all host text is
// valid UTF-8 (invalid bytes become U+FFFD).
#pragma once

#include <ostream>
#include <string>

#include "engine/expected.hpp"
#include "engine/report.hpp"

namespace hb {

inline constexpr const char* k_results_schema = "hostbench-results/1";

void write_json_report(const ScanReport& report, std::ostream& out);
// Reads results written by write_json_report; errors name what is wrong.
Expected<ScanReport> read_json_report(const std::string& text);

}  // namespace hb
