// Every shipped profile loads, and the linux profile gives the verdicts its fixtures promise:
// the hardened host passes what it covers, the weak host fails with evidence, an empty root
// passes nothing.
#include <doctest/doctest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
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

TEST_CASE("shipped profiles: every docker rule has a CIS Docker v1.6.0 reference and applies only with Docker") {
  auto set = load("docker");
  CHECK(set->rules.size() >= 80);
  for (const auto& r : set->rules) {
    CAPTURE(r.meta.id);
    CHECK(r.meta.id.rfind("docker.", 0) == 0);
    CHECK(r.meta.rationale.size() > 20);
    CHECK(r.meta.remediation.size() > 20);
    int cis = 0;
    for (const auto& [scheme, ref] : r.meta.references) cis += scheme == "cis-docker";
    if (r.meta.id != "docker.daemon.consistent") CHECK(cis == 1);
  }
  auto def = load("default");
  bool has_docker = false;
  for (const auto& p : def->profiles) has_docker |= p.id == "docker";
  CHECK(has_docker);
}

TEST_CASE("shipped profiles: without Docker every docker rule is notapplicable, never fail") {
  hb::test::TempTree empty;
  auto hardened = hb::test::TempTree::from_fixture("hardened");
  auto weak = hb::test::TempTree::from_fixture("weak");
  for (const std::string& root : {empty.root(), hardened.root(), weak.root()}) {
    for (const auto& r : scan("docker", root)) {
      CAPTURE(describe(r));
      CHECK(r.status == Status::notapplicable);
    }
  }
}

TEST_CASE("shipped profiles: the recorded Docker host judges each container on its own") {
  auto tree = hb::test::TempTree::from_fixture("docker-host");
  auto results = hb::test::scan_profile("docker", tree.root(), "docker.container.*");
  REQUIRE(results.size() >= 25);
  int per_container = 0;
  for (const auto& [id, r] : results) {
    CAPTURE(describe(r));
    CHECK(r.status != Status::error);
    if (r.objects.empty()) continue;  // notapplicable (AppArmor, SELinux: no kernel here)
    ++per_container;
    REQUIRE(r.objects.size() == 2);
    CHECK(r.objects[0].id.rfind("hb-hardened (f0c8fc959e42, hb-busybox:latest)", 0) == 0);
    CHECK(r.objects[1].id.rfind("hb-weak (b18d246fd250, hb-busybox:latest)", 0) == 0);
  }
  CHECK(per_container >= 20);
  for (const char* id : {"docker.container.privileged", "docker.container.docker_sock",
                         "docker.container.host_network", "docker.container.host_pid",
                         "docker.container.capabilities", "docker.container.sensitive_mounts",
                         "docker.container.memory_limit", "docker.container.pids_limit",
                         "docker.container.readonly_rootfs", "docker.container.user",
                         "docker.container.no_new_privileges"}) {
    CAPTURE(id);
    REQUIRE(results.count(id) == 1);
    const auto& r = results.at(id);
    CHECK(r.status == Status::fail);
    CHECK(r.objects[0].status == Status::pass);  // hb-hardened
    CHECK(r.objects[1].status == Status::fail);  // hb-weak
  }
  // The whole profile: nothing in error on a faithful copy of a real Docker host.
  for (const auto& r : scan("docker", tree.root())) {
    CAPTURE(describe(r));
    CHECK(r.status != Status::error);
  }
}

namespace {
// A real listening-capable unix socket at a host path of the tree (git cannot store one).
void make_socket(const hb::test::TempTree& t, const std::string& path) {
  const std::string real = t.real(path);
  fs::create_directories(fs::path(real).parent_path());
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  REQUIRE(real.size() < sizeof(addr.sun_path));
  std::copy(real.begin(), real.end(), addr.sun_path);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  ::close(fd);
}
}  // namespace

TEST_CASE("shipped profiles: the Docker socket rules judge a real socket as a bit mask") {
  if (!hb::test::running_as_root()) return;  // chown to root:docker needs root
  auto tree = hb::test::TempTree::from_fixture("docker-host");
  make_socket(tree, "/var/run/docker.sock");
  tree.chown("/var/run/docker.sock", 0, 111);  // the fixture's docker group
  struct Case {
    mode_t mode;
    Status owner, mode_rule;
  } cases[] = {
      {0660, Status::pass, Status::pass},
      {0600, Status::pass, Status::pass},  // stricter passes
      {0604, Status::pass, Status::fail},  // 604 < 660 as numbers, but o+r is beyond 660
      {0666, Status::pass, Status::fail},
  };
  for (const auto& c : cases) {
    CAPTURE(c.mode);
    tree.chmod("/var/run/docker.sock", c.mode);
    auto r = hb::test::scan_profile("docker", tree.root(), "docker.files.docker_sock_*");
    CAPTURE(describe(r.at("docker.files.docker_sock_mode")));
    CHECK(r.at("docker.files.docker_sock_owner").status == c.owner);
    CHECK(r.at("docker.files.docker_sock_mode").status == c.mode_rule);
  }
  tree.chown("/var/run/docker.sock", 0, 0);
  auto r = hb::test::scan_profile("docker", tree.root(), "docker.files.docker_sock_owner");
  CHECK(r.at("docker.files.docker_sock_owner").status == Status::fail);
  // A regular file where the socket belongs is not a socket.
  tree.remove("/var/run/docker.sock");
  tree.write("/var/run/docker.sock", "", 0660);
  tree.chown("/var/run/docker.sock", 0, 111);
  r = hb::test::scan_profile("docker", tree.root(), "docker.files.docker_sock_mode");
  CHECK(r.at("docker.files.docker_sock_mode").status == Status::fail);
}

TEST_CASE("shipped profiles: images rules are notapplicable without Docker and without --dockerfile") {
  auto weak = hb::test::TempTree::from_fixture("weak");
  hb::test::TempTree empty;
  for (const std::string& root : {empty.root(), weak.root()}) {
    for (const auto& r : scan("images", root)) {
      CAPTURE(describe(r));
      CHECK(r.status == Status::notapplicable);
    }
  }
  auto def = load("default");
  bool has_images = false;
  for (const auto& p : def->profiles) has_images |= p.id == "images";
  CHECK(has_images);
}
