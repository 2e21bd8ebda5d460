#include "checks/sysctl_config.hpp"

#include <doctest/doctest.h>

#include "tests/support/temp_tree.hpp"

using hb::test::TempTree;

TEST_CASE("sysctl config: keys normalise as systemd's sysctl_normalize") {
  CHECK(hb::sysctl_normalize("net.ipv4.ip_forward") == "net/ipv4/ip_forward");
  CHECK(hb::sysctl_normalize("net/ipv4/ip_forward") == "net/ipv4/ip_forward");
  CHECK(hb::sysctl_normalize("/net//ipv4/./ip_forward/") == "net/ipv4/ip_forward");
  // A VLAN interface name holds a dot: written with '/' after a dotted prefix it swaps.
  CHECK(hb::sysctl_normalize("net.ipv4.conf.eth0/100.rp_filter") ==
        "net/ipv4/conf/eth0.100/rp_filter");
  CHECK(hb::sysctl_normalize("net/ipv4/conf/eth0.100/rp_filter") ==
        "net/ipv4/conf/eth0.100/rp_filter");
  CHECK(hb::sysctl_normalize("net.ipv4.conf.*.rp_filter") == "net/ipv4/conf/*/rp_filter");
}

TEST_CASE("sysctl config: line syntax, comments and the '-' prefix") {
  auto lines = hb::parse_sysctl_text(
      "# comment\n"
      "; comment\n"
      "\n"
      "kernel.pid_max = 4194304\n"
      "  net.ipv4.tcp_rmem=4096 131072\t6291456  \n"
      "-net.ipv6.conf.all.forwarding = 0\n"
      "-net.ipv4.conf.lo.rp_filter\n"
      "not an assignment\n"
      "= 1\n"
      "kernel.domainname =\n");
  REQUIRE(lines.size() == 5);
  CHECK(lines[0].line == 4);
  CHECK(lines[0].key == "kernel/pid_max");
  CHECK(lines[0].value == "4194304");
  CHECK_FALSE(lines[0].ignore_failure);
  CHECK(lines[1].value == "4096 131072\t6291456");
  CHECK(lines[2].key == "net/ipv6/conf/all/forwarding");
  CHECK(lines[2].ignore_failure);
  CHECK(lines[3].key == "net/ipv4/conf/lo/rp_filter");
  CHECK_FALSE(lines[3].value.has_value());
  CHECK(lines[4].key == "kernel/domainname");
  CHECK(lines[4].value == "");
}

TEST_CASE("sysctl config: explicit keys beat globs, later globs beat earlier ones") {
  auto cfg = hb::build_sysctl_config({
      {"/etc/sysctl.d/10-a.conf",
       hb::parse_sysctl_text("net.ipv4.conf.eth0.rp_filter = 2\nnet.ipv4.conf.*.rp_filter = 1\n")},
      {"/etc/sysctl.d/20-b.conf",
       hb::parse_sysctl_text("net.ipv4.conf.all.rp_filter = 0\n-net.ipv4.conf.lo.rp_filter\n")},
      {"/etc/sysctl.d/30-c.conf", hb::parse_sysctl_text("net/ipv4/conf/*/rp_filter = 1\n"
                                                        "net.ipv4.conf.e*.rp_filter = 0\n")},
  });
  auto all = hb::find_sysctl(cfg, "net/ipv4/conf/all/rp_filter");
  REQUIRE(all);
  CHECK(*all->value == "0");  // explicit, although a glob comes later
  CHECK(all->file == "/etc/sysctl.d/20-b.conf");
  auto eth0 = hb::find_sysctl(cfg, "net/ipv4/conf/eth0/rp_filter");
  REQUIRE(eth0);
  CHECK(*eth0->value == "2");
  auto eth1 = hb::find_sysctl(cfg, "net/ipv4/conf/eth1/rp_filter");
  REQUIRE(eth1);
  CHECK(*eth1->value == "0");
  CHECK(eth1->glob);
  CHECK(eth1->line == 2);
  // The same glob with the same value keeps its first place and location.
  auto def = hb::find_sysctl(cfg, "net/ipv4/conf/default/rp_filter");
  REQUIRE(def);
  CHECK(def->file == "/etc/sysctl.d/10-a.conf");
  CHECK_FALSE(hb::find_sysctl(cfg, "net/ipv4/conf/lo/rp_filter"));  // excluded by "-key"
  CHECK_FALSE(hb::find_sysctl(cfg, "net/ipv4/conf/all/rp_filter/x"));
}

