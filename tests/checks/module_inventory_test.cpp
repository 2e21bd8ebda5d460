#include "checks/module_inventory.hpp"

#include <doctest/doctest.h>

#include <filesystem>

#include "engine/facts.hpp"
#include "tests/support/temp_tree.hpp"

using hb::test::TempTree;

TEST_CASE("module inventory: module names from paths") {
  CHECK(hb::module_name_of("kernel/fs/cramfs/cramfs.ko.xz") == "cramfs");
  CHECK(hb::module_name_of("kernel/drivers/usb/storage/usb-storage.ko") == "usb_storage");
  CHECK(hb::module_name_of("updates/dkms/zfs.ko.zst") == "zfs");
  CHECK(hb::module_name_of("extra/x.ko.gz") == "x");
  CHECK(hb::module_name_of("kernel/fs/cramfs/cramfs.o") == "");
  CHECK(hb::module_name_of(".ko") == "");
  CHECK(hb::module_name_of("modules.dep") == "");
}

TEST_CASE("module inventory: /proc/modules, modules.dep, modules.builtin, /proc/filesystems") {
  auto loaded = hb::parse_proc_modules(
      "usb_storage 81920 0 - Live 0x0000000000000000\n"
      "ext4 1015808 2 - Live 0x0000000000000000\n"
      "crc16 16384 1 ext4, Live 0x0000000000000000\n");
  CHECK(loaded.size() == 3);
  CHECK(loaded.at("usb_storage") == 1);
  CHECK(loaded.at("crc16") == 3);

  auto dep = hb::parse_module_list(
      "kernel/fs/cramfs/cramfs.ko.xz:\n"
      "kernel/fs/squashfs/squashfs.ko.xz:\n"
      "kernel/drivers/usb/storage/usb-storage.ko.xz: kernel/drivers/usb/common/usb-common.ko.xz\n"
      "not a module line\n");
  CHECK(dep.size() == 3);
  CHECK(dep.at("usb_storage").path == "kernel/drivers/usb/storage/usb-storage.ko.xz");
  CHECK(dep.at("usb_storage").line == 3);

  auto builtin = hb::parse_module_list("kernel/fs/ext4/ext4.ko\nkernel/fs/jbd2/jbd2.ko\n");
  CHECK(builtin.count("ext4") == 1);

  auto fs = hb::parse_proc_filesystems("nodev\tsysfs\nnodev\ttmpfs\n\text4\n\tsquashfs\n");
  CHECK(fs.count("squashfs") == 1);
  CHECK(fs.count("sysfs") == 1);
  CHECK(fs.count("nodev") == 0);
}

TEST_CASE("module inventory: installed kernels, leftovers skipped, no modules.dep walked") {
  TempTree t;
  t.write("/lib/modules/6.1.0-28-amd64/modules.dep", "kernel/fs/udf/udf.ko.xz:\n");
  t.write("/lib/modules/6.1.0-28-amd64/modules.builtin", "kernel/fs/ext4/ext4.ko\n");
  t.write("/lib/modules/6.1.0-27-amd64/kernel/fs/hfs/hfs.ko.xz", "");
  t.write("/lib/modules/6.1.0-27-amd64/kernel/fs/hfsplus/hfsplus.ko.xz", "");
  t.write("/lib/modules/6.1.0-10-amd64/modules.alias", "");  // left behind by a removed kernel
  auto v = t.view();
  auto inv = hb::load_module_inventory(*v);
  REQUIRE(inv.ok());
  REQUIRE(inv->kernels.size() == 2);
  CHECK(inv->kernels[0].version == "6.1.0-27-amd64");
  CHECK(inv->kernels[0].source == "a walk of the directory (no modules.dep)");
  CHECK(inv->kernels[0].modules.at("hfsplus").path == "kernel/fs/hfsplus/hfsplus.ko.xz");
  CHECK(inv->kernels[1].modules.count("udf") == 1);
  CHECK(inv->kernels[1].builtin.count("ext4") == 1);
  CHECK_FALSE(inv->running.observable());
}

TEST_CASE("module inventory: an empty root, unreadable sources, once per scan") {
  TempTree t;
  auto v = t.view();
  auto inv = hb::load_module_inventory(*v);
  REQUIRE(inv.ok());
  CHECK(inv->kernels.empty());
  CHECK_FALSE(inv->running.observable());

  t.mkfifo("/proc/modules");
  CHECK_FALSE(hb::load_module_inventory(*v).ok());
  t.remove("/proc/modules");
  t.mkfifo("/lib/modules/6.1.0-28-amd64/modules.dep");
  CHECK_FALSE(hb::load_module_inventory(*v).ok());

  TempTree ok;
  ok.write("/proc/modules", "ext4 1015808 2 - Live 0x0\n");
  auto ov = ok.view();
  hb::Facts facts;
  auto a = hb::module_inventory(*ov, facts);
  auto b = hb::module_inventory(*ov, facts);
  CHECK(a.get() == b.get());
  CHECK(facts.parse_counts()["kernel.modules"] == 1);
}

TEST_CASE("module inventory: this machine's kernel is read without error") {
  auto v = hb::open_host_view("/");
  REQUIRE(v.ok());
  auto inv = hb::load_module_inventory(**v);
  REQUIRE_MESSAGE(inv.ok(), (inv.ok() ? "" : inv.message()));
  CHECK(inv->running.observable());
  CHECK(inv->running.have_modules == std::filesystem::exists("/proc/modules"));
  CHECK(inv->running.filesystems.count("proc") == 1);
}

TEST_CASE("module inventory: random bytes never crash the parsers") {
  const std::string alphabet = "kernel/fs.ko.xz: -_\n\tnodev";
  unsigned seed = 31337;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff; };
  for (int i = 0; i < 2000; ++i) {
    std::string text;
    for (unsigned n = next() % 300; n > 0; --n) text += alphabet[next() % alphabet.size()];
    for (const auto& [name, file] : hb::parse_module_list(text)) {
      CHECK_FALSE(name.empty());
      CHECK(file.line > 0);
    }
    hb::parse_proc_modules(text);
    hb::parse_proc_filesystems(text);
  }
}
