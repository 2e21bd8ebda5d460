#include "reports/json_report.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>

namespace {
hb::ScanReport sample() {
  hb::ScanReport rep;
  rep.meta.version = "0.1.0";
  rep.meta.started = hb::SystemTime(std::chrono::milliseconds(1795903451000LL));
  rep.meta.finished = rep.meta.started + std::chrono::milliseconds(1234);
  rep.meta.root = "/mnt/image";
  rep.meta.hostname = "web\xff" "01";
  rep.meta.os = "Debian GNU/Linux 12 (bookworm)";
  rep.meta.kernel = "unknown (offline root)";
  rep.meta.user = "root(0)";
  rep.meta.jobs = 2;
  rep.meta.profiles = {{"linux", "Linux", "1.0.0", "", false, {}}, {"default", "Default", "1.0.0", "Linux and Docker", true, {"linux"}}};
  hb::RuleResult r;
  r.meta.id = "host.files.shadow";
  r.meta.title = "shadow";
  r.meta.profile = "linux";
  r.meta.severity = hb::Severity::high;
  r.meta.references = {{"cis-debian12", "7.1.5"}};
  r.meta.tags = {"files"};
  r.meta.rationale = "r";
  r.meta.remediation = "chmod 0640 /etc/shadow";
  r.status = hb::Status::fail;
  r.evidence = {"/etc/shadow: mode 0644 allows 0004 beyond 0640 \"quoted\" <b>"};
  r.objects = {{"/etc/shadow", hb::Status::fail, {"mode 0644"}}};
  r.duration_us = 1500;
  rep.results = {r};
  rep.summary = hb::compute_summary(rep.results);
  return rep;
}
}  // namespace

TEST_CASE("json report: the schema's keys, in a stable order, valid UTF-8") {
  std::ostringstream out;
  hb::write_json_report(sample(), out);
  auto j = nlohmann::ordered_json::parse(out.str());
  CHECK(j["schema"] == "hostbench-results/1");
  std::vector<std::string> keys;
  for (auto& [k, v] : j.items()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"schema", "tool", "scan", "summary", "results"});
  CHECK(j["scan"]["started"] == "2026-11-28T22:04:11.000Z");
  CHECK(j["scan"]["duration_ms"] == 1234);
  CHECK(j["scan"]["hostname"] == "web\xEF\xBF\xBD" "01");
  CHECK(j["summary"]["fail"] == 1);
  CHECK(j["summary"]["total"] == 1);
  CHECK(j["summary"]["failed_by_severity"]["high"] == 1);
  auto& r = j["results"][0];
  CHECK(r["id"] == "host.files.shadow");
  CHECK(r["status"] == "fail");
  CHECK(r["severity"] == "high");
  CHECK(r["references"]["cis-debian12"] == "7.1.5");
  CHECK(r["duration_ms"] == 1.5);
  CHECK(r["objects"][0]["id"] == "/etc/shadow");
}

TEST_CASE("json report: read back gives the same report") {
  std::ostringstream out;
  hb::write_json_report(sample(), out);
  auto back = hb::read_json_report(out.str());
  REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.message()));
  const auto& r = back->results.at(0);
  CHECK(r.meta.id == "host.files.shadow");
  CHECK(r.status == hb::Status::fail);
  CHECK(r.meta.references.at(0).second == "7.1.5");
  CHECK(r.evidence == sample().results[0].evidence);
  CHECK(r.objects.at(0).evidence.at(0) == "mode 0644");
  CHECK(r.duration_us == 1500);
  CHECK(back->meta.started == sample().meta.started);
  CHECK(back->summary.count(hb::Status::fail) == 1);
  std::ostringstream again;
  hb::write_json_report(*back, again);
  CHECK(again.str() == out.str());
}

TEST_CASE("json report: reading rejects what is not hostbench results") {
  CHECK_FALSE(hb::read_json_report("{").ok());
  CHECK_FALSE(hb::read_json_report("{\"schema\": \"other\"}").ok());
  CHECK_FALSE(hb::read_json_report(R"({"schema": "hostbench-results/1", "results": [{"id": "x"}]})").ok());
}
