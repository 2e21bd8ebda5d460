#include "checks/docker_probes.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "engine/facts.hpp"
#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

using hb::Status;
using hb::test::all_evidence;
using hb::test::contains;
using hb::test::TempTree;

using hb::test::slurp;

namespace {

// The fixture holds the state files of two containers made by a real dockerd 20.10
// (tests/fixtures/docker-host/README.md): hb-weak and hb-hardened.
const std::string k_weak_id = "b18d246fd250e68cde13f4fc03c151209513d6958c0579656d5f434babe3cf99";
const std::string k_hardened_id =
    "f0c8fc959e4240251732109460aaa6b558c697e5ced279e68830c41f07170f66";

hb::Outcome containers(const TempTree& t, const std::string& yaml) {
  return hb::test::run_probe(&hb::parse_docker_containers_probe, yaml, *t.view());
}

// The status of the object whose id starts with "NAME ".
Status object_status(const hb::Outcome& o, const std::string& name) {
  for (const auto& obj : o.objects)
    if (obj.id.rfind(name + " ", 0) == 0) return obj.status;
  FAIL("no object for " << name << " in:\n" << all_evidence(o));
  return Status::error;
}

void replace_in(TempTree& t, const std::string& path, const std::string& from,
                const std::string& to) {
  std::string text = slurp(t.real(path));
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  t.write(path, text, 0600);
}

}  // namespace

TEST_CASE("docker probes: the weak container fails and the hardened one passes, from disk") {
  auto t = TempTree::from_fixture("docker-host");
  struct Case {
    const char* yaml;
  } cases[] = {
      {"field: privileged\nexpect: { equals: false }"},
      {"field: cap_add\nexpect: { all_in: [] }"},
      {"field: memory\nexpect: { gt: 0 }"},
      {"field: pids_limit\nexpect: { gt: 0 }"},
      {"field: readonly_rootfs\nexpect: { equals: true }"},
      {"field: network_mode\nexpect: { not_equals: host }"},
      {"field: pid_mode\nexpect: { not_equals: host }"},
      {"field: no_new_privileges\nexpect: { equals: true }"},
      {"field: user\nexpect: { not_matches: '^(root|0)?(:.*)?$' }"},
      {"field: docker_socket_mounted\nexpect: { equals: false }"},
      {"field: bind_sources\nexpect: { none_in: [/, /etc, /proc] }"},
      {"field: healthcheck\nexpect: { equals: true }"},
      {"field: cpu_shares\nexpect: { not_one_of: [0, 1024] }"},
      {"field: seccomp_profile\nexpect: { not_equals: unconfined }"},
      {"field: devices\nexpect: { all_in: [] }"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.yaml);
    auto o = containers(t, c.yaml);
    CAPTURE(all_evidence(o));
    CHECK(o.status == Status::fail);
    REQUIRE(o.objects.size() == 2);
    CHECK(object_status(o, "hb-weak") == Status::fail);
    CHECK(object_status(o, "hb-hardened") == Status::pass);
    CHECK(contains(all_evidence(o), "2 running containers, read from the files under "
                                    "/var/lib/docker"));
  }
  // Evidence says what was seen and what was expected, per container.
  auto caps = containers(t, "field: cap_add\nexpect: { all_in: [] }");
  CHECK(contains(all_evidence(caps), "cap_add = [\"CAP_SYS_ADMIN\"]; expected empty"));
  auto rp = containers(t, "field: restart_policy\nexpect: { matches: '^(no|on-failure:[0-5])$' }");
  CHECK(rp.status == Status::pass);
  CHECK(contains(all_evidence(rp), "restart_policy = on-failure:5"));
  auto nnp = containers(t, "field: no_new_privileges\nexpect: { equals: true }");
  CHECK(contains(all_evidence(nnp), "no_new_privileges = true (from SecurityOpt)"));
}

