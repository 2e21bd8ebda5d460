#include "checks/kernel_module_probe.hpp"

#include <doctest/doctest.h>

#include "engine/facts.hpp"
#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

using hb::Status;
using hb::test::all_evidence;
using hb::test::contains;
using hb::test::TempTree;

namespace {

// A Debian 12 host running 6.1.0-28-amd64 (bookworm ships modules uncompressed): the filesystem
// modules CIS names are loadable.
TempTree debian_host() {
  TempTree t;
  t.write("/lib/modules/6.1.0-28-amd64/modules.dep",
          "kernel/fs/cramfs/cramfs.ko:\n"
          "kernel/fs/freevxfs/freevxfs.ko:\n"
          "kernel/fs/hfs/hfs.ko:\n"
          "kernel/fs/hfsplus/hfsplus.ko: kernel/lib/crypto/libcrc32c.ko\n"
          "kernel/fs/squashfs/squashfs.ko:\n"
          "kernel/fs/udf/udf.ko: kernel/lib/crc-itu-t.ko\n"
          "kernel/drivers/usb/storage/usb-storage.ko: kernel/drivers/usb/core/usbcore.ko\n");
  t.write("/lib/modules/6.1.0-28-amd64/modules.builtin",
          "kernel/fs/ext4/ext4.ko\nkernel/fs/jbd2/jbd2.ko\n");
  t.write("/proc/modules",
          "ext4 1015808 2 - Live 0x0000000000000000\n"
          "crc16 16384 1 ext4, Live 0x0000000000000000\n");
  return t;
}

const std::string k_cis = "install cramfs /bin/false\nblacklist cramfs\n";

hb::Outcome run(const std::string& yaml, const TempTree& t) {
  auto v = t.view();
  return hb::test::run_probe(&hb::parse_kernel_module_probe, yaml, *v);
}

}  // namespace

TEST_CASE("kernel_module probe: install /bin/false and blacklist keep it out: pass") {
  auto t = debian_host();
  t.write("/etc/modprobe.d/cramfs.conf", k_cis);
  auto o = run("module: cramfs\nexpect: disabled\n", t);
  CHECK(o.status == Status::pass);
  CHECK(all_evidence(o) ==
        "cramfs is kept out by modprobe.d\n"
        "not loaded (/proc/modules)\n"
        "`install cramfs /bin/false` at /etc/modprobe.d/cramfs.conf:1\n"
        "`blacklist cramfs` at /etc/modprobe.d/cramfs.conf:2\n"
        "available: /lib/modules/6.1.0-28-amd64/kernel/fs/cramfs/cramfs.ko (modules.dep:1)\n");
}

TEST_CASE("kernel_module probe: a blacklist alone does not stop modprobe: fail") {
  auto t = debian_host();
  t.write("/etc/modprobe.d/blacklist-fs.conf", "blacklist cramfs\n");
  auto o = run("module: cramfs\nexpect: disabled\n", t);
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "cramfs can be loaded, and modprobe.d does not keep it out"));
  CHECK(contains(all_evidence(o), "no install line for cramfs in modprobe.d"));
  t.write("/etc/modprobe.d/blacklist-fs.conf", "install cramfs /bin/false\n");
  CHECK(run("module: cramfs\nexpect: disabled\n", t).status == Status::fail);
  t.write("/etc/modprobe.d/blacklist-fs.conf",
          "install cramfs /sbin/modprobe --ignore-install cramfs\nblacklist cramfs\n");
  auto bad = run("module: cramfs\nexpect: disabled\n", t);
  CHECK(bad.status == Status::fail);
  CHECK(contains(all_evidence(bad), "this command does not keep it out"));
}

TEST_CASE("kernel_module probe: a loaded module fails whatever the configuration says") {
  auto t = debian_host();
  t.write("/proc/modules", "usb_storage 81920 0 - Live 0x0000000000000000\n");
  t.write("/etc/modprobe.d/usb.conf", "install usb-storage /bin/false\nblacklist usb-storage\n");
  auto o = run("module: usb-storage\nexpect: disabled\n", t);
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "usb-storage is loaded\nloaded now (/proc/modules:1)"));
}

TEST_CASE("kernel_module probe: '-' and '_' name the same module") {
  auto t = debian_host();
  t.write("/etc/modprobe.d/usb.conf", "install usb_storage /bin/true\nblacklist usb-storage\n");
  CHECK(run("module: usb-storage\nexpect: disabled\n", t).status == Status::pass);
  CHECK(run("module: usb_storage\nexpect: disabled\n", t).status == Status::pass);
}

TEST_CASE("kernel_module probe: a module no installed kernel has is not available: pass") {
  auto t = debian_host();
  auto o = run("module: jffs2\nexpect: disabled\n", t);
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "jffs2 is not available on this host"));
  CHECK(contains(all_evidence(o), "no jffs2 module file in /lib/modules/{6.1.0-28-amd64}"));
}

