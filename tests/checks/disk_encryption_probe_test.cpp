#include "checks/disk_encryption_probe.hpp"

#include <doctest/doctest.h>

#include "engine/facts.hpp"
#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

using hb::Status;
using hb::test::all_evidence;
using hb::test::contains;
using hb::test::TempTree;

namespace {

const std::string k_disk =
    "/sys/devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda";
const std::string k_disk_rel =
    "../../../../pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda";

// LVM on LUKS: sda3 -> dm-0 (LUKS2) -> dm-1 root, dm-2 var, dm-3 home; /boot on plain sda2.
TempTree encrypted_host() {
  TempTree t;
  t.write(
      "/proc/self/mountinfo",
      "22 27 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
      "27 1 254:1 / / rw,relatime shared:1 - ext4 /dev/mapper/debian--vg-root rw\n"
      "30 27 8:2 / /boot rw,relatime shared:60 - ext2 /dev/sda2 rw\n"
      "31 27 254:2 / /var rw,nosuid,nodev,relatime shared:62 - ext4 /dev/mapper/debian--vg-var rw\n"
      "32 27 254:3 / /home rw,nosuid,nodev,relatime shared:64 - ext4 /dev/mapper/debian--vg-home "
      "rw\n");
  t.write(k_disk + "/sda2/partition", "2\n");
  t.write(k_disk + "/sda3/partition", "3\n");
  t.write("/sys/devices/virtual/block/dm-0/dm/uuid",
          "CRYPT-LUKS2-5d1f0c3e8a7b4c2d9e6f1a0b3c4d5e6f-sda3_crypt\n");
  t.symlink(k_disk_rel + "/sda3", "/sys/devices/virtual/block/dm-0/slaves/sda3");
  for (int i = 1; i <= 3; ++i) {
    const std::string d = "/sys/devices/virtual/block/dm-" + std::to_string(i);
    t.write(d + "/dm/uuid", "LVM-vg0lv" + std::to_string(i) + "\n");
    t.symlink("../../dm-0", d + "/slaves/dm-0");
    t.symlink("../../devices/virtual/block/dm-" + std::to_string(i),
              "/sys/dev/block/254:" + std::to_string(i));
  }
  t.symlink("../../devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda/sda2",
            "/sys/dev/block/8:2");
  return t;
}

hb::Outcome run(const std::string& yaml, const TempTree& t) {
  auto v = t.view();
  return hb::test::run_probe(&hb::parse_disk_encryption_probe, yaml, *v);
}

}  // namespace

TEST_CASE("disk_encryption probe: LVM on LUKS passes for /, /var and /home") {
  auto t = encrypted_host();
  auto o = run("{}\n", t);
  CHECK(o.status == Status::pass);
  REQUIRE(o.objects.size() == 3);
  CHECK(o.objects[0].id == "/");
  CHECK(o.objects[0].evidence[0] ==
        "/ on 254:1 dm-1 (LVM-vg0lv1) <- dm-0 (CRYPT-LUKS2-5d1f0c3e8a7b...): on dm-crypt");
  CHECK(o.objects[1].id == "/var");
  CHECK(o.objects[2].id == "/home");
  CHECK(all_evidence(o).find(
            "not separate mounts, so covered by the filesystem they are on: /var/lib/docker") == 0);
}

TEST_CASE("disk_encryption probe: a plain partition fails with its device chain") {
  auto t = encrypted_host();
  auto o = run("mounts: [/boot]\n", t);
  CHECK(o.status == Status::fail);
  REQUIRE(o.objects.size() == 2);
  CHECK(o.objects[0].status == Status::pass);
  CHECK(o.objects[1].id == "/boot");
  CHECK(o.objects[1].status == Status::fail);
  CHECK(o.objects[1].evidence[0] ==
        "/boot on 8:2 sda2 <- sda: no dm-crypt device below /boot (ext2 /dev/sda2, "
        "/proc/self/mountinfo:3)");
}

TEST_CASE("disk_encryption probe: / on tmpfs, overlay or virtiofs fails with the type") {
  for (std::string type : {"tmpfs", "overlay", "virtiofs", "9p", "nfs4"}) {
    CAPTURE(type);
    TempTree t;
    t.write("/proc/self/mountinfo", "100 99 0:52 / / rw,relatime - " + type + " rootsrc rw\n");
    auto o = run("{}\n", t);
    CHECK(o.status == Status::fail);
    CHECK(contains(all_evidence(o), type + " has no block device, so nothing on this host "
                                           "encrypts it"));
  }
}

