#include "engine/config.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

namespace {

std::vector<std::string> flat(const hb::ScanConfig& c) {
  std::vector<std::string> out;
  for (const auto& o : c.options) out.push_back(o.name + "=" + o.value);
  return out;
}

std::string error_of(const std::string& text) {
  auto c = hb::parse_config(text, "config.yaml");
  REQUIRE_FALSE(c);
  return c.message();
}

}  // namespace

TEST_CASE("config: every key becomes the scan option it stands for") {
  auto c = hb::parse_config(
      "profiles: [linux, docker]\n"
      "vars:\n"
      "  pass_max_days: 90\n"
      "  allowed_ports: [22, 443]\n"
      "  banner: 'Authorised use only: yes'\n"
      "jobs: 2\n"
      "fail_on: high\n"
      "docker: disk\n"
      "output:\n"
      "  directory: /var/lib/hostbench\n"
      "  formats: [json, html]\n"
      "  keep: 30\n"
      "  keep_days: 90\n"
      "waivers: /etc/hostbench/waivers.yaml\n"
      "baseline: last\n"
      "only_changes: true\n"
      "prometheus: /var/lib/prometheus/node-exporter/hostbench.prom\n"
      "syslog: true\n"
      "nice: false\n"
      "timeout: 900\n"
      "rule_timeout: 60\n",
      "config.yaml");
  REQUIRE(c);
  std::vector<std::string> want = {"profile=linux", "profile=docker", "var=pass_max_days=90",
                                   "var=allowed_ports=[22, 443]",
                                   "var=banner=\"Authorised use only: yes\"", "jobs=2",
                                   "fail-on=high", "docker=disk", "output-dir=/var/lib/hostbench",
                                   "formats=json,html", "keep=30", "keep-days=90",
                                   "waivers=/etc/hostbench/waivers.yaml", "baseline=last",
                                   "only-changes=", "prometheus=/var/lib/prometheus/node-exporter/hostbench.prom",
                                   "syslog=", "timeout=900", "rule-timeout=60"};
  CHECK(flat(*c) == want);  // nice: false adds nothing
  CHECK(c->options.at(0).where == "config.yaml:1:11");
}

TEST_CASE("config: an empty or all-comment file sets nothing") {
  CHECK(hb::parse_config("", "c")->options.empty());
  CHECK(hb::parse_config("# nothing yet\n", "c")->options.empty());
}

TEST_CASE("config: mistakes are errors naming file:line:column") {
  CHECK(error_of("profile: [linux]\n").find("config.yaml:1:1") != std::string::npos);
  CHECK(error_of("profile: [linux]\n").find("profiles") != std::string::npos);  // did you mean
  CHECK(error_of("jobs: many\n").find("config.yaml:1") != std::string::npos);
  CHECK(error_of("syslog: maybe\n").find("config.yaml:1") != std::string::npos);
  CHECK(error_of("output:\n  dir: /tmp\n").find("config.yaml:2") != std::string::npos);
  CHECK(error_of("output: /tmp\n").find("config.yaml:1") != std::string::npos);
  CHECK(error_of("vars: [a, b]\n").find("mapping") != std::string::npos);
  CHECK(error_of("profiles: []\n").find("empty") != std::string::npos);
  CHECK(error_of("waivers: ''\n").find("empty") != std::string::npos);
  CHECK(error_of("- a\n- b\n").find("mapping") != std::string::npos);
  CHECK(error_of("jobs: [1\n").find("config.yaml:") != std::string::npos);
}

TEST_CASE("config: HOSTBENCH_CONFIG names the default file, else /etc/hostbench/config.yaml") {
  const char* before = std::getenv("HOSTBENCH_CONFIG");
  const std::string saved = before ? before : "";
  ::setenv("HOSTBENCH_CONFIG", "/srv/hb/config.yaml", 1);
  CHECK(hb::default_config_path() == "/srv/hb/config.yaml");
  ::setenv("HOSTBENCH_CONFIG", "", 1);
  CHECK(hb::default_config_path() == "/etc/hostbench/config.yaml");
  ::unsetenv("HOSTBENCH_CONFIG");
  CHECK(hb::default_config_path() == "/etc/hostbench/config.yaml");
  if (before) ::setenv("HOSTBENCH_CONFIG", saved.c_str(), 1);
}
