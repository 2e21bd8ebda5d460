#include "checks/fs_walk.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <iterator>
#include <memory>
#include <mutex>
#include <thread>

namespace hb {

namespace {

constexpr std::size_t k_skipped_mounts_kept = 50;

// Pseudo, network and FUSE filesystems by statfs magic (linux/magic.h and the filesystems' own
// sources; written out so that an older header does not hide one).
struct Magic {
  unsigned long value;
  std::string_view name;
};
constexpr Magic k_never_walked_magic[] = {
    {0x9fa0, "proc"},
    {0x62656572, "sysfs"},
    {0x1cd1, "devpts"},
    {0x27e0eb, "cgroup"},
    {0x63677270, "cgroup2"},
    {0x73636673, "securityfs"},
    {0x64626720, "debugfs"},
    {0x74726163, "tracefs"},
    {0xcafe4a11, "bpf"},
    {0x6165676c, "pstore"},
    {0x62656570, "configfs"},
    {0xde5e81e4, "efivarfs"},
    {0x19800202, "mqueue"},
    {0x958458f6, "hugetlbfs"},
    {0x42494e4d, "binfmt_misc"},
    {0x0187, "autofs"},
    {0x65735543, "fusectl"},
    {0x65735546, "fuse"},
    {0x6969, "nfs"},
    {0x517b, "smb"},
    {0xff534d42, "cifs"},
    {0xfe534d42, "smb3"},
    {0x00c36400, "ceph"},
    {0x01021997, "9p"},
    {0x5346414f, "afs"},
    {0x6b414653, "afs"},
    {0x73757245, "coda"},
    {0x67596969, "rpc_pipefs"},
    {0x6e667364, "nfsd"},
    {0x0bd00bd0, "lustre"},
};

constexpr std::string_view k_never_walked_types[] = {
    "proc",      "sysfs",       "devtmpfs",   "devpts",  "cgroup",   "cgroup2",   "securityfs",
    "debugfs",   "tracefs",     "bpf",        "pstore",  "configfs", "efivarfs",  "mqueue",
    "hugetlbfs", "binfmt_misc", "autofs",     "fusectl", "fuse",     "fuseblk",   "nfs",
    "nfs4",      "smb",         "smbfs",      "smb3",    "cifs",     "ceph",      "9p",
    "afs",       "coda",        "rpc_pipefs", "nfsd",    "lustre",   "glusterfs", "gfs2",
    "ocfs2",     "ncpfs",       "sshfs",      "davfs",   "virtiofs",
};

bool path_less(const FsEntry& a, const FsEntry& b) {
  return a.path < b.path;
}
bool problem_less(const FsProblem& a, const FsProblem& b) {
  return a.path < b.path;
}



// Keeps the `keep` smallest items (by `less`) of everything added, and counts all of them.
template <class T, class Less>
void keep_smallest(std::vector<T>& v, std::size_t keep, Less less) {
  if (v.size() <= keep) return;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(keep), v.end(), less);
  v.resize(keep);
}

template <class T, class Less>
void add_bounded(std::vector<T>& v, std::size_t keep, T item, Less less) {
  if (keep == 0) return;
  v.push_back(std::move(item));
  if (v.size() >= 2 * keep) keep_smallest(v, keep, less);
}

// One directory to list. A root item carries its own descriptor; any other is opened from its
// parent's, which the item keeps alive until then.
struct Item {
  std::shared_ptr<const UniqueFd> parent;
  UniqueFd self;
  std::string name;  // in the parent
  std::string path;  // host path
  dev_t dev = 0;
  ino_t ino = 0;
  dev_t walk_dev = 0;      // the filesystem this subtree is walked on
  bool in_path = false;    // at or below a PATH directory
  bool path_only = false;  // collect world_writable_in_path alone
};

struct PathDirState {
  dev_t dev = 0;
  ino_t ino = 0;
  bool valid = false;
  std::atomic<bool> seen{false};       // judged as an entry by some listing
  std::atomic<bool> descended{false};  // its subtree was (or is being) walked
  std::string why_not;                 // set before the second phase, read after it
};

// What one worker found; merged at the end.
struct Local {
  std::array<FsList, k_fs_categories> categories;
  std::uint64_t entries = 0, directories = 0, symlinks = 0, vanished = 0;
  std::vector<FsProblem> unreadable;
  std::uint64_t unreadable_total = 0, unreadable_in_path = 0;
  std::vector<std::string> walked_mounts;
  std::vector<FsProblem> skipped_mounts;
  std::uint64_t skipped_mounts_total = 0;
  // One-entry caches: most files share their owner and group with the previous one.
  std::uint32_t last_uid = 0, last_gid = 0;
  bool last_uid_known = false, last_gid_known = false, have_last_uid = false, have_last_gid = false;
};

class Walker {
 public:
  explicit Walker(const FsWalkOptions& o) : o_(o), path_dirs_(o.path_dirs.size()) {
    for (std::size_t i = 0; i < o.path_dirs.size(); ++i) {
      struct stat st {};
      if (o.path_dirs[i].fd.valid() && ::fstat(o.path_dirs[i].fd.get(), &st) == 0) {
        path_dirs_[i].dev = st.st_dev;
        path_dirs_[i].ino = st.st_ino;
        path_dirs_[i].valid = true;
      } else {
        path_dirs_[i].why_not = "cannot be opened";
      }
    }
  }

