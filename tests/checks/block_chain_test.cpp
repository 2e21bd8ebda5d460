#include "checks/block_chain.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/temp_tree.hpp"

using hb::Encryption;
using hb::test::TempTree;

namespace {

const std::string k_sda =
    "/sys/devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda";
const std::string k_sda3_link =
    "../../../../pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda/sda3";
const std::string k_luks = "CRYPT-LUKS2-5d1f0c3e8a7b4c2d9e6f1a0b3c4d5e6f-sda3_crypt";
const std::string k_lv_root = "LVM-Xq2mBv9kTz4YpWc7Nf3RdLs8Hj6Ga1Ue0Vb5Kx2Mn7Pq4Rt9Sw3Yz6Ac8Df1Gh";

// Debian's "guided - use entire disk and set up encrypted LVM": sda3 -> dm-0 (LUKS2) -> dm-1 (LV
// root), as sysfs shows it.
void lvm_on_luks(TempTree& t) {
  t.write(k_sda + "/sda3/partition", "3\n");
  t.write(k_sda + "/sda3/dev", "8:3\n");
  t.write(k_sda + "/dev", "8:0\n");
  t.write("/sys/devices/virtual/block/dm-0/dm/uuid", k_luks + "\n");
  t.write("/sys/devices/virtual/block/dm-0/dm/name", "sda3_crypt\n");
  t.symlink(k_sda3_link, "/sys/devices/virtual/block/dm-0/slaves/sda3");
  t.write("/sys/devices/virtual/block/dm-1/dm/uuid", k_lv_root + "\n");
  t.write("/sys/devices/virtual/block/dm-1/dm/name", "debian--vg-root\n");
  t.symlink("../../dm-0", "/sys/devices/virtual/block/dm-1/slaves/dm-0");
  t.symlink("../../devices/virtual/block/dm-0", "/sys/dev/block/254:0");
  t.symlink("../../devices/virtual/block/dm-1", "/sys/dev/block/254:1");
  t.symlink("../../devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda/sda3",
            "/sys/dev/block/8:3");
}

}  // namespace

TEST_CASE("block chain: LVM on LUKS is encrypted, and the chain says how") {
  TempTree t;
  lvm_on_luks(t);
  auto v = t.view();
  auto tr = hb::trace_encryption(*v, 254, 1);
  CHECK(tr.verdict == Encryption::encrypted);
  CHECK(tr.chain == "dm-1 (LVM-Xq2mBv9kTz4YpWc7Nf3R...) <- dm-0 (CRYPT-LUKS2-5d1f0c3e8a7b...)");
  CHECK(tr.why.empty());
}

TEST_CASE("block chain: a plain partition is traced to its disk and is not encrypted") {
  TempTree t;
  lvm_on_luks(t);
  auto v = t.view();
  auto tr = hb::trace_encryption(*v, 8, 3);
  CHECK(tr.verdict == Encryption::not_encrypted);
  CHECK(tr.chain == "sda3 <- sda");
}

TEST_CASE("block chain: an LV spanning a plain PV is not encrypted") {
  TempTree t;
  lvm_on_luks(t);
  t.write(k_sda + "/sda4/partition", "4\n");
  t.write("/sys/devices/virtual/block/dm-2/dm/uuid", "LVM-data\n");
  t.symlink("../../dm-0", "/sys/devices/virtual/block/dm-2/slaves/dm-0");
  t.symlink("../../../../pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda/sda4",
            "/sys/devices/virtual/block/dm-2/slaves/sda4");
  t.symlink("../../devices/virtual/block/dm-2", "/sys/dev/block/254:2");
  auto v = t.view();
  auto tr = hb::trace_encryption(*v, 254, 2);
  CHECK(tr.verdict == Encryption::not_encrypted);
  CHECK(tr.chain == "dm-2 (LVM-data) <- [dm-0 (CRYPT-LUKS2-5d1f0c3e8a7b...), sda4 <- sda]");
}

TEST_CASE("block chain: dm-verity and dm-integrity are not encryption") {
  TempTree t;
  lvm_on_luks(t);
  t.write("/sys/devices/virtual/block/dm-5/dm/uuid", "CRYPT-VERITY-0123-usr\n");
  t.symlink("../../../../pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda/sda3",
            "/sys/devices/virtual/block/dm-5/slaves/sda3");
  t.symlink("../../devices/virtual/block/dm-5", "/sys/dev/block/254:5");
  auto v = t.view();
  auto tr = hb::trace_encryption(*v, 254, 5);
  CHECK(tr.verdict == Encryption::not_encrypted);
  CHECK(tr.chain == "dm-5 (CRYPT-VERITY-0123-usr) <- sda3 <- sda");
  // Plain dm-crypt is encryption.
  t.write("/sys/devices/virtual/block/dm-5/dm/uuid", "CRYPT-PLAIN-swap\n");
  CHECK(hb::trace_encryption(*v, 254, 5).verdict == Encryption::encrypted);
}

