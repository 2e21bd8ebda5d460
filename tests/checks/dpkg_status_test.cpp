#include "checks/dpkg_status.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <set>
#include <vector>

#include "engine/facts.hpp"
#include "engine/text.hpp"
#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

extern char** environ;

using hb::PackageState;
using hb::test::contains;
using hb::test::TempTree;

namespace {

// Stanzas as dpkg writes them on Debian 12 (abridged from a real /var/lib/dpkg/status).
const char* const k_status = R"(Package: dpkg
Essential: yes
Status: install ok installed
Priority: required
Section: admin
Installed-Size: 6409
Maintainer: Dpkg Developers <debian-dpkg@lists.debian.org>
Architecture: amd64
Multi-Arch: foreign
Version: 1.21.22
Depends: tar (>= 1.28-1)
Conffiles:
 /etc/alternatives/README 7be88b21f7e386c8d5a8790c2461c92b
 /etc/dpkg/dpkg.cfg f4413ffb515f8f753624ae3bb365b81b
Description: Debian package management system
 This package provides the low-level infrastructure for handling the
 installation and removal of Debian software packages.
 .
 For Debian package development tools, install dpkg-dev.
Homepage: https://wiki.debian.org/Teams/Dpkg

Package: libssl3
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 6029
Maintainer: Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>
Architecture: amd64
Multi-Arch: same
Source: openssl
Version: 3.0.11-1~deb12u1
Depends: libc6 (>= 2.34)
Description: Secure Sockets Layer toolkit - shared libraries

Package: libssl3
Status: install ok installed
Architecture: i386
Multi-Arch: same
Source: openssl
Version: 3.0.11-1~deb12u1
Description: Secure Sockets Layer toolkit - shared libraries

Package: telnetd
Status: deinstall ok config-files
Priority: optional
Section: net
Architecture: all
Version: 0.17+2.4-2+deb12u1
Conffiles:
 /etc/inetd.conf 3f2a5e52e0b4d7fcb2f4b2c4e6a1c7e0 obsolete

Package: nis
Status: purge ok not-installed
Architecture: amd64

Package: xinetd
Status: install reinstreq half-configured
Architecture: amd64
Version: 1:2.3.15.3-1
)";

std::vector<hb::DpkgPackage> parse(const std::string& text) {
  auto r = hb::parse_dpkg_status(text);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.message()));
  return *r;
}

std::string parse_error(const std::string& text) {
  auto r = hb::parse_dpkg_status(text);
  REQUIRE_FALSE(r.ok());
  return r.message();
}

// Runs a program (argv[0] an absolute path) and returns its standard output.
std::string capture(std::vector<std::string> args) {
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
  int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  REQUIRE(rc == 0);
  std::string out;
  char buf[65536];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return out;
}

}  // namespace

TEST_CASE("dpkg status: stanzas give name, arch, version, state, multi-arch and line") {
  auto pkgs = parse(k_status);
  REQUIRE(pkgs.size() == 6);
  CHECK(pkgs[0].name == "dpkg");
  CHECK(pkgs[0].arch == "amd64");
  CHECK(pkgs[0].version == "1.21.22");
  CHECK(pkgs[0].state == PackageState::installed);
  CHECK(pkgs[0].want == "install");
  CHECK(pkgs[0].line == 1);
  CHECK(pkgs[1].multi_arch == "same");
  CHECK(pkgs[1].line == 22);
  CHECK(pkgs[3].state == PackageState::config_files);
  CHECK_FALSE(pkgs[3].files_present());
  CHECK(pkgs[4].state == PackageState::not_installed);
  CHECK(pkgs[5].state == PackageState::half_configured);
  CHECK(pkgs[5].files_present());  // an interrupted configure leaves the files on disk
}

TEST_CASE("dpkg status: the database drops not-installed entries and finds the native arch") {
  auto db = hb::build_dpkg_status({parse(k_status)}, {"/var/lib/dpkg/status"});
  CHECK(db.native_arch == "amd64");
  CHECK(db.packages.size() == 5);  // nis (not-installed) is gone
  auto ssl = db.find("libssl3");
  REQUIRE(ssl.size() == 2);
  CHECK(db.display_name(*ssl[0]) == "libssl3");
  CHECK(db.display_name(*ssl[1]) == "libssl3:i386");
  CHECK(db.find("nis").empty());
  CHECK(db.find("telnet").empty());
}