  FsWalkResult run(UniqueFd start) {
    const unsigned threads = std::max(1u, o_.threads);
    locals_.resize(threads);
    struct stat st {};
    if (::fstat(start.get(), &st) != 0) {
      locals_[0].unreadable_total = 1;
      locals_[0].unreadable.push_back({"/", std::strerror(errno)});
      return merge();
    }
    Item root;
    root.path = "/";
    root.dev = st.st_dev;
    root.ino = st.st_ino;
    root.walk_dev = st.st_dev;
    root.in_path = match_path_dir(st.st_dev, st.st_ino, /*descend=*/true);
    judge(locals_[0], st, root.in_path, false, [] { return std::string("/"); });
    root.self = std::move(start);
    std::vector<Item> first;
    first.push_back(std::move(root));
    push(std::move(first));
    run_pool(threads);

    // PATH directories the walk did not enter: on another filesystem, or below one.
    std::vector<Item> extra;
    for (std::size_t i = 0; i < path_dirs_.size(); ++i) {
      PathDirState& pd = path_dirs_[i];
      if (!pd.valid || pd.descended) continue;
      std::string path = o_.path_dirs[i].path;
      UniqueFd fd(::fcntl(o_.path_dirs[i].fd.get(), F_DUPFD_CLOEXEC, 0));
      struct stat pst {};
      if (!fd.valid() || ::fstat(fd.get(), &pst) != 0) {
        pd.why_not = std::strerror(errno);
        continue;
      }
      if (pst.st_dev != st.st_dev) {
        if (auto why = refusal(path, fd.get())) {
          pd.why_not = *why;
          continue;
        }
      }
      // Also marks any other name for the same directory (/bin -> /usr/bin) as walked.
      match_path_dir(pst.st_dev, pst.st_ino, true);
      if (!pd.seen) judge(locals_[0], pst, true, true, [&] { return path; });
      Item it;
      it.self = std::move(fd);
      it.path = std::move(path);
      it.dev = pst.st_dev;
      it.ino = pst.st_ino;
      it.walk_dev = pst.st_dev;
      it.in_path = true;
      it.path_only = true;
      extra.push_back(std::move(it));
    }
    if (!extra.empty()) {
      push(std::move(extra));
      run_pool(threads);
    }
    return merge();
  }

 private:
  std::optional<std::string> refusal(const std::string& path, int fd) const {
    return o_.refuse_mount ? o_.refuse_mount(path, fd) : fs_type_refusal(fd);
  }

