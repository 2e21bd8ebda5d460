// The `mount` probe kind: whether a path is a separate mount and which options it is mounted
// with (see profiles/README.md, "Probe: mount"):
//
//   check: { probe: mount, path: /tmp, expect: { separate: true, options: [nodev, nosuid] } }
//
// Source: the running mount table (/proc/self/mountinfo, through load_mountinfo) when the root
// has one; an offline root is judged from /etc/fstab (plus the API filesystems systemd mounts
// without an fstab line, such as /dev/shm), and the evidence says so; with neither the rule is
// notapplicable ("no mount table"). An option counts when it is in the per-mount or the
// superblock options (as findmnt shows them). A path that is not a separate mount fails
// `separate: true`; an options-only check on it is notapplicable (the separate-mount rule is
// the one that fails).
#pragma once

#include <memory>

#include "engine/probe.hpp"

namespace hb {

std::unique_ptr<Probe> parse_mount_probe(const Params& params);

}  // namespace hb
