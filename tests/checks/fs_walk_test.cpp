#include "checks/fs_walk.hpp"

#include <doctest/doctest.h>
#include <grp.h>
#include <pwd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "engine/accounts.hpp"
#include "tests/support/temp_tree.hpp"

using hb::FsCategory;
using hb::test::running_as_root;
using hb::test::TempTree;

using hb::test::slurp;

namespace {

// Ids the test machine does not know (checked), for the unowned and ungrouped entries.
constexpr uid_t k_stranger = 4242;
constexpr gid_t k_stranger_group = 4243;

std::set<std::string> paths(const hb::FsWalkResult& r, FsCategory c) {
  std::set<std::string> out;
  for (const auto& e : r[c].entries) out.insert(e.path);
  CHECK(r[c].total == r[c].entries.size());
  return out;
}

// GNU find's answer on the same tree, as host paths ("/data/x"; the root itself is "/").
std::set<std::string> find_paths(const TempTree& t, const std::string& expr) {
  const std::string cmd = "find '" + t.root() + "' -xdev " + expr + " -print0 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  ::pclose(p);
  std::set<std::string> paths;
  for (std::size_t i = 0; i < out.size();) {
    std::size_t end = out.find('\0', i);
    std::string path = out.substr(i, end - i);
    paths.insert(path == t.root() ? "/" : path.substr(t.root().size()));
    i = end + 1;
  }
  return paths;
}

struct Ids {
  std::unordered_set<std::uint32_t> uids, gids;
};

Ids ids_of(const TempTree& t) {
  Ids ids;
  for (const auto& u : hb::parse_passwd(slurp(t.real("/etc/passwd")))) ids.uids.insert(u.uid);
  for (const auto& g : hb::parse_group(slurp(t.real("/etc/group")))) ids.gids.insert(g.gid);
  return ids;
}

hb::FsWalkResult walk(const TempTree& t, hb::FsWalkOptions& o) {
  auto v = t.view();
  auto fd = v->open_directory("/");
  REQUIRE(fd.ok());
  return hb::walk_filesystem(std::move(fd.value()), o);
}

// A filesystem mounted for the length of a test (root only), always unmounted.
class Mount {
 public:
  Mount(const std::string& path, const char* type, const char* data) : path_(path) {
    ok_ = ::mount(type, path.c_str(), type, 0, data) == 0;
    if (!ok_) why_ = std::strerror(errno);
  }
  ~Mount() {
    if (ok_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  Mount(const Mount&) = delete;
  Mount& operator=(const Mount&) = delete;
  bool ok() const { return ok_; }
  const std::string& why() const { return why_; }

 private:
  std::string path_;
  bool ok_ = false;
  std::string why_;
};

// The tree every category is checked on; `outside` holds world-writable files the walk must
// never reach through the symlinks that point at it.
void build_tree(TempTree& t, const TempTree& outside) {
  // The test machine's accounts, so that find's -nouser (NSS) and the walk agree.
  t.write("/etc/passwd", slurp("/etc/passwd"));
  t.write("/etc/group", slurp("/etc/group"));
  t.write("/data/ok.txt", "x", 0644);
  t.write("/data/ww.txt", "x", 0666);
  t.write("/data/ww-exec", "x", 0777);
  t.write("/data/sub/deep/other-writable", "x", 0646);
  t.write("/data/group-writable", "x", 0664);
  t.mkdir("/data/wwdir", 0777);
  t.write("/data/wwdir/f", "x", 0644);
  t.mkdir("/data/tmp", 01777);
  t.mkdir("/data/wwdir-sticky-no-exec", 01776);
  t.mkfifo("/data/fifo");
  t.chmod("/data/fifo", 0666);  // world-writable, but not a regular file
  t.write("/usr/bin/passwd", "x", 04755);
  t.write("/usr/bin/expiry", "x", 02755);
  t.write("/usr/local/bin/backdoor", "x", 06755);
  t.write("/usr/local/bin/ww-tool", "x", 0777);
  t.write("/usr/local/bin/notes", "x", 0644);
  t.mkdir("/srv/team", 02775);  // a setgid directory is not a setgid file
  t.write("/srv/team/suid-not-exec", "x", 04644);
  t.write("/home/old/notes.txt", "x", 0600);
  t.write("/data/grp-only", "x", 0644);
  if (running_as_root()) {
    t.chown("/home/old/notes.txt", k_stranger, k_stranger_group);
    t.chown("/home/old", k_stranger, 0);
    t.chown("/data/grp-only", 0, k_stranger_group);
  }
  t.symlink("b", "/loop/a");
  t.symlink("a", "/loop/b");
  t.symlink(".", "/loop/self");
  t.symlink("..", "/loop/up");
  t.symlink(outside.real("/ww-outside"), "/data/outside-file");
  t.symlink(outside.root(), "/data/outside-dir");
  t.symlink("/", "/data/slash");
}

TempTree make_outside() {
  TempTree outside;
  outside.write("/ww-outside", "x", 0666);
  outside.write("/deeper/ww2", "x", 0666);
  outside.write("/deeper/suid", "x", 04755);
  return outside;
}

}  // namespace

TEST_CASE("fs walk: every category equals GNU find's answer on the same tree") {
  REQUIRE(::getpwuid(k_stranger) == nullptr);
  REQUIRE(::getgrgid(k_stranger_group) == nullptr);
  if (!running_as_root()) MESSAGE("not root: no unowned or ungrouped entries can be made");
  TempTree outside = make_outside();
  TempTree t;
  build_tree(t, outside);
  Ids ids = ids_of(t);
  hb::FsWalkOptions o;
  o.threads = 3;
  o.known_uids = &ids.uids;
  o.known_gids = &ids.gids;
  auto r = walk(t, o);

  const std::pair<FsCategory, std::string> cases[] = {
      {FsCategory::world_writable_files, "-type f -perm -0002"},
      {FsCategory::world_writable_dirs_without_sticky, "-type d -perm -0002 ! -perm -1000"},
      {FsCategory::unowned, "-nouser"},
      {FsCategory::ungrouped, "-nogroup"},
      {FsCategory::setuid, "-type f -perm -4000"},
      {FsCategory::setgid, "-type f -perm -2000"},
  };
  for (const auto& [cat, expr] : cases) {
    CAPTURE(expr);
    CHECK(paths(r, cat) == find_paths(t, expr));
  }
  // And the answers themselves, so that a broken find cannot make the comparison vacuous.
  CHECK(paths(r, FsCategory::world_writable_files) ==
        std::set<std::string>{"/data/sub/deep/other-writable", "/data/ww-exec", "/data/ww.txt",
                              "/usr/local/bin/ww-tool"});
  CHECK(paths(r, FsCategory::world_writable_dirs_without_sticky) ==
        std::set<std::string>{"/data/wwdir"});
  CHECK(paths(r, FsCategory::setuid) == std::set<std::string>{"/srv/team/suid-not-exec",
                                                              "/usr/bin/passwd",
                                                              "/usr/local/bin/backdoor"});
  CHECK(paths(r, FsCategory::setgid) ==
        std::set<std::string>{"/usr/bin/expiry", "/usr/local/bin/backdoor"});
  if (running_as_root()) {
    CHECK(paths(r, FsCategory::unowned) ==
          std::set<std::string>{"/home/old", "/home/old/notes.txt"});
    CHECK(paths(r, FsCategory::ungrouped) ==
          std::set<std::string>{"/data/grp-only", "/home/old/notes.txt"});
  }
  // Entries carry what the report shows.
  const auto& ww = r[FsCategory::world_writable_files].entries;
  REQUIRE(ww.size() == 4);
  CHECK(ww[0].path == "/data/sub/deep/other-writable");  // sorted by path
  CHECK(ww[0].mode == 0646);
  CHECK(ww[0].type == hb::FileType::regular);
  // Seven symlinks, none followed: nothing of the outside tree, no loop.
  CHECK(r.symlinks == 7);
  CHECK(r.unreadable_total == 0);
  CHECK(r.vanished == 0);
  CHECK(r.skipped_mounts_total == 0);
  if (running_as_root()) {
    // A symlink's own owner is not judged (find -nouser would list it): nothing changes.
    t.chown("/loop/self", k_stranger, k_stranger_group);
    auto again = walk(t, o);
    CHECK(paths(again, FsCategory::unowned) == paths(r, FsCategory::unowned));
    CHECK(paths(again, FsCategory::ungrouped) == paths(r, FsCategory::ungrouped));
  }
}

TEST_CASE("fs walk: without known ids, unowned and ungrouped are not collected") {
  TempTree outside = make_outside();
  TempTree t;
  build_tree(t, outside);
  hb::FsWalkOptions o;
  auto r = walk(t, o);
  CHECK(r[FsCategory::unowned].total == 0);
  CHECK(r[FsCategory::ungrouped].total == 0);
  CHECK(r[FsCategory::world_writable_files].total == 4);
}

TEST_CASE("fs walk: the kept entries are the smallest paths, whatever the thread count") {
  TempTree t;
  for (int d = 0; d < 30; ++d)
    for (int f = 0; f < 20; ++f)
      t.write("/d" + std::to_string(d) + "/sub/f" + std::to_string(f), "",
              f % 3 == 0 ? 0666 : 0644);
  hb::FsWalkOptions all;
  all.threads = 2;
  auto full = walk(t, all);
  const auto& every = full[FsCategory::world_writable_files];
  REQUIRE(every.total == 30 * 7);
  REQUIRE(every.entries.size() == every.total);
  CHECK(std::is_sorted(every.entries.begin(), every.entries.end(),
                       [](const hb::FsEntry& a, const hb::FsEntry& b) { return a.path < b.path; }));
  for (unsigned threads : {1u, 4u}) {
    CAPTURE(threads);
    hb::FsWalkOptions o;
    o.threads = threads;
    o.keep = 7;
    auto r = walk(t, o);
    const auto& kept = r[FsCategory::world_writable_files];
    CHECK(kept.total == 30 * 7);
    CHECK_FALSE(kept.complete());
    REQUIRE(kept.entries.size() == 7);
    for (std::size_t i = 0; i < 7; ++i) CHECK(kept.entries[i].path == every.entries[i].path);
    CHECK(r.entries == full.entries);
    CHECK(r.directories == 60);
  }
}

TEST_CASE("fs walk: PATH directories, an alias of one, and what lies outside them") {
  TempTree t;
  t.write("/usr/local/bin/ww-tool", "x", 0777);
  t.mkdir("/usr/local/bin/drop", 01777);  // sticky, yet anyone can add a command
  t.write("/usr/bin/ok", "x", 0755);
  t.write("/opt/app/ww", "x", 0666);  // world-writable, but not in a PATH directory
  t.symlink("usr/bin", "/bin");
  auto v = t.view();
  hb::FsWalkOptions o;
  for (const char* d : {"/usr/local/bin", "/usr/bin", "/bin"})
    o.path_dirs.push_back({d, std::move(v->open_directory(d).value())});
  auto r = walk(t, o);
  CHECK(paths(r, FsCategory::world_writable_in_path) ==
        std::set<std::string>{"/usr/local/bin/drop", "/usr/local/bin/ww-tool"});
  CHECK(paths(r, FsCategory::world_writable_files) ==
        std::set<std::string>{"/opt/app/ww", "/usr/local/bin/ww-tool"});
  REQUIRE(r.path_dirs.size() == 3);
  for (const auto& d : r.path_dirs) {
    CAPTURE(d.path);
    CHECK(d.walked);
  }
}

TEST_CASE("fs walk: an unreadable directory is counted and named, the rest still walked") {
  TempTree t;
  t.write("/a/open/ww", "x", 0666);
  t.write("/a/secret/ww-hidden", "x", 0666);
  t.chmod("/a/secret", 0000);
  // Root reads everything: the walk runs in a child that gave up root.
  const std::string out = hb::test::output_without_root([&]() -> std::string {
    hb::FsWalkOptions o;
    o.threads = 2;
    auto v = t.view();
    auto fd = v->open_directory("/");
    if (!fd) return "cannot open /: " + fd.message();
    auto r = hb::walk_filesystem(std::move(fd.value()), o);
    std::string text = std::to_string(r.unreadable_total) + "\n";
    for (const auto& p : r.unreadable) text += p.path + "\n" + p.why + "\n";
    for (const auto& e : r[FsCategory::world_writable_files].entries) text += e.path + "\n";
    return text;
  });
  CHECK(out == "1\n/a/secret\nPermission denied\n/a/open/ww\n");
}

TEST_CASE("fs walk: another filesystem is judged at its mount point, entered only when listed") {
  if (!running_as_root()) {
    MESSAGE("skipped: mounting a tmpfs needs root");
    return;
  }
  TempTree t;
  t.write("/etc/passwd", slurp("/etc/passwd"));
  t.write("/etc/group", slurp("/etc/group"));
  t.write("/data/ww", "x", 0666);
  t.mkdir("/mnt/extra");
  t.mkdir("/mnt/proc");
  t.mkdir("/usr/local");
  Mount extra(t.real("/mnt/extra"), "tmpfs", "size=1m,mode=0777");
  if (!extra.ok()) {
    MESSAGE("skipped: cannot mount a tmpfs here: " << extra.why());
    return;
  }
  Mount proc(t.real("/mnt/proc"), "proc", nullptr);
  Mount local(t.real("/usr/local"), "tmpfs", "size=1m,mode=0755");
  REQUIRE(proc.ok());
  REQUIRE(local.ok());
  t.write("/mnt/extra/ww-on-tmpfs", "x", 0666);
  t.write("/mnt/extra/suid", "x", 04755);
  t.write("/usr/local/bin/ww-tool", "x", 0777);
  Ids ids = ids_of(t);

  SUBCASE("by default only the root's filesystem is walked, as find -xdev") {
    hb::FsWalkOptions o;
    o.threads = 2;
    o.known_uids = &ids.uids;
    o.known_gids = &ids.gids;
    auto r = walk(t, o);
    CHECK(paths(r, FsCategory::world_writable_files) == std::set<std::string>{"/data/ww"});
    CHECK(paths(r, FsCategory::world_writable_files) == find_paths(t, "-type f -perm -0002"));
    // The mount point itself is judged (on its own filesystem), as find -xdev lists it.
    CHECK(paths(r, FsCategory::world_writable_dirs_without_sticky) ==
          std::set<std::string>{"/mnt/extra"});
    CHECK(paths(r, FsCategory::world_writable_dirs_without_sticky) ==
          find_paths(t, "-type d -perm -0002 ! -perm -1000"));
    CHECK(paths(r, FsCategory::setuid) == find_paths(t, "-type f -perm -4000"));
    CHECK(paths(r, FsCategory::unowned) == find_paths(t, "-nouser"));
    REQUIRE(r.skipped_mounts.size() == 3);
    CHECK(r.skipped_mounts[0].path == "/mnt/extra");
    CHECK(r.skipped_mounts[0].why == "another filesystem");
    CHECK(r.skipped_mounts[1].path == "/mnt/proc");
    CHECK(r.skipped_mounts[2].path == "/usr/local");
    CHECK(r.walked_mounts.empty());
  }
  SUBCASE("a listed mount is walked; proc never is") {
    hb::FsWalkOptions o;
    o.mounts = {"/mnt/extra", "/mnt/proc"};
    auto r = walk(t, o);
    CHECK(paths(r, FsCategory::world_writable_files) ==
          std::set<std::string>{"/data/ww", "/mnt/extra/ww-on-tmpfs"});
    CHECK(paths(r, FsCategory::setuid) == std::set<std::string>{"/mnt/extra/suid"});
    CHECK(r.walked_mounts == std::vector<std::string>{"/mnt/extra"});
    REQUIRE(r.skipped_mounts.size() == 2);
    CHECK(r.skipped_mounts[0].path == "/mnt/proc");
    CHECK(r.skipped_mounts[0].why.find("proc is a pseudo") != std::string::npos);
  }
  SUBCASE("a PATH directory on another filesystem is walked for its own category") {
    hb::FsWalkOptions o;
    auto v = t.view();
    o.path_dirs.push_back(
        {"/usr/local/bin", std::move(v->open_directory("/usr/local/bin").value())});
    auto r = walk(t, o);
    CHECK(paths(r, FsCategory::world_writable_in_path) ==
          std::set<std::string>{"/usr/local/bin/ww-tool"});
    CHECK(paths(r, FsCategory::world_writable_files) == std::set<std::string>{"/data/ww"});
    REQUIRE(r.path_dirs.size() == 1);
    CHECK(r.path_dirs[0].walked);
  }
}

TEST_CASE("fs walk: filesystem types that are never walked") {
  for (const char* t : {"proc", "sysfs", "devtmpfs", "nfs4", "cifs", "fuse.sshfs", "fuseblk"}) {
    CAPTURE(t);
    CHECK(hb::fs_type_never_walked(t));
  }
  for (const char* t : {"ext4", "xfs", "btrfs", "tmpfs", "overlay", "vfat"}) {
    CAPTURE(t);
    CHECK_FALSE(hb::fs_type_never_walked(t));
  }
  TempTree t;
  auto fd = t.view()->open_directory("/");
  REQUIRE(fd.ok());
  CHECK_FALSE(hb::fs_type_refusal(fd->get()).has_value());
  auto proc = hb::open_host_view("/proc");
  REQUIRE(proc.ok());
  auto pfd = (*proc)->open_directory("/");
  REQUIRE(pfd.ok());
  auto why = hb::fs_type_refusal(pfd->get());
  REQUIRE(why.has_value());
  CHECK(why->find("proc") == 0);
}
