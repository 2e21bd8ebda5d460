// Fstab: the filesystems a host mounts at boot, from /etc/fstab (fstab(5), as util-linux's
// libmount reads it): blank-separated fields "spec file vfstype options freq passno", '#'
// comment lines, blank lines; options default to "defaults", freq and passno to 0; \040-style
// octal escapes in every field; words after the sixth field are ignored. A line libmount would
// reject (fewer than three fields, non-numeric freq or passno) is skipped and listed in
// bad_lines, as mount -a skips it.
//
// parse_fstab is a pure function of the text (the fuzzing target); load_fstab reads the root's
// /etc/fstab once per scan (facts key "fstab"). Used to judge mounts of an offline root, which
// has no running mount table.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expected.hpp"

namespace hb {

class Facts;
class HostView;

struct FstabEntry {
  int line = 0;         // 1-based
  std::string spec;     // "UUID=...", "/dev/mapper/vg-root", "tmpfs"
  std::string file;     // the mount point, trailing slashes removed ("/" stays "/")
  std::string vfstype;  // "ext4", "tmpfs", "swap"
  std::string options;  // as written; "defaults" when the field is absent
  int freq = 0;
  int passno = 0;
};

struct Fstab {
  bool present = false;  // false: the root has no /etc/fstab
  std::string path;
  std::vector<FstabEntry> entries;
  std::vector<int> bad_lines;  // lines skipped as malformed (at most k_max_fstab_entries)
};

inline constexpr std::string_view k_fstab_path = "/etc/fstab";
inline constexpr std::size_t k_max_fstab_entries = 100000;

// Parses the text (present is set to true). Pure.
Fstab parse_fstab(std::string_view text);

// The root's /etc/fstab, read once per scan. Missing: present == false. Unreadable: an Error.
std::shared_ptr<const Expected<Fstab>> load_fstab(const HostView& host, Facts& facts);

// The entry that mounts at exactly `mount_point` at boot: the last such line that is not swap
// (a later line mounts over an earlier one). Entries with `noauto` are returned too; callers
// decide what "not mounted at boot" means for them.
const FstabEntry* find_fstab_entry(const Fstab& fstab, std::string_view mount_point);

// Whether a flag such as "nodev", "nosuid", "noexec" or "ro" is in effect for an fstab option
// list, read left to right as mount(8) does: the last of "noX" and "X" wins, "defaults" means
// rw,suid,dev,exec,auto,nouser,async, and "user"/"users" imply noexec,nosuid,nodev ("owner" and
// "group" imply nosuid,nodev) unless a later option overrides them. Any other word is in effect
// when it appears.
bool fstab_option_in_effect(std::string_view options, std::string_view flag);

}  // namespace hb
