#include "checks/service_probe.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "engine/facts.hpp"
#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

using hb::Status;
using hb::test::all_evidence;
using hb::test::contains;
using hb::test::TempTree;

namespace {

const char* const k_cron_service =
    "[Unit]\n"
    "Description=Regular background program processing daemon\n"
    "Documentation=man:cron(8)\n"
    "After=remote-fs.target nss-user-lookup.target\n"
    "\n"
    "[Service]\n"
    "EnvironmentFile=-/etc/default/cron\n"
    "ExecStart=/usr/sbin/cron -f $EXTRA_OPTS\n"
    "IgnoreSIGPIPE=false\n"
    "KillMode=process\n"
    "Restart=on-failure\n"
    "\n"
    "[Install]\n"
    "WantedBy=multi-user.target\n";

// A merged-/usr Debian 12 host: units in /usr/lib/systemd/system, /lib a link to usr/lib, and
// `systemctl enable` links in /etc/systemd/system pointing at /lib/systemd/system/....
TempTree debian_host() {
  TempTree t;
  t.symlink("usr/lib", "/lib");
  t.write("/usr/lib/systemd/system/cron.service", k_cron_service);
  t.write("/usr/lib/systemd/system/systemd-timesyncd.service", "[Unit]\nDescription=Network Time Synchronization\n");
  t.write("/usr/lib/systemd/system/avahi-daemon.service", "[Unit]\nDescription=Avahi mDNS/DNS-SD Stack\n");
  t.write("/usr/lib/systemd/system/avahi-daemon.socket", "[Unit]\nDescription=Avahi Socket\n");
  t.write("/usr/lib/systemd/system/getty@.service", "[Unit]\nDescription=Getty on %I\n");
  t.write("/usr/lib/systemd/system/systemd-journald.socket", "[Unit]\nDescription=Journal Socket\n");
  t.symlink("../systemd-journald.socket",
            "/usr/lib/systemd/system/sockets.target.wants/systemd-journald.socket");
  t.symlink("/lib/systemd/system/cron.service",
            "/etc/systemd/system/multi-user.target.wants/cron.service");
  t.symlink("/lib/systemd/system/getty@.service",
            "/etc/systemd/system/getty.target.wants/getty@tty1.service");
  return t;
}

hb::Outcome run(const std::string& yaml, const TempTree& t, hb::Facts* facts = nullptr) {
  auto v = t.view();
  return hb::test::run_probe(&hb::parse_service_probe, yaml, *v, facts);
}

}  // namespace

TEST_CASE("service probe: a unit linked from multi-user.target.wants is enabled") {
  auto t = debian_host();
  auto o = run("unit: cron.service\nexpect: { enabled: true }\n", t);
  CHECK(o.status == Status::pass);
  CHECK(all_evidence(o) ==
        "cron.service: enabled by /etc/systemd/system/multi-user.target.wants/cron.service -> "
        "/lib/systemd/system/cron.service (unit file /usr/lib/systemd/system/cron.service)\n");
  auto off = run("unit: cron.service\nexpect: { enabled: false }\n", t);
  CHECK(off.status == Status::fail);
  REQUIRE(off.objects.size() == 1);
  CHECK(off.objects[0].id == "cron.service");
  CHECK(off.objects[0].evidence[0] ==
        "cron.service: enabled by /etc/systemd/system/multi-user.target.wants/cron.service -> "
        "/lib/systemd/system/cron.service (unit file /usr/lib/systemd/system/cron.service); "
        "expected not enabled");
}

TEST_CASE("service probe: an installed unit without links is not enabled") {
  auto t = debian_host();
  auto o = run("unit: avahi-daemon.service\nexpect: { enabled: false }\n", t);
  CHECK(o.status == Status::pass);
  CHECK(all_evidence(o) ==
        "avahi-daemon.service: not enabled (unit file /usr/lib/systemd/system/avahi-daemon.service; "
        "no link in any *.wants/ or *.requires/ directory)\n");
  CHECK(run("unit: avahi-daemon.service\nexpect: { enabled: true }\n", t).status == Status::fail);
}

TEST_CASE("service probe: a unit that is not installed passes enabled: false, fails enabled: true") {
  auto t = debian_host();
  auto o = run("unit: telnet.socket\nexpect: { enabled: false }\n", t);
  CHECK(o.status == Status::pass);
  CHECK(all_evidence(o) == "telnet.socket: not installed (no unit file in the systemd search path)\n");
  CHECK(run("unit: auditd.service\nexpect: { enabled: true }\n", t).status == Status::fail);
}

