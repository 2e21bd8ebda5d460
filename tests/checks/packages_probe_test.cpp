#include "checks/packages_probe.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>

#include "checks/apt_lists.hpp"
#include "checks/registry.hpp"
#include "engine/facts.hpp"
#include "engine/profile.hpp"
#include "engine/scanner.hpp"
#include "engine/text.hpp"
#include "tests/support/probe_harness.hpp"
#include "tests/support/scan_harness.hpp"
#include "tests/support/temp_tree.hpp"

extern char** environ;

using hb::Status;
using hb::test::all_evidence;
using hb::test::contains;
using hb::test::describe;
using hb::test::scan_profile;
using hb::test::TempTree;

namespace {

constexpr std::int64_t k_day = 86400;

std::int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const std::string k_lists = "/var/lib/apt/lists/";
const std::string k_main = "deb.debian.org_debian_dists_bookworm";
const std::string k_sec = "deb.debian.org_debian-security_dists_bookworm-security";

std::string inrelease(const std::string& suite, const std::string& codename, std::int64_t date,
                      const std::string& label = "Debian", const std::string& extra = "") {
  return "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nOrigin: Debian\nLabel: " + label +
         "\nSuite: " + suite + "\nCodename: " + codename +
         "\nDate: " + hb::format_rfc2822_date(date) + "\n" + extra +
         "Architectures: amd64\nComponents: main\nSHA256:\n 00 0 main/binary-amd64/Packages\n"
         "-----BEGIN PGP SIGNATURE-----\n\nxx\n-----END PGP SIGNATURE-----\n";
}

std::string installed(const std::string& name, const std::string& version,
                      const std::string& state = "installed", const std::string& arch = "amd64") {
  return "Package: " + name + "\nStatus: install ok " + state +
         "\nPriority: optional\nArchitecture: " + arch + "\nVersion: " + version +
         "\nDescription: test\n\n";
}

std::string available(const std::string& name, const std::string& version) {
  return "Package: " + name + "\nVersion: " + version +
         "\nArchitecture: amd64\nDescription: test\nFilename: pool/x.deb\n\n";
}

// A small Debian 12 host: dpkg, openssl, tzdata; lists fetched `age` seconds ago.
TempTree debian_host(const std::string& openssl, std::int64_t age = 3600) {
  TempTree t;
  t.write("/var/lib/dpkg/status", installed("dpkg", "1.21.22") + installed("openssl", openssl) +
                                      installed("tzdata", "2024a-0+deb12u1", "installed", "all"));
  t.write(k_lists + k_main + "_InRelease",
          inrelease("oldstable", "bookworm", now() - 120 * k_day));  // point release: old
  t.write(k_lists + k_main + "-updates_InRelease",
          inrelease("oldstable-updates", "bookworm-updates", now() - age));
  t.write(k_lists + k_sec + "_InRelease",
          inrelease("oldstable-security", "bookworm-security", now() - age, "Debian-Security"));
  t.write(k_lists + k_main + "_main_binary-amd64_Packages",
          available("dpkg", "1.21.22") + available("openssl", "3.0.11-1~deb12u1") +
              available("tzdata", "2024a-0+deb12u1") + available("telnetd", "0.17+2.4-2"));
  t.write(k_lists + k_main + "-updates_main_binary-amd64_Packages",
          available("tzdata", "2024b-0+deb12u1"));
  t.write(k_lists + k_sec + "_main_binary-amd64_Packages",
          available("openssl", "3.0.15-1~deb12u1"));
  return t;
}

hb::Outcome run(const std::string& yaml, const TempTree& t, hb::Facts* facts = nullptr) {
  auto v = t.view();
  return hb::test::run_probe(&hb::parse_packages_probe, yaml, *v, facts);
}

std::set<std::string> object_ids(const hb::Outcome& o, Status s = Status::fail) {
  std::set<std::string> ids;
  for (const auto& obj : o.objects)
    if (obj.status == s) ids.insert(obj.id);
  return ids;
}

const std::string k_security = "check: updates\nsuites: security\n";
const std::string k_all = "check: updates\n";
const std::string k_fresh = "check: lists_fresh\n";
const std::string k_unwanted =
    "check: installed\nnames: [telnetd, inetutils-telnetd, nis]\nexpect: { installed: false }\n";

}  // namespace

