// The `service` probe kind: whether systemd units are enabled or masked, judged from the unit
// files alone (no systemctl, no running systemd: it works on an offline root and on hosts whose
// PID 1 is something else).
//
// A unit is found in the first directory of the search path that has it: /etc/systemd/system,
// /run/systemd/system, /usr/local/lib/systemd/system, /usr/lib/systemd/system,
// /lib/systemd/system. There, a symlink to /dev/null or an empty file masks it. A unit with no
// file anywhere is "not installed", unless /etc/init.d has a SysV script of its name, which
// systemd-sysv-generator wraps (enabled by an S?? link in /etc/rc2.d to rc5.d).
// Enabled: a link in some *.wants/, *.requires/ or *.upholds/ directory of the search path named
// like the unit or pointing at it, or an alias link (another name pointing at it) in
// /etc/systemd/system or /run/systemd/system. A masked or not-installed unit is never enabled.
// The directories are read once per scan (facts key "systemd.units"). No unit directory at all
// in the root: notapplicable. Parameters: see profiles/README.md.
#pragma once

#include <memory>

#include "engine/probe.hpp"

namespace hb {

std::unique_ptr<Probe> parse_service_probe(const Params& params);

}  // namespace hb
