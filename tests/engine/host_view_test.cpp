#include "engine/host_view.hpp"

#include <dirent.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <fstream>

#include "tests/support/temp_tree.hpp"

using hb::ErrorKind;
using hb::FileType;
using hb::test::TempTree;

TEST_CASE("host view: reads a regular file through the root") {
  TempTree t;
  t.write("/etc/hostname", "web01\n");
  auto v = t.view();
  auto r = v->read_file("/etc/hostname");
  REQUIRE(r.ok());
  CHECK(*r == "web01\n");
  CHECK_FALSE(v->is_live());
  CHECK(v->root() == t.root());
}

TEST_CASE("host view: a missing file is not_found and names the host path") {
  TempTree t;
  auto r = t.view()->read_file("/etc/shadow");
  REQUIRE_FALSE(r.ok());
  CHECK(r.kind() == ErrorKind::not_found);
  CHECK(r.message().find("/etc/shadow") != std::string::npos);
  CHECK(r.message().find(t.root()) == std::string::npos);
}

TEST_CASE("host view: an absolute symlink resolves inside the root, not on the scanner's host") {
  TempTree outside;
  outside.write("/secret", "SENTINEL-OUTSIDE-ROOT");
  TempTree t;
  t.write("/etc/real", "inside");
  t.symlink("/etc/real", "/etc/link");
  // Points at the other tree by its real absolute path: inside the root that path does not exist.
  t.symlink(outside.root() + "/secret", "/etc/escape");
  auto v = t.view();
  CHECK(*v->read_file("/etc/link") == "inside");
  auto esc = v->read_file("/etc/escape");
  REQUIRE_FALSE(esc.ok());
  CHECK(esc.kind() == ErrorKind::not_found);
}

TEST_CASE("host view: .. in a symlink never climbs above the root") {
  TempTree t;
  t.write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
  t.symlink("../../../../../../../../etc/passwd", "/var/lib/app/link");
  t.symlink("../../../../../../../..", "/var/lib/app/up");
  auto v = t.view();
  auto r = v->read_file("/var/lib/app/link");
  REQUIRE(r.ok());
  CHECK(*r == "root:x:0:0:root:/root:/bin/bash\n");
  auto dir = v->list_dir("/var/lib/app/up");
  REQUIRE(dir.ok());
  // The root's own listing: etc and var, nothing of the scanner's /.
  REQUIRE(dir->size() == 2);
  CHECK((*dir)[0].name == "etc");
  CHECK((*dir)[1].name == "var");
  CHECK(*v->read_file("/../../etc/passwd") == *r);
}

TEST_CASE("host view: a symlinked directory in the middle of a path is followed inside the root") {
  TempTree t;
  t.write("/usr/lib/sysctl.d/50-x.conf", "a = 1\n");
  t.symlink("/usr/lib", "/lib");
  auto r = t.view()->read_file("/lib/sysctl.d/50-x.conf");
  REQUIRE(r.ok());
  CHECK(*r == "a = 1\n");
}

TEST_CASE("host view: symlink loops end in an error, not a hang") {
  TempTree t;
  t.symlink("/etc/b", "/etc/a");
  t.symlink("/etc/a", "/etc/b");
  t.symlink("self", "/etc/self");
  auto v = t.view();
  auto r = v->read_file("/etc/a");
  REQUIRE_FALSE(r.ok());
  CHECK(r.kind() == ErrorKind::io);
  CHECK_FALSE(v->stat("/etc/self").ok());
  // lstat does not follow the final link.
  auto l = v->lstat("/etc/a");
  REQUIRE(l.ok());
  CHECK(l->type == FileType::symlink);
  CHECK(*v->read_link("/etc/a") == "/etc/b");
}

TEST_CASE("host view: a FIFO where a file is expected is an error at once") {
  TempTree t;
  t.mkfifo("/etc/daemon.json");
  auto r = t.view()->read_file("/etc/daemon.json");
  REQUIRE_FALSE(r.ok());
  CHECK(r.kind() == ErrorKind::not_regular);
  CHECK(r.message().find("fifo") != std::string::npos);
}

TEST_CASE("host view: a character device where a file is expected is refused without opening it") {
  if (!hb::test::running_as_root()) {
    MESSAGE("skipped: mknod needs root");
    return;
  }
  TempTree t;
  t.mkdir("/dev");
  REQUIRE(::mknod(t.real("/dev/zero").c_str(), S_IFCHR | 0666, makedev(1, 5)) == 0);
  t.symlink("/dev/zero", "/etc/config");
  auto r = t.view()->read_file("/etc/config");
  REQUIRE_FALSE(r.ok());
  CHECK(r.kind() == ErrorKind::not_regular);
}

