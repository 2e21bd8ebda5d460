#include "checks/mac_probe.hpp"

#include <doctest/doctest.h>

#include <filesystem>

#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

using hb::Status;
using hb::test::all_evidence;
using hb::test::contains;
using hb::test::TempTree;

namespace {

// A Debian 12 kernel with AppArmor on: the module's parameter and a few of the shipped profiles.
TempTree apparmor_host(const std::string& enabled, const std::string& profiles) {
  TempTree t;
  t.write("/sys/module/apparmor/parameters/enabled", enabled + "\n");
  t.write("/sys/kernel/security/apparmor/profiles", profiles);
  return t;
}

const std::string k_debian_profiles =
    "nvidia_modprobe (enforce)\n"
    "nvidia_modprobe//kmod (enforce)\n"
    "lsb_release (enforce)\n"
    "/usr/sbin/chronyd (enforce)\n"
    "/usr/bin/man (enforce)\n"
    "man_filter (enforce)\n"
    "man_groff (enforce)\n";

TempTree selinux_host(const std::string& enforce, const std::string& config) {
  TempTree t;
  t.write("/sys/fs/selinux/enforce", enforce);
  t.mkdir("/sys/kernel");
  if (!config.empty()) t.write("/etc/selinux/config", config);
  return t;
}

hb::Outcome run(const std::string& yaml, const TempTree& t) {
  auto v = t.view();
  return hb::test::run_probe(&hb::parse_mac_probe, yaml, *v);
}

}  // namespace

TEST_CASE("mac probe: AppArmor enabled with enforced profiles passes") {
  auto t = apparmor_host("Y", k_debian_profiles + "/usr/bin/foo (complain)\n");
  auto o = run("framework: apparmor\n", t);
  CHECK(o.status == Status::pass);
  CHECK(all_evidence(o) ==
        "AppArmor: /sys/module/apparmor/parameters/enabled = Y; 8 profiles: 1 complain, "
        "7 enforce (/sys/kernel/security/apparmor/profiles)\n");
}

TEST_CASE("mac probe: AppArmor with every profile in complain mode fails") {
  auto t = apparmor_host("Y", "/usr/sbin/chronyd (complain)\nlsb_release (complain)\n");
  auto o = run("framework: apparmor\n", t);
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "2 profiles: 2 complain"));
  CHECK(contains(all_evidence(o), "no profile in enforce mode"));
  auto none = apparmor_host("Y", "");
  CHECK(run("framework: apparmor\n", none).status == Status::fail);
}

TEST_CASE("mac probe: AppArmor disabled at boot fails") {
  TempTree t;
  t.write("/sys/module/apparmor/parameters/enabled", "N\n");
  auto o = run("framework: apparmor\n", t);
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "enabled = N: disabled"));
}

TEST_CASE("mac probe: AppArmor absent from the kernel is notapplicable") {
  TempTree t;
  t.mkdir("/sys/module/ext4");
  t.mkdir("/sys/kernel");
  auto o = run("framework: apparmor\n", t);
  CHECK(o.status == Status::notapplicable);
  CHECK(all_evidence(o) == "AppArmor: not in the running kernel (no /sys/module/apparmor)\n");
}

TEST_CASE("mac probe: AppArmor enabled but profiles unreadable is an error") {
  TempTree t;
  t.write("/sys/module/apparmor/parameters/enabled", "Y\n");
  auto o = run("framework: apparmor\n", t);
  CHECK(o.status == Status::error);
  CHECK(contains(all_evidence(o), "is securityfs mounted on /sys/kernel/security?"));
  TempTree odd;
  odd.write("/sys/module/apparmor/parameters/enabled", "maybe\n");
  CHECK(run("framework: apparmor\n", odd).status == Status::error);
}

TEST_CASE("mac probe: SELinux enforcing and configured enforcing passes") {
  auto t = selinux_host("1", "# comment\nSELINUX=enforcing\nSELINUXTYPE=default\n");
  auto o = run("framework: selinux\n", t);
  CHECK(o.status == Status::pass);
  CHECK(all_evidence(o) ==
        "SELinux: running enforcing (/sys/fs/selinux/enforce = 1); configured "
        "SELINUX=enforcing (/etc/selinux/config:2)\n");
}

