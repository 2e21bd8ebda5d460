// The `fs_walk` probe kind: filesystem-wide rules answered from one shared walk of the root
// (checks/fs_walk.hpp), see profiles/README.md ("Probe: fs_walk"):
//
//   { probe: fs_walk, check: world_writable_files, mounts: "${walk_mounts}", dirs: "${path_dirs}" }
//   { probe: fs_walk, check: setuid, allowed: "${allowed_setid_paths}" }
//
// check: world_writable_files | world_writable_dirs_without_sticky | unowned | ungrouped |
// setuid | setgid | world_writable_in_path. Every offending path is one `fail` object (mode,
// owner and group, named through the root's own /etc/passwd and /etc/group), at most
// `max_objects` of them, with the total in the evidence.
//
// The walk runs once per scan for all these rules (Facts key "fs.walk", suffixed with the
// walk parameters `mounts` and `dirs` when they are not the defaults: give every rule the same
// values and they share one walk), on ctx.jobs threads, started by the first rule that needs it.
// Statuses: offenders fail; none found is `pass` only when every directory could be read
// (otherwise `error`, naming them); a root with nothing in it is `notapplicable`; unowned and
// ungrouped are `error` when the root has no readable /etc/passwd or /etc/group.
#pragma once

#include <memory>

#include "engine/probe.hpp"

namespace hb {

std::unique_ptr<Probe> parse_fs_walk_probe(const Params& params);

}  // namespace hb