TEST_CASE("packages probe: a pending security update fails with both versions and files") {
  auto t = debian_host("3.0.11-1~deb12u1");
  auto o = run(k_security, t);
  CHECK(o.status == Status::fail);
  REQUIRE(o.objects.size() == 1);
  CHECK(o.objects[0].id == "openssl");
  CHECK(o.objects[0].evidence[0] ==
        "installed 3.0.11-1~deb12u1 (/var/lib/dpkg/status:8); bookworm-security has "
        "3.0.15-1~deb12u1 (/var/lib/apt/lists/" +
            k_sec + "_main_binary-amd64_Packages)");
  CHECK(contains(all_evidence(o),
                 "1 of 3 installed packages have a newer version in a security "
                 "suite (bookworm-security; 3 Packages lists"));
  CHECK_FALSE(contains(all_evidence(o), "days old"));
}

TEST_CASE("packages probe: security updates pass when installed is newest, others do not count") {
  auto t = debian_host("3.0.15-1~deb12u1");
  auto o = run(k_security, t);
  CHECK(o.status == Status::pass);
  CHECK(o.objects.empty());
  CHECK(contains(all_evidence(o), "none of 3 installed packages has a newer version"));
  // tzdata has a newer version in bookworm-updates: not a security update, but an update.
  auto all = run(k_all, t);
  CHECK(all.status == Status::fail);
  CHECK(object_ids(all) == std::set<std::string>{"tzdata"});
  CHECK(contains(all_evidence(all), "bookworm-updates has 2024b-0+deb12u1"));
}

TEST_CASE("packages probe: an installed version newer than the lists passes (no false fail)") {
  auto t = debian_host("3.0.16-1~deb12u1");
  CHECK(run(k_security, t).status == Status::pass);
  auto epoch = debian_host("1:3.0.0-1");  // an epoch outranks any upstream version
  CHECK(run(k_security, epoch).status == Status::pass);
}

TEST_CASE("packages probe: stale lists are said in the update rules' evidence") {
  auto t = debian_host("3.0.15-1~deb12u1", 30 * k_day);
  auto o = run(k_security + "max_list_age_days: 7\n", t);
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o),
                 "apt lists are 30 days old (limit 7 days): updates published "
                 "since then are not seen"));
  auto fresh = run(k_fresh, t);
  CHECK(fresh.status == Status::fail);
  CHECK(contains(all_evidence(fresh), "apt lists are stale: newest Release Date"));
  CHECK(object_ids(fresh).size() == 1);  // the security suite itself
}

TEST_CASE("packages probe: no security suite among the lists fails") {
  auto t = debian_host("3.0.11-1~deb12u1");
  t.remove(k_lists + k_sec + "_InRelease");
  t.remove(k_lists + k_sec + "_main_binary-amd64_Packages");
  auto o = run(k_security, t);
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "no Packages list of a security suite in /var/lib/apt/lists"));
  // A security Release file whose list is missing offers nothing either.
  t.write(k_lists + k_sec + "_InRelease",
          inrelease("oldstable-security", "bookworm-security", now(), "Debian-Security"));
  CHECK(run(k_security, t).status == Status::fail);
}

TEST_CASE("packages probe: a broken list of another suite does not hide a security update") {
  auto t = debian_host("3.0.11-1~deb12u1");
  t.remove(k_lists + k_main + "_main_binary-amd64_Packages");
  t.write(k_lists + k_main + "_main_binary-amd64_Packages.gz", "not gzip");
  auto o = run(k_security, t);
  CHECK(o.status == Status::fail);
  CHECK(object_ids(o) == std::set<std::string>{"openssl"});
  CHECK(object_ids(o, Status::error).empty());
  auto all = run(k_all, t);
  CHECK(object_ids(all, Status::error).size() == 1);  // the updates rule does see it
  CHECK(all.status == Status::fail);
}

TEST_CASE("packages probe: no dpkg database is notapplicable, RPM is notchecked") {
  TempTree empty;
  for (const auto& yaml : {k_security, k_all, k_fresh, k_unwanted}) {
    auto o = run(yaml, empty);
    CHECK(o.status == Status::notapplicable);
    CHECK(contains(all_evidence(o), "no dpkg database (/var/lib/dpkg/status does not exist)"));
  }
  TempTree rpm;
  rpm.mkdir("/var/lib/rpm");
  auto o = run(k_security, rpm);
  CHECK(o.status == Status::notchecked);
  CHECK(contains(all_evidence(o), "RPM database at /var/lib/rpm and no dpkg database"));
}

