// The probe kinds hostbench knows: one row each in registry.cpp, nothing registers itself.
#pragma once

#include <span>

#include "engine/probe.hpp"

namespace hb {

std::span<const ProbeKind> probe_kinds();

}  // namespace hb
