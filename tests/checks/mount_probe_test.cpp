#include "checks/mount_probe.hpp"

#include <doctest/doctest.h>

#include "engine/facts.hpp"
#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

using hb::Status;
using hb::test::all_evidence;
using hb::test::contains;
using hb::test::TempTree;

namespace {

const char* const k_mountinfo =
    R"(22 28 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
23 28 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:13 - proc proc rw
24 28 0:5 / /dev rw,nosuid,relatime shared:2 - devtmpfs udev rw,size=1967548k,nr_inodes=491887,mode=755,inode64
28 1 254:1 / / rw,relatime shared:1 - ext4 /dev/mapper/debian--vg-root rw,errors=remount-ro
29 24 0:26 / /dev/shm rw,nosuid,nodev shared:4 - tmpfs tmpfs rw,inode64
35 28 254:4 / /tmp rw,nosuid,nodev,relatime shared:20 - ext4 /dev/mapper/debian--vg-tmp rw
36 28 0:40 / /srv/my\040data rw,relatime shared:21 - tmpfs tmpfs rw,noexec,nosuid
)";

TempTree live_host() {
  TempTree t;
  t.write("/proc/self/mountinfo", k_mountinfo);
  return t;
}

hb::Outcome run(const std::string& yaml, const TempTree& t) {
  auto v = t.view();
  return hb::test::run_probe(&hb::parse_mount_probe, yaml, *v);
}

}  // namespace

TEST_CASE("mount probe: a separate mount with every option passes") {
  auto t = live_host();
  auto o = run("path: /tmp\nexpect: { separate: true, options: [nodev, nosuid] }\n", t);
  CHECK(o.status == Status::pass);
  CHECK(all_evidence(o) ==
        "/tmp is a separate mount: ext4 /dev/mapper/debian--vg-tmp at /proc/self/mountinfo:6, "
        "options rw,nosuid,nodev,relatime (superblock rw); has nodev, nosuid\n");
}

TEST_CASE("mount probe: a missing option fails and is named") {
  auto t = live_host();
  auto o = run("path: /tmp\nexpect: { options: [nodev, nosuid, noexec] }\n", t);
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "; missing noexec"));
  auto shm = run("path: /dev/shm\nexpect: { options: [noexec] }\n", t);
  CHECK(shm.status == Status::fail);
}

TEST_CASE("mount probe: superblock options count, as in findmnt") {
  auto t = live_host();
  auto o = run("path: /srv/my data\nexpect: { separate: true, options: [noexec, nosuid] }\n", t);
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "/srv/my data is a separate mount: tmpfs tmpfs"));
}

TEST_CASE("mount probe: a path that is not a separate mount") {
  auto t = live_host();
  auto sep = run("path: /var\nexpect: { separate: true }\n", t);
  CHECK(sep.status == Status::fail);
  CHECK(all_evidence(sep) ==
        "/var is not a separate mount: it is on / (ext4 /dev/mapper/debian--vg-root, "
        "/proc/self/mountinfo:4)\n");
  auto opts = run("path: /var/tmp\nexpect: { options: [nodev] }\n", t);
  CHECK(opts.status == Status::notapplicable);
  CHECK(contains(all_evidence(opts),
                 "/var/tmp is not a separate mount: it is on / (ext4 /dev/mapper/debian--vg-root, "
                 "/proc/self/mountinfo:4); it has no mount options of its own to judge (the rule "
                 "requiring a separate /var/tmp fails instead)"));
  // Both tests: the separate one decides.
  auto both = run("path: /var\nexpect: { separate: true, options: [nodev] }\n", t);
  CHECK(both.status == Status::fail);
}

TEST_CASE("mount probe: an offline root is judged from /etc/fstab, and says so") {
  TempTree t;
  t.write("/etc/fstab",
          "# <file system> <mount point> <type> <options> <dump> <pass>\n"
          "/dev/mapper/vg-root / ext4 errors=remount-ro 0 1\n"
          "/dev/mapper/vg-tmp /tmp ext4 defaults,nodev,nosuid,noexec 0 2\n"
          "/dev/mapper/vg-home /home ext4 defaults 0 2\n"
          "/dev/mapper/vg-var /var ext4 noauto,nodev 0 2\n");
  auto tmp = run("path: /tmp\nexpect: { separate: true, options: [nodev, nosuid, noexec] }\n", t);
  CHECK(tmp.status == Status::pass);
  CHECK(contains(all_evidence(tmp),
                 "/tmp is a separate mount at boot: /etc/fstab:3 mounts "
                 "/dev/mapper/vg-tmp (ext4) with options "
                 "defaults,nodev,nosuid,noexec (judged from /etc/fstab: no "
                 "/proc/self/mountinfo in the root"));
  auto home = run("path: /home\nexpect: { options: [nodev, nosuid] }\n", t);
  CHECK(home.status == Status::fail);
  CHECK(contains(all_evidence(home), "missing nodev, nosuid"));
  auto var = run("path: /var\nexpect: { separate: true }\n", t);
  CHECK(var.status == Status::fail);
  CHECK(contains(all_evidence(var), "has noauto, so it is not mounted at boot"));
  auto vartmp = run("path: /var/tmp\nexpect: { separate: true }\n", t);
  CHECK(vartmp.status == Status::fail);
  CHECK(contains(all_evidence(vartmp), "no line in /etc/fstab mounts it"));
}

