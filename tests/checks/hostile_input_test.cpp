// Regressions from tests/integration/hostile_roots_test.sh, one per finding, at the unit level:
// what a hostile root's files made the parsers conclude before they were fixed.
#include <doctest/doctest.h>

#include <string>

#include "checks/accounts_probe.hpp"
#include "checks/module_inventory.hpp"
#include "checks/proc_net.hpp"
#include "engine/accounts.hpp"
#include "engine/facts.hpp"
#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

namespace {

const std::string k_garbage = std::string("\x7f" "ELF\x02\x01\x01\0\0\0garbage{[:=\n", 23) +
                              std::string(5000, 'A') + "\n\xff\xfe\x01\x02 : : :\n";

std::string tcp_line(int slot, int port) {
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "%4d: 0100007F:%04X 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0"
                "        0 %d 1 0000000000000000 100 0 0 10 0\n",
                slot, port, 1000 + slot);
  return buf;
}

}  // namespace

TEST_CASE("hostile input: a passwd, group or shadow without one valid line is an error, not a pass") {
  hb::test::TempTree t;
  t.write("/etc/passwd", k_garbage);
  t.write("/etc/group", k_garbage);
  t.write("/etc/shadow", k_garbage, 0640);
  auto v = t.view();
  for (const char* check : {"uid0_only_root", "shadowed_passwords", "no_duplicate_uids",
                            "no_duplicate_gids", "no_empty_passwords", "password_max_days"}) {
    CAPTURE(check);
    std::string yaml = std::string("check: ") + check;
    if (std::string(check) == "password_max_days") yaml += "\nmax: 365";
    auto o = hb::test::run_probe(&hb::parse_accounts_probe, yaml, *v);
    CHECK(o.status == hb::Status::error);
    CHECK(hb::test::contains(hb::test::all_evidence(o), "no valid"));
  }
  // The engine's accounts say so too: every file would be "unowned" otherwise.
  hb::Facts facts;
  auto accounts = hb::load_accounts(*v, facts);
  CHECK_FALSE(accounts->have_passwd);
  CHECK_FALSE(accounts->have_group);
}

TEST_CASE("hostile input: a /proc/modules or modules.dep in no kernel format is an error") {
  hb::test::TempTree t;
  t.write("/proc/modules", k_garbage);
  auto bad_proc = hb::load_module_inventory(*t.view());
  REQUIRE_FALSE(bad_proc.ok());
  CHECK(bad_proc.message().find("/proc/modules:1: not a line of /proc/modules") == 0);
  t.write("/proc/modules", "ext4 1019904 1 - Live 0x0000000000000000\n");
  t.write("/lib/modules/6.1.0-28-amd64/modules.dep", "kernel/fs/ext4/ext4.ko: kernel/lib/crc16.ko\n" + k_garbage);
  auto bad_dep = hb::load_module_inventory(*t.view());
  REQUIRE_FALSE(bad_dep.ok());
  CHECK(bad_dep.message().find("/lib/modules/6.1.0-28-amd64/modules.dep:2: not a kernel module path") == 0);
  t.write("/lib/modules/6.1.0-28-amd64/modules.dep", "kernel/fs/ext4/ext4.ko: kernel/lib/crc16.ko\n\n");
  auto good = hb::load_module_inventory(*t.view());
  REQUIRE(good.ok());
  CHECK(good->running.loaded.count("ext4") == 1);
  REQUIRE(good->kernels.size() == 1);
  CHECK(good->kernels[0].modules.count("ext4") == 1);
}

TEST_CASE("hostile input: /proc/net files are parsed in pieces, line numbers intact across them") {
  hb::test::TempTree t;
  // 20,000 lines (3 MB): several read pieces, a line cut at each boundary.
  std::string tcp = "  sl  local_address rem_address   st tx_queue rx_queue\n";
  for (int i = 0; i < 20000; ++i) tcp += tcp_line(i, 1024 + i % 50000);
  t.write("/proc/net/tcp", tcp);
  auto all = hb::load_proc_net(*t.view());
  REQUIRE(all.ok());
  REQUIRE(all->sockets.size() == 20000);
  CHECK(all->sockets.back().line == 20001);
  CHECK(all->sockets.back().local_port == 1024 + 19999);
  // A bad line deep in the file is named by its own number.
  t.write("/proc/net/tcp", tcp + "garbage\n");
  auto bad = hb::load_proc_net(*t.view());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.message() == "/proc/net/tcp:20002: expected at least 10 fields");
  // A single line longer than a piece (1 MiB) is refused, not buffered without end.
  t.write("/proc/net/tcp", std::string(3 << 20, 'x'));
  auto longline = hb::load_proc_net(*t.view());
  REQUIRE_FALSE(longline.ok());
  CHECK(longline.message().find("a line longer than") != std::string::npos);
}
