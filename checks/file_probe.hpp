// The `file` probe kind: see profiles/README.md for its parameters.
#pragma once

#include <memory>

#include "engine/probe.hpp"

namespace hb {

std::unique_ptr<Probe> parse_file_probe(const Params& params);

}  // namespace hb