TEST_CASE("packages probe: a dpkg host without apt lists cannot judge updates: error") {
  TempTree t;
  t.write("/var/lib/dpkg/status", installed("openssl", "3.0.11-1~deb12u1"));
  auto o = run(k_security, t);
  CHECK(o.status == Status::error);
  CHECK(contains(all_evidence(o), "no apt lists under /var/lib/apt/lists"));
  auto fresh = run(k_fresh, t);
  CHECK(fresh.status == Status::notapplicable);
}

TEST_CASE("packages probe: an unreadable database or list is an error, never a verdict") {
  TempTree t;
  t.mkdir("/var/lib/dpkg/status");
  auto o = run(k_unwanted, t);
  CHECK(o.status == Status::error);
  CHECK(contains(all_evidence(o), "cannot read the dpkg database"));
  auto broken = debian_host("3.0.15-1~deb12u1");
  broken.write(k_lists + k_sec + "_main_binary-amd64_Packages.lz4", "not lz4");
  auto e = run(k_security, broken);
  CHECK(e.status == Status::error);
  CHECK(contains(all_evidence(e), "corrupt lz4 data"));
  broken.write("/var/lib/dpkg/status", "Package: x\nStatus: broken\n");
  CHECK(run(k_security, broken).status == Status::error);
}

TEST_CASE("packages probe: unwanted packages fail one object each, with version and line") {
  auto t = debian_host("3.0.15-1~deb12u1");
  auto pass = run(k_unwanted, t);
  CHECK(pass.status == Status::pass);
  CHECK(contains(all_evidence(pass), "none installed of [telnetd, inetutils-telnetd, nis]"));
  t.write("/var/lib/dpkg/status", installed("dpkg", "1.21.22") +
                                      installed("inetutils-telnetd", "2:2.4-2+deb12u1") +
                                      installed("nis", "4.17", "config-files") +
                                      installed("telnetd", "0.17+2.4-2+deb12u1", "unpacked"));
  auto o = run(k_unwanted, t);
  CHECK(o.status == Status::fail);
  CHECK(object_ids(o) == std::set<std::string>{"telnetd", "inetutils-telnetd"});
  auto twice =
      run("check: installed\nnames: [telnetd, 'telnet*']\nexpect: { installed: false }\n", t);
  CHECK(twice.objects.size() == 1);  // one object per package, however many names match it
  CHECK(contains(all_evidence(o), "installed 2:2.4-2+deb12u1 at /var/lib/dpkg/status:8"));
  CHECK(contains(all_evidence(o), "installed 0.17+2.4-2+deb12u1 (unpacked)"));
  CHECK(contains(all_evidence(o), "2 installed of [telnetd, inetutils-telnetd, nis]"));
}

TEST_CASE("packages probe: installed: true needs a fully installed package, globs match") {
  auto t = debian_host("3.0.15-1~deb12u1");
  auto yes = run("check: installed\nnames: [openssl, 'tz*']\nexpect: { installed: true }\n", t);
  CHECK(yes.status == Status::pass);
  auto no = run("check: installed\nnames: [auditd]\nexpect: { installed: true }\n", t);
  CHECK(no.status == Status::fail);
  CHECK(contains(all_evidence(no), "auditd:\n  not installed"));
  t.write("/var/lib/dpkg/status", installed("auditd", "1:3.0.9-1", "half-configured"));
  auto half = run("check: installed\nnames: [auditd]\nexpect: { installed: true }\n", t);
  CHECK(half.status == Status::fail);
  CHECK(contains(all_evidence(half), "present but half-configured"));
}

TEST_CASE("packages probe: objects are capped at 1000 and the rest counted") {
  TempTree t;
  std::string status;
  for (int i = 0; i < 1200; ++i) status += installed("pkg" + std::to_string(i), "1.0");
  t.write("/var/lib/dpkg/status", status);
  auto o = run("check: installed\nnames: ['pkg*']\nexpect: { installed: false }\n", t);
  CHECK(o.status == Status::fail);
  CHECK(o.objects.size() == 1000);
  CHECK(contains(all_evidence(o), "200 more objects left out (at most 1000 are listed)"));
}