TEST_CASE("block chain: a cycle in slaves is unknown, not a verdict") {
  TempTree t;
  t.write("/sys/devices/virtual/block/dm-2/dm/uuid", "LVM-a\n");
  t.write("/sys/devices/virtual/block/dm-3/dm/uuid", "LVM-b\n");
  t.symlink("../../dm-3", "/sys/devices/virtual/block/dm-2/slaves/dm-3");
  t.symlink("../../dm-2", "/sys/devices/virtual/block/dm-3/slaves/dm-2");
  t.symlink("../../devices/virtual/block/dm-2", "/sys/dev/block/254:2");
  auto v = t.view();
  auto tr = hb::trace_encryption(*v, 254, 2);
  CHECK(tr.verdict == Encryption::unknown);
  CHECK(tr.why == "cycle: dm-2 is below itself in slaves");
  CHECK(tr.chain == "dm-2 (LVM-a) <- dm-3 (LVM-b) <- dm-2 (?)");
}

TEST_CASE("block chain: a stack deeper than 16 devices is unknown") {
  TempTree t;
  for (int i = 0; i < 20; ++i) {
    const std::string d = "/sys/devices/virtual/block/dm-" + std::to_string(i);
    t.write(d + "/dm/uuid", "LVM-" + std::to_string(i) + "\n");
    t.symlink("../../dm-" + std::to_string(i + 1), d + "/slaves/dm-" + std::to_string(i + 1));
  }
  t.symlink("../../devices/virtual/block/dm-0", "/sys/dev/block/254:0");
  auto v = t.view();
  auto tr = hb::trace_encryption(*v, 254, 0);
  CHECK(tr.verdict == Encryption::unknown);
  CHECK(tr.why == "the chain is deeper than 16");
}

TEST_CASE("block chain: fan-out is bounded by the device cap") {
  TempTree t;
  // dm-0 has 64 slaves, each of which has the same 64 slaves: 4096 paths, capped at 256.
  for (int i = 1; i <= 64; ++i) {
    const std::string d = "/sys/devices/virtual/block/dm-" + std::to_string(i);
    t.write(d + "/dm/uuid", "LVM-x\n");
    t.symlink("../../dm-" + std::to_string(i),
              "/sys/devices/virtual/block/dm-0/slaves/dm-" + std::to_string(i));
    for (int j = 65; j <= 128; ++j)
      t.symlink("../../dm-" + std::to_string(j), d + "/slaves/dm-" + std::to_string(j));
  }
  for (int j = 65; j <= 128; ++j) t.mkdir("/sys/devices/virtual/block/dm-" + std::to_string(j));
  t.symlink("../../devices/virtual/block/dm-0", "/sys/dev/block/254:0");
  auto v = t.view();
  auto tr = hb::trace_encryption(*v, 254, 0);
  CHECK(tr.verdict != Encryption::encrypted);
}

TEST_CASE("block chain: missing sysfs entries are unknown with the reason") {
  TempTree t;
  auto v = t.view();
  auto tr = hb::trace_encryption(*v, 8, 1);
  CHECK(tr.verdict == Encryption::unknown);
  CHECK(tr.why == "no /sys/dev/block/8:1 in the root");
  t.symlink("../../devices/virtual/block/dm-9", "/sys/dev/block/254:9");
  auto dangling = hb::trace_encryption(*v, 254, 9);
  CHECK(dangling.verdict == Encryption::unknown);
  CHECK(dangling.why.find("cannot read /sys/devices/virtual/block/dm-9") == 0);
  CHECK(hb::trace_encryption_by_name(*v, "../etc").verdict == Encryption::unknown);
}

TEST_CASE("block chain: by name through /sys/class/block") {
  TempTree t;
  lvm_on_luks(t);
  t.symlink("../../devices/virtual/block/dm-1", "/sys/class/block/dm-1");
  auto v = t.view();
  CHECK(hb::trace_encryption_by_name(*v, "dm-1").verdict == Encryption::encrypted);
}

TEST_CASE("block chain: this machine's root device is traced without error") {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  unsigned major = 0, minor = 0;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string id, parent, dev, root, mp;
    f >> id >> parent >> dev >> root >> mp;
    if (mp == "/") std::sscanf(dev.c_str(), "%u:%u", &major, &minor);
  }
  if (major == 0 || !std::filesystem::exists("/sys/dev/block")) return;  // no block device
  auto v = hb::open_host_view("/");
  REQUIRE(v.ok());
  auto tr = hb::trace_encryption(**v, major, minor);
  CAPTURE(tr.chain);
  CAPTURE(tr.why);
  CHECK(tr.verdict != Encryption::unknown);
  CHECK_FALSE(tr.chain.empty());
}