TEST_CASE("sysctl config: a re-assignment with a new value moves to the end") {
  auto cfg = hb::build_sysctl_config({
      {"/a.conf", hb::parse_sysctl_text("net.ipv4.conf.*.x = 1\nnet.ipv4.conf.a*.x = 2\n")},
      {"/b.conf", hb::parse_sysctl_text("net.ipv4.conf.*.x = 3\n")},
  });
  auto r = hb::find_sysctl(cfg, "net/ipv4/conf/all/x");
  REQUIRE(r);
  CHECK(*r->value == "3");
  REQUIRE(cfg.options.size() == 2);
  CHECK(cfg.options.back().file == "/b.conf");
}

TEST_CASE("sysctl config: files from all directories, masked, sorted, sysctl.conf last") {
  TempTree t;
  t.write("/usr/lib/sysctl.d/50-pid-max.conf", "kernel.pid_max = 4194304\n");
  t.write("/usr/lib/sysctl.d/50-default.conf", "kernel.sysrq = 16\n");
  t.write("/usr/lib/sysctl.d/10-masked.conf", "kernel.kptr_restrict = 0\n");
  t.write("/lib/sysctl.d/50-default.conf", "kernel.sysrq = 1\n");
  t.write("/run/sysctl.d/40-run.conf", "vm.swappiness = 10\n");
  t.write("/usr/local/lib/sysctl.d/45-local.conf", "vm.swappiness = 20\n");
  t.write("/etc/sysctl.d/README.sysctl", "kernel.sysrq = 0\n");
  t.symlink("/dev/null", "/etc/sysctl.d/10-masked.conf");
  t.symlink("../sysctl.conf", "/etc/sysctl.d/99-sysctl.conf");
  t.write("/etc/sysctl.conf", "#kernel.domainname = example.com\nvm.swappiness = 30\n");
  t.symlink("/nowhere.conf", "/etc/sysctl.d/60-dangling.conf");
  auto v = t.view();
  auto cfg = hb::load_sysctl_config(*v);
  REQUIRE(cfg.ok());
  const std::vector<std::string> want = {
      "/run/sysctl.d/40-run.conf", "/usr/local/lib/sysctl.d/45-local.conf",
      "/usr/lib/sysctl.d/50-default.conf", "/usr/lib/sysctl.d/50-pid-max.conf", "/etc/sysctl.conf"};
  CHECK(cfg->files == want);
  CHECK_FALSE(hb::find_sysctl(*cfg, "kernel/kptr_restrict"));
  auto sysrq = hb::find_sysctl(*cfg, "kernel/sysrq");
  REQUIRE(sysrq);
  CHECK(*sysrq->value == "16");
  auto swap = hb::find_sysctl(*cfg, "vm/swappiness");
  REQUIRE(swap);
  CHECK(*swap->value == "30");
  CHECK(swap->file == "/etc/sysctl.conf");
  CHECK(swap->line == 2);
}

TEST_CASE("sysctl config: an empty root has no configuration, an unreadable file is an error") {
  TempTree t;
  auto v = t.view();
  auto empty = hb::load_sysctl_config(*v);
  REQUIRE(empty.ok());
  CHECK(empty->files.empty());
  CHECK(empty->options.empty());
  t.mkdir("/etc/sysctl.d/odd.conf");
  auto dir = hb::load_sysctl_config(*v);
  REQUIRE_FALSE(dir.ok());
  CHECK(dir.message().find("/etc/sysctl.d/odd.conf") != std::string::npos);
}
