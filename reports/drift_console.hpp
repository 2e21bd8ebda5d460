// A Drift on the console: the short block the scan's console report ends with when the scan was
// compared with a baseline, and the full listing of `hostbench diff`. Colour only when
// options.color (the CLI's rule: a terminal, no NO_COLOR, no --no-color); host text passes
// through terminal_safe().
#pragma once

#include <ostream>
#include <string>

#include "engine/drift.hpp"
#include "reports/console.hpp"

namespace hb {

// "2 newly failing, 1 fixed, 3 still failing, 0 changed, 0 added, 0 removed, 140 unchanged"
std::string drift_counts_line(const Drift& drift);

// Brief (the scan's report): "Changes since the scan of HOST at TIME: <counts>", the warnings,
// and one line per newly failing and fixed rule (at most options.max_objects each); with
// options.quiet the first line alone. Full (`hostbench diff`): every category with each rule's
// statuses, the evidence lines that differ and the objects that changed.
void write_drift_console(const Drift& drift, const ConsoleOptions& options, bool full,
                         std::ostream& out);

}  // namespace hb
