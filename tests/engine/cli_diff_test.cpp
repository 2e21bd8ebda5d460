// `hostbench diff` and load_results_file(), in process (the integration script drift_test.sh
// runs the real binary on real scans).
#include <doctest/doctest.h>
#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "engine/cli.hpp"
#include "reports/json_report.hpp"
#include "tests/support/sample_report.hpp"
#include "tests/support/temp_tree.hpp"

namespace {

// Captures std::cout and std::cerr for the lifetime of the object.
struct Captured {
  std::ostringstream out, err;
  std::streambuf* old_out = std::cout.rdbuf(out.rdbuf());
  std::streambuf* old_err = std::cerr.rdbuf(err.rdbuf());
  ~Captured() {
    std::cout.rdbuf(old_out);
    std::cerr.rdbuf(old_err);
  }
};

std::string json_of(const hb::ScanReport& r) {
  std::ostringstream out;
  hb::write_json_report(r, out);
  return out.str();
}

// The sample with host.ssh.permit_root_login failing, a day later.
hb::ScanReport worse() {
  auto r = hb::test::sample_report();
  r.meta.started += std::chrono::hours(24);
  r.meta.finished += std::chrono::hours(24);
  r.results[1].status = hb::Status::fail;
  r.results[1].evidence = {"PermitRootLogin yes"};
  r.summary = hb::compute_summary(r.results);
  return r;
}

int diff(const std::vector<std::string>& args) {
  return hb::cmd_diff(args);
}

}  // namespace

TEST_CASE("load_results_file: reads results, errors name the file and what is wrong") {
  hb::test::TempTree t;
  const std::string good = t.write("/good.json", json_of(hb::test::sample_report()));
  auto ok = hb::load_results_file(good);
  REQUIRE(ok);
  CHECK(ok->results.size() == 5);
  CHECK(ok->meta.hostname == "web01");

  auto missing = hb::load_results_file(t.real("/missing.json"));
  REQUIRE_FALSE(missing);
  CHECK(missing.kind() == hb::ErrorKind::not_found);
  CHECK(missing.message() == t.real("/missing.json") + ": No such file or directory");

  t.mkdir("/dir");
  auto dir = hb::load_results_file(t.real("/dir"));
  REQUIRE_FALSE(dir);
  CHECK(dir.message() == t.real("/dir") + ": not a regular file");

  t.mkfifo("/fifo");  // must not hang waiting for a writer
  CHECK(hb::load_results_file(t.real("/fifo")).kind() == hb::ErrorKind::not_regular);

  auto truncated = hb::load_results_file(
      t.write("/cut.json", json_of(hb::test::sample_report()).substr(0, 200)));
  REQUIRE_FALSE(truncated);
  CHECK(truncated.message().rfind(t.real("/cut.json") + ": invalid JSON:", 0) == 0);

  auto other = hb::load_results_file(t.write("/other.json", "{\"schema\": \"other/1\"}"));
  REQUIRE_FALSE(other);
  CHECK(other.message().find("/other.json: not hostbench results") != std::string::npos);

  // Larger than the cap (a sparse file: nothing is written or read).
  const std::string big = t.write("/big.json", "{");
  REQUIRE(::truncate(big.c_str(), static_cast<off_t>(hb::k_max_results_bytes + 1)) == 0);
  auto too_big = hb::load_results_file(big);
  REQUIRE_FALSE(too_big);
  CHECK(too_big.kind() == hb::ErrorKind::too_large);
  CHECK(too_big.message() == big + ": larger than 268435456 bytes");

  // A million brackets: refused before the recursive parser sees them.
  auto deep = hb::load_results_file(t.write("/deep.json", std::string(1000000, '[')));
  REQUIRE_FALSE(deep);
  CHECK(deep.message().find("nested deeper than 64 levels") != std::string::npos);
}

TEST_CASE("cli diff: exit 1 when something newly fails, 0 the other way round and when equal") {
  hb::test::TempTree t;
  const std::string old_file = t.write("/old.json", json_of(hb::test::sample_report()));
  const std::string new_file = t.write("/new.json", json_of(worse()));
  Captured c;
  CHECK(diff({old_file, new_file, "--no-color"}) == 1);
  CHECK(c.out.str().find("1 newly failing") != std::string::npos);
  CHECK(c.out.str().find("host.ssh.permit_root_login") != std::string::npos);
  CHECK(c.out.str().find('\x1b') == std::string::npos);  // not a terminal: no colour anyway
  CHECK(diff({new_file, old_file}) == 0);
  CHECK(diff({old_file, old_file}) == 0);
}

TEST_CASE("cli diff: --json and --html write the drift, '-' puts JSON on standard output") {
  hb::test::TempTree t;
  const std::string old_file = t.write("/old.json", json_of(hb::test::sample_report()));
  const std::string new_file = t.write("/new.json", json_of(worse()));
  Captured c;
  REQUIRE(diff({old_file, new_file, "--json", t.real("/d.json"), "--html", t.real("/d.html")}) ==
          1);
  auto j = nlohmann::json::parse(hb::test::slurp(t.real("/d.json")));
  CHECK(j["schema"] == "hostbench-drift/1");
  CHECK(j["newly_failing"][0]["id"] == "host.ssh.permit_root_login");
  const std::string html = hb::test::slurp(t.real("/d.html"));
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("data-rule=\"host.ssh.permit_root_login\"") != std::string::npos);

  Captured c2;
  REQUIRE(diff({old_file, new_file, "--json", "-"}) == 1);
  CHECK(nlohmann::json::parse(c2.out.str())["counts"]["newly_failing"] == 1);
  CHECK(c2.err.str().find("hostbench diff: web01") != std::string::npos);  // the listing moved
}

TEST_CASE("cli diff: usage errors and unreadable results exit 2 naming the file") {
  hb::test::TempTree t;
  const std::string good = t.write("/good.json", json_of(hb::test::sample_report()));
  const std::string bad =
      t.write("/bad.json", "{\"schema\": \"hostbench-results/1\", \"results\": 7}");
  Captured c;
  CHECK(diff({}) == 2);
  CHECK(diff({good}) == 2);
  CHECK(diff({good, good, good}) == 2);
  CHECK(diff({"-", "-"}) == 2);
  CHECK(diff({good, good, "--frobnicate"}) == 2);
  CHECK(diff({good, good, "--html", "-"}) == 2);
  CHECK(diff({good, bad}) == 2);
  CHECK(c.err.str().find(bad + ": results: missing or not a list") != std::string::npos);
  CHECK(diff({t.real("/nope.json"), good}) == 2);
  CHECK(c.err.str().find(t.real("/nope.json") + ": No such file or directory") !=
        std::string::npos);
  CHECK(diff({good, good, "--json", t.real("/no/such/dir/d.json")}) == 2);
  CHECK(diff({"--help"}) == 0);
  CHECK(c.out.str().find("Usage: hostbench diff OLD.json NEW.json") != std::string::npos);
}