TEST_CASE("service probe: a link to /dev/null in /etc masks the unit, even when linked in wants") {
  auto t = debian_host();
  t.symlink("/lib/systemd/system/avahi-daemon.service",
            "/etc/systemd/system/multi-user.target.wants/avahi-daemon.service");
  CHECK(run("unit: avahi-daemon.service\nexpect: { enabled: false }\n", t).status == Status::fail);
  t.symlink("/dev/null", "/etc/systemd/system/avahi-daemon.service");
  auto o = run("unit: avahi-daemon.service\nexpect: { enabled: false }\n", t);
  CHECK(o.status == Status::pass);
  CHECK(all_evidence(o) ==
        "avahi-daemon.service: masked (/etc/systemd/system/avahi-daemon.service -> /dev/null)\n");
  CHECK(run("unit: avahi-daemon.service\nexpect: { masked: true }\n", t).status == Status::pass);
  CHECK(run("unit: avahi-daemon.service\nexpect: { enabled: true }\n", t).status == Status::fail);
  CHECK(run("unit: cron.service\nexpect: { masked: true }\n", t).status == Status::fail);
  CHECK(run("unit: cron.service\nexpect: { masked: false }\n", t).status == Status::pass);
}

TEST_CASE("service probe: an empty unit file masks too, a runtime mask in /run counts") {
  auto t = debian_host();
  t.write("/etc/systemd/system/cron.service", "");
  auto o = run("unit: cron.service\nexpect: { masked: true }\n", t);
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "masked (/etc/systemd/system/cron.service (empty))"));
  t.remove("/etc/systemd/system/cron.service");
  t.symlink("/dev/null", "/run/systemd/system/cron.service");
  CHECK(run("unit: cron.service\nexpect: { masked: true }\n", t).status == Status::pass);
}

TEST_CASE("service probe: a relative link that resolves to the null device masks") {
  if (!hb::test::running_as_root()) {
    MESSAGE("not root: cannot make a character device; skipped");
    return;
  }
  auto t = debian_host();
  t.mkdir("/dev");
  REQUIRE(::mknod(t.real("/dev/null").c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0);
  t.symlink("../../../dev/null", "/etc/systemd/system/cron.service");
  auto o = run("unit: cron.service\nexpect: { masked: true }\n", t);
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "(a link to the null device)"));
}

TEST_CASE("service probe: units: with enabled: true passes when any one is enabled") {
  auto t = debian_host();
  const std::string yaml =
      "units: [chrony.service, systemd-timesyncd.service, ntpsec.service]\n"
      "expect: { enabled: true }\n";
  auto none = run(yaml, t);
  CHECK(none.status == Status::fail);
  CHECK(contains(all_evidence(none), "chrony.service: not installed"));
  CHECK(contains(all_evidence(none), "expected at least one of them enabled"));
  t.symlink("/lib/systemd/system/systemd-timesyncd.service",
            "/etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service");
  auto one = run(yaml, t);
  CHECK(one.status == Status::pass);
  CHECK(contains(all_evidence(one), "systemd-timesyncd.service: enabled by "
                                    "/etc/systemd/system/sysinit.target.wants/"));
}

TEST_CASE("service probe: units: with enabled: false fails for each enabled unit") {
  auto t = debian_host();
  t.symlink("/lib/systemd/system/avahi-daemon.socket",
            "/etc/systemd/system/sockets.target.wants/avahi-daemon.socket");
  auto o = run("units: [avahi-daemon.service, avahi-daemon.socket]\nexpect: { enabled: false }\n", t);
  CHECK(o.status == Status::fail);
  REQUIRE(o.objects.size() == 1);
  CHECK(o.objects[0].id == "avahi-daemon.socket");
  CHECK(contains(all_evidence(o), "avahi-daemon.service: not enabled"));
}

TEST_CASE("service probe: an alias link counts as enabled") {
  auto t = debian_host();
  t.symlink("/lib/systemd/system/systemd-timesyncd.service",
            "/etc/systemd/system/dbus-org.freedesktop.timesync1.service");
  auto o = run("unit: systemd-timesyncd.service\nexpect: { enabled: true }\n", t);
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "/etc/systemd/system/dbus-org.freedesktop.timesync1.service -> "
                                  "/lib/systemd/system/systemd-timesyncd.service (alias)"));
}