TEST_CASE("disk_encryption probe: btrfs (no device number) is traced from its source") {
  auto t = encrypted_host();
  t.write("/proc/self/mountinfo",
          "27 1 0:33 /@ / rw,relatime - btrfs /dev/mapper/cryptroot rw,ssd,subvol=/@\n"
          "28 27 0:34 / /srv rw - zfs tank/srv rw\n");
  t.symlink("../dm-0", "/dev/mapper/cryptroot");
  t.symlink("../../devices/virtual/block/dm-0", "/sys/class/block/dm-0");
  auto o = run("mounts: [/srv]\n", t);
  REQUIRE(o.objects.size() == 2);
  CHECK(o.objects[0].status == Status::pass);
  CHECK(o.objects[0].evidence[0] ==
        "/ on /dev/mapper/cryptroot dm-0 (CRYPT-LUKS2-5d1f0c3e8a7b...): on dm-crypt");
  // A source that names no device cannot be traced: error, not a guess.
  CHECK(o.objects[1].status == Status::error);
  CHECK(o.status == Status::error);
}

TEST_CASE("disk_encryption probe: no mount table is notapplicable, a broken one is an error") {
  TempTree empty;
  auto o = run("{}\n", empty);
  CHECK(o.status == Status::notapplicable);
  CHECK(contains(all_evidence(o), "no mount table"));
  TempTree bad;
  bad.write("/proc/self/mountinfo", "nonsense\n");
  CHECK(run("{}\n", bad).status == Status::error);
  TempTree noroot;
  noroot.write("/proc/self/mountinfo", "1 0 0:1 / /proc rw - proc proc rw\n");
  auto nr = run("{}\n", noroot);
  CHECK(nr.status == Status::error);
  CHECK(contains(all_evidence(nr), "nothing is mounted at / in /proc/self/mountinfo"));
}

TEST_CASE("disk_encryption probe: unreadable sysfs or a cycle is an error") {
  auto t = encrypted_host();
  t.remove("/sys/dev/block/254:1");
  auto o = run("mounts: [/]\n", t);
  CHECK(o.status == Status::error);
  CHECK(contains(all_evidence(o), "cannot tell whether it is encrypted: no /sys/dev/block/254:1"));
  auto c = encrypted_host();
  c.remove("/sys/devices/virtual/block/dm-0/slaves/sda3");
  c.symlink("../../dm-1", "/sys/devices/virtual/block/dm-0/slaves/dm-1");
  c.write("/sys/devices/virtual/block/dm-0/dm/uuid", "LVM-pv\n");
  auto cyc = run("mounts: [/]\n", c);
  CHECK(cyc.status == Status::error);
  CHECK(contains(all_evidence(cyc), "cycle: dm-1 is below itself in slaves"));
}

TEST_CASE("disk_encryption probe: this machine's root is judged, not errored") {
  auto v = hb::open_host_view("/");
  REQUIRE(v.ok());
  auto o = hb::test::run_probe(&hb::parse_disk_encryption_probe, "{}\n", **v);
  CAPTURE(all_evidence(o));
  REQUIRE_FALSE(o.objects.empty());
  CHECK(o.objects[0].id == "/");
  CHECK(o.objects[0].status != Status::error);
}

TEST_CASE("disk_encryption probe: parameter errors name test.yaml and the line") {
  using hb::test::parse_error;
  auto p = &hb::parse_disk_encryption_probe;
  CHECK(parse_error(p, "mounts: [/, /var]\n") == "");
  CHECK(parse_error(p, "{}\n") == "");
  CHECK(contains(parse_error(p, "mounts: [var]\n"),
                 "test.yaml:1:9: mounts: 'var' is not a canonical absolute path"));
  CHECK(contains(parse_error(p, "mounts: [/var/]\n"), "not a canonical absolute path"));
  CHECK(contains(parse_error(p, "mounts: [/a/../b]\n"), "not a canonical absolute path"));
  CHECK(contains(parse_error(p, "mount: [/]\n"), "unknown key 'mount'"));
}
