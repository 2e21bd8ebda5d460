#include <doctest/doctest.h>

#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "engine/cli.hpp"
#include "reports/json_report.hpp"
#include "tests/support/sample_report.hpp"
#include "tests/support/temp_tree.hpp"

namespace {
std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("cli report: formats are unique and each gives an option") {
  std::set<std::string> names;
  for (const auto& f : hb::report_formats()) {
    CHECK(names.insert(std::string(f.name)).second);
    CHECK_FALSE(f.summary.empty());
  }
  CHECK(names.count("json"));
  CHECK(hb::report_options().size() == hb::report_formats().size());
}

TEST_CASE("cli report: every format renders again from JSON to the same bytes") {
  hb::test::TempTree t;
  const auto report = hb::test::sample_report();
  std::ostringstream js;
  hb::write_json_report(report, js);
  const std::string in = t.write("/results.json", js.str());
  std::vector<std::string> args = {in, "--quiet"};
  for (const auto& f : hb::report_formats()) {
    args.push_back("--" + std::string(f.name));
    args.push_back(t.real("/out." + std::string(f.name)));
  }
  REQUIRE(hb::cmd_report(args) == 0);
  for (const auto& f : hb::report_formats()) {
    CAPTURE(f.name);
    std::ostringstream direct;
    f.write(report, direct);
    CHECK(slurp(t.real("/out." + std::string(f.name))) == direct.str());
  }
}

TEST_CASE("cli report: unreadable or foreign input exits 2") {
  hb::test::TempTree t;
  std::ostringstream errors;
  auto* old = std::cerr.rdbuf(errors.rdbuf());
  const std::vector<std::string> missing = {t.real("/missing.json")};
  CHECK(hb::cmd_report(missing) == 2);
  t.write("/other.json", "{\"schema\": \"other/1\"}");
  const std::vector<std::string> other = {t.real("/other.json"), "--quiet"};
  CHECK(hb::cmd_report(other) == 2);
  CHECK(hb::cmd_report(std::vector<std::string>{}) == 2);
  std::cerr.rdbuf(old);
  CHECK(errors.str().find("not hostbench results") != std::string::npos);
}
