// MountInfo: the running mount table, from /proc/self/mountinfo (proc(5)):
//
//   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
//   (1)(2) (3)   (4)   (5)      (6)      (7)   (8) (9)    (10)         (11)
//
// mount id, parent id, MAJ:MIN of st_dev, root of the mount in its filesystem, mount point,
// per-mount options, optional fields up to a lone "-", filesystem type, source, superblock
// options. Fields are separated by single spaces (the source may be empty); the kernel escapes
// space, tab, newline and backslash in paths as \040, \011, \012, \134.
//
// parse_mountinfo is a pure function of the text (the fuzzing target): a line that is not in
// this format makes the whole table an Error naming the line, never a guess. load_mountinfo
// reads <root>/proc/self/mountinfo once per scan (facts key "mountinfo"); an offline image
// normally has none, which is not an error (present is false).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expected.hpp"

namespace hb {

class Facts;
class HostView;

struct MountEntry {
  int line = 0;  // 1-based line in mountinfo
  std::uint64_t id = 0;
  std::uint64_t parent = 0;
  unsigned major = 0;
  unsigned minor = 0;
  std::string root;                          // unescaped
  std::string mount_point;                   // unescaped
  std::string mount_options;                 // per-mount: "rw,nosuid,nodev,relatime"
  std::vector<std::string> optional_fields;  // "shared:1", "master:2" ...
  std::string fs_type;                       // "ext4", "fuse.sshfs"
  std::string source;                        // unescaped; "none", "/dev/sda1", "" ...
  std::string super_options;                 // "rw,errors=remount-ro"
};

inline constexpr std::string_view k_mountinfo_path = "/proc/self/mountinfo";
// More mounts than this is not a plausible host: the table is refused rather than held.
inline constexpr std::size_t k_max_mounts = 100000;

// Undoes the kernel's (and fstab's) octal escapes: a backslash and exactly three octal digits
// stand for that byte ("\040" is a space); any other backslash is kept as it is.
std::string unescape_octal(std::string_view s);

// Splits a comma-separated option list ("rw,nosuid") into its words, without empty ones.
std::vector<std::string> split_options(std::string_view options);

// Parses the whole file, in order. Errors (kind parse) say "line N: why".
Expected<std::vector<MountEntry>> parse_mountinfo(std::string_view text);

struct MountInfo {
  bool present = false;  // false: the root has no /proc/self/mountinfo (an offline image)
  std::string path;      // the file read
  std::vector<MountEntry> mounts;
};

// The root's mount table, read and parsed at most once per scan. An unreadable or malformed file
// is an Error; a missing one is a MountInfo with present == false.
std::shared_ptr<const Expected<MountInfo>> load_mountinfo(const HostView& host, Facts& facts);

// The mount visible at exactly `mount_point` (the last one listed: later mounts stack on earlier
// ones at the same place), or null when nothing is mounted there.
const MountEntry* find_mount(const std::vector<MountEntry>& mounts, std::string_view mount_point);

// The mount whose mount point is the longest prefix of `path` (the filesystem `path` is on), or
// null when there is none (a table without "/").
const MountEntry* covering_mount(const std::vector<MountEntry>& mounts, std::string_view path);

// Whether `path` is at or under `mount_point` ("/var/log" is under "/var" and "/", not "/va").
bool path_is_under(std::string_view path, std::string_view mount_point);

}  // namespace hb