TEST_CASE("docker probes: stopped containers are skipped unless asked for, none running passes") {
  auto t = TempTree::from_fixture("docker-host");
  const std::string cfg = "/var/lib/docker/containers/" + k_weak_id + "/config.v2.json";
  replace_in(t, cfg, "\"Running\":true", "\"Running\":false");
  auto running = containers(t, "field: privileged\nexpect: { equals: false }");
  CHECK(running.status == Status::pass);
  REQUIRE(running.objects.size() == 1);
  CHECK(contains(all_evidence(running), "1 running containers (1 stopped not checked)"));
  auto all = containers(t, "field: privileged\ncontainers: all\nexpect: { equals: false }");
  CHECK(all.status == Status::fail);
  CHECK(all.objects.size() == 2);

  const std::string cfg2 = "/var/lib/docker/containers/" + k_hardened_id + "/config.v2.json";
  replace_in(t, cfg2, "\"Running\":true", "\"Running\":false");
  auto none = containers(t, "field: privileged\nexpect: { equals: false }");
  CHECK(none.status == Status::pass);
  CHECK(none.objects.empty());
  CHECK(contains(all_evidence(none), "0 running containers (2 stopped not checked)"));
}

TEST_CASE("docker probes: an unreadable container is an error object, not a pass") {
  auto t = TempTree::from_fixture("docker-host");
  t.write("/var/lib/docker/containers/" + k_weak_id + "/config.v2.json", "{\"ID\": ", 0600);
  auto o = containers(t, "field: privileged\nexpect: { equals: false }");
  CHECK(o.status == Status::error);
  CHECK(contains(all_evidence(o), "config.v2.json:1:"));
}

TEST_CASE("docker probes: sshd inside containers is notchecked offline") {
  auto t = TempTree::from_fixture("docker-host");
  auto o = containers(t, "field: sshd_running\nexpect: { equals: false }");
  CHECK(o.status == Status::notchecked);
  CHECK(contains(all_evidence(o), "only be seen on the live host"));
}

TEST_CASE("docker probes: every kind is notapplicable where Docker is not installed") {
  TempTree t;
  t.write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
  auto v = t.view();
  using hb::test::run_probe;
  CHECK(run_probe(&hb::parse_docker_containers_probe,
                  "field: privileged\nexpect: { equals: false }", *v)
            .status == Status::notapplicable);
  CHECK(run_probe(&hb::parse_docker_images_probe, "field: healthcheck\nexpect: { equals: true }",
                  *v)
            .status == Status::notapplicable);
  CHECK(run_probe(&hb::parse_docker_daemon_probe, "setting: icc\nexpect: { equals: false }", *v)
            .status == Status::notapplicable);
  CHECK(run_probe(&hb::parse_docker_daemon_probe, "consistent: true", *v).status ==
        Status::notapplicable);
  CHECK(run_probe(&hb::parse_docker_swarm_probe, "expect: { equals: inactive }", *v).status ==
        Status::notapplicable);
  CHECK(run_probe(&hb::parse_docker_file_probe, "setting: tlscacert\nexpect: { mode: \"0444\" }",
                  *v)
            .status == Status::notapplicable);
  auto installed = run_probe(&hb::parse_docker_installed_probe, "{}", *v);
  CHECK(installed.status == Status::fail);
  CHECK(contains(all_evidence(installed), "Docker is not installed"));
}

TEST_CASE("docker probes: daemon settings name the source that decided them") {
  auto t = TempTree::from_fixture("docker-host");
  auto v = t.view();
  using hb::test::run_probe;
  auto live_restore =
      run_probe(&hb::parse_docker_daemon_probe, "setting: live-restore\nexpect: { equals: true }", *v);
  CHECK(live_restore.status == Status::pass);
  CHECK(contains(all_evidence(live_restore), "live-restore = true (/etc/docker/daemon.json"));
  auto icc = run_probe(&hb::parse_docker_daemon_probe, "setting: icc\nexpect: { equals: false }", *v);
  CHECK(icc.status == Status::fail);  // dockerd's default
  CHECK(contains(all_evidence(icc), "icc = true (dockerd default)"));
  CHECK(contains(all_evidence(icc), "expected 'false'"));

  CHECK(run_probe(&hb::parse_docker_daemon_probe, "consistent: true", *v).status == Status::pass);
  // The same key in daemon.json and on the command line: dockerd would not start.
  t.write("/etc/default/docker", "DOCKER_OPTS=\"--live-restore=false\"\n");
  auto v2 = t.view();
  auto conflict = run_probe(&hb::parse_docker_daemon_probe,
                            "setting: live-restore\nexpect: { equals: true }", *v2);
  CHECK(conflict.status == Status::error);
  CHECK(run_probe(&hb::parse_docker_daemon_probe, "consistent: true", *v2).status == Status::fail);

  // A broken daemon.json is an error naming the file and position.
  t.write("/etc/docker/daemon.json", "{\n  \"icc\": fals\n}\n");
  auto broken = run_probe(&hb::parse_docker_daemon_probe, "setting: icc\nexpect: { equals: false }",
                          *t.view());
  CHECK(broken.status == Status::error);
  CHECK(contains(all_evidence(broken), "/etc/docker/daemon.json:2:"));
}

