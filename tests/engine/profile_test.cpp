#include "engine/profile.hpp"

#include <doctest/doctest.h>

#include "tests/support/fake_probe.hpp"
#include "tests/support/temp_tree.hpp"

using hb::LoadOptions;
using hb::test::TempTree;

namespace {

const char* k_base = R"(profile:
  id: base
  title: Base
  version: "1.0"
vars:
  limit: 4
  ports: [22]
rules:
  - id: base.one
    title: First
    rationale: because
    remediation: fix it
    severity: high
    references: { cis-debian12: "5.1.1" }
    tags: [ssh]
    check: { probe: fake, status: pass, evidence: "limit ${limit}" }
  - id: base.two
    title: Second
    rationale: because
    remediation: fix it
    severity: low
    check: { probe: fake, status: fail }
)";

LoadOptions in(const TempTree& t) {
  LoadOptions lo;
  lo.dirs = {t.root() + "/profiles"};
  return lo;
}

hb::Expected<hb::ProfileSet> load(const TempTree& t, std::vector<std::string> names,
                                  LoadOptions lo) {
  (void)t;
  return hb::load_profiles(names, hb::test::fake_kinds(), lo);
}

}  // namespace

TEST_CASE("profile: a profile loads with typed metadata and rules in file order") {
  TempTree t;
  t.write("/profiles/base.yaml", k_base);
  auto set = load(t, {"base"}, in(t));
  REQUIRE_MESSAGE(set.ok(), (set.ok() ? "" : set.message()));
  REQUIRE(set->rules.size() == 2);
  const auto& r = set->rules[0].meta;
  CHECK(r.id == "base.one");
  CHECK(r.severity == hb::Severity::high);
  CHECK(r.references.size() == 1);
  CHECK(r.references[0].second == "5.1.1");
  CHECK(r.tags == std::vector<std::string>{"ssh"});
  CHECK(r.profile == "base");
  CHECK(r.source.find("base.yaml:9:5") != std::string::npos);
  CHECK(set->requested == std::vector<std::string>{"base"});
}

TEST_CASE("profile: extends puts parents' rules first, children override vars and rules") {
  TempTree t;
  t.write("/profiles/base.yaml", k_base);
  t.write("/profiles/child.yaml", R"(profile: { id: child, title: Child, version: "2", extends: [base] }
vars: { limit: 9 }
rules:
  - id: base.two
    title: Second, stricter
    rationale: r
    remediation: m
    severity: critical
    check: { probe: fake, status: pass }
  - id: child.own
    title: Own
    rationale: r
    remediation: m
    severity: info
    check: { probe: fake }
)");
  auto set = load(t, {"child"}, in(t));
  REQUIRE_MESSAGE(set.ok(), (set.ok() ? "" : set.message()));
  REQUIRE(set->rules.size() == 3);
  CHECK(set->rules[0].meta.id == "base.one");
  CHECK(set->rules[1].meta.title == "Second, stricter");
  CHECK(set->rules[1].meta.severity == hb::Severity::critical);
  CHECK(set->rules[2].meta.id == "child.own");
  CHECK(set->vars.at("limit").Scalar() == "9");
  REQUIRE(set->profiles.size() == 2);
  CHECK(set->profiles[0].id == "base");
}

TEST_CASE("profile: --var overrides a variable, typed as YAML, an unknown name is an error") {
  TempTree t;
  t.write("/profiles/base.yaml", k_base);
  auto lo = in(t);
  lo.var_overrides = {{"ports", "[22, 443]"}};
  auto set = load(t, {"base"}, lo);
  REQUIRE(set.ok());
  CHECK(set->vars.at("ports").size() == 2);
  lo.var_overrides = {{"prots", "1"}};
  auto bad = load(t, {"base"}, lo);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.message() == "--var prots: no such variable in the selected profiles");
}

TEST_CASE("profile: a misspelt key is an error naming file, line and column") {
  TempTree t;
  std::string text = k_base;
  text.replace(text.find("    remediation: fix it\n    severity: low"), 22, "    remediaton: fix it");
  t.write("/profiles/base.yaml", text);
  auto set = load(t, {"base"}, in(t));
  REQUIRE_FALSE(set.ok());
  CHECK(set.message().find("base.yaml:20:5: unknown key 'remediaton' (did you mean 'remediation'?)") !=
        std::string::npos);
}

