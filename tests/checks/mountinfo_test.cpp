#include "checks/mountinfo.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "engine/facts.hpp"
#include "tests/support/temp_tree.hpp"

using hb::test::TempTree;

namespace {

// A Debian 12 host with LVM on LUKS, as /proc/self/mountinfo shows it (abridged).
const char* const k_debian =
    R"(22 28 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
23 28 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:13 - proc proc rw
24 28 0:5 / /dev rw,nosuid,relatime shared:2 - devtmpfs udev rw,size=1967548k,nr_inodes=491887,mode=755,inode64
26 28 0:24 / /run rw,nosuid,nodev,noexec,relatime shared:5 - tmpfs tmpfs rw,size=401288k,mode=755,inode64
28 1 254:1 / / rw,relatime shared:1 - ext4 /dev/mapper/debian--vg-root rw,errors=remount-ro
29 24 0:26 / /dev/shm rw,nosuid,nodev,noexec shared:4 - tmpfs tmpfs rw,inode64
35 28 254:4 / /tmp rw,nosuid,nodev,noexec,relatime shared:20 - ext4 /dev/mapper/debian--vg-tmp rw
)";

}  // namespace

TEST_CASE("mountinfo: a Debian table parses field by field") {
  auto r = hb::parse_mountinfo(k_debian);
  REQUIRE(r.ok());
  REQUIRE(r->size() == 7);
  const auto& root = (*r)[4];
  CHECK(root.line == 5);
  CHECK(root.id == 28);
  CHECK(root.parent == 1);
  CHECK(root.major == 254);
  CHECK(root.minor == 1);
  CHECK(root.root == "/");
  CHECK(root.mount_point == "/");
  CHECK(root.mount_options == "rw,relatime");
  REQUIRE(root.optional_fields.size() == 1);
  CHECK(root.optional_fields[0] == "shared:1");
  CHECK(root.fs_type == "ext4");
  CHECK(root.source == "/dev/mapper/debian--vg-root");
  CHECK(root.super_options == "rw,errors=remount-ro");
  CHECK(hb::find_mount(*r, "/tmp")->minor == 4);
  CHECK(hb::find_mount(*r, "/var") == nullptr);
  CHECK(hb::covering_mount(*r, "/var/log")->mount_point == "/");
  CHECK(hb::covering_mount(*r, "/dev/shm/x")->mount_point == "/dev/shm");
}

TEST_CASE("mountinfo: octal escapes and a mount point with a space") {
  auto r = hb::parse_mountinfo(
      "40 28 8:17 /my\\040dir /media/usb\\040disk rw,nosuid - vfat /dev/sdb1 rw,fmask=0022\n"
      "41 28 0:50 / /mnt/tab\\011and\\134back rw - fuse.sshfs user@host:/a\\040b rw\n");
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  CHECK((*r)[0].root == "/my dir");
  CHECK((*r)[0].mount_point == "/media/usb disk");
  CHECK((*r)[1].mount_point == "/mnt/tab\tand\\back");
  CHECK((*r)[1].fs_type == "fuse.sshfs");
  CHECK((*r)[1].source == "user@host:/a b");
  CHECK(hb::find_mount(*r, "/media/usb disk") != nullptr);
  CHECK(hb::unescape_octal("a\\040b\\04") == "a b\\04");    // a short escape stays as written
  CHECK(hb::unescape_octal("\\777x\\12") == "\\777x\\12");  // past 0377: kept
}

TEST_CASE("mountinfo: no optional fields, several, and an empty source") {
  auto r = hb::parse_mountinfo(
      "1 0 0:1 / / rw - rootfs rootfs rw\n"
      "2 1 0:2 / /a rw shared:3 master:1 propagate_from:2 - tmpfs  rw\n");
  REQUIRE(r.ok());
  CHECK((*r)[0].optional_fields.empty());
  CHECK((*r)[1].optional_fields.size() == 3);
  CHECK((*r)[1].source == "");
  CHECK((*r)[1].super_options == "rw");
}

TEST_CASE("mountinfo: stacked mounts at one place: the last is the one visible") {
  auto r = hb::parse_mountinfo(
      "25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw\n"
      "30 25 0:27 / /dev/shm rw,nosuid,nodev,noexec - tmpfs tmpfs rw\n");
  REQUIRE(r.ok());
  CHECK(hb::find_mount(*r, "/dev/shm")->id == 30);
}

