// BlockChain: whether a block device sits on dm-crypt, traced through sysfs the way lsblk does.
//
// From /sys/dev/block/MAJ:MIN (a symlink into /sys/devices/..., resolved with read_link and
// lexically, as the kernel writes it) each device directory D is examined:
//   - D/dm/uuid starting with "CRYPT-" (CRYPT-LUKS1-, CRYPT-LUKS2-, CRYPT-PLAIN-, CRYPT-BITLK- ...)
//     is encryption, and the trace stops there. CRYPT-VERITY-, CRYPT-INTEGRITY- and CRYPT-SUBDEV-
//     are integrity layers, not encryption: the trace goes on below them;
//   - otherwise the devices in D/slaves (LVM "LVM-...", md RAID, multipath, kpartx) are traced,
//     and D is encrypted only if every one of them is (an LV spanning one plain PV is not);
//   - otherwise a partition (D/partition exists) is traced to its disk, D's parent directory;
//   - otherwise D is a plain disk: not encrypted.
// Depth is capped at 16 and the whole walk at 256 devices; a device met again on its own path
// (a cycle in slaves) or a cap reached makes the verdict unknown, never a guess.
#pragma once

#include <string>
#include <string_view>

namespace hb {

class HostView;

enum class Encryption { encrypted, not_encrypted, unknown };

struct DeviceTrace {
  Encryption verdict = Encryption::unknown;
  // "dm-1 (LVM-...) <- dm-0 (CRYPT-LUKS2-...) <- sda3 <- sda"; several slaves in [a, b].
  std::string chain;
  std::string why;  // for unknown: what could not be read or which cap was reached
};

inline constexpr int k_max_chain_depth = 16;
inline constexpr int k_max_chain_devices = 256;

// Traces the device MAJ:MIN through the root's /sys.
DeviceTrace trace_encryption(const HostView& host, unsigned major, unsigned minor);

// The same from a device name as in /sys/class/block ("dm-0", "sda3", "nvme0n1p2").
DeviceTrace trace_encryption_by_name(const HostView& host, std::string_view name);


}  // namespace hb