TEST_CASE("profile: load errors name their place") {
  TempTree t;
  auto err = [&](const std::string& body) {
    t.write("/profiles/p.yaml", body);
    auto set = load(t, {"p"}, in(t));
    return set.ok() ? std::string() : set.message();
  };
  const std::string head = "profile: {id: p, title: P, version: '1'}\nrules:\n";
  const std::string rule = "  - {id: a.b, title: T, rationale: r, remediation: m, severity: low, ";
  CHECK(err(head + rule + "check: {probe: nosuch}}\n").find("p.yaml:3:") != std::string::npos);
  CHECK(err(head + rule + "check: {probe: nosuch}}\n").find("unknown probe kind 'nosuch'") != std::string::npos);
  CHECK(err(head + rule + "check: {probe: fake}}\n" + rule + "check: {probe: fake}}\n")
            .find("p.yaml:4:5: duplicate rule id 'a.b'") != std::string::npos);
  CHECK(err(head + "  - {id: a.b, title: T, rationale: r, remediation: m, severity: urgent, check: {probe: fake}}\n")
            .find("'urgent' is not one of: info") != std::string::npos);
  CHECK(err(head + "  - {id: A_B, title: T, rationale: r, remediation: m, severity: low, check: {probe: fake}}\n")
            .find("not a valid rule id") != std::string::npos);
  CHECK(err(head + rule + "check: {probe: fake, sleep_ms: lots}}\n").find("whole number") != std::string::npos);
  CHECK(err("profile: {id: p, title: P, version: '1'}\nrules: [\n").find("p.yaml:3:1: ") != std::string::npos);
  CHECK(err("profile: {id: p, title: P}\n").find("missing required key 'version'") != std::string::npos);
  CHECK(err("- just a list\n").find("a profile is a mapping") != std::string::npos);
  CHECK(err(head + rule + "check: {probe: fake}}\nextra: 1\n").find("unknown key 'extra'") != std::string::npos);
}

TEST_CASE("profile: a cycle in extends is an error") {
  TempTree t;
  t.write("/profiles/a.yaml", "profile: {id: a, title: A, version: '1', extends: [b]}\n");
  t.write("/profiles/b.yaml", "profile: {id: b, title: B, version: '1', extends: [a]}\n");
  auto set = load(t, {"a"}, in(t));
  REQUIRE_FALSE(set.ok());
  CHECK(set.message().find("cycle in extends") != std::string::npos);
}

TEST_CASE("profile: a diamond loads each parent once, unrelated profiles may not share a rule id") {
  TempTree t;
  t.write("/profiles/base.yaml", k_base);
  t.write("/profiles/l.yaml", "profile: {id: l, title: L, version: '1', extends: [base]}\n");
  t.write("/profiles/r.yaml", "profile: {id: r, title: R, version: '1', extends: [base]}\n");
  t.write("/profiles/top.yaml", "profile: {id: top, title: T, version: '1', extends: [l, r]}\n");
  auto set = load(t, {"top"}, in(t));
  REQUIRE_MESSAGE(set.ok(), (set.ok() ? "" : set.message()));
  CHECK(set->rules.size() == 2);
  CHECK(set->profiles.size() == 4);
  t.write("/profiles/other.yaml", std::string(k_base).replace(std::string(k_base).find("id: base"), 8, "id: other"));
  auto clash = load(t, {"base", "other"}, in(t));
  REQUIRE_FALSE(clash.ok());
  CHECK(clash.message().find("rule id 'base.one' is already defined at") != std::string::npos);
}

TEST_CASE("profile: names resolve through the directories in order, a path works as is") {
  TempTree t;
  t.write("/first/p.yaml", "profile: {id: first, title: F, version: '1'}\n");
  t.write("/second/p.yaml", "profile: {id: second, title: S, version: '1'}\n");
  t.write("/second/q.yml", "profile: {id: q, title: Q, version: '1'}\n");
  std::vector<std::string> dirs = {t.root() + "/first", t.root() + "/second"};
  CHECK(*hb::resolve_profile("p", dirs) == t.root() + "/first/p.yaml");
  CHECK(*hb::resolve_profile("q", dirs) == t.root() + "/second/q.yml");
  CHECK(*hb::resolve_profile(t.root() + "/second/p.yaml", dirs) == t.root() + "/second/p.yaml");
  auto missing = hb::resolve_profile("nope", dirs);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.message().find("profile 'nope' not found in") == 0);
  auto listed = hb::list_profiles(dirs);
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].second == t.root() + "/first/p.yaml");
}

TEST_CASE("profile: extends resolves next to the extending file first") {
  TempTree t;
  t.write("/elsewhere/base.yaml", k_base);
  t.write("/elsewhere/kid.yaml", "profile: {id: kid, title: K, version: '1', extends: [base]}\n");
  LoadOptions lo;
  lo.dirs = {};
  auto set = hb::load_profiles({t.root() + "/elsewhere/kid.yaml"}, hb::test::fake_kinds(), lo);
  REQUIRE_MESSAGE(set.ok(), (set.ok() ? "" : set.message()));
  CHECK(set->rules.size() == 2);
}
