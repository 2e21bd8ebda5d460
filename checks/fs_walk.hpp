// FsWalk: one walk of a host's directory tree that collects what the filesystem-wide rules judge
// (world-writable files and directories, unknown owners and groups, setuid and setgid files,
// world-writable entries in the PATH directories), so that every such rule of a scan shares it.
//
// walk_filesystem starts from a directory descriptor (HostView::open_directory("/")) and only
// ever descends with openat(O_NOFOLLOW|O_DIRECTORY) on names that getdents listed, so it cannot
// leave the tree it was given, and it never follows a symlink: d_type skips symlinks without a
// stat, and every other entry gets one fstatat(AT_SYMLINK_NOFOLLOW). It stays on the filesystem
// of the start directory (find's -xdev): a directory on another device is judged itself but not
// entered, unless its path is one of `mounts` and `refuse_mount` has no objection (then its own
// filesystem is walked the same way). PATH directories the walk did not enter (another
// filesystem) are walked afterwards for their own category only.
//
// Directories are shared between `threads` workers through one LIFO work list (depth first, so
// open descriptors stay about threads x depth). Memory stays flat however large the host: each
// category keeps the `keep` entries with the smallest paths (deterministic whatever the thread
// timing) and counts the rest. A directory that vanishes during the walk (ENOENT) is counted,
// not a problem; any other failure to open, read or stat is kept in `unreadable`.
// The walker knows nothing of probes, profiles or accounts: ids are judged by the sets given.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "engine/host_view.hpp"
#include "engine/unique_fd.hpp"

namespace hb {

enum class FsCategory : std::size_t {
  world_writable_files,                // regular files with o+w
  world_writable_dirs_without_sticky,  // directories with o+w and without the sticky bit
  unowned,                             // any entry but a symlink whose uid is not known
  ungrouped,                           // any entry but a symlink whose gid is not known
  setuid,                              // regular files with the setuid bit
  setgid,                              // regular files with the setgid bit
  world_writable_in_path,              // regular files and directories with o+w in a PATH dir
};
inline constexpr std::size_t k_fs_categories = 7;

struct FsEntry {
  std::string path;  // host path: "/usr/bin/passwd"
  FileType type = FileType::unknown;
  std::uint32_t mode = 0;  // permission bits with setuid, setgid and sticky (07777)
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
};

// Entries sorted by path; when more than the walk keeps were found, the smallest paths.
struct FsList {
  std::vector<FsEntry> entries;
  std::uint64_t total = 0;
  bool complete() const { return total == entries.size(); }
};

struct FsProblem {
  std::string path;
  std::string why;
};

struct FsPathDir {
  std::string path;  // as the rule names it: "/usr/local/bin"
  UniqueFd fd;       // the directory, opened through the HostView
};

struct FsPathDirResult {
  std::string path;
  bool walked = false;
  std::string why_not;  // when not walked
};

struct FsWalkOptions {
  unsigned threads = 1;
  std::size_t keep = 100000;  // entries kept per category
  // Host paths of mount points whose filesystems are walked too (canonical, absolute).
  std::vector<std::string> mounts;
  // Why the filesystem of a directory on another device must not be walked (nullopt: it may).
  // Unset: fs_type_refusal (statfs).
  std::function<std::optional<std::string>(const std::string& path, int fd)> refuse_mount;
  // Known ids; null: the category is not collected.
  const std::unordered_set<std::uint32_t>* known_uids = nullptr;
  const std::unordered_set<std::uint32_t>* known_gids = nullptr;
  // Directories whose subtrees count for world_writable_in_path.
  std::vector<FsPathDir> path_dirs;
};

struct FsWalkResult {
  std::array<FsList, k_fs_categories> categories;
  std::uint64_t entries = 0;          // below the start directory, symlinks included
  std::uint64_t directories = 0;      // among them
  std::uint64_t symlinks = 0;         // skipped, never followed
  std::uint64_t vanished = 0;         // gone between listing and opening (ENOENT)
  std::vector<FsProblem> unreadable;  // the first (smallest) paths
  std::uint64_t unreadable_total = 0;
  std::uint64_t unreadable_in_path = 0;    // of them, at or below a PATH directory
  std::vector<std::string> walked_mounts;  // listed mount points that were walked, sorted
  std::vector<FsProblem> skipped_mounts;   // mount points not entered, and why (the first)
  std::uint64_t skipped_mounts_total = 0;
  std::vector<FsPathDirResult> path_dirs;  // in the order given

  const FsList& operator[](FsCategory c) const { return categories[static_cast<std::size_t>(c)]; }
};

inline constexpr std::size_t k_fs_problems_kept = 20;

FsWalkResult walk_filesystem(UniqueFd start, const FsWalkOptions& options);

// The kernel's name of a filesystem type that is never walked: pseudo filesystems (proc, sysfs,
// devtmpfs, devpts, cgroup ...), network ones (nfs, cifs, ceph, 9p ...) and FUSE ("fuse.sshfs").
bool fs_type_never_walked(std::string_view fs_type);
// The same judgement from fstatfs(2) on an open directory: a reason when its filesystem is one
// that is never walked (devtmpfs reports tmpfs's magic, and is not recognised this way).
std::optional<std::string> fs_type_refusal(int fd);

}  // namespace hb