TEST_CASE("host view: reads are capped, and a larger file is an error, never a truncated read") {
  TempTree t;
  t.write("/etc/big", std::string(5000, 'x'));
  t.write("/etc/fits", std::string(4096, 'y'));
  auto v = t.view(4096);
  auto big = v->read_file("/etc/big");
  REQUIRE_FALSE(big.ok());
  CHECK(big.kind() == ErrorKind::too_large);
  CHECK(v->read_file("/etc/fits")->size() == 4096);
  CHECK(v->read_file("/etc/fits", 100).kind() == ErrorKind::too_large);
}

TEST_CASE("host view: a sparse 2 GiB file is refused by size without reading it") {
  TempTree t;
  t.write("/etc/sparse", "");
  REQUIRE(::truncate(t.real("/etc/sparse").c_str(), 2LL << 30) == 0);
  auto r = t.view()->read_file("/etc/sparse");
  REQUIRE_FALSE(r.ok());
  CHECK(r.kind() == ErrorKind::too_large);
}

TEST_CASE("host view: stat reports type, permission bits and owner") {
  TempTree t;
  t.write("/etc/shadow", "x", 0640);
  t.mkdir("/tmp", 01777);
  auto v = t.view();
  auto s = v->stat("/etc/shadow");
  REQUIRE(s.ok());
  CHECK(s->type == FileType::regular);
  CHECK(s->mode == 0640);
  auto d = v->stat("/tmp");
  REQUIRE(d.ok());
  CHECK(d->type == FileType::directory);
  CHECK(d->mode == 01777);
  CHECK(v->stat("/")->type == FileType::directory);
}

TEST_CASE("host view: a file used as a directory is not_found") {
  TempTree t;
  t.write("/etc/passwd", "x");
  auto r = t.view()->read_file("/etc/passwd/oops");
  REQUIRE_FALSE(r.ok());
  CHECK(r.kind() == ErrorKind::not_found);
}

TEST_CASE("host view: list_dir is sorted and gives d_type") {
  TempTree t;
  t.write("/etc/sysctl.d/b.conf", "");
  t.write("/etc/sysctl.d/a.conf", "");
  t.mkdir("/etc/sysctl.d/c");
  auto d = t.view()->list_dir("/etc/sysctl.d");
  REQUIRE(d.ok());
  REQUIRE(d->size() == 3);
  CHECK((*d)[0].name == "a.conf");
  CHECK((*d)[0].type == FileType::regular);
  CHECK((*d)[2].type == FileType::directory);
  CHECK_FALSE(t.view()->list_dir("/etc/sysctl.d/a.conf").ok());
}

TEST_CASE("host view: open_directory resolves symlinks inside the root, never outside it") {
  TempTree outside;
  outside.write("/data/OUTSIDE-ONLY", "x");
  TempTree t;
  t.write("/data/inside-only", "x");
  t.write("/etc/hostname", "web01\n");
  // By its real absolute path, the other tree's directory; inside the root that is /tmp/...,
  // which does not exist. A relative link that climbs lands on the root's own /data.
  t.symlink(outside.root() + "/data", "/escape");
  t.symlink("../../../../../../../../../data", "/var/up");
  t.symlink("/data", "/abs");
  auto v = t.view();
  auto list = [](int fd) {
    std::vector<std::string> names;
    DIR* d = ::fdopendir(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
    REQUIRE(d != nullptr);
    while (dirent* e = ::readdir(d))
      if (e->d_name[0] != '.') names.emplace_back(e->d_name);
    ::closedir(d);
    return names;
  };
  auto esc = v->open_directory("/escape");
  REQUIRE_FALSE(esc.ok());
  CHECK(esc.kind() == ErrorKind::not_found);
  for (const char* p : {"/var/up", "/abs", "/data"}) {
    CAPTURE(p);
    auto fd = v->open_directory(p);
    REQUIRE(fd.ok());
    CHECK(list(fd->get()) == std::vector<std::string>{"inside-only"});
    // Readable (not an O_PATH descriptor), and a directory.
    struct stat st {};
    REQUIRE(::fstat(fd->get(), &st) == 0);
    CHECK(S_ISDIR(st.st_mode));
    CHECK((::fcntl(fd->get(), F_GETFL) & O_ACCMODE) == O_RDONLY);
    CHECK((::fcntl(fd->get(), F_GETFD) & FD_CLOEXEC) != 0);
  }
  auto root = v->open_directory("/");
  REQUIRE(root.ok());
  auto names = list(root->get());
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"abs", "data", "escape", "etc", "var"});
  auto file = v->open_directory("/etc/hostname");
  REQUIRE_FALSE(file.ok());
  CHECK(file.kind() == ErrorKind::not_found);
  CHECK(v->open_directory("/nonexistent").kind() == ErrorKind::not_found);
}