TEST_CASE("kernel_module probe: a built-in module cannot be kept out: fail") {
  auto t = debian_host();
  t.write("/etc/modprobe.d/ext4.conf", "install ext4 /bin/false\nblacklist ext4\n");
  t.write("/proc/modules", "crc16 16384 1 - Live 0x0\n");
  auto o = run("module: ext4\nexpect: disabled\n", t);
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o),
                 "ext4 is built into 6.1.0-28-amd64 (/lib/modules/6.1.0-28-amd64/"
                 "modules.builtin:1): modprobe.d cannot keep a built-in module out"));
  // The running kernel lists it in /proc/filesystems without a module: built in.
  auto r = debian_host();
  r.write("/proc/filesystems", "nodev\tsysfs\n\text4\n\tsquashfs\n");
  auto sq = run("module: squashfs\nexpect: disabled\n", r);
  CHECK(sq.status == Status::fail);
  CHECK(
      contains(all_evidence(sq), "built into the running kernel (squashfs in /proc/filesystems)"));
  // freevxfs registers itself as vxfs.
  r.write("/proc/filesystems", "\tvxfs\n");
  CHECK(run("module: freevxfs\nfilesystem: vxfs\nexpect: disabled\n", r).status == Status::fail);
  CHECK(run("module: freevxfs\nexpect: disabled\n", r).status == Status::fail);  // loadable
}

TEST_CASE("kernel_module probe: offline roots skip the loaded check with a note") {
  auto t = debian_host();
  t.remove("/proc");
  t.write("/etc/modprobe.d/cramfs.conf", k_cis);
  auto o = run("module: cramfs\nexpect: disabled\n", t);
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o),
                 "the running kernel is not observable (no /proc/modules in "
                 "the root): whether it is loaded was not checked"));
}

TEST_CASE("kernel_module probe: a kernel without module support and without the module") {
  TempTree t;
  t.write("/proc/filesystems", "nodev\tsysfs\n\text4\n\tsquashfs\n");
  auto o = run("module: cramfs\nexpect: disabled\n", t);
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o),
                 "the running kernel cannot load modules and does not have it "
                 "built in"));
  CHECK(run("module: squashfs\nexpect: disabled\n", t).status == Status::fail);
  t.mkdir("/sys/module/usb_storage/parameters");
  auto usb = run("module: usb-storage\nexpect: disabled\n", t);
  CHECK(usb.status == Status::fail);
  CHECK(contains(all_evidence(usb), "/sys/module/usb_storage exists"));
}

TEST_CASE("kernel_module probe: an empty root gives no pass") {
  TempTree t;
  auto o = run("module: cramfs\nexpect: disabled\n", t);
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "no installed kernel under /lib/modules"));
  CHECK(contains(all_evidence(o), "cramfs is not shown to be unavailable"));
}

TEST_CASE("kernel_module probe: unreadable sources are errors") {
  auto t = debian_host();
  t.mkfifo("/etc/modprobe.d/x.conf");
  auto o = run("module: cramfs\nexpect: disabled\n", t);
  CHECK(o.status == Status::error);
  CHECK(contains(all_evidence(o), "cannot read the modprobe configuration"));
  auto m = debian_host();
  m.remove("/proc/modules");
  m.mkfifo("/proc/modules");
  auto e = run("module: cramfs\nexpect: disabled\n", m);
  CHECK(e.status == Status::error);
  CHECK(contains(all_evidence(e), "cannot read the kernel modules"));
}

TEST_CASE("kernel_module probe: sources are parsed once per scan") {
  auto t = debian_host();
  auto v = t.view();
  hb::Facts facts;
  for (auto m : {"cramfs", "hfs", "udf"})
    hb::test::run_probe(&hb::parse_kernel_module_probe,
                        std::string("module: ") + m + "\nexpect: disabled\n", *v, &facts);
  auto counts = facts.parse_counts();
  CHECK(counts["kernel.modules"] == 1);
  CHECK(counts["modprobe.config"] == 1);
}

TEST_CASE("kernel_module probe: this machine is judged without error") {
  auto v = hb::open_host_view("/");
  REQUIRE(v.ok());
  auto o = hb::test::run_probe(&hb::parse_kernel_module_probe, "module: cramfs\nexpect: disabled\n",
                               **v);
  CAPTURE(all_evidence(o));
  CHECK(o.status != Status::error);
}

TEST_CASE("kernel_module probe: parameter errors name test.yaml and the line") {
  using hb::test::parse_error;
  auto p = &hb::parse_kernel_module_probe;
  CHECK(parse_error(p, "module: cramfs\nexpect: disabled\n") == "");
  CHECK(parse_error(p, "module: cramfs\nexpect: loaded\n") ==
        "test.yaml:2:9: expect: 'loaded' is not one of: disabled");
  CHECK(contains(parse_error(p, "module: ../x\nexpect: disabled\n"),
                 "test.yaml:1:9: module: '../x' is not a kernel module name"));
  CHECK(contains(parse_error(p, "module: cramfs\n"), "missing required key 'expect'"));
  CHECK(contains(parse_error(p, "module: cramfs\nexpect: disabled\nfs: x\n"), "unknown key 'fs'"));
  CHECK(contains(parse_error(p, "module: cramfs\nexpect: disabled\nfilesystem: 'a b'\n"),
                 "is not a filesystem type name"));
}
