#include "checks/mac_sources.hpp"

#include <doctest/doctest.h>

TEST_CASE("mac sources: AppArmor profiles are counted by mode") {
  auto p = hb::parse_apparmor_profiles(
      "/usr/sbin/chronyd (enforce)\n"
      "nvidia_modprobe (enforce)\n"
      "nvidia_modprobe//kmod (enforce)\n"
      "/usr/bin/man (complain)\n"
      "snap.my app (with parens) (complain)\n"
      "unconfined-thing (unconfined)\n"
      "killer (kill)\n"
      "\n");
  CHECK(p.total == 7);
  CHECK(p.malformed == 0);
  CHECK(p.by_mode["enforce"] == 3);
  CHECK(p.by_mode["complain"] == 2);
  CHECK(p.enforcing() == 4);  // kill confines too
  CHECK(p.describe() == "7 profiles: 2 complain, 3 enforce, 1 kill, 1 unconfined");
}

TEST_CASE("mac sources: no profiles, and lines without a mode") {
  auto none = hb::parse_apparmor_profiles("");
  CHECK(none.total == 0);
  CHECK(none.enforcing() == 0);
  CHECK(none.describe() == "no profiles loaded");
  auto bad = hb::parse_apparmor_profiles("no mode here\n(enforce)\nx ()\nx (a b)\nok (enforce)\n");
  CHECK(bad.total == 1);
  CHECK(bad.malformed == 4);
  CHECK(bad.describe() == "1 profile: 1 enforce");
}

TEST_CASE("mac sources: hostile profile lists stay bounded") {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "p (mode" + std::to_string(i) + ")\n";
  auto p = hb::parse_apparmor_profiles(text);
  CHECK(p.total == 100);
  CHECK(p.by_mode.size() == 33);  // 32 distinct modes, then "other"
  CHECK(p.by_mode["other"] == 68);
}

TEST_CASE("mac sources: SELinux config is read as libselinux reads it") {
  // The file shipped by selinux-basics / selinux-policy-default, set to enforcing.
  auto c = hb::parse_selinux_config(
      "# This file controls the state of SELinux on the system.\n"
      "# SELINUX= can take one of these three values:\n"
      "#       enforcing - SELinux security policy is enforced.\n"
      "SELINUX=enforcing\n"
      "SELINUXTYPE=default\n"
      "SELINUX=permissive\n");
  REQUIRE(c.mode);
  CHECK(*c.mode == hb::SelinuxMode::enforcing);
  CHECK(c.line == 4);
  CHECK(c.value == "enforcing");
  // Case-insensitive prefix; leading blanks do not count; unknown values are skipped.
  auto d = hb::parse_selinux_config(" SELINUX=enforcing\nSELINUX=bogus\nSELINUX=Permissive  \n");
  REQUIRE(d.mode);
  CHECK(*d.mode == hb::SelinuxMode::permissive);
  CHECK(d.line == 3);
  auto only_bad = hb::parse_selinux_config("SELINUX=bogus\n");
  REQUIRE(only_bad.mode);
  CHECK(*only_bad.mode == hb::SelinuxMode::unknown);
  CHECK_FALSE(hb::parse_selinux_config("SELINUXTYPE=targeted\n").mode);
  CHECK(hb::to_string(hb::SelinuxMode::disabled) == "disabled");
}

TEST_CASE("mac sources: random bytes never crash either parser") {
  const std::string alphabet = "SELINUX=enforcing()\n \t#x";
  unsigned seed = 4242;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff; };
  for (int i = 0; i < 2000; ++i) {
    std::string text;
    for (unsigned n = next() % 300; n > 0; --n) text += alphabet[next() % alphabet.size()];
    auto p = hb::parse_apparmor_profiles(text);
    int sum = 0;
    for (const auto& [mode, count] : p.by_mode) sum += count;
    CHECK(sum == p.total);
    auto c = hb::parse_selinux_config(text);
    if (c.mode) CHECK(c.line > 0);
  }
}