  // Whether (dev, ino) is a PATH directory; marks it (and any alias) seen, and descended when
  // its subtree is about to be walked.
  bool match_path_dir(dev_t dev, ino_t ino, bool descend) {
    bool hit = false;
    for (auto& pd : path_dirs_) {
      if (!pd.valid || pd.dev != dev || pd.ino != ino) continue;
      hit = true;
      pd.seen = true;
      if (descend) pd.descended = true;
    }
    return hit;
  }

  bool uid_known(Local& l, std::uint32_t uid) const {
    if (!l.have_last_uid || l.last_uid != uid) {
      l.last_uid = uid;
      l.last_uid_known = o_.known_uids->count(uid) > 0;
      l.have_last_uid = true;
    }
    return l.last_uid_known;
  }
  bool gid_known(Local& l, std::uint32_t gid) const {
    if (!l.have_last_gid || l.last_gid != gid) {
      l.last_gid = gid;
      l.last_gid_known = o_.known_gids->count(gid) > 0;
      l.have_last_gid = true;
    }
    return l.last_gid_known;
  }

  void add(Local& l, FsCategory c, const struct stat& st, const std::string& path) {
    FsList& list = l.categories[static_cast<std::size_t>(c)];
    ++list.total;
    add_bounded(
        list.entries, o_.keep,
        FsEntry{path, file_type_of(st.st_mode), static_cast<std::uint32_t>(st.st_mode & 07777),
                static_cast<std::uint32_t>(st.st_uid), static_cast<std::uint32_t>(st.st_gid)},
        path_less);
  }

  // Files one entry (never a symlink) under every category it falls in. `path` builds the host
  // path, only when the entry is reported.
  template <class PathFn>
  void judge(Local& l, const struct stat& st, bool in_path, bool path_only, const PathFn& path) {
    const mode_t m = st.st_mode;
    const bool reg = S_ISREG(m), dir = S_ISDIR(m);
    const bool ww = (m & S_IWOTH) != 0;
    std::string p;
    auto get = [&]() -> const std::string& {
      if (p.empty()) p = path();
      return p;
    };
    if (in_path && ww && (reg || dir)) add(l, FsCategory::world_writable_in_path, st, get());
    if (path_only) return;
    if (reg && ww) add(l, FsCategory::world_writable_files, st, get());
    if (dir && ww && !(m & S_ISVTX))
      add(l, FsCategory::world_writable_dirs_without_sticky, st, get());
    if (reg && (m & S_ISUID)) add(l, FsCategory::setuid, st, get());
    if (reg && (m & S_ISGID)) add(l, FsCategory::setgid, st, get());
    if (o_.known_uids && !uid_known(l, st.st_uid)) add(l, FsCategory::unowned, st, get());
    if (o_.known_gids && !gid_known(l, st.st_gid)) add(l, FsCategory::ungrouped, st, get());
  }

  void problem(Local& l, std::string path, std::string why, bool in_path) {
    ++l.unreadable_total;
    if (in_path) ++l.unreadable_in_path;
    add_bounded(l.unreadable, k_fs_problems_kept, FsProblem{std::move(path), std::move(why)},
                problem_less);
  }

