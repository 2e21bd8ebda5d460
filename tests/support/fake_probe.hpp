// A probe kind for engine tests: `{probe: fake, status: fail, evidence: "...", sleep_ms: 10,
// throws: false, source: key, report_jobs: false}` answers what it is told, optionally after a
// sleep, a throw, or after asking the Facts cache for `source` (to count parses); with
// report_jobs its evidence is "jobs N", the job count the scanner gave the probe.
#pragma once

#include <atomic>
#include <span>

#include "engine/probe.hpp"

namespace hb::test {

std::span<const ProbeKind> fake_kinds();
// How many times a fake probe computed a source (through Facts) in this process.
extern std::atomic<int> g_fake_source_computations;

}  // namespace hb::test
