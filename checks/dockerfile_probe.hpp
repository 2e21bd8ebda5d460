// The `dockerfile` probe kind: build-side rules on the Dockerfiles named with
// `hostbench scan --dockerfile PATH` (ProbeContext::dockerfiles), one object per file; see
// profiles/README.md ("Probe: dockerfile") for the checks and what each one judges.
//
// Each file is read from the scanner's own filesystem (not --root: Dockerfiles live in the
// checkout being audited), capped at --max-read and 4 MiB, FIFOs and devices refused, and parsed
// once per scan (facts key "dockerfile:" + path) by parse_dockerfile.
#pragma once

#include <memory>

#include "engine/probe.hpp"

namespace hb {

std::unique_ptr<Probe> parse_dockerfile_probe(const Params& params);

}  // namespace hb