TEST_CASE("dpkg status: a malformed database is an error with file and line") {
  CHECK(parse_error("Status: install ok installed\nVersion: 1\n\n") ==
        "/var/lib/dpkg/status:1: stanza without a Package field");
  CHECK(parse_error("Package: a\nStatus: install ok\nVersion: 1\n") ==
        "/var/lib/dpkg/status:2: invalid Status 'install ok' of a");
  CHECK(parse_error("Package: a\nStatus: install ok sideways\nVersion: 1\n") ==
        "/var/lib/dpkg/status:2: invalid Status 'install ok sideways' of a");
  CHECK(parse_error("Package: -a\nStatus: install ok installed\nVersion: 1\n") ==
        "/var/lib/dpkg/status:1: invalid package name '-a'");
  CHECK(parse_error("Package: a\nStatus: install ok installed\n") ==
        "/var/lib/dpkg/status:1: installed package a has no Version");
  CHECK(contains(parse_error("Package: a\nStatus: install ok installed\nVersion: 1.0-\n"),
                 ":3: invalid Version '1.0-' of a: revision number is empty"));
  CHECK(contains(parse_error("Package: a\n"), "package a has no Status field"));
  CHECK(contains(parse_error("Package: a\n\x01garbage\n"), ":2: not a field"));
}

TEST_CASE("dpkg status: the updates journal overrides status, tmp.i is ignored") {
  TempTree t;
  t.write("/var/lib/dpkg/status", k_status);
  t.write("/var/lib/dpkg/updates/0000",
          "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\n"
          "Version: 3.0.15-1~deb12u1\n");
  t.write("/var/lib/dpkg/updates/0001",
          "Package: xinetd\nStatus: purge ok not-installed\nArchitecture: amd64\n");
  t.write("/var/lib/dpkg/updates/tmp.i", "Package: half written");
  auto v = t.view();
  auto db = hb::load_dpkg_status(*v);
  REQUIRE_MESSAGE(db.ok(), (db.ok() ? "" : db.message()));
  CHECK(db->files == std::vector<std::string>{"/var/lib/dpkg/status", "/var/lib/dpkg/updates/0000",
                                              "/var/lib/dpkg/updates/0001"});
  auto ssl = db->find("libssl3");
  REQUIRE(ssl.size() == 2);
  CHECK(ssl[0]->version == "3.0.15-1~deb12u1");
  CHECK(ssl[0]->file_name() == "/var/lib/dpkg/updates/0000");
  CHECK(ssl[1]->version == "3.0.11-1~deb12u1");
  CHECK(db->find("xinetd").empty());
}

TEST_CASE("dpkg status: merging agrees with 'the last entry of a name and arch wins', sorted") {
  // Random files (unsorted, repeats within and across files, not-installed entries that remove
  // a package) against the plain rule, kept in a std::map.
  std::uint32_t seed = 77;
  auto rnd = [&] {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) & 0x7fff;
  };
  const char* const names[] = {"a", "b", "libc6", "libc6-dev", "zlib1g", "dpkg", "ab", "b0"};
  const char* const archs[] = {"amd64", "i386", "all", ""};
  const PackageState states[] = {PackageState::installed, PackageState::not_installed,
                                 PackageState::config_files, PackageState::unpacked};
  for (int round = 0; round < 200; ++round) {
    std::vector<std::vector<hb::DpkgPackage>> files(1 + rnd() % 3);
    std::vector<std::string> file_names;
    std::map<std::pair<std::string, std::string>, std::string> expected;  // -> version
    int serial = 0;
    for (std::size_t f = 0; f < files.size(); ++f) {
      file_names.push_back("/f" + std::to_string(f));
      const int n = static_cast<int>(rnd() % 12);
      for (int i = 0; i < n; ++i) {
        hb::DpkgPackage p;
        p.name = names[rnd() % 8];
        p.arch = archs[rnd() % 4];
        p.state = states[rnd() % 4];
        p.version = std::to_string(++serial);  // tells the entries apart
        if (p.state == PackageState::not_installed)
          expected.erase({p.name, p.arch});
        else
          expected[{p.name, p.arch}] = p.version;
        files[f].push_back(std::move(p));
      }
    }
    // Entries that a later one replaces by a not-installed one are gone with it; the rest stay.
    auto db = hb::build_dpkg_status(files, file_names);
    std::vector<std::string> got, want;
    for (const auto& p : db.packages) got.push_back(p.name + ":" + p.arch + "=" + p.version);
    for (const auto& [key, version] : expected)
      want.push_back(key.first + ":" + key.second + "=" + version);
    CAPTURE(round);
    CHECK(got == want);
    CHECK(db.files == file_names);
  }
}