  void push(std::vector<Item> items) {
    if (items.empty()) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto& it : items) stack_.push_back(std::move(it));
    }
    cv_.notify_all();
  }

  void run_pool(unsigned threads) {
    active_ = 0;
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back([this, t] { work(locals_[t]); });
    work(locals_[0]);
    for (auto& th : pool) th.join();
  }

  void work(Local& l) {
    // getdents64 records are 8-byte aligned (new[] aligns for any type); 64 KiB lists about a
    // thousand names per call.
    constexpr std::size_t k_buffer = 65536;
    std::unique_ptr<char[]> buf(new char[k_buffer]);
    for (;;) {
      Item it;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return !stack_.empty() || active_ == 0; });
        if (stack_.empty()) return;  // and nobody is working: nothing more will come
        it = std::move(stack_.back());
        stack_.pop_back();
        ++active_;
      }
      std::vector<Item> children = list(l, std::move(it), buf.get(), k_buffer);
      bool done;
      {
        std::lock_guard<std::mutex> lock(mu_);
        for (auto& c : children) stack_.push_back(std::move(c));
        --active_;
        done = active_ == 0 && stack_.empty();
      }
      if (done || !children.empty()) cv_.notify_all();
    }
  }

  // Lists one directory: judges its entries, returns its subdirectories to walk.
  std::vector<Item> list(Local& l, Item it, char* buf, std::size_t size) {
    std::vector<Item> children;
    UniqueFd fd = std::move(it.self);
    if (!fd.valid()) {
      fd.reset(::openat(it.parent->get(), it.name.c_str(),
                        O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
      it.parent.reset();
      if (!fd.valid()) {
        if (errno == ENOENT)
          ++l.vanished;
        else
          problem(l, std::move(it.path), std::strerror(errno), it.in_path);
        return children;
      }
      struct stat st {};
      if (::fstat(fd.get(), &st) != 0 || st.st_dev != it.dev || st.st_ino != it.ino) {
        problem(l, std::move(it.path), "replaced while it was walked", it.in_path);
        return children;
      }
    }
    auto self = std::make_shared<const UniqueFd>(std::move(fd));
    const int dfd = self->get();
    for (;;) {
      const ssize_t n = ::getdents64(dfd, buf, size);
      if (n == 0) break;
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == ENOENT) {  // removed while being listed
          ++l.vanished;
          break;
        }
        problem(l, it.path, std::strerror(errno), it.in_path);
        break;
      }
      for (ssize_t off = 0; off < n;) {
        const auto* d = reinterpret_cast<const struct dirent64*>(buf + off);
        off += d->d_reclen;
        const char* name = d->d_name;
        if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
        ++l.entries;
        if (d->d_type == DT_LNK) {
          ++l.symlinks;
          continue;
        }
        struct stat st {};
        if (::fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
          if (errno == ENOENT)
            ++l.vanished;
          else
            problem(l, join_path(it.path, name), std::strerror(errno), it.in_path);
          continue;
        }
        if (S_ISLNK(st.st_mode)) {  // d_type was DT_UNKNOWN
          ++l.symlinks;
          continue;
        }
        const bool is_dir = S_ISDIR(st.st_mode);
        const bool path_dir =
            is_dir && !path_dirs_.empty() && match_path_dir(st.st_dev, st.st_ino, false);
        const bool in_path = it.in_path || path_dir;
        judge(l, st, in_path, it.path_only, [&] { return join_path(it.path, name); });
        if (!is_dir) continue;
        ++l.directories;
        Item c;
        c.name = name;
        c.path = join_path(it.path, name);
        c.dev = st.st_dev;
        c.ino = st.st_ino;
        c.in_path = in_path;
        c.path_only = it.path_only;
        if (st.st_dev == it.walk_dev) {
          c.parent = self;
          c.walk_dev = it.walk_dev;
        } else if (!enter_mount(l, c, dfd, it.path_only)) {
          continue;
        }
        if (path_dir) match_path_dir(st.st_dev, st.st_ino, true);
        children.push_back(std::move(c));
      }
    }
    return children;
  }

  // A directory on another device: entered only when listed in `mounts` and not refused.
  bool enter_mount(Local& l, Item& c, int dfd, bool path_only) {
    const bool listed = std::find(o_.mounts.begin(), o_.mounts.end(), c.path) != o_.mounts.end();
    auto skip = [&](std::string why) {
      if (path_only) return false;  // reported by the main walk already
      ++l.skipped_mounts_total;
      add_bounded(l.skipped_mounts, k_skipped_mounts_kept, FsProblem{c.path, std::move(why)},
                  problem_less);
      return false;
    };
    if (!listed) return skip("another filesystem");
    UniqueFd fd(::openat(dfd, c.name.c_str(),
                         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (!fd.valid()) {
      if (errno == ENOENT)
        ++l.vanished;
      else
        problem(l, c.path, std::strerror(errno), c.in_path);
      return false;
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || st.st_dev != c.dev || st.st_ino != c.ino) {
      problem(l, c.path, "replaced while it was walked", c.in_path);
      return false;
    }
    if (auto why = refusal(c.path, fd.get())) return skip("listed in mounts, but " + *why);
    if (!path_only) l.walked_mounts.push_back(c.path);
    c.self = std::move(fd);
    c.walk_dev = c.dev;
    return true;
  }

  FsWalkResult merge() {
    FsWalkResult r;
    for (auto& l : locals_) {
      for (std::size_t c = 0; c < k_fs_categories; ++c) {
        r.categories[c].total += l.categories[c].total;
        auto& e = l.categories[c].entries;
        std::move(e.begin(), e.end(), std::back_inserter(r.categories[c].entries));
      }
      r.entries += l.entries;
      r.directories += l.directories;
      r.symlinks += l.symlinks;
      r.vanished += l.vanished;
      std::move(l.unreadable.begin(), l.unreadable.end(), std::back_inserter(r.unreadable));
      r.unreadable_total += l.unreadable_total;
      r.unreadable_in_path += l.unreadable_in_path;
      std::move(l.walked_mounts.begin(), l.walked_mounts.end(),
                std::back_inserter(r.walked_mounts));
      std::move(l.skipped_mounts.begin(), l.skipped_mounts.end(),
                std::back_inserter(r.skipped_mounts));
      r.skipped_mounts_total += l.skipped_mounts_total;
    }
    for (auto& c : r.categories) {
      keep_smallest(c.entries, o_.keep, path_less);
      std::sort(c.entries.begin(), c.entries.end(), path_less);
    }
    keep_smallest(r.unreadable, k_fs_problems_kept, problem_less);
    std::sort(r.unreadable.begin(), r.unreadable.end(), problem_less);
    keep_smallest(r.skipped_mounts, k_skipped_mounts_kept, problem_less);
    std::sort(r.skipped_mounts.begin(), r.skipped_mounts.end(), problem_less);
    std::sort(r.walked_mounts.begin(), r.walked_mounts.end());
    for (std::size_t i = 0; i < path_dirs_.size(); ++i) {
      const PathDirState& pd = path_dirs_[i];
      r.path_dirs.push_back(
          {o_.path_dirs[i].path, pd.descended.load(), pd.descended ? std::string() : pd.why_not});
    }
    return r;
  }

  const FsWalkOptions& o_;
  std::vector<PathDirState> path_dirs_;
  std::vector<Local> locals_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Item> stack_;
  unsigned active_ = 0;
};

}  // namespace

FsWalkResult walk_filesystem(UniqueFd start, const FsWalkOptions& options) {
  Walker w(options);
  return w.run(std::move(start));
}

bool fs_type_never_walked(std::string_view fs_type) {
  if (fs_type.substr(0, 5) == "fuse.") return true;
  return std::find(std::begin(k_never_walked_types), std::end(k_never_walked_types), fs_type) !=
         std::end(k_never_walked_types);
}

std::optional<std::string> fs_type_refusal(int fd) {
  struct statfs sf {};
  if (::fstatfs(fd, &sf) != 0)
    return std::string("its filesystem type cannot be read: ") + std::strerror(errno);
  const auto magic = static_cast<unsigned long>(sf.f_type) & 0xffffffffUL;
  for (const auto& m : k_never_walked_magic)
    if (m.value == magic)
      return std::string(m.name) + " is a pseudo, network or FUSE filesystem, never walked";
  return std::nullopt;
}

}  // namespace hb
