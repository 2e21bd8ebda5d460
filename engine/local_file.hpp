// Files the tool itself is given (a config, a waivers file, saved results), as opposed to files
// of the scanned host (HostView): read whole, at most `cap` bytes, and only when they are regular
// files, so a FIFO or a device named by mistake gives an error instead of a hang.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "engine/expected.hpp"

namespace hb {

Expected<std::string> read_local_file(const std::string& path, std::size_t cap);
// The same into `out` (reused: a reader of many files keeps one buffer). On an error `out` is
// empty and the error is returned.
std::optional<Error> read_local_file_into(const std::string& path, std::size_t cap,
                                          std::string& out);

}  // namespace hb