TEST_CASE("mac probe: SELinux permissive now, or not enforcing at next boot, fails") {
  auto running = selinux_host("0", "SELINUX=enforcing\n");
  auto o = run("framework: selinux\n", running);
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "running permissive (/sys/fs/selinux/enforce = 0)"));
  auto configured = selinux_host("1", "SELINUX=permissive\n");
  auto c = run("framework: selinux\n", configured);
  CHECK(c.status == Status::fail);
  CHECK(contains(all_evidence(c),
                 "configured SELINUX=permissive (/etc/selinux/config:1): the "
                 "next boot is not enforcing"));
  auto missing = selinux_host("1", "");
  auto m = run("framework: selinux\n", missing);
  CHECK(m.status == Status::fail);
  CHECK(contains(all_evidence(m), "not configured: no /etc/selinux/config"));
}

TEST_CASE("mac probe: SELinux absent is notapplicable, unreadable enforce is an error") {
  TempTree t;
  t.mkdir("/sys/kernel");
  auto o = run("framework: selinux\n", t);
  CHECK(o.status == Status::notapplicable);
  CHECK(all_evidence(o) == "SELinux: not in the running kernel (no /sys/fs/selinux)\n");
  TempTree offline;
  auto off = run("framework: selinux\n", offline);
  CHECK(off.status == Status::notapplicable);
  CHECK(all_evidence(off) ==
        "SELinux: no running kernel to observe (no /sys/kernel in the root)\n");
  TempTree bad;
  bad.mkdir("/sys/fs/selinux");
  CHECK(run("framework: selinux\n", bad).status == Status::error);
  auto junk = selinux_host("2", "SELINUX=enforcing\n");
  CHECK(run("framework: selinux\n", junk).status == Status::error);
}

TEST_CASE("mac probe: any passes on either framework and fails on neither") {
  auto aa = apparmor_host("Y", k_debian_profiles);
  CHECK(run("framework: any\n", aa).status == Status::pass);
  auto se = selinux_host("1", "SELINUX=enforcing\n");
  auto s = run("{}\n", se);  // any is the default
  CHECK(s.status == Status::pass);
  CHECK(contains(all_evidence(s), "AppArmor: not in the running kernel"));
  TempTree neither;
  neither.mkdir("/sys/kernel");
  auto n = run("framework: any\n", neither);
  CHECK(n.status == Status::fail);
  CHECK(contains(all_evidence(n), "neither SELinux nor AppArmor enforces a policy on this host"));
  auto complain = apparmor_host("Y", "x (complain)\n");
  CHECK(run("framework: any\n", complain).status == Status::fail);
}

TEST_CASE("mac probe: any on a root without /sys/kernel is notapplicable, never a pass") {
  TempTree empty;
  auto o = run("framework: any\n", empty);
  CHECK(o.status == Status::notapplicable);
  CHECK(all_evidence(o) ==
        "no running kernel to observe: no /sys/kernel in the root (an offline image)\n");
  auto broken = selinux_host("x", "SELINUX=enforcing\n");
  CHECK(run("framework: any\n", broken).status == Status::error);
}

TEST_CASE("mac probe: this machine's kernel is observed without error") {
  auto v = hb::open_host_view("/");
  REQUIRE(v.ok());
  auto any = hb::test::run_probe(&hb::parse_mac_probe, "framework: any\n", **v);
  auto aa = hb::test::run_probe(&hb::parse_mac_probe, "framework: apparmor\n", **v);
  auto se = hb::test::run_probe(&hb::parse_mac_probe, "framework: selinux\n", **v);
  CHECK(any.status != Status::notapplicable);
  if (!std::filesystem::exists("/sys/module/apparmor") &&
      !std::filesystem::exists("/sys/fs/selinux")) {
    // FACTS.md: the build machines have neither.
    CHECK(any.status == Status::fail);
    CHECK(aa.status == Status::notapplicable);
    CHECK(se.status == Status::notapplicable);
  } else {
    CHECK(any.status != Status::error);
  }
}

TEST_CASE("mac probe: parameter errors name test.yaml and the line") {
  using hb::test::parse_error;
  auto p = &hb::parse_mac_probe;
  CHECK(parse_error(p, "framework: apparmor\n") == "");
  CHECK(parse_error(p, "framework: smack\n") ==
        "test.yaml:1:12: framework: 'smack' is not one of: selinux, apparmor, any");
  CHECK(contains(parse_error(p, "framework: any\nmode: enforce\n"), "unknown key 'mode'"));
}
