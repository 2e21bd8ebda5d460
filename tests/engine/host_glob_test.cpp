#include "engine/host_glob.hpp"

#include <doctest/doctest.h>

#include "tests/support/temp_tree.hpp"

TEST_CASE("host glob: wildcards in any component, sorted, dotfiles only for dot patterns") {
  hb::test::TempTree t;
  t.write("/etc/ssh/ssh_host_rsa_key", "");
  t.write("/etc/ssh/ssh_host_ed25519_key", "");
  t.write("/etc/ssh/ssh_host_ed25519_key.pub", "");
  t.write("/etc/ssh/.ssh_host_hidden_key", "");
  t.write("/etc/ssl/ssh_host_x_key", "");
  auto v = t.view();
  auto g = hb::expand_glob(*v, "/etc/ss*/ssh_host_*_key");
  REQUIRE(g.paths.size() == 3);
  CHECK(g.paths[0] == "/etc/ssh/ssh_host_ed25519_key");
  CHECK(g.paths[1] == "/etc/ssh/ssh_host_rsa_key");
  CHECK(g.paths[2] == "/etc/ssl/ssh_host_x_key");
  CHECK(g.errors.empty());
  CHECK(hb::expand_glob(*v, "/etc/ssh/.ssh_host_*").paths.size() == 1);
}

TEST_CASE("host glob: a missing directory matches nothing, literal components are unchecked") {
  hb::test::TempTree t;
  auto v = t.view();
  CHECK(hb::expand_glob(*v, "/etc/nowhere/*.conf").paths.empty());
  auto lit = hb::expand_glob(*v, "/etc/*/x");
  CHECK(lit.paths.empty());
  t.mkdir("/etc/a");
  auto one = hb::expand_glob(*v, "/etc/*/x");
  REQUIRE(one.paths.size() == 1);
  CHECK(one.paths[0] == "/etc/a/x");
}

TEST_CASE("host glob: an unlistable directory is an error, not an empty match") {
  hb::test::TempTree t;
  t.symlink("/etc/loop", "/etc/loop");  // ELOOP when listed
  auto g = hb::expand_glob(*t.view(), "/etc/loop/*.conf");
  CHECK(g.paths.empty());
  REQUIRE(g.errors.size() == 1);
  CHECK(g.errors[0].first == "/etc/loop");
}

TEST_CASE("host glob: too many matches stops early") {
  hb::test::TempTree t;
  for (int i = 0; i < 20; ++i) t.write("/d/f" + std::to_string(i), "");
  auto g = hb::expand_glob(*t.view(), "/d/*", 10);
  CHECK(g.too_many);
  CHECK(g.paths.empty());
}
