#include "reports/console.hpp"

#include <doctest/doctest.h>

#include <sstream>


namespace {
hb::ScanReport sample() {
  hb::ScanReport rep;
  rep.meta.version = "0.1.0";
  rep.meta.hostname = "web01";
  rep.meta.os = "Debian GNU/Linux 12 (bookworm)";
  rep.meta.kernel = "6.1.0";
  rep.meta.root = "/";
  rep.meta.profiles = {{"linux", "Linux", "1.0.0", "", true, {}}};
  hb::RuleResult ok;
  ok.meta.id = "host.files.passwd";
  ok.meta.title = "passwd mode";
  ok.meta.severity = hb::Severity::medium;
  ok.status = hb::Status::pass;
  ok.evidence = {"passing evidence is not printed"};
  hb::RuleResult bad;
  bad.meta.id = "host.ssh.permit_root_login";
  bad.meta.title = "Disable SSH root login";
  bad.meta.severity = hb::Severity::high;
  bad.meta.remediation = "Set PermitRootLogin no\nthen reload ssh";
  bad.status = hb::Status::fail;
  bad.evidence = {"PermitRootLogin yes at /etc/ssh/sshd_config:3\x1b]0;pwned\x07"};
  hb::RuleResult objs;
  objs.meta.id = "host.files.keys";
  objs.meta.title = "keys";
  objs.status = hb::Status::fail;
  for (int i = 0; i < 25; ++i)
    objs.objects.push_back({"/etc/ssh/key" + std::to_string(i), hb::Status::fail, {"mode 0644"}});
  rep.results = {ok, bad, objs};
  rep.summary = hb::compute_summary(rep.results);
  return rep;
}
}  // namespace

TEST_CASE("console report: one line per rule, failures with evidence and fix, then a summary") {
  std::ostringstream out;
  write_console_report(sample(), {}, out);
  std::string s = out.str();
  CHECK(s.find("PASS  medium   host.files.passwd") != std::string::npos);
  CHECK(s.find("FAIL  high     host.ssh.permit_root_login") != std::string::npos);
  CHECK(s.find("PermitRootLogin yes at /etc/ssh/sshd_config:3") != std::string::npos);
  CHECK(s.find("passing evidence is not printed") == std::string::npos);
  CHECK(s.find("          Set PermitRootLogin no\n          then reload ssh\n") != std::string::npos);
  CHECK(s.find("3 rules: 1 pass, 2 fail (failed: 1 high, 1 medium); score ") != std::string::npos);
  CHECK(s.find("... and 5 more objects") != std::string::npos);
}

TEST_CASE("console report: host text cannot inject terminal escapes, no colour unless asked") {
  std::ostringstream out;
  write_console_report(sample(), {}, out);
  CHECK(out.str().find('\x1b') == std::string::npos);
  CHECK(out.str().find("\\x1b]0;pwned\\x07") != std::string::npos);
  std::ostringstream coloured;
  hb::ConsoleOptions co;
  co.color = true;
  write_console_report(sample(), co, coloured);
  CHECK(coloured.str().find("\033[1;31mFAIL") != std::string::npos);
}

TEST_CASE("console report: --quiet prints the summary alone") {
  std::ostringstream out;
  hb::ConsoleOptions co;
  co.quiet = true;
  write_console_report(sample(), co, out);
  const std::string s = out.str();
  CHECK(s.find("host.files.passwd") == std::string::npos);
  CHECK(s.rfind("web01: 3 rules:", 0) == 0);
  CHECK(std::count(s.begin(), s.end(), '\n') == 1);
}


TEST_CASE("console report: --timings lists the slowest rules and sources, slowest first") {
  auto rep = sample();
  rep.results[0].duration_us = 500;
  rep.results[1].duration_us = 72000;
  rep.results[2].duration_us = 9000;
  std::ostringstream out;
  hb::write_timings(rep.results, {{"apt.lists", 70100}, {"accounts", 40}, {"mountinfo", 900}}, 2, out);
  const std::string s = out.str();
  CHECK(s.find("Slowest rules:\n       72.0 ms  host.ssh.permit_root_login\n        9.0 ms  host.files.keys\n") !=
        std::string::npos);
  CHECK(s.find("host.files.passwd") == std::string::npos);  // only the two slowest
  CHECK(s.find("Slowest sources (each parsed once per scan):\n       70.1 ms  apt.lists\n        0.9 ms  mountinfo\n") !=
        std::string::npos);
}

TEST_CASE("console report: the rules in error are counted by cause after the summary line") {
  auto rep = sample();
  hb::RuleResult denied;
  denied.meta.id = "host.accounts.shadow";
  denied.status = hb::Status::error;
  denied.evidence = {"cannot read /etc/shadow: /etc/shadow: Permission denied (run as root)"};
  hb::RuleResult denied_object;  // the cause in a per-object result
  denied_object.meta.id = "host.files.keys2";
  denied_object.status = hb::Status::error;
  denied_object.objects.push_back({"/etc/ssh/k", hb::Status::error, {"/etc/ssh/k: Permission denied (run as root)"}});
  hb::RuleResult slow;
  slow.meta.id = "host.slow";
  slow.status = hb::Status::error;
  slow.evidence = {"timed out after 60000 ms; the check was abandoned"};
  hb::RuleResult other;
  other.meta.id = "host.other";
  other.status = hb::Status::error;
  other.evidence = {"/etc/docker/daemon.json:1:1: malformed JSON"};
  rep.results.insert(rep.results.end(), {denied, denied_object, slow, other});
  rep.summary = hb::compute_summary(rep.results);
  CHECK(hb::error_summary(rep.results) ==
        "4 rules in error: 2 permission denied (run as root), 1 timed out, 1 other");
  std::ostringstream out;
  write_console_report(rep, {}, out);
  const std::string s = out.str();
  const auto summary = s.find("web01: 7 rules:");
  REQUIRE(summary != std::string::npos);
  CHECK(s.find("4 rules in error: 2 permission denied (run as root), 1 timed out, 1 other\n", summary) !=
        std::string::npos);
  CHECK(hb::error_summary(sample().results).empty());  // no error: no line
  std::ostringstream quiet;
  hb::ConsoleOptions co;
  co.quiet = true;
  write_console_report(rep, co, quiet);
  CHECK(quiet.str().find("in error") == std::string::npos);
}
