#include "tests/support/scan_harness.hpp"

#include <doctest/doctest.h>

#include "checks/registry.hpp"
#include "engine/profile.hpp"
#include "engine/scanner.hpp"

namespace hb::test {

std::map<std::string, RuleResult> scan_profile(const std::string& profile, const std::string& root,
                                               const std::string& id_glob) {
  LoadOptions lo;
  lo.dirs = {std::string(HB_SOURCE_DIR) + "/profiles"};
  auto set = load_profiles({profile}, probe_kinds(), lo);
  REQUIRE_MESSAGE(set.ok(), (set.ok() ? "" : set.message()));
  auto owner = std::make_shared<const ProfileSet>(std::move(set.value()));
  auto rules = select_rules(*owner, Selection{{id_glob}, {}, {}});
  REQUIRE_MESSAGE(rules.ok(), (rules.ok() ? "" : rules.message()));
  auto view = open_host_view(root);
  REQUIRE(view.ok());
  ScanOptions so;
  so.jobs = 2;
  auto run = run_scan(owner, *rules, std::shared_ptr<const HostView>(std::move(view.value())),
                      nullptr, so);
  std::map<std::string, RuleResult> out;
  for (auto& r : run.results) out.emplace(r.meta.id, std::move(r));
  return out;
}

std::string describe(const RuleResult& r) {
  std::string s = r.meta.id + " " + std::string(to_string(r.status)) + ":";
  for (const auto& e : r.evidence) s += " " + e;
  for (const auto& o : r.objects)
    for (const auto& e : o.evidence) s += " [" + o.id + "] " + e;
  return s;
}

}  // namespace hb::test