TEST_CASE("packages probe: lists freshness from the newest Release Date and security suites") {
  auto t = debian_host("3.0.15-1~deb12u1", 2 * k_day);
  auto o = run(k_fresh, t);
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), ": 2 days old (limit 7 days, 3 Release files)"));
  // Only the security suite stale (its mirror failing): fail on that object.
  t.write(k_lists + k_sec + "_InRelease", inrelease("oldstable-security", "bookworm-security",
                                                    now() - 9 * k_day, "Debian-Security"));
  auto sec = run(k_fresh + "max_list_age_days: 7\n", t);
  CHECK(sec.status == Status::fail);
  CHECK(contains(all_evidence(sec), "bookworm-security (/var/lib/apt/lists/"));
  CHECK(contains(all_evidence(sec), ": 9 days old (limit 7 days)"));
}

TEST_CASE("packages probe: expired, future and missing Release dates") {
  auto t = debian_host("3.0.15-1~deb12u1");
  t.write(k_lists + k_sec + "_InRelease",
          inrelease("oldstable-security", "bookworm-security", now() - k_day, "Debian-Security",
                    "Valid-Until: " + hb::format_rfc2822_date(now() - 3600) + "\n"));
  auto expired = run(k_fresh, t);
  CHECK(expired.status == Status::fail);
  CHECK(contains(all_evidence(expired), "expired: Valid-Until"));
  t.write(k_lists + k_sec + "_InRelease", inrelease("oldstable-security", "bookworm-security",
                                                    now() + 30 * k_day, "Debian-Security"));
  auto future = run(k_fresh, t);
  CHECK(future.status == Status::error);
  CHECK(contains(all_evidence(future), "in the future: the clock or the list is wrong"));
  TempTree nodate;
  nodate.write("/var/lib/dpkg/status", installed("dpkg", "1.21.22"));
  nodate.write(k_lists + k_main + "_Release", "Suite: stable\nCodename: bookworm\n");
  auto none = run(k_fresh, nodate);
  CHECK(none.status == Status::error);
  CHECK(contains(all_evidence(none), "no Date field"));
  CHECK(contains(all_evidence(none), "the lists' age is unknown"));
}

TEST_CASE("packages probe: sources with trusted=yes fail, signed sources pass") {
  TempTree t;
  t.write("/etc/apt/sources.list.d/debian.sources",
          "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\n"
          "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n");
  auto ok = run("check: sources_signed\n", t);
  CHECK(ok.status == Status::pass);
  CHECK(contains(all_evidence(ok), "1 enabled source entries in 1 files, 0 without signature"));
  t.write("/etc/apt/sources.list.d/tools.list",
          "# unsigned\ndeb [trusted=yes] http://apt.example.com/debian bookworm main\n");
  auto bad = run("check: sources_signed\n", t);
  CHECK(bad.status == Status::fail);
  CHECK(object_ids(bad) == std::set<std::string>{"/etc/apt/sources.list.d/tools.list:2"});
  CHECK(contains(all_evidence(bad), "sets trusted=yes: apt installs from it without checking"));
  TempTree empty;
  CHECK(run("check: sources_signed\n", empty).status == Status::notapplicable);
}

TEST_CASE("packages probe: bad parameters are load errors naming the key") {
  auto err = [](const std::string& yaml) {
    return hb::test::parse_error(&hb::parse_packages_probe, yaml);
  };
  CHECK(contains(err("names: [x]\n"), "'check' is required"));
  CHECK(contains(err("check: upgrades\n"), "'upgrades' is not one of: installed, updates"));
  CHECK(contains(err("check: installed\nexpect: { installed: false }\n"), "names"));
  CHECK(contains(err("check: installed\nnames: [x]\nexpect: { equals: 1 }\n"),
                 "expect needs 'installed: true' or 'installed: false'"));
  CHECK(contains(err("check: installed\nnames: [x]\nexpect: { installed: 'no' }\n"),
                 "expected true or false"));
  CHECK(contains(err("check: installed\nnames: ['rm -rf']\nexpect: { installed: false }\n"),
                 "is not a package name"));
  CHECK(contains(err("check: updates\nsuites: testing\n"), "'testing' is not one of"));
  CHECK(contains(err("check: updates\nmax_list_age_days: 0\n"), "between 1 and 3650"));
  CHECK(contains(err("check: lists_fresh\nnames: [x]\n"), "names"));
  CHECK(err("check: updates\nsuites: security\nmax_list_age_days: 14\n").empty());
}

