// `--nice`: the scan yields to everything else on the host — CPU niceness 19 and the idle IO
// scheduling class, for this process and every thread it starts afterwards (both are inherited
// on clone, so call this before the scan's threads exist).
#pragma once

#include "engine/expected.hpp"

namespace hb {

Expected<Unit> lower_priority();

}  // namespace hb
