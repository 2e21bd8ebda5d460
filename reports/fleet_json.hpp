// A Fleet (engine/fleet.hpp) as JSON, schema "hostbench-fleet/1", for other tools: `hostbench
// merge --json`. Written as a stream (a fleet of 10,000 hosts is tens of MB; no tree is built).
// Keys come out in a stable order; all text is valid UTF-8. The layout is in the README
// ("Fleets"): summary, hosts (worst first, each with its failed and error rule ids), rules (most
// failed first, each with its host counts per status and the names of the hosts failing it)
// and problems (files skipped and why, warnings).
#pragma once

#include <ostream>
#include <string>

#include "engine/fleet.hpp"

namespace hb {

inline constexpr const char* k_fleet_schema = "hostbench-fleet/1";

void write_fleet_json(const Fleet& fleet, std::ostream& out);

// How a host is named in a fleet report: its hostname, else its results file.
std::string fleet_host_name(const FleetHost& host);

}  // namespace hb
