#include "tests/support/probe_harness.hpp"

namespace hb::test {

Outcome run_probe(ParseFn parse, const std::string& yaml, const HostView& host, Facts* facts) {
  YAML::Node node = YAML::Load(yaml);
  Params params(node, "test.yaml", nullptr);
  auto probe = parse(params);
  params.finish();
  Facts local;
  ProbeContext ctx{host, facts ? *facts : local, nullptr};
  return probe->evaluate(ctx);
}

std::string parse_error(ParseFn parse, const std::string& yaml) {
  try {
    YAML::Node node = YAML::Load(yaml);
    Params params(node, "test.yaml", nullptr);
    auto probe = parse(params);
    params.finish();
  } catch (const ProfileError& e) {
    return e.what();
  }
  return "";
}

std::string all_evidence(const Outcome& o) {
  std::string out;
  for (const auto& e : o.evidence) out += e + "\n";
  for (const auto& obj : o.objects) {
    out += obj.id + ":\n";
    for (const auto& e : obj.evidence) out += "  " + e + "\n";
  }
  return out;
}

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

std::string lines(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + "\n";
  return out;
}

}  // namespace hb::test