TEST_CASE("docker probes: docker_file judges the file a setting names") {
  auto t = TempTree::from_fixture("docker-host");
  using hb::test::run_probe;
  const std::string yaml = "setting: tlskey\nexpect: { mode: \"0400\" }";
  // dockerd's default (~/.docker/key.pem of the user running it) is judged when it exists.
  auto dflt = run_probe(&hb::parse_docker_file_probe, yaml, *t.view());
  CHECK(dflt.status == Status::notapplicable);
  CHECK(contains(all_evidence(dflt), "tlskey = /root/.docker/key.pem (dockerd default)"));
  CHECK(contains(all_evidence(dflt), "/root/.docker/key.pem: does not exist"));
  t.write("/etc/docker/daemon.json",
          "{\"tlsverify\": true, \"tlskey\": \"/etc/docker/tls/key.pem\"}\n");
  t.write("/etc/docker/tls/key.pem", "not a real key\n", 0644);
  auto loose = run_probe(&hb::parse_docker_file_probe, yaml, *t.view());
  CHECK(loose.status == Status::fail);
  CHECK(contains(all_evidence(loose), "tlskey = /etc/docker/tls/key.pem (/etc/docker/daemon.json"));
  t.chmod("/etc/docker/tls/key.pem", 0400);
  CHECK(run_probe(&hb::parse_docker_file_probe, yaml, *t.view()).status == Status::pass);
  CHECK(contains(hb::test::parse_error(&hb::parse_docker_file_probe,
                                       "setting: tlskey\npath: /x\nexpect: { mode: \"0400\" }"),
                 "path"));
}

TEST_CASE("docker probes: images and swarm from the recorded data root") {
  auto t = TempTree::from_fixture("docker-host");
  using hb::test::run_probe;
  auto hc = run_probe(&hb::parse_docker_images_probe, "field: healthcheck\nexpect: { equals: true }",
                      *t.view());
  CHECK(hc.status == Status::fail);  // the imported busybox image has no HEALTHCHECK
  REQUIRE(hc.objects.size() == 1);
  CHECK(hc.objects[0].id.rfind("hb-busybox:latest (", 0) == 0);
  auto swarm = run_probe(&hb::parse_docker_swarm_probe, "expect: { equals: inactive }", *t.view());
  CHECK(swarm.status == Status::pass);
  t.write("/var/lib/docker/swarm/state.json", "[]");
  CHECK(run_probe(&hb::parse_docker_swarm_probe, "expect: { equals: inactive }", *t.view()).status ==
        Status::fail);
}

TEST_CASE("docker probes: parameters are checked at load time") {
  using hb::test::parse_error;
  CHECK(contains(parse_error(&hb::parse_docker_containers_probe,
                             "field: privilegd\nexpect: { equals: false }"),
                 "privileged"));
  CHECK(contains(parse_error(&hb::parse_docker_containers_probe, "expect: { equals: false }"),
                 "field"));
  CHECK(contains(parse_error(&hb::parse_docker_daemon_probe, "expect: { equals: false }"),
                 "exactly one of"));
  CHECK(contains(parse_error(&hb::parse_docker_daemon_probe,
                             "setting: 'ICC; rm -rf'\nexpect: { equals: false }"),
                 "not a daemon.json key"));
  CHECK(parse_error(&hb::parse_docker_daemon_probe, "consistent: true") == "");
  CHECK(contains(parse_error(&hb::parse_docker_installed_probe, "path: /x"), "path"));
}

