#include "engine/host_info.hpp"

#include <doctest/doctest.h>

#include "engine/host_view.hpp"
#include "tests/support/temp_tree.hpp"

TEST_CASE("host info: os-release PRETTY_NAME, unquoted, with a fallback to NAME VERSION_ID") {
  CHECK(hb::os_pretty_name("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n") ==
        "Debian GNU/Linux 12 (bookworm)");
  CHECK(hb::os_pretty_name("NAME='Alpine Linux'\nVERSION_ID=3.19.1\n") == "Alpine Linux 3.19.1");
  CHECK(hb::os_pretty_name("# nothing\n") == "Linux");
  CHECK(hb::os_pretty_name("PRETTY_NAME=\"evil\x1b[2J\"\n") == "evil\\x1b[2J");
}

TEST_CASE("host info: an offline root reports its own hostname and OS, never the scanner's") {
  hb::test::TempTree t;
  t.write("/etc/hostname", "image-host\n");
  t.write("/usr/lib/os-release", "PRETTY_NAME=\"Debian GNU/Linux 11 (bullseye)\"\n");
  auto info = hb::read_host_info(*t.view());
  CHECK(info.hostname == "image-host");
  CHECK(info.os == "Debian GNU/Linux 11 (bullseye)");
  CHECK(info.kernel == "unknown (offline root)");
  hb::test::TempTree empty;
  auto none = hb::read_host_info(*empty.view());
  CHECK(none.hostname == "unknown");
  CHECK(none.os == "unknown");
}

TEST_CASE("host info: the live host has a kernel release and a user") {
  auto v = hb::open_host_view("/");
  REQUIRE(v.ok());
  auto info = hb::read_host_info(**v);
  CHECK_FALSE(info.kernel.empty());
  CHECK(info.kernel != "unknown");
  CHECK(hb::current_user().find('(') != std::string::npos);
}

TEST_CASE("host info: container-optimised OSes are recognised from os-release") {
  CHECK(hb::is_container_optimized_os("ID=flatcar\nNAME=\"Flatcar Container Linux by Kinvolk\"\n"));
  CHECK(hb::is_container_optimized_os("ID=fedora\nVARIANT_ID=coreos\n"));
  CHECK(hb::is_container_optimized_os("ID=bottlerocket\n"));
  CHECK_FALSE(hb::is_container_optimized_os("ID=debian\nVERSION_ID=\"12\"\n"));
}

TEST_CASE("host info: virtualisation is unknown offline and named on this machine") {
  hb::test::TempTree t;
  t.write("/.dockerenv", "");
  t.write("/sys/class/dmi/id/sys_vendor", "QEMU\n");
  CHECK(hb::detect_virtualization(*t.view()) == "unknown (offline root)");
  auto live = hb::open_host_view("/");
  REQUIRE(live.ok());
  auto v = hb::detect_virtualization(**live);
  CHECK_FALSE(v.empty());
  // This machine is a Firecracker VM with a /.dockerenv: that file alone must not make it a
  // container (FACTS.md), and its cpuinfo carries the hypervisor flag.
  bool flagged = false;
  if (auto cpu = (*live)->read_file("/proc/cpuinfo", 4 << 20))
    flagged = cpu->find(" hypervisor") != std::string::npos;
  if (flagged && !(*live)->exists("/run/.containerenv")) CHECK(v.rfind("container", 0) != 0);
}

TEST_CASE("host info: local addresses from fib_trie and if_inet6, without loopback or link-local") {
  const std::string fib =
      "Main:\n  +-- 0.0.0.0/0 3 0 5\n     |-- 127.0.0.1\n        /32 host LOCAL\n"
      "     |-- 192.0.2.2\n        /32 host LOCAL\n     |-- 192.0.2.255\n        /32 link BROADCAST\n"
      "Local:\n     |-- 192.0.2.2\n        /32 host LOCAL\n";
  const std::string v6 =
      "fe8000000000000000fc00fffe000001 04 40 20 80     eth0\n"
      "fd000000000000000000000000000002 04 40 00 82     eth0\n"
      "00000000000000000000000000000001 01 80 10 80       lo\n";
  auto a = hb::parse_local_addresses(fib, v6);
  REQUIRE(a.size() == 2);
  CHECK(a[0] == "192.0.2.2");
  CHECK(a[1] == "fd00:0:0:0:0:0:0:2");
}
