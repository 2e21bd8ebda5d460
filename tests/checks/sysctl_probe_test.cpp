#include "checks/sysctl_probe.hpp"

#include <doctest/doctest.h>

#include "engine/facts.hpp"
#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

using hb::Status;
using hb::test::all_evidence;
using hb::test::contains;
using hb::test::TempTree;

namespace {

// Debian 12's /etc/sysctl.conf (procps 2:4.0.2-3), abridged: every line a comment.
const char* const k_debian_sysctl_conf = R"(#
# /etc/sysctl.conf - Configuration file for setting system variables
# See /etc/sysctl.d/ for additional system variables.
# See sysctl.conf (5) for information.
#

#kernel.domainname = example.com

# Uncomment the following to stop low-level messages on console
#kernel.printk = 3 4 1 3

# Uncomment the next line to enable packet forwarding for IPv4
#net.ipv4.ip_forward=1
)";

// A Debian 12 host as installed: systemd's and procps' shipped files, the 99-sysctl.conf link,
// and a /proc/sys with the kernel's values (one line each, newline-terminated).
TempTree debian_host() {
  TempTree t;
  t.write("/usr/lib/sysctl.d/50-pid-max.conf",
          "# See sysctl.d(5) and core(5) for documentation.\n"
          "\n"
          "# Bump the numeric PID range to make PID collisions less likely.\n"
          "kernel.pid_max = 4194304\n");
  t.write("/usr/lib/sysctl.d/99-protect-links.conf",
          "###################################################################\n"
          "# Protected links\n"
          "fs.protected_fifos = 1\n"
          "fs.protected_hardlinks = 1\n"
          "fs.protected_regular = 2\n"
          "fs.protected_symlinks = 1\n");
  t.write("/etc/sysctl.conf", k_debian_sysctl_conf);
  t.symlink("../sysctl.conf", "/etc/sysctl.d/99-sysctl.conf");
  t.write("/etc/sysctl.d/README.sysctl", "Kernel system variables configuration files\n");
  t.write("/proc/sys/net/ipv4/ip_forward", "0\n");
  t.write("/proc/sys/fs/protected_regular", "2\n");
  t.write("/proc/sys/kernel/pid_max", "4194304\n");
  t.write("/proc/sys/net/ipv4/tcp_rmem", "4096\t131072\t6291456\n");
  t.write("/proc/sys/net/ipv4/conf/all/rp_filter", "1\n");
  t.write("/proc/sys/net/ipv4/conf/default/rp_filter", "1\n");
  return t;
}

hb::Outcome run(const std::string& yaml, const TempTree& t, hb::Facts* facts = nullptr) {
  auto v = t.view();
  return hb::test::run_probe(&hb::parse_sysctl_probe, yaml, *v, facts);
}

const std::string k_ip_forward = "key: net.ipv4.ip_forward\nexpect: { equals: 0 }\n";

}  // namespace

TEST_CASE("sysctl probe: running and configured values both pass") {
  auto t = debian_host();
  t.write("/etc/sysctl.d/60-net.conf", "# routing\n\n\nnet.ipv4.ip_forward = 0\n");
  auto o = run(k_ip_forward, t);
  CHECK(o.status == Status::pass);
  CHECK(all_evidence(o) ==
        "net.ipv4.ip_forward: running 0 (/proc/sys/net/ipv4/ip_forward); "
        "configured 0 at /etc/sysctl.d/60-net.conf:4\n");
}

TEST_CASE("sysctl probe: Debian's shipped configuration is read") {
  auto t = debian_host();
  auto o = run("key: fs.protected_regular\nexpect: { equals: 2 }\n", t);
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "configured 2 at /usr/lib/sysctl.d/99-protect-links.conf:5"));
}

TEST_CASE("sysctl probe: a running value that differs fails") {
  auto t = debian_host();
  t.write("/proc/sys/net/ipv4/ip_forward", "1\n");
  t.write("/etc/sysctl.d/60-net.conf", "net.ipv4.ip_forward = 0\n");
  auto o = run(k_ip_forward, t);
  CHECK(o.status == Status::fail);
  CHECK(all_evidence(o) ==
        "net.ipv4.ip_forward: running 1 (/proc/sys/net/ipv4/ip_forward); "
        "configured 0 at /etc/sysctl.d/60-net.conf:1; expected '0'\n");
}

TEST_CASE("sysctl probe: a value not configured anywhere fails") {
  auto t = debian_host();
  auto o = run(k_ip_forward, t);
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o),
                 "running 0 (/proc/sys/net/ipv4/ip_forward); not set in any "
                 "sysctl configuration file; the running value does not "
                 "survive a reboot"));
}

TEST_CASE("sysctl probe: a configured value that differs fails") {
  auto t = debian_host();
  t.write("/etc/sysctl.d/60-net.conf", "net.ipv4.ip_forward=1\n");
  auto o = run(k_ip_forward, t);
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "configured 1 at /etc/sysctl.d/60-net.conf:1; expected '0'"));
}

