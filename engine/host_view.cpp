#include "engine/host_view.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>

#include "engine/unique_fd.hpp"

namespace hb {

std::string_view to_string(FileType t) {
  switch (t) {
    case FileType::regular: return "file";
    case FileType::directory: return "directory";
    case FileType::symlink: return "symlink";
    case FileType::socket: return "socket";
    case FileType::fifo: return "fifo";
    case FileType::char_device: return "char_device";
    case FileType::block_device: return "block_device";
    case FileType::unknown: return "unknown";
  }
  return "unknown";
}

FileType file_type_of(std::uint32_t m) {
  if (S_ISREG(m)) return FileType::regular;
  if (S_ISDIR(m)) return FileType::directory;
  if (S_ISLNK(m)) return FileType::symlink;
  if (S_ISSOCK(m)) return FileType::socket;
  if (S_ISFIFO(m)) return FileType::fifo;
  if (S_ISCHR(m)) return FileType::char_device;
  if (S_ISBLK(m)) return FileType::block_device;
  return FileType::unknown;
}

std::string join_path(std::string_view dir, std::string_view name) {
  if (!name.empty() && name.front() == '/') return std::string(name);
  std::string out(dir);
  if (out.empty() || out.back() != '/') out += '/';
  out += name;
  return out;
}

std::string dir_name(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  auto pos = path.rfind('/');
  if (pos == std::string_view::npos) return ".";
  if (pos == 0) return "/";
  return std::string(path.substr(0, pos));
}

std::string normal_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i <= path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view c = path.substr(i, j - i);
    if (c == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!c.empty() && c != ".") {
      parts.push_back(c);
    }
    i = j + 1;
  }
  std::string out;
  for (auto c : parts) out += "/" + std::string(c);
  return out.empty() ? "/" : out;
}

std::string base_name(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  auto pos = path.rfind('/');
  return std::string(pos == std::string_view::npos ? path : path.substr(pos + 1));
}

