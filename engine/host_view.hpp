// HostView: every fact about the scanned host is read through here, with paths as the host sees
// them ("/etc/passwd"). RootedHostView serves a host mounted at any directory (--root): symlinks
// resolve one component at a time inside the root, as under chroot, so "etc/x -> /etc/shadow"
// or "-> ../../../../etc/shadow" in a mounted image stays inside the image. Reads are capped:
// a file larger than the cap, or a FIFO, device or socket where a regular file is expected, is
// an Error (never a hang, never a truncated read). An EACCES or EPERM met by a scan that does
// not run as root says "(run as root)" in its message, so the rule's error says how to get a verdict.
//
// Under --root, /proc and /sys are ROOT/proc and ROOT/sys: plain files an image's author wrote
// (the fixtures' running state, or nothing in a mounted disk image), read with the same caps and
// the same in-root symlink rules as /etc. A real procfs mounted there is walked the same way:
// its magic links ("self" -> "1234", "/proc/1/root" -> "/") resolve inside the root.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expected.hpp"
#include "engine/unique_fd.hpp"

namespace hb {

enum class FileType { regular, directory, symlink, socket, fifo, char_device, block_device, unknown };
std::string_view to_string(FileType t);
// The type in a stat(2) st_mode.
FileType file_type_of(std::uint32_t st_mode);

struct FileStat {
  FileType type = FileType::unknown;
  std::uint32_t mode = 0;  // permission bits including setuid, setgid and sticky (07777)
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::uint64_t size = 0;
  std::int64_t mtime = 0;  // seconds since the epoch
  std::uint64_t inode = 0;
  std::uint64_t device = 0;
};

struct DirEntry {
  std::string name;
  FileType type = FileType::unknown;  // from d_type; unknown when the filesystem does not say
};

// A regular file opened for streaming (apt's Packages lists run to tens of MB): read() gives up to
// n bytes, 0 at the end, and an Error past the stream's byte cap.
class FileStream {
 public:
  virtual ~FileStream() = default;
  virtual Expected<std::size_t> read(char* buf, std::size_t n) = 0;
};

class HostView {
 public:
  virtual ~HostView() = default;

  // The directory the host is mounted at ("/" for the live host).
  virtual const std::string& root() const = 0;
  // True when the view is the running system (root "/"): /proc describes this host and commands
  // may be run. An offline root never runs commands.
  virtual bool is_live() const = 0;
  // The default read cap in bytes.
  virtual std::size_t max_read() const = 0;

  // The whole content of a regular file, at most max_bytes (default: max_read()).
  virtual Expected<std::string> read_file(std::string_view path,
                                          std::optional<std::size_t> max_bytes = {}) const = 0;
  // A regular file for streaming, for sources too large to read whole; at most max_bytes are
  // read before read() fails (never a silently truncated parse).
  virtual Expected<std::unique_ptr<FileStream>> open_read(std::string_view path,
                                                          std::uint64_t max_bytes) const = 0;
  // stat follows a final symlink (inside the root); lstat does not.
  virtual Expected<FileStat> stat(std::string_view path) const = 0;
  virtual Expected<FileStat> lstat(std::string_view path) const = 0;
  // The entries of a directory, without "." and "..", sorted by name.
  virtual Expected<std::vector<DirEntry>> list_dir(std::string_view path) const = 0;
  // The target of a symlink, as stored.
  virtual Expected<std::string> read_link(std::string_view path) const = 0;
  // A directory opened for reading (O_RDONLY|O_DIRECTORY|O_CLOEXEC), resolved like the other
  // methods: symlinks on the way, and a final one, resolve inside the root. For walks that
  // continue with openat() on the names the directory lists, and so can never leave the root.
  virtual Expected<UniqueFd> open_directory(std::string_view path) const = 0;

  bool exists(std::string_view path) const { return lstat(path).ok(); }
};

inline constexpr std::size_t k_default_max_read = 4 * 1024 * 1024;

// Opens `root` (a directory). Fails when it cannot be opened as a directory.
Expected<std::unique_ptr<HostView>> open_host_view(const std::string& root,
                                                   std::size_t max_read = k_default_max_read);

// Joins a host path and a relative name: join_path("/etc", "ssh") == "/etc/ssh".
std::string join_path(std::string_view dir, std::string_view name);
// The directory part of a host path: dir_name("/etc/ssh/sshd_config") == "/etc/ssh".
std::string dir_name(std::string_view path);
// "." and ".." collapsed without touching the filesystem, ".." never above "/":
// normal_path("/sys/dev/block/../../devices/x") == "/sys/devices/x". For symlink targets that
// are joined to their directory (sysfs links, masks to /dev/null).
std::string normal_path(std::string_view path);
// The last component of a path: base_name("/etc/ssh/sshd_config") == "sshd_config".
std::string base_name(std::string_view path);

}  // namespace hb
