#include "checks/apt_sources.hpp"

#include <doctest/doctest.h>

#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

using hb::test::contains;
using hb::test::TempTree;

namespace {

// Debian 12's installer writes this /etc/apt/sources.list.
const char* const k_installer_list =
    R"(#deb cdrom:[Debian GNU/Linux 12.6.0 _Bookworm_ - Official amd64 NETINST with firmware 20240629-10:18]/ bookworm contrib main non-free-firmware

deb http://deb.debian.org/debian/ bookworm main non-free-firmware
deb-src http://deb.debian.org/debian/ bookworm main non-free-firmware

deb http://security.debian.org/debian-security bookworm-security main non-free-firmware
)";

// Debian 12 container images ship this /etc/apt/sources.list.d/debian.sources.
const char* const k_debian_sources = R"(Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
)";

}  // namespace

TEST_CASE("apt sources: one-line entries with options, comments skipped") {
  auto e = hb::parse_sources_list(
      std::string(k_installer_list) +
          "deb [ arch=amd64 trusted=yes ] http://apt.example.com/debian bookworm main # tools\n"
          "deb [allow-insecure=yes arch+=i386] http://x/ y z\n"
          "deb [trusted=no] http://x/ y z\n",
      "/etc/apt/sources.list");
  REQUIRE(e.size() == 6);
  CHECK(e[0].line == 3);
  CHECK(e[0].types == "deb");
  CHECK(e[0].insecure_options().empty());
  CHECK_FALSE(e[0].malformed);
  CHECK(e[1].types == "deb-src");
  CHECK(e[3].line == 7);
  CHECK(e[3].options.at("arch") == "amd64");
  CHECK(e[3].insecure_options() == std::vector<std::string>{"trusted=yes"});
  CHECK(e[3].text == "deb [ arch=amd64 trusted=yes ] http://apt.example.com/debian bookworm main");
  CHECK(e[4].insecure_options() == std::vector<std::string>{"allow-insecure=yes"});
  CHECK(e[4].options.at("arch") == "i386");
  CHECK(e[5].insecure_options().empty());
}

TEST_CASE("apt sources: malformed one-line entries are marked") {
  auto e = hb::parse_sources_list("deb [trusted=yes http://x y\ndeb http://only-uri\n", "/f");
  REQUIRE(e.size() == 2);
  CHECK(e[0].malformed);
  CHECK(e[1].malformed);
}

TEST_CASE("apt sources: deb822 stanzas, Trusted, and Enabled: no") {
  auto e = hb::parse_sources_deb822(std::string(k_debian_sources) +
                                        "\nTypes: deb\nURIs: http://x/\nSuites: y\nComponents: z\n"
                                        "Trusted: yes\n\nTypes: deb\nURIs: http://off/\nSuites: y\n"
                                        "Trusted: yes\nEnabled: no\n",
                                    "/etc/apt/sources.list.d/debian.sources");
  REQUIRE_MESSAGE(e.ok(), (e.ok() ? "" : e.message()));
  REQUIRE(e->size() == 4);
  CHECK((*e)[0].line == 1);
  CHECK((*e)[0].text == "deb http://deb.debian.org/debian bookworm bookworm-updates");
  CHECK((*e)[0].insecure_options().empty());
  CHECK((*e)[1].line == 8);
  CHECK((*e)[2].insecure_options() == std::vector<std::string>{"trusted=yes"});
  CHECK_FALSE((*e)[3].enabled);
  auto weird = hb::parse_sources_deb822("Types: deb\nURIs: a\nSuites: b\nEnabled: maybe\n", "/f");
  REQUIRE(weird.ok());
  CHECK((*weird)[0].enabled);  // only a word apt reads as false disables a stanza
  auto bad = hb::parse_sources_deb822("Types: deb\nnonsense\n", "/f");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.message() == "/f:2: not a field: 'nonsense'");
}

TEST_CASE("apt sources: files apt reads, and only those") {
  TempTree t;
  t.write("/etc/apt/sources.list", k_installer_list);
  t.write("/etc/apt/sources.list.d/debian.sources", k_debian_sources);
  t.write("/etc/apt/sources.list.d/tools.list", "deb [trusted=yes] http://x/ y z\n");
  t.write("/etc/apt/sources.list.d/old.list.save", "deb [trusted=yes] http://x/ y z\n");
  t.write("/etc/apt/sources.list.d/bad name.list", "deb [trusted=yes] http://x/ y z\n");
  auto v = t.view();
  auto s = hb::load_apt_sources(*v);
  REQUIRE(s.ok());
  CHECK(s->have_etc_apt);
  CHECK(s->files == std::vector<std::string>{"/etc/apt/sources.list",
                                             "/etc/apt/sources.list.d/debian.sources",
                                             "/etc/apt/sources.list.d/tools.list"});
  CHECK(s->entries.size() == 3 + 2 + 1);
  TempTree none;
  auto nv = none.view();
  auto n = hb::load_apt_sources(*nv);
  REQUIRE(n.ok());
  CHECK_FALSE(n->have_etc_apt);
}

TEST_CASE("apt sources: apt's boolean words") {
  for (const char* y : {"yes", "true", "with", "on", "enable", "1", "YES"}) CHECK(hb::apt_bool(y));
  for (const char* n : {"no", "false", "0", "maybe", ""}) CHECK_FALSE(hb::apt_bool(n));
}
