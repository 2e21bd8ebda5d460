#include "checks/registry.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

TEST_CASE("registry: kinds are unique, sorted, each with a summary and a parser") {
  auto kinds = hb::probe_kinds();
  REQUIRE(kinds.size() >= 4);
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    CAPTURE(kinds[i].name);
    CHECK_FALSE(kinds[i].summary.empty());
    CHECK(static_cast<bool>(kinds[i].parse));
    if (i > 0) CHECK(kinds[i - 1].name < kinds[i].name);
  }
}

TEST_CASE("registry: every kind has its section in profiles/README.md") {
  std::ifstream in(std::string(HB_SOURCE_DIR) + "/profiles/README.md");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  for (const auto& k : hb::probe_kinds()) {
    CAPTURE(k.name);
    CHECK(doc.find("## Probe: " + std::string(k.name) + "\n") != std::string::npos);
  }
}
