// `hostbench scan` in-process: exit codes and the files it writes. (tests/integration/cli_test.sh
// drives the real binary end to end.)
#include <doctest/doctest.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/cli.hpp"
#include "tests/support/temp_tree.hpp"

namespace {

// Runs a command with its standard output captured.
int run(int (*cmd)(std::span<const std::string>), std::vector<std::string> args, std::string* out = nullptr) {
  std::ostringstream captured, errors;
  auto* old_out = std::cout.rdbuf(captured.rdbuf());
  auto* old_err = std::cerr.rdbuf(errors.rdbuf());
  int rc = cmd(args);
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  if (out) *out = captured.str() + errors.str();
  return rc;
}

const std::string k_profile = std::string(HB_SOURCE_DIR) + "/profiles/linux.yaml";

}  // namespace

TEST_CASE("cli scan: the weak fixture exits 1 and writes JSON results") {
  auto weak = hb::test::TempTree::from_fixture("weak");
  hb::test::TempTree out;
  const std::string json = out.root() + "/r.json";
  std::string console;
  int rc = run(hb::cmd_scan, {"--profile", k_profile, "--root", weak.root(), "--json", json, "--no-color"}, &console);
  CHECK(rc == 1);
  CHECK(console.find("FAIL ") != std::string::npos);
  std::ifstream in(json);
  auto j = nlohmann::json::parse(in);
  CHECK(j["scan"]["root"] == weak.root());
  CHECK(j["summary"]["fail"].get<int>() > 0);
}

TEST_CASE("cli scan: --fail-on raises the bar for exit 1") {
  auto weak = hb::test::TempTree::from_fixture("weak");
  int rc = run(hb::cmd_scan, {"--profile", k_profile, "--root", weak.root(), "--quiet", "--fail-on", "critical"});
  CHECK(rc != 1);
  CHECK((rc == 0 || rc == 3));
}

TEST_CASE("cli scan: usage and profile mistakes exit 2 before scanning") {
  std::string out;
  CHECK(run(hb::cmd_scan, {"--jobs", "0"}, &out) == 2);
  CHECK(out.find("--jobs 0") != std::string::npos);
  CHECK(run(hb::cmd_scan, {"--fail-on", "urgent"}) == 2);
  CHECK(run(hb::cmd_scan, {"--profile", "/nonexistent/p.yaml"}) == 2);
  CHECK(run(hb::cmd_scan, {"--profile", k_profile, "--var", "nosuchvar=1"}) == 2);
  CHECK(run(hb::cmd_scan, {"--profile", k_profile, "--root", "/nonexistent-root"}) == 2);
  CHECK(run(hb::cmd_scan, {"stray"}) == 2);
  CHECK(run(hb::cmd_scan, {"--help"}, &out) == 0);
  CHECK(out.find("--fail-on SEVERITY") != std::string::npos);
}