TEST_CASE("mountinfo: malformed lines are errors naming the line, never a crash") {
  const char* bad[] = {
      "garbage\n",
      "1 0 0:1 / / rw rootfs rootfs rw\n",           // no separator
      "1 0 0:1 / / rw - ext4 /dev/sda1\n",           // too few after ' - '
      "1 0 0:1 / / rw - ext4 /dev/sda1 rw extra\n",  // too many after ' - '
      "x 0 0:1 / / rw - ext4 /dev/sda1 rw\n",        // id not a number
      "1 0 01 / / rw - ext4 /dev/sda1 rw\n",         // no MAJ:MIN
      "1 0 0:99999999999 / / rw - ext4 a rw\n",      // minor out of range
      "1 0 0:1 / relative rw - ext4 a rw\n",         // mount point not absolute
  };
  for (const char* text : bad) {
    CAPTURE(text);
    auto r = hb::parse_mountinfo(std::string("1 0 0:1 / / rw - ext4 /dev/vda rw\n") + text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.kind() == hb::ErrorKind::parse);
    CHECK(r.message().rfind("line 2: ", 0) == 0);
  }
  // Blank lines are skipped; binary junk is refused, not parsed.
  CHECK(hb::parse_mountinfo("\n\n").ok());
  CHECK_FALSE(hb::parse_mountinfo(std::string("\0\0 - \xff", 6)).ok());
}

TEST_CASE("mountinfo: more mounts than the cap is refused") {
  std::string text;
  for (std::size_t i = 0; i <= hb::k_max_mounts; ++i) text += "1 0 0:1 / /m rw - tmpfs t rw\n";
  auto r = hb::parse_mountinfo(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.kind() == hb::ErrorKind::too_large);
}

TEST_CASE("mountinfo: this machine's /proc/self/mountinfo parses") {
  std::ifstream in("/proc/self/mountinfo");
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  auto r = hb::parse_mountinfo(ss.str());
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.message()));
  CHECK_FALSE(r->empty());
  CHECK(hb::find_mount(*r, "/") != nullptr);
  CHECK(hb::find_mount(*r, "/proc") != nullptr);
}

TEST_CASE("mountinfo: loaded once per scan, absent in an offline root") {
  TempTree t;
  auto v = t.view();
  hb::Facts facts;
  auto none = hb::load_mountinfo(*v, facts);
  REQUIRE(none->ok());
  CHECK_FALSE(none->value().present);

  TempTree h;
  h.write("/proc/self/mountinfo", k_debian);
  auto hv = h.view();
  hb::Facts f2;
  auto a = hb::load_mountinfo(*hv, f2);
  auto b = hb::load_mountinfo(*hv, f2);
  REQUIRE(a->ok());
  CHECK(a->value().present);
  CHECK(a->value().mounts.size() == 7);
  CHECK(a.get() == b.get());
  CHECK(f2.parse_counts()["mountinfo"] == 1);

  TempTree bad;
  bad.write("/proc/self/mountinfo", "not a mount table\n");
  auto bv = bad.view();
  hb::Facts f3;
  auto e = hb::load_mountinfo(*bv, f3);
  REQUIRE_FALSE(e->ok());
  CHECK(e->message() ==
        "/proc/self/mountinfo: line 1: not a mountinfo line (expected 10 or "
        "more fields with ' - ')");
}

TEST_CASE("mountinfo: the live host's table through the host view") {
  auto v = hb::open_host_view("/");
  REQUIRE(v.ok());
  hb::Facts facts;
  auto mi = hb::load_mountinfo(**v, facts);
  REQUIRE(mi->ok());
  CHECK(mi->value().present);
  CHECK(hb::find_mount(mi->value().mounts, "/") != nullptr);
}

TEST_CASE("mountinfo: path_is_under respects component boundaries") {
  CHECK(hb::path_is_under("/var/log", "/var"));
  CHECK(hb::path_is_under("/var", "/var"));
  CHECK(hb::path_is_under("/var", "/"));
  CHECK_FALSE(hb::path_is_under("/variable", "/var"));
  CHECK_FALSE(hb::path_is_under("/va", "/var"));
  CHECK(hb::split_options("rw,,nosuid,") == std::vector<std::string>{"rw", "nosuid"});
}

TEST_CASE("mountinfo: random bytes in the mountinfo alphabet never crash the parser") {
  const std::string alphabet = "0123456789: -/\\\n\tabcrw,";
  unsigned seed = 12345;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff; };
  int parsed = 0;
  for (int i = 0; i < 2000; ++i) {
    std::string text;
    for (unsigned n = next() % 300; n > 0; --n) text += alphabet[next() % alphabet.size()];
    auto r = hb::parse_mountinfo(text);
    if (r.ok()) {
      ++parsed;
      for (const auto& m : *r) CHECK(m.mount_point.front() == '/');
    } else {
      CHECK(r.message().rfind("line ", 0) == 0);
    }
  }
  CHECK(parsed > 0);  // blank-only inputs parse to an empty table
}
