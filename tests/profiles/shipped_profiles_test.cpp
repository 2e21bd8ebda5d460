// Every shipped profile loads, and the linux profile gives the verdicts its fixtures promise:
// the hardened host passes what it covers, the weak host fails with evidence, an empty root
// passes nothing.
#include <doctest/doctest.h>

#include <filesystem>

#include "checks/registry.hpp"
#include "engine/profile.hpp"
#include "engine/scanner.hpp"
#include "tests/support/scan_harness.hpp"
#include "tests/support/temp_tree.hpp"

namespace fs = std::filesystem;
using hb::Status;

namespace {

const std::string k_profiles = std::string(HB_SOURCE_DIR) + "/profiles";

std::shared_ptr<const hb::ProfileSet> load(const std::string& name) {
  hb::LoadOptions lo;
  lo.dirs = {k_profiles};
  auto set = hb::load_profiles({name}, hb::probe_kinds(), lo);
  REQUIRE_MESSAGE(set.ok(), (set.ok() ? "" : set.message()));
  return std::make_shared<const hb::ProfileSet>(std::move(set.value()));
}

std::vector<hb::RuleResult> scan(const std::string& profile, const std::string& root) {
  std::vector<hb::RuleResult> out;
  for (auto& [id, r] : hb::test::scan_profile(profile, root)) out.push_back(std::move(r));
  return out;
}

using hb::test::describe;

}  // namespace

TEST_CASE("shipped profiles: every file in profiles/ loads") {
  int n = 0;
  for (const auto& e : fs::directory_iterator(k_profiles)) {
    if (e.path().extension() != ".yaml") continue;
    ++n;
    CAPTURE(e.path().string());
    load(e.path().stem().string());
  }
  CHECK(n >= 2);
}

TEST_CASE("shipped profiles: linux has at least 80 rules, each with rationale, remediation, tags") {
  auto set = load("linux");
  CHECK(set->rules.size() >= 80);
  for (const auto& r : set->rules) {
    CAPTURE(r.meta.id);
    CHECK(r.meta.id.rfind("host.", 0) == 0);
    CHECK(r.meta.rationale.size() > 20);
    CHECK(r.meta.remediation.size() > 20);
    CHECK_FALSE(r.meta.tags.empty());
  }
}

TEST_CASE("shipped profiles: default extends linux and is what a plain scan uses") {
  auto set = load("default");
  auto linux_set = load("linux");
  CHECK(set->rules.size() >= linux_set->rules.size());
  bool has_linux = false;
  for (const auto& p : set->profiles) has_linux |= p.id == "linux";
  CHECK(has_linux);
}

TEST_CASE("shipped profiles: the hardened fixture passes every linux rule it covers") {
  auto tree = hb::test::TempTree::from_fixture("hardened");
  auto results = scan("linux", tree.root());
  int passed = 0;
  for (const auto& r : results) {
    CAPTURE(describe(r));
    CHECK((r.status == Status::pass || r.status == Status::notapplicable));
    passed += r.status == Status::pass;
  }
  CHECK(passed >= 25);
}

TEST_CASE("shipped profiles: the weak fixture fails with evidence naming the file and the value") {
  auto tree = hb::test::TempTree::from_fixture("weak");
  auto results = scan("linux", tree.root());
  int failed = 0;
  for (const auto& r : results) {
    CAPTURE(describe(r));
    CHECK(r.status != Status::error);
    if (r.status != Status::fail) continue;
    ++failed;
    std::string all = describe(r);
    CHECK(all.find('/') != std::string::npos);  // a file or /proc path is named
  }
  CHECK(failed >= 20);
}

TEST_CASE("shipped profiles: an empty directory as --root gives no pass at all") {
  hb::test::TempTree empty;
  for (const std::string profile : {"linux", "default"}) {
    for (const auto& r : scan(profile, empty.root())) {
      CAPTURE(describe(r));
      CHECK(r.status != Status::pass);
    }
  }
}