namespace {

constexpr int k_max_symlinks = 40;  // as the kernel's MAXSYMLINKS
constexpr std::size_t k_max_dir_entries = 1u << 20;


FileType type_of_dirent(unsigned char d) {
  switch (d) {
    case DT_REG: return FileType::regular;
    case DT_DIR: return FileType::directory;
    case DT_LNK: return FileType::symlink;
    case DT_SOCK: return FileType::socket;
    case DT_FIFO: return FileType::fifo;
    case DT_CHR: return FileType::char_device;
    case DT_BLK: return FileType::block_device;
    default: return FileType::unknown;
  }
}

FileStat to_file_stat(const struct stat& st) {
  FileStat fs;
  fs.type = file_type_of(st.st_mode);
  fs.mode = st.st_mode & 07777;
  fs.uid = st.st_uid;
  fs.gid = st.st_gid;
  fs.size = static_cast<std::uint64_t>(st.st_size);
  fs.mtime = st.st_mtim.tv_sec;
  fs.inode = st.st_ino;
  fs.device = st.st_dev;
  return fs;
}

// A scan as an unprivileged user cannot read root-only files (/etc/shadow, other users'
// /proc/PID/*): the message says how to get a verdict ("... Permission denied (run as root)"),
// and the rule ends in error, never in a pass or fail judged from what little was readable.
std::string denied_hint(int err) {
  return (err == EACCES || err == EPERM) && ::geteuid() != 0 ? " (run as root)" : "";
}

Error errno_error(std::string_view path, int err) {
  ErrorKind kind = (err == ENOENT || err == ENOTDIR) ? ErrorKind::not_found : ErrorKind::io;
  return make_error(kind, std::string(path) + ": " + std::strerror(err) + denied_hint(err));
}

// Where a resolved path ends: the directory that holds it and the name inside that directory,
// with the lstat of the object (a symlink only when the final symlink was not followed).
struct Resolved {
  UniqueFd dir;         // invalid means AT_FDCWD (live host)
  std::string name;     // "." when the object is the root itself
  struct stat st {};
  int dirfd() const { return dir.valid() ? dir.get() : AT_FDCWD; }
};

std::vector<std::string> split_components(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    std::size_t j = i;
    while (j < path.size() && path[j] != '/') ++j;
    if (j > i) out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

class FdStream final : public FileStream {
 public:
  FdStream(UniqueFd fd, std::string path, std::uint64_t cap)
      : fd_(std::move(fd)), path_(std::move(path)), cap_(cap) {}
  Expected<std::size_t> read(char* buf, std::size_t n) override {
    for (;;) {
      ssize_t got = ::read(fd_.get(), buf, n);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return errno_error(path_, errno);
      done_ += static_cast<std::uint64_t>(got);
      if (done_ > cap_)
        return make_error(ErrorKind::too_large, path_ + ": larger than the stream cap of " +
                                                    std::to_string(cap_) + " bytes");
      return static_cast<std::size_t>(got);
    }
  }

 private:
  UniqueFd fd_;
  std::string path_;
  std::uint64_t cap_;
  std::uint64_t done_ = 0;
};

class RootedHostView final : public HostView {
 public:
  RootedHostView(std::string root, UniqueFd root_fd, bool live, std::size_t max_read)
      : root_(std::move(root)), root_fd_(std::move(root_fd)), live_(live), max_read_(max_read) {}

  const std::string& root() const override { return root_; }
  bool is_live() const override { return live_; }
  std::size_t max_read() const override { return max_read_; }

  Expected<std::unique_ptr<FileStream>> open_read(std::string_view path,
                                                  std::uint64_t max_bytes) const override {
    struct stat st {};
    auto fd = open_regular(path, st);
    if (!fd) return fd.error();
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes)
      return make_error(ErrorKind::too_large, std::string(path) + ": larger than the stream cap of " +
                                                  std::to_string(max_bytes) + " bytes");
    return std::unique_ptr<FileStream>(
        std::make_unique<FdStream>(std::move(fd.value()), std::string(path), max_bytes));
  }

  Expected<std::string> read_file(std::string_view path,
                                  std::optional<std::size_t> max_bytes) const override {
    const std::size_t cap = max_bytes.value_or(max_read_);
    struct stat st {};
    auto opened = open_regular(path, st);
    if (!opened) return opened.error();
    UniqueFd fd = std::move(opened.value());
    // Files under /proc and /sys report a size of 0 or 4096: read to EOF, up to the cap.
    if (static_cast<std::uint64_t>(st.st_size) > cap)
      return too_large(path, cap);
    std::string out;
    out.resize(std::min<std::size_t>(cap + 1, st.st_size > 0 ? st.st_size + 1 : 65536));
    std::size_t used = 0;
    for (;;) {
      if (used == out.size()) {
        if (out.size() > cap) return too_large(path, cap);
        out.resize(std::min<std::size_t>(cap + 1, out.size() * 2));
      }
      ssize_t n = ::read(fd.get(), out.data() + used, out.size() - used);
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno_error(path, errno);
      }
      if (n == 0) break;
      used += static_cast<std::size_t>(n);
      if (used > cap) return too_large(path, cap);
    }
    out.resize(used);
    return out;
  }

  Expected<FileStat> stat(std::string_view path) const override {
    auto r = resolve(path, true);
    if (!r) return r.error();
    return to_file_stat(r->st);
  }

  Expected<FileStat> lstat(std::string_view path) const override {
    auto r = resolve(path, false);
    if (!r) return r.error();
    return to_file_stat(r->st);
  }