TEST_CASE("host view: relative paths and NUL bytes are refused") {
  TempTree t;
  auto v = t.view();
  CHECK(v->read_file("etc/passwd").kind() == ErrorKind::invalid);
  CHECK(v->read_file(std::string_view("/etc/a\0b", 8)).kind() == ErrorKind::invalid);
}

TEST_CASE("host view: on the live root, open_directory follows a final symlink as stat does") {
  TempTree t;  // on the live host, its real path is a host path
  t.mkdir("/usr/bin");
  t.write("/usr/bin/tool", "x");
  t.symlink("usr/bin", "/bin");
  auto v = hb::open_host_view("/");
  REQUIRE(v.ok());
  auto fd = (*v)->open_directory(t.real("/bin"));
  REQUIRE(fd.ok());
  struct stat a {}, b {};
  REQUIRE(::fstat(fd->get(), &a) == 0);
  REQUIRE(::stat(t.real("/usr/bin").c_str(), &b) == 0);
  CHECK(a.st_ino == b.st_ino);
}

TEST_CASE("host view: the live root reads /proc") {
  auto v = hb::open_host_view("/");
  REQUIRE(v.ok());
  CHECK((*v)->is_live());
  auto r = (*v)->read_file("/proc/sys/kernel/osrelease");
  REQUIRE(r.ok());
  CHECK_FALSE(r->empty());
}

TEST_CASE("host view: opening a root that is not a directory fails") {
  TempTree t;
  t.write("/file", "x");
  CHECK_FALSE(hb::open_host_view(t.real("/file")).ok());
  CHECK_FALSE(hb::open_host_view(t.real("/missing")).ok());
}

TEST_CASE("host view: path helpers") {
  CHECK(hb::join_path("/etc", "ssh") == "/etc/ssh");
  CHECK(hb::join_path("/etc/", "ssh") == "/etc/ssh");
  CHECK(hb::join_path("/etc", "/abs") == "/abs");
  CHECK(hb::dir_name("/etc/ssh/sshd_config") == "/etc/ssh");
  CHECK(hb::dir_name("/etc") == "/");
  CHECK(hb::base_name("/etc/ssh/sshd_config") == "sshd_config");
}

TEST_CASE("host view: a stream reads a large file in pieces, and stops at its cap with an error") {
  TempTree t;
  std::string big(10 * 1024 * 1024, 'p');
  t.write("/var/lib/apt/lists/big_Packages", big);
  auto v = t.view(4096);  // the whole-file cap does not apply to streams
  auto s = v->open_read("/var/lib/apt/lists/big_Packages", 64ull << 20);
  REQUIRE(s.ok());
  std::vector<char> buf(65536);
  std::size_t total = 0;
  for (;;) {
    auto n = (*s)->read(buf.data(), buf.size());
    REQUIRE(n.ok());
    if (*n == 0) break;
    total += *n;
  }
  CHECK(total == big.size());
  CHECK(v->open_read("/var/lib/apt/lists/big_Packages", 1024).kind() == ErrorKind::too_large);
  t.mkfifo("/var/lib/apt/lists/fifo");
  CHECK(v->open_read("/var/lib/apt/lists/fifo", 1024).kind() == ErrorKind::not_regular);
  CHECK(v->open_read("/nope", 1024).kind() == ErrorKind::not_found);
}

TEST_CASE("host view: normal_path collapses . and .. without climbing above /") {
  CHECK(hb::normal_path("/sys/dev/block/../../devices/virtual/block/dm-1") == "/sys/devices/virtual/block/dm-1");
  CHECK(hb::normal_path("/etc/systemd/system/../../../../dev/null") == "/dev/null");
  CHECK(hb::normal_path("/a/./b//c/") == "/a/b/c");
  CHECK(hb::normal_path("/..") == "/");
  CHECK(hb::normal_path("/../../x/./y//") == "/x/y");
  CHECK(hb::normal_path("/") == "/");
}

TEST_CASE("host view: the live host lists a directory reached through a symlink") {
  auto v = hb::open_host_view("/");
  REQUIRE(v.ok());
  auto l = (*v)->lstat("/bin");
  if (!l || l->type != FileType::symlink) {
    MESSAGE("skipped: /bin is not a symlink on this machine");
    return;
  }
  auto d = (*v)->list_dir("/bin");
  REQUIRE_MESSAGE(d.ok(), (d.ok() ? "" : d.message()));
  CHECK_FALSE(d->empty());
}
