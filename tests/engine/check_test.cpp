#include "engine/check.hpp"

#include <doctest/doctest.h>

#include "engine/facts.hpp"
#include "tests/support/fake_probe.hpp"
#include "tests/support/temp_tree.hpp"

using hb::Status;

namespace {
Status eval(const std::string& yaml, hb::Outcome* out = nullptr) {
  YAML::Node n = YAML::Load(yaml);
  auto check = hb::Check::parse(hb::Params(n, "t.yaml", nullptr), hb::test::fake_kinds());
  hb::test::TempTree t;
  auto view = t.view();
  hb::Facts facts;
  hb::ProbeContext ctx{*view, facts, nullptr};
  auto o = check->evaluate(ctx);
  if (out) *out = o;
  return o.status;
}
std::string parse_error(const std::string& yaml) {
  try {
    YAML::Node n = YAML::Load(yaml);
    hb::Check::parse(hb::Params(n, "t.yaml", nullptr), hb::test::fake_kinds());
  } catch (const hb::ProfileError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("check: all fails on any failure, errs before passing, is n/a only when all are") {
  CHECK(eval("all: [{probe: fake, status: pass}, {probe: fake, status: pass}]") == Status::pass);
  CHECK(eval("all: [{probe: fake, status: pass}, {probe: fake, status: fail}]") == Status::fail);
  CHECK(eval("all: [{probe: fake, status: error}, {probe: fake, status: fail}]") == Status::fail);
  CHECK(eval("all: [{probe: fake, status: error}, {probe: fake, status: pass}]") == Status::error);
  CHECK(eval("all: [{probe: fake, status: notapplicable}, {probe: fake, status: pass}]") == Status::pass);
  CHECK(eval("all: [{probe: fake, status: notapplicable}]") == Status::notapplicable);
}

TEST_CASE("check: any passes on one pass, and an error is not a failure") {
  CHECK(eval("any: [{probe: fake, status: fail}, {probe: fake, status: pass}]") == Status::pass);
  CHECK(eval("any: [{probe: fake, status: fail}, {probe: fake, status: fail}]") == Status::fail);
  CHECK(eval("any: [{probe: fake, status: fail}, {probe: fake, status: error}]") == Status::error);
}

TEST_CASE("check: none fails when a child passes") {
  CHECK(eval("none: [{probe: fake, status: fail}, {probe: fake, status: fail}]") == Status::pass);
  CHECK(eval("none: [{probe: fake, status: fail}, {probe: fake, status: pass}]") == Status::fail);
}

TEST_CASE("check: evidence of every child is kept, in order") {
  hb::Outcome o;
  eval("all: [{probe: fake, evidence: one}, {probe: fake, evidence: two}]", &o);
  REQUIRE(o.evidence.size() == 2);
  CHECK(o.evidence[0] == "one");
  CHECK(o.evidence[1] == "two");
}

TEST_CASE("check: nested combinators") {
  CHECK(eval("any: [{all: [{probe: fake, status: pass}, {probe: fake, status: fail}]}, "
             "{none: [{probe: fake, status: fail}]}]") == Status::pass);
}

TEST_CASE("check: unknown probe kinds, keys and empty lists are load errors with a location") {
  CHECK(parse_error("probe: nosuch").find("t.yaml:1:8: probe: unknown probe kind 'nosuch' (known: fake)") == 0);
  CHECK(parse_error("{probe: fake, stauts: pass}").find("unknown key 'stauts'") != std::string::npos);
  CHECK(parse_error("all: []").find("non-empty list") != std::string::npos);
  CHECK(parse_error("{all: [{probe: fake}], extra: 1}").find("unknown key 'extra'") != std::string::npos);
  CHECK(parse_error("status: pass").find("needs 'probe: KIND'") != std::string::npos);
  CHECK(parse_error("all: [5]").find("expected a check") != std::string::npos);
}