TEST_CASE("sysctl probe: a file in /etc masks the same name in /usr/lib") {
  auto t = debian_host();
  t.write("/etc/sysctl.d/99-protect-links.conf", "fs.protected_regular = 0\n");
  auto o = run("key: fs.protected_regular\nexpect: { equals: 2 }\n", t);
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "configured 0 at /etc/sysctl.d/99-protect-links.conf:1"));
  // A symlink to /dev/null masks it without setting anything.
  t.remove("/etc/sysctl.d/99-protect-links.conf");
  t.symlink("/dev/null", "/etc/sysctl.d/99-protect-links.conf");
  auto masked = run("key: fs.protected_regular\nexpect: { equals: 2 }\n", t);
  CHECK(masked.status == Status::fail);
  CHECK(contains(all_evidence(masked), "not set in any sysctl configuration file"));
}

TEST_CASE("sysctl probe: files apply sorted by name across directories") {
  auto t = debian_host();
  t.write("/etc/sysctl.d/10-early.conf", "net.ipv4.ip_forward = 0\n");
  t.write("/usr/lib/sysctl.d/50-router.conf", "net.ipv4.ip_forward = 1\n");
  auto o = run(k_ip_forward, t);
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "configured 1 at /usr/lib/sysctl.d/50-router.conf:1"));
  t.write("/run/sysctl.d/70-runtime.conf", "net.ipv4.ip_forward = 0\n");
  auto later = run(k_ip_forward, t);
  CHECK(later.status == Status::pass);
  CHECK(contains(all_evidence(later), "configured 0 at /run/sysctl.d/70-runtime.conf:1"));
}

TEST_CASE("sysctl probe: /etc/sysctl.conf applies last, counted once through 99-sysctl.conf") {
  auto t = debian_host();
  t.write("/etc/sysctl.conf", std::string(k_debian_sysctl_conf) + "net.ipv4.ip_forward=0\n");
  t.write("/etc/sysctl.d/zz-router.conf", "net.ipv4.ip_forward = 1\n");
  hb::Facts facts;
  auto o = run(k_ip_forward, t, &facts);
  CHECK(o.status == Status::pass);
  CHECK(all_evidence(o) ==
        "net.ipv4.ip_forward: running 0 (/proc/sys/net/ipv4/ip_forward); "
        "configured 0 at /etc/sysctl.conf:14\n");
  CHECK_FALSE(contains(all_evidence(o), "99-sysctl.conf"));
}

TEST_CASE("sysctl probe: a glob key in the configuration applies") {
  auto t = debian_host();
  t.write("/etc/sysctl.d/60-rp.conf", "net.ipv4.conf.*.rp_filter = 1\n");
  auto o = run("key: net.ipv4.conf.all.rp_filter\nexpect: { equals: 1 }\n", t);
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o),
                 "configured 1 at /etc/sysctl.d/60-rp.conf:1 (by net/ipv4/conf/*/rp_filter)"));
  // An explicit assignment wins over the glob wherever it is.
  t.write("/etc/sysctl.d/10-all.conf", "net.ipv4.conf.all.rp_filter = 0\n");
  auto explicit_wins = run("key: net.ipv4.conf.all.rp_filter\nexpect: { equals: 1 }\n", t);
  CHECK(explicit_wins.status == Status::fail);
  CHECK(contains(all_evidence(explicit_wins), "configured 0 at /etc/sysctl.d/10-all.conf:1"));
}

TEST_CASE("sysctl probe: slash-separated keys in profile and configuration") {
  auto t = debian_host();
  t.write("/etc/sysctl.d/60-net.conf", "-net/ipv4/ip_forward = 0\n");
  auto o = run("key: net/ipv4/ip_forward\nexpect: { equals: 0 }\n", t);
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "running 0 (/proc/sys/net/ipv4/ip_forward)"));
  CHECK(contains(all_evidence(o), "configured 0 at /etc/sysctl.d/60-net.conf:1"));
}

TEST_CASE("sysctl probe: no /proc/sys in the root judges the configured value alone") {
  auto t = debian_host();
  t.remove("/proc/sys");
  t.write("/etc/sysctl.d/60-net.conf", "net.ipv4.ip_forward = 0\n");
  auto o = run(k_ip_forward, t);
  CHECK(o.status == Status::pass);
  CHECK(all_evidence(o) ==
        "net.ipv4.ip_forward: running value not observable (no /proc/sys in root); "
        "configured 0 at /etc/sysctl.d/60-net.conf:1\n");
  t.write("/etc/sysctl.d/60-net.conf", "net.ipv4.ip_forward = 1\n");
  CHECK(run(k_ip_forward, t).status == Status::fail);
  auto running_only = run(k_ip_forward + "scope: running\n", t);
  CHECK(running_only.status == Status::error);
  CHECK(contains(all_evidence(running_only), "no /proc/sys in root"));
}