TEST_CASE("dpkg status: entries of one file share its name") {
  auto pkgs = parse(k_status);
  REQUIRE(pkgs.size() > 1);
  CHECK(pkgs[0].file_name() == "/var/lib/dpkg/status");
  CHECK(pkgs[0].file.get() == pkgs[1].file.get());
  CHECK(hb::DpkgPackage().file_name().empty());
}

TEST_CASE("dpkg status: distroless status.d files count as installed, md5sums are skipped") {
  TempTree t;
  t.write("/var/lib/dpkg/status.d/libssl1.1",
          "Package: libssl1.1\nVersion: 1.1.1n-0+deb11u5\nArchitecture: amd64\n");
  t.write("/var/lib/dpkg/status.d/libssl1.1.md5sums", "d41d8cd98f00b204e9800998ecf8427e  x\n");
  auto v = t.view();
  auto db = hb::load_dpkg_status(*v);
  REQUIRE(db.ok());
  REQUIRE(db->packages.size() == 1);
  CHECK(db->packages[0].name == "libssl1.1");
  CHECK(db->packages[0].state == PackageState::installed);
}

TEST_CASE("dpkg status: no database is not_found, an unreadable one is another error") {
  TempTree empty;
  auto v = empty.view();
  auto none = hb::load_dpkg_status(*v);
  REQUIRE_FALSE(none.ok());
  CHECK(none.kind() == hb::ErrorKind::not_found);
  CHECK(none.message() == "no dpkg database (/var/lib/dpkg/status does not exist)");
  TempTree dir;
  dir.mkdir("/var/lib/dpkg/status");
  auto dv = dir.view();
  auto bad = hb::load_dpkg_status(*dv);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.kind() != hb::ErrorKind::not_found);
}

TEST_CASE("dpkg status: loaded once per scan through the facts cache") {
  TempTree t;
  t.write("/var/lib/dpkg/status", k_status);
  auto v = t.view();
  hb::Facts facts;
  auto a = hb::dpkg_status_fact(*v, facts);
  auto b = hb::dpkg_status_fact(*v, facts);
  CHECK(a.get() == b.get());
  CHECK(facts.parse_counts().at("dpkg.status") == 1);
}

TEST_CASE("dpkg status: this machine's database agrees with dpkg-query") {
  auto host = hb::open_host_view("/");
  REQUIRE(host.ok());
  auto db = hb::load_dpkg_status(**host);
  if (!db.ok() && db.kind() == hb::ErrorKind::not_found) {
    MESSAGE("skipped: no dpkg database here");
    return;
  }
  REQUIRE_MESSAGE(db.ok(), (db.ok() ? "" : db.message()));
  if (access("/usr/bin/dpkg-query", X_OK) != 0) return;
  // dpkg-query lists every entry it knows; the not-installed ones are not in our database.
  std::string out = capture({"/usr/bin/dpkg-query", "-W", "-f",
                             "${db:Status-Status} ${Package}:${Architecture} ${Version}\n"});
  std::set<std::string> theirs, ours;
  for (std::string_view line : hb::split_lines(out)) {
    if (hb::starts_with(line, "not-installed ")) continue;
    theirs.insert(std::string(line));
  }
  for (const auto& p : db->packages)
    ours.insert(std::string(hb::to_string(p.state)) + " " + p.name + ":" + p.arch + " " +
                p.version);
  CHECK(theirs.size() > 10);
  CHECK(ours == theirs);
}