TEST_CASE("packages probe: several rules share one parse of each source") {
  auto t = debian_host("3.0.11-1~deb12u1");
  hb::Facts facts;
  run(k_security, t, &facts);
  run(k_all, t, &facts);
  run(k_fresh, t, &facts);
  run(k_unwanted, t, &facts);
  auto counts = facts.parse_counts();
  CHECK(counts.at("dpkg.status") == 1);
  CHECK(counts.at("apt.lists") == 1);
  CHECK(counts.at("apt.releases") == 1);
}

TEST_CASE("packages probe: the weak fixture's updates are exactly what apt would upgrade") {
  auto t = TempTree::from_fixture("weak");
  auto sec = run(k_security, t);
  auto all = run(k_all, t);
  CHECK(object_ids(sec) ==
        std::set<std::string>{"inetutils-telnetd", "libssl3", "openssl", "telnetd", "tzdata"});
  CHECK(object_ids(all) == std::set<std::string>{"base-files", "inetutils-telnetd", "libssl3",
                                                 "openssl", "telnetd", "tzdata"});
  if (access("/usr/bin/apt", X_OK) != 0) return;
  // The real apt on the same files: `apt list --upgradable` against the fixture's state.
  const std::string r = t.root();
  t.mkdir("/tmp-apt-cache");
  t.mkdir("/tmp-apt-prefs");
  std::vector<std::string> args = {"/usr/bin/apt",
                                   "-o",
                                   "Debug::NoLocking=1",
                                   "-o",
                                   "Dir::State::Lists=" + r + "/var/lib/apt/lists",
                                   "-o",
                                   "Dir::State::status=" + r + "/var/lib/dpkg/status",
                                   "-o",
                                   "Dir::Etc::sourcelist=" + r + "/etc/apt/sources.list",
                                   "-o",
                                   "Dir::Etc::sourceparts=" + r + "/etc/apt/sources.list.d",
                                   "-o",
                                   "Dir::Cache=" + r + "/tmp-apt-cache",
                                   "-o",
                                   "Dir::Etc::preferences=/dev/null",
                                   "-o",
                                   "Dir::Etc::preferencesparts=" + r + "/tmp-apt-prefs",
                                   "-o",
                                   "APT::Architecture=amd64",
                                   "list",
                                   "--upgradable"};
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  std::set<std::string> apt_says;
  for (std::string_view line : hb::split_lines(out))
    if (line.find("[upgradable from:") != std::string_view::npos)
      apt_says.insert(std::string(line.substr(0, line.find('/'))));
  CAPTURE(out);
  CHECK(apt_says == object_ids(all));
}

TEST_CASE("packages probe: the linux profile's package rules: hardened passes, weak fails") {
  auto hardened = TempTree::from_fixture("hardened");  // with hardened.touch applied
  for (const auto& [id, r] : scan_profile("linux", hardened.root(), "host.packages.*")) {
    CAPTURE(describe(r));
    CHECK(r.status == Status::pass);
  }
  auto weak = TempTree::from_fixture("weak");
  std::set<std::string> failed;
  for (const auto& [id, r] : scan_profile("linux", weak.root(), "host.packages.*")) {
    CAPTURE(describe(r));
    CHECK(r.status == Status::fail);
    CHECK(contains(describe(r), "/"));  // evidence names a file
    if (r.status == Status::fail) failed.insert(r.meta.id);
  }
  CHECK(failed.size() == 5);
  TempTree empty;
  for (const auto& [id, r] : scan_profile("linux", empty.root(), "host.packages.*")) {
    CAPTURE(describe(r));
    CHECK(r.status != Status::pass);
  }
}

TEST_CASE("packages probe: this machine's database and lists are judged (read-only sanity)") {
  auto host = hb::open_host_view("/");
  REQUIRE(host.ok());
  hb::Facts facts;
  for (const auto& yaml :
       {k_security, k_all, k_fresh, k_unwanted, std::string("check: sources_signed\n")}) {
    auto o = hb::test::run_probe(&hb::parse_packages_probe, yaml, **host, &facts);
    CAPTURE(yaml);
    CAPTURE(all_evidence(o));
    CHECK(o.status != Status::error);
  }
}