  Expected<std::vector<DirEntry>> list_dir(std::string_view path) const override {
    auto r = resolve(path, true);
    if (!r) return r.error();
    if (!S_ISDIR(r->st.st_mode))
      return make_error(ErrorKind::not_found, std::string(path) + ": not a directory");
    // Under a root, O_NOFOLLOW: a directory swapped for a symlink since it was resolved is not
    // followed out of the root. The live host's name is the whole path, whose final component
    // may be a symlink (/bin -> usr/bin) that the kernel's own resolution follows safely.
    int fd = ::openat(r->dirfd(), r->name.c_str(),
                      O_RDONLY | O_DIRECTORY | (live_ ? 0 : O_NOFOLLOW) | O_CLOEXEC);
    if (fd < 0) return errno_error(path, errno);
    DIR* d = ::fdopendir(fd);
    if (d == nullptr) {
      int err = errno;
      ::close(fd);
      return errno_error(path, err);
    }
    std::vector<DirEntry> out;
    while (dirent* e = ::readdir(d)) {
      std::string_view n = e->d_name;
      if (n == "." || n == "..") continue;
      if (out.size() >= k_max_dir_entries) {
        ::closedir(d);
        return make_error(ErrorKind::too_large, std::string(path) + ": more than " +
                                                    std::to_string(k_max_dir_entries) + " entries");
      }
      out.push_back(DirEntry{std::string(n), type_of_dirent(e->d_type)});
    }
    ::closedir(d);
    std::sort(out.begin(), out.end(),
              [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
    return out;
  }

  Expected<UniqueFd> open_directory(std::string_view path) const override {
    auto r = resolve(path, true);
    if (!r) return r.error();
    if (!S_ISDIR(r->st.st_mode))
      return make_error(ErrorKind::not_found, std::string(path) + ": not a directory");
    // O_NOFOLLOW under a root: should the directory have been swapped for a symlink since it
    // was resolved, the open fails rather than follow it out of the root. The live host's name
    // is the whole path, resolved by the kernel from "/", where a final symlink (/bin ->
    // usr/bin) is followed as stat() just did.
    const int nofollow = live_ ? 0 : O_NOFOLLOW;
    UniqueFd fd(::openat(r->dirfd(), r->name.c_str(),
                         O_RDONLY | O_DIRECTORY | nofollow | O_CLOEXEC));
    if (!fd.valid()) return errno_error(path, errno);
    return fd;
  }

  Expected<std::string> read_link(std::string_view path) const override {
    auto r = resolve(path, false);
    if (!r) return r.error();
    if (!S_ISLNK(r->st.st_mode))
      return make_error(ErrorKind::invalid, std::string(path) + ": not a symlink");
    return read_link_at(r->dirfd(), r->name.c_str(), path);
  }

 private:
  // Opens a regular file for reading; anything else (FIFO, device, socket, directory) is refused
  // before it is opened, and again after, should it have been swapped in between.
  Expected<UniqueFd> open_regular(std::string_view path, struct stat& st) const {
    auto r = resolve(path, true);
    if (!r) return r.error();
    if (!S_ISREG(r->st.st_mode))
      return make_error(ErrorKind::not_regular, std::string(path) + ": is a " +
                                                    std::string(to_string(file_type_of(r->st.st_mode))) +
                                                    ", not a regular file");
    // O_NONBLOCK: should the file have been swapped for a FIFO since the lstat, open and read
    // still return at once.
    UniqueFd fd(::openat(r->dirfd(), r->name.c_str(),
                         O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    if (!fd.valid()) return errno_error(path, errno);
    if (::fstat(fd.get(), &st) != 0) return errno_error(path, errno);
    if (!S_ISREG(st.st_mode))
      return make_error(ErrorKind::not_regular, std::string(path) + ": not a regular file");
    return fd;
  }

  static Error too_large(std::string_view path, std::size_t cap) {
    return make_error(ErrorKind::too_large, std::string(path) + ": larger than the read cap of " +
                                                std::to_string(cap) + " bytes");
  }

  static Expected<std::string> read_link_at(int dirfd, const char* name, std::string_view path) {
    std::string buf(256, '\0');
    for (;;) {
      ssize_t n = ::readlinkat(dirfd, name, buf.data(), buf.size());
      if (n < 0) return errno_error(path, errno);
      if (static_cast<std::size_t>(n) < buf.size()) {
        buf.resize(static_cast<std::size_t>(n));
        return buf;
      }
      if (buf.size() >= 65536) return make_error(ErrorKind::too_large, std::string(path) + ": symlink target too long");
      buf.resize(buf.size() * 2);
    }
  }

  Expected<Resolved> resolve(std::string_view path, bool follow_final) const {
    if (path.empty() || path.front() != '/')
      return make_error(ErrorKind::invalid, "not an absolute host path: '" + std::string(path) + "'");
    if (path.find('\0') != std::string_view::npos)
      return make_error(ErrorKind::invalid, "path contains a NUL byte");
    if (live_) return resolve_live(path, follow_final);
    return resolve_rooted(path, follow_final);
  }

  // The live host: the kernel's own resolution is already rooted at "/".
  static Expected<Resolved> resolve_live(std::string_view path, bool follow_final) {
    Resolved r;
    r.name = std::string(path);
    if (::fstatat(AT_FDCWD, r.name.c_str(), &r.st, follow_final ? 0 : AT_SYMLINK_NOFOLLOW) != 0)
      return errno_error(path, errno);
    return r;
  }

  // One component at a time from the root's descriptor, with O_PATH|O_NOFOLLOW at every step:
  // ".." never climbs above the root, and a symlink is read and its target walked from the root
  // (absolute) or from its directory (relative), exactly as chroot would.
  Expected<Resolved> resolve_rooted(std::string_view path, bool follow_final) const {
    std::deque<std::string> todo;
    for (auto& c : split_components(path)) todo.push_back(std::move(c));
    std::vector<UniqueFd> stack;  // directories below the root, innermost last
    auto current = [&] { return stack.empty() ? root_fd_.get() : stack.back().get(); };
    int links = 0;
    while (!todo.empty()) {
      std::string comp = std::move(todo.front());
      todo.pop_front();
      if (comp == ".") continue;
      if (comp == "..") {
        if (!stack.empty()) stack.pop_back();
        continue;
      }
      const bool last = todo.empty();
      struct stat st {};
      if (::fstatat(current(), comp.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno_error(path, errno);
      if (S_ISLNK(st.st_mode) && (!last || follow_final)) {
        if (++links > k_max_symlinks) return errno_error(path, ELOOP);
        auto target = read_link_at(current(), comp.c_str(), path);
        if (!target) return target.error();
        auto parts = split_components(*target);
        for (auto it = parts.rbegin(); it != parts.rend(); ++it) todo.push_front(std::move(*it));
        if (!target->empty() && target->front() == '/') stack.clear();
        continue;
      }
      if (last) {
        Resolved r;
        r.dir = UniqueFd(::fcntl(current(), F_DUPFD_CLOEXEC, 0));
        if (!r.dir.valid()) return errno_error(path, errno);
        r.name = std::move(comp);
        r.st = st;
        return r;
      }
      if (!S_ISDIR(st.st_mode)) return errno_error(path, ENOTDIR);
      UniqueFd next(::openat(current(), comp.c_str(),
                             O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!next.valid()) return errno_error(path, errno);
      stack.push_back(std::move(next));
    }
    // The path names a directory reached by the walk (or the root itself).
    Resolved r;
    r.dir = UniqueFd(::fcntl(current(), F_DUPFD_CLOEXEC, 0));
    if (!r.dir.valid()) return errno_error(path, errno);
    r.name = ".";
    if (::fstat(r.dir.get(), &r.st) != 0) return errno_error(path, errno);
    return r;
  }

  std::string root_;
  UniqueFd root_fd_;
  bool live_;
  std::size_t max_read_;
};

}  // namespace

Expected<std::unique_ptr<HostView>> open_host_view(const std::string& root, std::size_t max_read) {
  if (root.empty()) return make_error(ErrorKind::invalid, "--root: empty path");
  UniqueFd fd(::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    const int err = errno;
    return make_error(ErrorKind::io, "--root " + root + ": " + std::strerror(err) + denied_hint(err));
  }
  struct stat st {}, slash {};
  bool live = ::fstat(fd.get(), &st) == 0 && ::stat("/", &slash) == 0 &&
              st.st_dev == slash.st_dev && st.st_ino == slash.st_ino;
  return std::unique_ptr<HostView>(
      std::make_unique<RootedHostView>(live ? "/" : root, std::move(fd), live, max_read));
}

}  // namespace hb
