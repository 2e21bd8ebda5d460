#include "checks/json_probe.hpp"

#include <doctest/doctest.h>

#include <string>

#include "engine/facts.hpp"
#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

using hb::Outcome;
using hb::Status;
using hb::test::all_evidence;
using hb::test::contains;
using hb::test::TempTree;

namespace {

const char* const k_daemon_json = R"({
  "icc": true,
  "live-restore": false,
  "log-driver": "json-file",
  "log-opts": { "max-size": "10m", "max-file": 3 },
  "a/b": { "c~d": 1 },
  "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"],
  "userns-remap": null
}
)";

TempTree docker_root() {
  TempTree t;
  t.write("/etc/docker/daemon.json", k_daemon_json);
  return t;
}

Outcome run(const TempTree& t, const std::string& yaml) {
  auto view = t.view();
  return hb::test::run_probe(&hb::parse_json_probe, yaml, *view);
}

std::string parse_error(const std::string& yaml) {
  return hb::test::parse_error(&hb::parse_json_probe, yaml);
}

const std::string k_path = "path: /etc/docker/daemon.json\n";

}  // namespace

TEST_CASE("json probe: equals is typed") {
  TempTree t = docker_root();
  Outcome o = run(t, k_path + "key: icc\nexpect: { equals: false }");
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "/etc/docker/daemon.json: icc = true; expected 'false'"));
  CHECK(run(t, k_path + "key: icc\nexpect: { equals: true }").status == Status::pass);
  // "true" quoted is a string, and a JSON boolean is not a string.
  CHECK(run(t, k_path + "key: icc\nexpect: { equals: 'true' }").status == Status::fail);
}

TEST_CASE("json probe: key with dashes and one_of") {
  TempTree t = docker_root();
  Outcome o = run(t, k_path + "key: log-driver\nexpect: { one_of: [json-file, journald] }");
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "log-driver = json-file"));
  CHECK(run(t, k_path + "key: live-restore\nexpect: { equals: true }").status == Status::fail);
}

TEST_CASE("json probe: pointer into nested objects and numeric tests") {
  TempTree t = docker_root();
  Outcome o = run(t, k_path + "pointer: /log-opts/max-size\nexpect: { equals: 10m }");
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "/log-opts/max-size = 10m"));
  CHECK(run(t, k_path + "pointer: /log-opts/max-file\nexpect: { ge: 2, le: 5 }").status ==
        Status::pass);
  Outcome low = run(t, k_path + "pointer: /log-opts/max-file\nexpect: { ge: 5 }");
  CHECK(low.status == Status::fail);
  CHECK(contains(all_evidence(low), "max-file = 3; expected >= 5"));
}

TEST_CASE("json probe: pointer escapes ~0 and ~1") {
  TempTree t = docker_root();
  Outcome o = run(t, k_path + "pointer: /a~1b/c~0d\nexpect: { equals: 1 }");
  CHECK(o.status == Status::pass);
  // Unescaped, the same text names a different (absent) path.
  CHECK(run(t, k_path + "pointer: /a/b\nexpect: { exists: true }").status == Status::fail);
  CHECK(contains(parse_error(k_path + "pointer: /a~2b\nexpect: { equals: 1 }"), "RFC 6901"));
  CHECK(contains(parse_error(k_path + "pointer: icc\nexpect: { equals: 1 }"), "RFC 6901"));
}

TEST_CASE("json probe: pointer into an array") {
  TempTree t = docker_root();
  Outcome o = run(t, k_path + "pointer: /hosts/1\nexpect: { not_matches: '^tcp://' }");
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "/hosts/1 = tcp://0.0.0.0:2375"));
  CHECK(run(t, k_path + "pointer: /hosts/7\nexpect: { exists: false }").status == Status::pass);
  CHECK(run(t, k_path + "pointer: /hosts/01\nexpect: { exists: false }").status == Status::pass);
}

TEST_CASE("json probe: default applies when the key is absent") {
  TempTree t = docker_root();
  Outcome o = run(t, k_path + "key: no-new-privileges\ndefault: false\nexpect: { equals: true }");
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o),
                 "no-new-privileges not set, default false applies; expected 'true'"));
  Outcome ok = run(t, k_path + "key: userland-proxy\ndefault: true\nexpect: { equals: true }");
  CHECK(ok.status == Status::pass);
  CHECK(contains(all_evidence(ok), "userland-proxy not set, default true applies"));
  // Without a default an absent key fails every test but exists: false.
  Outcome none = run(t, k_path + "key: userland-proxy\nexpect: { equals: true }");
  CHECK(none.status == Status::fail);
  CHECK(contains(all_evidence(none), "userland-proxy not set; expected 'true'"));
}

TEST_CASE("json probe: a null value is present, not absent") {
  TempTree t = docker_root();
  CHECK(run(t, k_path + "key: userns-remap\ndefault: x\nexpect: { equals: x }").status ==
        Status::fail);
  CHECK(run(t, k_path + "key: userns-remap\nexpect: { exists: true }").status == Status::pass);
}

TEST_CASE("json probe: default applies when the file is absent") {
  TempTree t;
  Outcome o = run(t, k_path + "key: icc\ndefault: true\nexpect: { equals: false }");
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "icc not set (the file does not exist), default true applies"));
  CHECK(run(t, k_path + "key: live-restore\ndefault: false\nexpect: { equals: false }").status ==
        Status::pass);
}