TEST_CASE("sysctl probe: a parameter the kernel lacks is not applicable") {
  auto t = debian_host();
  t.write("/etc/sysctl.d/60-ipv6.conf", "net.ipv6.conf.all.forwarding = 0\n");
  auto o = run("key: net.ipv6.conf.all.forwarding\nexpect: { equals: 0 }\n", t);
  CHECK(o.status == Status::notapplicable);
  CHECK(contains(all_evidence(o), "/proc/sys/net/ipv6/conf/all/forwarding does not exist"));
}

TEST_CASE("sysctl probe: scope running ignores the configuration, configured the kernel") {
  auto t = debian_host();
  t.write("/etc/sysctl.d/60-net.conf", "net.ipv4.ip_forward = 1\n");
  auto running = run(k_ip_forward + "scope: running\n", t);
  CHECK(running.status == Status::pass);
  CHECK(all_evidence(running) ==
        "net.ipv4.ip_forward: running 0 (/proc/sys/net/ipv4/ip_forward)\n");
  auto configured = run(k_ip_forward + "scope: configured\n", t);
  CHECK(configured.status == Status::fail);
  CHECK(all_evidence(configured) ==
        "net.ipv4.ip_forward: configured 1 at /etc/sysctl.d/60-net.conf:1; expected '0'\n");
  t.remove("/etc/sysctl.d/60-net.conf");
  auto unset = run(k_ip_forward + "scope: configured\n", t);
  CHECK(unset.status == Status::fail);
  CHECK(contains(all_evidence(unset), "not set in any sysctl configuration file"));
}

TEST_CASE("sysctl probe: multi-field values compare with blanks normalised") {
  auto t = debian_host();
  t.write("/etc/sysctl.d/60-tcp.conf", "net.ipv4.tcp_rmem = 4096   131072\t6291456\n");
  auto o = run("key: net.ipv4.tcp_rmem\nexpect: { equals: \"4096 131072 6291456\" }\n", t);
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "running 4096 131072 6291456 (/proc/sys/net/ipv4/tcp_rmem)"));
  auto other = run("key: net.ipv4.tcp_rmem\nexpect: { equals: \"4096 87380 6291456\" }\n", t);
  CHECK(other.status == Status::fail);
}

TEST_CASE("sysctl probe: an unreadable source is an error, never a verdict") {
  auto t = debian_host();
  t.remove("/proc/sys/net/ipv4/ip_forward");
  t.mkfifo("/proc/sys/net/ipv4/ip_forward");
  t.write("/etc/sysctl.d/60-net.conf", "net.ipv4.ip_forward = 0\n");
  auto fifo = run(k_ip_forward, t);
  CHECK(fifo.status == Status::error);
  CHECK(contains(all_evidence(fifo), "running value unreadable"));

  auto c = debian_host();
  c.write("/etc/sysctl.d/60-net.conf", std::string(5000, '#') + "\n");
  auto v = c.view(4096);
  auto big = hb::test::run_probe(&hb::parse_sysctl_probe, k_ip_forward + "scope: configured\n", *v);
  CHECK(big.status == Status::error);
  CHECK(contains(all_evidence(big), "cannot read the sysctl configuration"));
}

TEST_CASE("sysctl probe: the configuration is parsed once per scan") {
  auto t = debian_host();
  t.write("/etc/sysctl.d/60-net.conf", "net.ipv4.ip_forward = 0\n");
  hb::Facts facts;
  CHECK(run(k_ip_forward, t, &facts).status == Status::pass);
  CHECK(run("key: kernel.pid_max\nexpect: { ge: 4194304 }\n", t, &facts).status == Status::pass);
  auto counts = facts.parse_counts();
  CHECK(counts.size() == 1);
  CHECK(counts["sysctl.config"] == 1);
}

TEST_CASE("sysctl probe: parameter errors name test.yaml and the line") {
  using hb::test::parse_error;
  auto p = &hb::parse_sysctl_probe;
  CHECK(parse_error(p, "key: net.ipv4.ip_forward\nexpect: { equals: 0 }\nscope: boot\n") ==
        "test.yaml:3:8: scope: 'boot' is not one of: both, running, configured");
  CHECK(contains(parse_error(p, "key: net.ipv4.conf.*.rp_filter\nexpect: { equals: 1 }\n"),
                 "test.yaml:1:6: key: 'net.ipv4.conf.*.rp_filter' is a glob"));
  CHECK(contains(parse_error(p, "key: net/../../etc\nexpect: { equals: 1 }\n"),
                 "test.yaml:1:6: key:"));
  CHECK(contains(parse_error(p, "key: net.ipv4.ip_forward\n"), "missing required key 'expect'"));
  CHECK(contains(parse_error(p, "key: a\nexpect: { equals: 1 }\npath: /x\n"),
                 "test.yaml:3:1: unknown key 'path'"));
  CHECK(parse_error(p, k_ip_forward + "scope: configured\n") == "");
}
