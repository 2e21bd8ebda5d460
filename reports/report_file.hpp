// Writing a report file safely: the content goes to a temporary file in the target's directory,
// which is flushed, given mode 0640 (a report lists the host's weaknesses) and renamed over the
// target (a metrics file for node_exporter, which runs unprivileged, is given 0644). A symlink planted at the target path is replaced, never followed; readers never see a
// half-written report.
#pragma once

#include <string>

#include "engine/expected.hpp"

namespace hb {

Expected<Unit> write_report_file(const std::string& path, const std::string& content,
                                 unsigned mode = 0640);

}  // namespace hb
