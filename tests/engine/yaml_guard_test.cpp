#include "engine/yaml_guard.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

namespace {

// Ten levels of ten aliases of the level below: 10^10 nodes once expanded, 1 KB of text.
std::string billion_laughs(int levels) {
  std::string y = "l0: &l0 [a, a, a, a, a, a, a, a, a, a]\n";
  for (int i = 1; i <= levels; ++i) {
    y += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) y += (j ? ", *l" : "*l") + std::to_string(i - 1);
    y += "]\n";
  }
  return y;
}

}  // namespace

TEST_CASE("yaml guard: an ordinary document with anchors and aliases passes") {
  auto r = hb::load_yaml_bounded("a: &x [1, 2, 3]\nb: *x\nc: {d: *x}\n", "t.yaml");
  CHECK(r.ok());
}

TEST_CASE("yaml guard: billion laughs is refused quickly, naming the line of the alias") {
  const auto t0 = std::chrono::steady_clock::now();
  auto r = hb::load_yaml_bounded(billion_laughs(9), "bomb.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.kind() == hb::ErrorKind::too_large);
  CHECK(r.message().find("bomb.yaml:") == 0);
  CHECK(r.message().find("aliases expanded") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(1));
  // Four levels (10^5 nodes) is within the default bound.
  CHECK(hb::load_yaml_bounded(billion_laughs(4), "ok.yaml").ok());
}

TEST_CASE("yaml guard: an alias inside the node it names (a cycle) is refused") {
  auto r = hb::load_yaml_bounded("x: &a [1, *a]\n", "cycle.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.message().find("cycle.yaml:1:") == 0);
  CHECK(r.message().find("cycle") != std::string::npos);
  auto m = hb::load_yaml_bounded("x: &a {k: *a}\n", "cycle.yaml");
  CHECK_FALSE(m.ok());
}

TEST_CASE("yaml guard: nesting deeper than the bound is refused, 100,000 levels included") {
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  auto r = hb::load_yaml_bounded(deep, "deep.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.message().find("deep.yaml:1:") == 0);  // yaml-cpp's own depth guard, past 500
  CHECK(r.message().find("nested more than 64 levels deep") != std::string::npos);
  std::string hundred = std::string(100, '[') + std::string(100, ']');
  auto h = hb::load_yaml_bounded(hundred, "hundred.yaml");
  REQUIRE_FALSE(h.ok());
  CHECK(h.message().find("nested more than 64 levels deep") != std::string::npos);
  std::string ok = std::string(20, '[') + std::string(20, ']');
  CHECK(hb::load_yaml_bounded(ok, "ok.yaml").ok());
}

TEST_CASE("yaml guard: size and node-count caps are configurable") {
  hb::YamlBounds small;
  small.max_bytes = 10;
  auto big = hb::load_yaml_bounded("key: a longer value\n", "big.yaml", small);
  REQUIRE_FALSE(big.ok());
  CHECK(big.message() == "big.yaml: larger than 10 bytes");
  hb::YamlBounds few;
  few.max_nodes = 5;
  CHECK_FALSE(hb::load_yaml_bounded("[1, 2, 3, 4, 5, 6]", "n.yaml", few).ok());
  CHECK(hb::load_yaml_bounded("[1, 2, 3]", "n.yaml", few).ok());
}

TEST_CASE("yaml guard: a syntax error is reported with its position") {
  auto r = hb::load_yaml_bounded("a: [1, 2\nb: c\n", "syntax.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.kind() == hb::ErrorKind::parse);
  CHECK(r.message().find("syntax.yaml:") == 0);
}

TEST_CASE("yaml guard: bytes that are not UTF-8, and NUL bytes, are refused with their position") {
  auto latin1 = hb::load_yaml_bounded("a: 1\ntitle: caf\xe9\n", "l1.yaml");
  REQUIRE_FALSE(latin1.ok());
  CHECK(latin1.message() == "l1.yaml:2:11: not UTF-8 (the file must be UTF-8 text)");
  auto nul = hb::load_yaml_bounded(std::string("a: x\0y\n", 7), "nul.yaml");
  REQUIRE_FALSE(nul.ok());
  CHECK(nul.message() == "nul.yaml:1:5: a NUL byte (the file must be UTF-8 text)");
  CHECK_FALSE(hb::load_yaml_bounded("\xff\xfe" "a\0:\0", "utf16.yaml").ok());
  CHECK_FALSE(hb::load_yaml_bounded("a: \xed\xa0\x80\n", "surrogate.yaml").ok());
  CHECK_FALSE(hb::load_yaml_bounded("a: \xc0\xaf\n", "overlong.yaml").ok());
  CHECK_FALSE(hb::load_yaml_bounded("a: \xe2\x82\n", "truncated.yaml").ok());
  CHECK(hb::load_yaml_bounded("title: caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92\n", "ok.yaml").ok());
}