TEST_CASE("service probe: templates, instances and static wants of the vendor directory") {
  auto t = debian_host();
  CHECK(run("unit: getty@tty1.service\nexpect: { enabled: true }\n", t).status == Status::pass);
  CHECK(run("unit: getty@.service\nexpect: { enabled: true }\n", t).status == Status::pass);
  CHECK(run("unit: getty@tty2.service\nexpect: { enabled: true }\n", t).status == Status::fail);
  CHECK(run("unit: systemd-journald.socket\nexpect: { enabled: true }\n", t).status == Status::pass);
}

TEST_CASE("service probe: a stale link whose unit file is gone does not enable anything") {
  auto t = debian_host();  // apt remove (not purge) leaves the link behind
  t.symlink("/lib/systemd/system/vsftpd.service",
            "/etc/systemd/system/multi-user.target.wants/vsftpd.service");
  CHECK(run("unit: vsftpd.service\nexpect: { enabled: false }\n", t).status == Status::pass);
  CHECK(run("unit: vsftpd.service\nexpect: { enabled: true }\n", t).status == Status::fail);
}

TEST_CASE("service probe: a SysV script with an S link in rc2.d is enabled") {
  auto t = debian_host();
  t.write("/etc/init.d/exim4", "#!/bin/sh\n", 0755);
  auto off = run("unit: exim4.service\nexpect: { enabled: false }\n", t);
  CHECK(off.status == Status::pass);
  CHECK(contains(all_evidence(off), "not enabled (SysV script /etc/init.d/exim4"));
  t.symlink("../init.d/exim4", "/etc/rc2.d/S01exim4");
  auto on = run("unit: exim4.service\nexpect: { enabled: false }\n", t);
  CHECK(on.status == Status::fail);
  CHECK(contains(all_evidence(on), "enabled by /etc/rc2.d/S01exim4 (SysV script /etc/init.d/exim4)"));
  // A native unit wins over the script, as with systemd-sysv-generator.
  t.write("/usr/lib/systemd/system/exim4.service", "[Unit]\n");
  CHECK(run("unit: exim4.service\nexpect: { enabled: false }\n", t).status == Status::pass);
}

TEST_CASE("service probe: a root without any unit directory is notapplicable") {
  TempTree t;
  auto o = run("unit: avahi-daemon.service\nexpect: { enabled: false }\n", t);
  CHECK(o.status == Status::notapplicable);
  CHECK(contains(all_evidence(o), "no systemd unit directory in the root"));
}

TEST_CASE("service probe: the unit directories are read once per scan") {
  auto t = debian_host();
  hb::Facts facts;
  run("unit: cron.service\nexpect: { enabled: true }\n", t, &facts);
  run("unit: avahi-daemon.service\nexpect: { enabled: false }\n", t, &facts);
  CHECK(facts.parse_counts().at("systemd.units") == 1);
}

TEST_CASE("service probe: an unreadable wants directory is an error") {
  if (hb::test::running_as_root()) {
    MESSAGE("running as root: permissions do not stop reads; skipped");
    return;
  }
  auto t = debian_host();
  t.chmod("/etc/systemd/system/multi-user.target.wants", 0);
  auto o = run("unit: cron.service\nexpect: { enabled: true }\n", t);
  t.chmod("/etc/systemd/system/multi-user.target.wants", 0755);
  CHECK(o.status == Status::error);
}

TEST_CASE("service probe: bad parameters are load errors") {
  using hb::test::parse_error;
  auto p = &hb::parse_service_probe;
  CHECK(contains(parse_error(p, "expect: { enabled: false }\n"),
                 "give exactly one of 'unit: NAME' and 'units: [NAME, ...]'"));
  CHECK(contains(parse_error(p, "unit: a.service\nunits: [b.service]\nexpect: { enabled: false }\n"),
                 "give exactly one of"));
  CHECK(contains(parse_error(p, "unit: avahi-daemon\nexpect: { enabled: false }\n"),
                 "'avahi-daemon' is not a systemd unit name"));
  CHECK(contains(parse_error(p, "unit: ../x.service\nexpect: { enabled: false }\n"),
                 "is not a systemd unit name"));
  CHECK(contains(parse_error(p, "unit: a.service\nexpect: { enabled: false, masked: true }\n"),
                 "exactly one of 'enabled: true|false' and 'masked: true|false'"));
  CHECK(contains(parse_error(p, "unit: a.service\nexpect: { enabled: \"no\" }\n"),
                 "expected true or false"));
  CHECK(contains(parse_error(p, "unit: a.service\nexpect: { enabled: false, active: true }\n"),
                 "active"));
  CHECK(contains(parse_error(p, "unit: a.service\n"), "expect"));
}