TEST_CASE("mount probe: offline /dev/shm without an fstab line is systemd's mount") {
  TempTree t;
  t.write("/etc/fstab", "/dev/sda1 / ext4 errors=remount-ro 0 1\n");
  auto sep = run("path: /dev/shm\nexpect: { separate: true, options: [nodev, nosuid] }\n", t);
  CHECK(sep.status == Status::pass);
  CHECK(contains(all_evidence(sep), "not in /etc/fstab, so systemd mounts it itself"));
  auto noexec = run("path: /dev/shm\nexpect: { options: [noexec] }\n", t);
  CHECK(noexec.status == Status::fail);
  t.write("/etc/fstab", "tmpfs /dev/shm tmpfs defaults,nodev,nosuid,noexec 0 0\n");
  CHECK(run("path: /dev/shm\nexpect: { options: [noexec] }\n", t).status == Status::pass);
}

TEST_CASE("mount probe: an empty root has no mount table: notapplicable, never pass") {
  TempTree t;
  auto o = run("path: /tmp\nexpect: { separate: true, options: [nodev] }\n", t);
  CHECK(o.status == Status::notapplicable);
  CHECK(all_evidence(o) ==
        "no mount table: neither /proc/self/mountinfo nor /etc/fstab in the root\n");
}

TEST_CASE("mount probe: an unreadable or malformed mount table is an error") {
  TempTree t;
  t.write("/proc/self/mountinfo", "36 35 98:0 /mnt1\n");
  auto o = run("path: /tmp\nexpect: { separate: true }\n", t);
  CHECK(o.status == Status::error);
  CHECK(contains(all_evidence(o), "/proc/self/mountinfo: line 1:"));
  TempTree f;
  f.mkfifo("/etc/fstab");
  CHECK(run("path: /tmp\nexpect: { separate: true }\n", f).status == Status::error);
}

TEST_CASE("mount probe: the live host's / is a separate mount") {
  auto v = hb::open_host_view("/");
  REQUIRE(v.ok());
  auto o =
      hb::test::run_probe(&hb::parse_mount_probe, "path: /\nexpect: { separate: true }\n", **v);
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "/ is a separate mount: "));
}

TEST_CASE("mount probe: the mount table is parsed once per scan") {
  auto t = live_host();
  auto v = t.view();
  hb::Facts facts;
  hb::test::run_probe(&hb::parse_mount_probe, "path: /tmp\nexpect: { separate: true }\n", *v,
                      &facts);
  hb::test::run_probe(&hb::parse_mount_probe, "path: /var\nexpect: { separate: true }\n", *v,
                      &facts);
  CHECK(facts.parse_counts()["mountinfo"] == 1);
}

TEST_CASE("mount probe: parameter errors name test.yaml and the line") {
  using hb::test::parse_error;
  auto p = &hb::parse_mount_probe;
  CHECK(parse_error(p, "path: /tmp\nexpect: { separate: true }\n") == "");
  CHECK(contains(parse_error(p, "path: tmp\nexpect: { separate: true }\n"),
                 "test.yaml:1:7: path: 'tmp' is not an absolute path"));
  CHECK(contains(parse_error(p, "path: /tmp/\nexpect: { separate: true }\n"), "trailing '/'"));
  CHECK(contains(parse_error(p, "path: /var/../tmp\nexpect: { separate: true }\n"),
                 "must be canonical"));
  CHECK(contains(parse_error(p, "path: /t*\nexpect: { separate: true }\n"), "is a glob"));
  CHECK(contains(parse_error(p, "path: /tmp\nexpect: { separate: false }\n"),
                 "only 'separate: true' is a test"));
  CHECK(contains(parse_error(p, "path: /tmp\nexpect: {}\n"),
                 "expected 'separate: true' or 'options: [...]'"));
  CHECK(contains(parse_error(p, "path: /tmp\nexpect: { options: [] }\n"),
                 "expected at least one mount option"));
  CHECK(contains(parse_error(p, "path: /tmp\nexpect: { options: [\"no dev\"] }\n"),
                 "'no dev' is not a mount option"));
  CHECK(contains(parse_error(p, "path: /tmp\nexpect: { separate: true, option: [nodev] }\n"),
                 "unknown key 'option'"));
  CHECK(contains(parse_error(p, "path: /tmp\n"), "missing required key 'expect'"));
}
