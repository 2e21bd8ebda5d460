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
