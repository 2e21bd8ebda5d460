#include "engine/json_text.hpp"

#include <doctest/doctest.h>

#include <string>

TEST_CASE("json_text: a document parses, errors name origin, line and column") {
  auto ok = hb::parse_json_text("/etc/docker/daemon.json", "{\"icc\": false, \"hosts\": [\"fd://\"]}");
  REQUIRE(ok.ok());
  CHECK(ok.value()["icc"] == false);
  auto bad = hb::parse_json_text("/etc/docker/daemon.json", "{\n  \"icc\": fals\n}\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.kind() == hb::ErrorKind::parse);
  CHECK(bad.message().rfind("/etc/docker/daemon.json:2:", 0) == 0);
  CHECK(hb::line_col("ab\ncd", 4) == "2:2");
  CHECK(hb::line_col("ab", 99) == "1:3");  // past the end: clamped
}

TEST_CASE("json_text: nesting deeper than the limit is refused before parsing") {
  const std::size_t deep = hb::k_max_json_depth + 1;
  auto too_deep = hb::parse_json_text("api", std::string(deep, '[') + std::string(deep, ']'));
  REQUIRE_FALSE(too_deep.ok());
  CHECK(too_deep.message().find("nested deeper than 512 levels") != std::string::npos);
  CHECK(too_deep.message().rfind("api:1:513:", 0) == 0);
  const std::size_t fine = hb::k_max_json_depth;
  CHECK(hb::parse_json_text("api", std::string(fine, '[') + std::string(fine, ']')).ok());
  // Brackets inside strings do not count.
  CHECK(hb::parse_json_text("api", "\"" + std::string(100000, '[') + "\"").ok());
  // A million brackets: an error, not a crash.
  CHECK_FALSE(hb::parse_json_text("api", std::string(1000000, '{')).ok());
}
