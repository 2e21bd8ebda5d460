#include "checks/fstab.hpp"

#include <doctest/doctest.h>

#include "engine/facts.hpp"
#include "tests/support/temp_tree.hpp"

using hb::test::TempTree;

namespace {

// As Debian 12's installer writes it (guided partitioning, separate /home, /var, /tmp).
const char* const k_installer = R"(# /etc/fstab: static file system information.
#
# Use 'blkid' to print the universally unique identifier for a
# device; this may be used with UUID= as a more robust way to name devices
# that works even if disks are added and removed. See fstab(5).
#
# systemd generates mount units based on this file, see systemd.mount(5).
# Please run 'systemctl daemon-reload' after making changes here.
#
# <file system> <mount point>   <type>  <options>       <dump>  <pass>
# / was on /dev/sda1 during installation
UUID=0f3c6a0e-6d8b-4c8e-9d1e-5a4b3c2d1e0f /               ext4    errors=remount-ro 0       1
# /home was on /dev/sda8 during installation
UUID=7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d /home           ext4    defaults        0       2
# /tmp was on /dev/sda7 during installation
UUID=1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f /tmp            ext4    defaults        0       2
# swap was on /dev/sda6 during installation
UUID=2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a none            swap    sw              0       0
/dev/sr0        /media/cdrom0   udf,iso9660 user,noauto     0       0
)";

}  // namespace

TEST_CASE("fstab: the installer's file parses, comments and swap included") {
  auto f = hb::parse_fstab(k_installer);
  CHECK(f.present);
  CHECK(f.bad_lines.empty());
  REQUIRE(f.entries.size() == 5);
  CHECK(f.entries[0].line == 12);
  CHECK(f.entries[0].spec == "UUID=0f3c6a0e-6d8b-4c8e-9d1e-5a4b3c2d1e0f");
  CHECK(f.entries[0].file == "/");
  CHECK(f.entries[0].vfstype == "ext4");
  CHECK(f.entries[0].options == "errors=remount-ro");
  CHECK(f.entries[0].passno == 1);
  CHECK(hb::find_fstab_entry(f, "/tmp")->line == 16);
  CHECK(hb::find_fstab_entry(f, "none") == nullptr);  // swap is not a mount
  CHECK(hb::find_fstab_entry(f, "/var") == nullptr);
}

TEST_CASE("fstab: optional fields, escapes, trailing slashes, malformed lines") {
  auto f = hb::parse_fstab(
      "tmpfs /tmp tmpfs\n"                               // options, freq, passno default
      "/dev/sdb1 /media/usb\\040disk/ vfat rw 0 0\n"     // escaped space, trailing slash
      "/dev/sdc1 /data\n"                                // too few fields
      "/dev/sdd1 /x ext4 defaults zero 0\n"              // freq not a number
      "/dev/sde1 /y ext4 defaults 0 2 trailing words\n"  // libmount ignores what follows
      "\t  # indented comment\n");
  REQUIRE(f.entries.size() == 3);
  CHECK(f.entries[0].options == "defaults");
  CHECK(f.entries[0].freq == 0);
  CHECK(f.entries[1].file == "/media/usb disk");
  CHECK(f.entries[2].file == "/y");
  CHECK(f.entries[2].passno == 2);
  CHECK(f.bad_lines == std::vector<int>{3, 4});
  // Later lines for the same mount point win.
  auto twice = hb::parse_fstab("a /tmp ext4 defaults\nb /tmp/ tmpfs nodev\n");
  CHECK(hb::find_fstab_entry(twice, "/tmp")->spec == "b");
}

TEST_CASE("fstab: options are read left to right as mount(8) does") {
  using hb::fstab_option_in_effect;
  CHECK(fstab_option_in_effect("nodev,nosuid,noexec", "nodev"));
  CHECK_FALSE(fstab_option_in_effect("defaults", "nodev"));
  CHECK_FALSE(fstab_option_in_effect("nodev,dev", "nodev"));
  CHECK(fstab_option_in_effect("dev,nodev", "nodev"));
  CHECK_FALSE(fstab_option_in_effect("nodev,defaults", "nodev"));  // defaults implies dev
  CHECK(fstab_option_in_effect("defaults,nodev", "nodev"));
  CHECK(fstab_option_in_effect("user", "noexec"));  // user implies noexec,nosuid,nodev
  CHECK_FALSE(fstab_option_in_effect("user,exec", "noexec"));
  CHECK(fstab_option_in_effect("owner", "nosuid"));
  CHECK_FALSE(fstab_option_in_effect("owner", "noexec"));
  CHECK(fstab_option_in_effect("", "rw"));
  CHECK(fstab_option_in_effect("ro", "ro"));
  CHECK_FALSE(fstab_option_in_effect("ro,rw", "ro"));
  CHECK(fstab_option_in_effect("user,noauto", "noauto"));
  CHECK_FALSE(fstab_option_in_effect("defaults", "noauto"));
  CHECK(fstab_option_in_effect("mode=1777,nosuid", "mode=1777"));
}

TEST_CASE("fstab: loaded once per scan, missing is not an error, unreadable is") {
  TempTree t;
  auto v = t.view();
  hb::Facts facts;
  auto none = hb::load_fstab(*v, facts);
  REQUIRE(none->ok());
  CHECK_FALSE(none->value().present);

  t.write("/etc/fstab", k_installer);
  hb::Facts f2;
  auto a = hb::load_fstab(*v, f2);
  auto b = hb::load_fstab(*v, f2);
  REQUIRE(a->ok());
  CHECK(a->value().entries.size() == 5);
  CHECK(f2.parse_counts()["fstab"] == 1);

  t.remove("/etc/fstab");
  t.mkdir("/etc/fstab");
  hb::Facts f3;
  CHECK_FALSE(hb::load_fstab(*v, f3)->ok());
}

TEST_CASE("fstab: this machine's /etc/fstab parses without malformed lines") {
  auto v = hb::open_host_view("/");
  REQUIRE(v.ok());
  hb::Facts facts;
  auto f = hb::load_fstab(**v, facts);
  REQUIRE(f->ok());
  CHECK(f->value().bad_lines.empty());
}

TEST_CASE("fstab: random bytes never crash the parser, and every entry has three fields") {
  const std::string alphabet = "0123456789 \t/\\#\nabcdefu,=";
  unsigned seed = 777;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff; };
  for (int i = 0; i < 2000; ++i) {
    std::string text;
    for (unsigned n = next() % 300; n > 0; --n) text += alphabet[next() % alphabet.size()];
    auto f = hb::parse_fstab(text);
    for (const auto& e : f.entries) {
      CHECK_FALSE(e.spec.empty());
      CHECK_FALSE(e.vfstype.empty());
      hb::fstab_option_in_effect(e.options, "nodev");
    }
  }
}