TEST_CASE("docker probes: image fields from the recorded image store and layer store") {
  auto t = TempTree::from_fixture("docker-host");
  using hb::test::run_probe;
  auto shell = run_probe(&hb::parse_docker_images_probe,
                         "field: shell\nverdict: informational\nexpect: { all_in: [] }", *t.view());
  CHECK(shell.status == Status::informational);
  CHECK(contains(all_evidence(shell), "shell = [\"/bin/busybox\",\"/bin/sh\"]"));
  auto strict = run_probe(&hb::parse_docker_images_probe, "field: shell\nexpect: { all_in: [] }",
                          *t.view());
  CHECK(strict.status == Status::fail);
  auto age = run_probe(&hb::parse_docker_images_probe, "field: age_days\nexpect: { ge: 0 }",
                       *t.view());
  CHECK(age.status == Status::pass);
  CHECK(contains(all_evidence(age), "created 2026-11-29T00:44:01.113660442Z"));
  CHECK(run_probe(&hb::parse_docker_images_probe, "field: dangling\nexpect: { equals: false }",
                  *t.view())
            .status == Status::pass);
  auto latest = run_probe(&hb::parse_docker_images_probe,
                          "field: latest_only_in_use\nexpect: { equals: false }", *t.view());
  CHECK(latest.status == Status::fail);
  CHECK(contains(all_evidence(latest), "2 containers use it; its only tag is latest"));
  auto user = run_probe(&hb::parse_docker_images_probe,
                        "field: user\nexpect: { not_matches: '^(root|0)?(:.*)?$' }", *t.view());
  CHECK(user.status == Status::fail);
  CHECK(contains(all_evidence(user), "no USER: root"));

  // A layer missing from the store is an error, not "no shell".
  t.remove("/var/lib/docker/image/overlay2/layerdb/sha256/"
           "027f8f62f062158d4d4d3111292677082b277bb5ad47cf22d411c52dcd171f99/diff");
  auto missing = run_probe(&hb::parse_docker_images_probe, "field: shell\nexpect: { all_in: [] }",
                           *t.view());
  CHECK(missing.status == Status::error);
}

TEST_CASE("docker probes: runtime limits: processes, swap, writable paths") {
  auto t = TempTree::from_fixture("docker-host");
  auto procs = containers(t, "field: process_limit\nexpect: { gt: 0 }");
  CHECK(object_status(procs, "hb-weak") == Status::fail);
  CHECK(object_status(procs, "hb-hardened") == Status::pass);
  auto swap = containers(t, "field: memory_swap\nexpect: { gt: 0 }");
  CHECK(object_status(swap, "hb-weak") == Status::fail);  // no memory limit at all
  CHECK(object_status(swap, "hb-hardened") == Status::pass);
  CHECK(contains(all_evidence(swap), "memory_swap = 134217728"));
  auto writable = containers(
      t, "field: writable_paths\nverdict: informational\nexpect: { none_in: [\"/ (root filesystem)\"] }");
  CHECK(writable.status == Status::informational);
  CHECK(contains(all_evidence(writable), "/ (root filesystem)"));
  CHECK(contains(all_evidence(writable), "/var/run/docker.sock (bind)"));
  // An nproc ulimit counts as a process limit.
  const std::string hc = "/var/lib/docker/containers/" + k_weak_id + "/hostconfig.json";
  replace_in(t, hc, "\"Ulimits\":[]", "\"Ulimits\":[{\"Name\":\"nproc\",\"Hard\":512,\"Soft\":256}]");
  auto ulimit = containers(t, "field: process_limit\nexpect: { gt: 0 }");
  CHECK(object_status(ulimit, "hb-weak") == Status::pass);
  CHECK(contains(all_evidence(ulimit), "process_limit = 256 (nproc ulimit (soft))"));
}

TEST_CASE("docker probes: signed tags come from root's content-trust store") {
  auto t = TempTree::from_fixture("docker-host");
  using hb::test::run_probe;
  const std::string yaml = "field: signed_tags\nexpect: { not_matches: '^\\[\\]$' }";
  CHECK(run_probe(&hb::parse_docker_images_probe, yaml, *t.view()).status == Status::fail);
  t.write("/root/.docker/trust/tuf/docker.io/library/hb-busybox/metadata/targets.json",
          R"({"signed": {"targets": {"latest": {"length": 1, "hashes": {}}}}})");
  auto o = run_probe(&hb::parse_docker_images_probe, yaml, *t.view());
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "signed_tags = [\"hb-busybox:latest\"]"));
}
