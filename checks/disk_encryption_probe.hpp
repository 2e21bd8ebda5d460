// The `disk_encryption` probe kind: whether the filesystems holding the host's data sit on
// dm-crypt (see profiles/README.md, "Probe: disk_encryption"):
//
//   check: { probe: disk_encryption, mounts: [/, /var, /home, /var/lib/docker] }
//
// Each listed path that is a separate mount in the running table (/proc/self/mountinfo) is one
// object; "/" is always judged; the others are skipped with a note when they are part of another
// filesystem. A block filesystem is traced from its MAJ:MIN through sysfs (checks/block_chain):
// pass when every path down reaches a CRYPT- device, fail when one does not (the evidence is the
// device chain), error when sysfs cannot be read. A filesystem without a block device (tmpfs,
// overlay, virtiofs, 9p, nfs ...) fails: nothing on this host encrypts it. Without a running
// mount table (an offline image) the probe is notapplicable.
#pragma once

#include <memory>

#include "engine/probe.hpp"

namespace hb {

std::unique_ptr<Probe> parse_disk_encryption_probe(const Params& params);

}  // namespace hb
