// Files the tool itself is given (a config, a waivers file, saved results), as opposed to files
// of the scanned host (HostView): read whole, at most `cap` bytes, and only when they are regular
// files, so a FIFO or a device named by mistake gives an error instead of a hang.
#pragma once

#include <cstddef>
#include <string>

#include "engine/expected.hpp"

namespace hb {

Expected<std::string> read_local_file(const std::string& path, std::size_t cap);

}  // namespace hb
