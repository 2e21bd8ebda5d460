// Runs one probe kind on a host view from a YAML snippet, as a profile's check: map would.
#pragma once

#include <string>
#include <vector>

#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/probe.hpp"

namespace hb::test {

using ParseFn = std::unique_ptr<Probe> (*)(const Params&);

// Parses `yaml` (a map of the probe's parameters, without `probe:`) and evaluates it once on
// `host` with fresh facts (or the given ones). Throws ProfileError on bad parameters.
Outcome run_probe(ParseFn parse, const std::string& yaml, const HostView& host,
                  Facts* facts = nullptr);
// The ProfileError message that parsing `yaml` raises, or "" when it parses.
std::string parse_error(ParseFn parse, const std::string& yaml);
// All evidence lines (outcome's and objects') joined by newlines, for CHECK(contains(...)).
std::string all_evidence(const Outcome& o);
bool contains(const std::string& hay, const std::string& needle);
// Notes, conflicts ... one a line (each ending in a newline), for CHECK(contains(...)).
std::string lines(const std::vector<std::string>& v);

}  // namespace hb::test