TEST_CASE("json probe: if_missing decides an absent file") {
  TempTree t;
  const std::string base = k_path + "key: icc\nexpect: { equals: false }\n";
  CHECK(run(t, base).status == Status::fail);  // absent: the value is absent
  CHECK(run(t, base + "if_missing: pass").status == Status::pass);
  CHECK(run(t, base + "if_missing: fail").status == Status::fail);
  CHECK(run(t, base + "if_missing: error").status == Status::error);
  Outcome na = run(t, base + "if_missing: notapplicable");
  CHECK(na.status == Status::notapplicable);
  CHECK(contains(all_evidence(na), "/etc/docker/daemon.json: does not exist"));
  // A present file ignores if_missing.
  TempTree d = docker_root();
  CHECK(run(d, base + "if_missing: pass").status == Status::fail);
  CHECK(contains(parse_error(base + "if_missing: skip"), "if_missing"));
}

TEST_CASE("json probe: invalid JSON is an error naming file:line:col") {
  TempTree t;
  t.write("/etc/docker/daemon.json", "{\n  \"icc\": false,\n  \"debug\": tru\n}\n");
  Outcome o = run(t, k_path + "key: icc\nexpect: { equals: false }");
  CHECK(o.status == Status::error);
  CHECK(contains(all_evidence(o), "/etc/docker/daemon.json:3:"));
  CHECK(contains(all_evidence(o), "syntax error"));

  t.write("/etc/docker/daemon.json", "{\"icc\": false,}");
  Outcome trailing = run(t, k_path + "key: icc\nexpect: { equals: false }");
  CHECK(trailing.status == Status::error);
  CHECK(contains(all_evidence(trailing), "/etc/docker/daemon.json:1:15:"));
}

TEST_CASE("json probe: a nesting bomb is an error, not a crash") {
  TempTree t;
  t.write("/etc/docker/daemon.json", std::string(100000, '['));
  Outcome o = run(t, k_path + "key: icc\nexpect: { equals: false }");
  CHECK(o.status == Status::error);
  CHECK(contains(all_evidence(o), "/etc/docker/daemon.json:1:513: nested deeper than 512"));
  // Brackets inside strings do not count, and 512 levels are still accepted.
  std::string deep = "{\"s\": \"" + std::string(1000, '[') + "\", \"d\": " + std::string(511, '[') +
                     std::string(511, ']') + "}";
  t.write("/etc/docker/daemon.json", deep);
  CHECK(run(t, k_path + "key: d\nexpect: { exists: true }").status == Status::pass);
}

TEST_CASE("json probe: a non-object root leaves the value absent") {
  TempTree t;
  t.write("/etc/docker/daemon.json", "[1, 2, 3]");
  Outcome o = run(t, k_path + "key: icc\nexpect: { equals: false }");
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "icc not set"));
  CHECK(run(t, k_path + "key: icc\ndefault: false\nexpect: { equals: false }").status ==
        Status::pass);
  // Walking through a scalar is also absent.
  TempTree d = docker_root();
  CHECK(run(d, k_path + "pointer: /icc/deeper\nexpect: { exists: false }").status == Status::pass);
}

TEST_CASE("json probe: a file that cannot be read is an error") {
  TempTree t;
  t.mkfifo("/etc/docker/daemon.json");
  Outcome o = run(t, k_path + "key: icc\ndefault: true\nexpect: { equals: false }");
  CHECK(o.status == Status::error);
  CHECK(contains(all_evidence(o), "not a regular file"));
}

TEST_CASE("json probe: the file is parsed once per scan") {
  TempTree t = docker_root();
  auto view = t.view();
  hb::Facts facts;
  auto a = hb::test::run_probe(&hb::parse_json_probe, k_path + "key: icc\nexpect: { equals: true }",
                               *view, &facts);
  auto b = hb::test::run_probe(&hb::parse_json_probe,
                               k_path + "pointer: /log-opts/max-file\nexpect: { equals: 3 }", *view,
                               &facts);
  CHECK(a.status == Status::pass);
  CHECK(b.status == Status::pass);
  CHECK(facts.parse_counts() == std::map<std::string, int>{{"json:/etc/docker/daemon.json", 1}});
}

TEST_CASE("json probe: parameter errors") {
  CHECK(contains(parse_error(k_path + "key: icc\npointer: /icc\nexpect: { equals: false }"),
                 "exactly one of 'pointer' and 'key'"));
  CHECK(contains(parse_error(k_path + "expect: { equals: false }"), "exactly one"));
  CHECK(contains(parse_error(k_path + "key: icc"), "expect"));
  CHECK(contains(parse_error(k_path + "key: icc\nexpect: { equal: false }"),
                 "test.yaml:3:11: unknown key 'equal'"));
  CHECK(contains(parse_error("path: daemon.json\nkey: icc\nexpect: { equals: 1 }"), "absolute"));
  CHECK(contains(parse_error("path: /etc/*.json\nkey: icc\nexpect: { equals: 1 }"), "glob"));
  CHECK(
      contains(parse_error(k_path + "key: icc\ndefault: 1\nexpect: { exists: true }"), "default"));
  CHECK(parse_error(k_path +
                    "key: icc\ndefault: true\nif_missing: fail\nexpect: { equals: false }") == "");
}
