#include "checks/docker_inventory.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "checks/docker_daemon_config.hpp"
#include "engine/json_text.hpp"
#include "tests/support/temp_tree.hpp"

using hb::ErrorKind;
using hb::Json;
using hb::test::TempTree;

using hb::test::slurp;

namespace {

const std::string k_api_dir = std::string(HB_FIXTURES_DIR) + "/docker-api";

// Serves the Engine API answers recorded from a real dockerd 20.10 (tests/fixtures/docker-api).
hb::ApiFetch recorded_api() {
  return [](const std::string& target) -> hb::Expected<Json> {
    std::string file;
    if (target == "/info") file = "info.json";
    else if (target == "/containers/json?all=1") file = "containers.json";
    else if (target == "/images/json") file = "images.json";
    else if (target.rfind("/containers/", 0) == 0) {
      // /containers/ID/json -> container-NAME.json, found through the list.
      const std::string id = target.substr(12, 64);
      auto list = Json::parse(slurp(k_api_dir + "/containers.json"));
      for (const auto& c : list)
        if (c["Id"] == id) file = "container-" + c["Names"][0].get<std::string>().substr(1) + ".json";
    } else if (target.rfind("/images/", 0) == 0) {
      const std::string id = target.substr(8 + 7, 12);
      file = "image-" + id + ".json";
    }
    if (file.empty()) return hb::make_error(ErrorKind::not_found, target + ": HTTP 404");
    std::ifstream probe(k_api_dir + "/" + file);
    if (!probe) return hb::make_error(ErrorKind::not_found, target + ": HTTP 404");
    return hb::parse_json_text(file, slurp(k_api_dir + "/" + file));
  };
}

const hb::Container* find(const hb::DockerInventory& inv, const std::string& name) {
  for (const auto& c : inv.containers)
    if (c.name == name) return &c;
  return nullptr;
}

const std::string k_id_a(64, 'a');
const std::string k_id_b(64, 'b');

}  // namespace

TEST_CASE("docker inventory: the recorded API answers and the recorded files describe the same containers") {
  auto api = hb::inventory_from_api(recorded_api(), "Engine API at test");
  REQUIRE_MESSAGE(api.ok(), (api.ok() ? "" : api.message()));
  auto tree = TempTree::from_fixture("docker-host");
  auto view = tree.view();
  auto disk = hb::inventory_from_disk(*view, "/var/lib/docker");
  REQUIRE_MESSAGE(disk.ok(), (disk.ok() ? "" : disk.message()));

  CHECK(api->from_api);
  CHECK_FALSE(disk->from_api);
  CHECK(api->root_dir == "/var/lib/docker");
  REQUIRE(api->containers.size() == disk->containers.size());
  REQUIRE(api->containers.size() >= 2);
  for (std::size_t i = 0; i < api->containers.size(); ++i) {
    const auto& a = api->containers[i];
    const auto& d = disk->containers[i];
    CAPTURE(a.label());
    CHECK(a.error == "");
    CHECK(d.error == "");
    CHECK(a.id == d.id);
    CHECK(a.name == d.name);
    CHECK(a.image == d.image);
    CHECK(a.image_id == d.image_id);
    CHECK(a.running == d.running);
    CHECK(a.config["User"] == d.config["User"]);
    for (const char* k : {"Privileged", "CapAdd", "CapDrop", "ReadonlyRootfs", "Memory",
                          "PidsLimit", "NetworkMode", "PidMode", "SecurityOpt", "RestartPolicy",
                          "CpuShares", "PortBindings", "Devices"}) {
      CAPTURE(k);
      CHECK(a.host_config[k] == d.host_config[k]);
    }
    REQUIRE(a.mounts.size() == d.mounts.size());
    for (std::size_t m = 0; m < a.mounts.size(); ++m) {
      CHECK(a.mounts[m].source == d.mounts[m].source);
      CHECK(a.mounts[m].destination == d.mounts[m].destination);
      CHECK(a.mounts[m].type == d.mounts[m].type);
      CHECK(a.mounts[m].rw == d.mounts[m].rw);
    }
  }
  const hb::Container* weak = find(*disk, "hb-weak");
  const hb::Container* hardened = find(*disk, "hb-hardened");
  REQUIRE(weak != nullptr);
  REQUIRE(hardened != nullptr);
  CHECK(weak->host_config["Privileged"] == true);
  CHECK(weak->label().rfind("hb-weak (", 0) == 0);
  CHECK(hardened->no_new_privileges == true);  // recorded in config.v2.json
  CHECK(hardened->host_config["ReadonlyRootfs"] == true);

  REQUIRE(api->images.size() == disk->images.size());
  for (std::size_t i = 0; i < api->images.size(); ++i) {
    CHECK(api->images[i].id == disk->images[i].id);
    CHECK(api->images[i].tags == disk->images[i].tags);
    CHECK(api->images[i].label() == disk->images[i].label());
  }
  CHECK(api->swarm == "inactive");
  CHECK(disk->swarm == "inactive");
}

TEST_CASE("docker inventory: hostile state files give per-container errors, never a crash") {
  TempTree t;
  const std::string dir = "/var/lib/docker/containers/";
  t.write(dir + k_id_a + "/config.v2.json", "{\"ID\": \"" + k_id_a + "\", \"Name\": \"/x\"");  // cut
  t.write(dir + k_id_a + "/hostconfig.json", "{}");
  t.write(dir + k_id_b + "/config.v2.json", std::string(100000, '[') + std::string(100000, ']'));
  t.write(dir + k_id_b + "/hostconfig.json", "{}");
  t.write(dir + "not-a-container/config.v2.json", "{}");
  // A config whose ID is not its directory's name is not believed.
  const std::string k_id_c(64, 'c');
  t.write(dir + k_id_c + "/config.v2.json", "{\"ID\": \"" + k_id_a + "\", \"State\": []}");
  t.write(dir + k_id_c + "/hostconfig.json", "[1,2,3]");
  auto view = t.view();
  auto inv = hb::inventory_from_disk(*view, "/var/lib/docker");
  REQUIRE(inv.ok());
  REQUIRE(inv->containers.size() == 3);
  for (const auto& c : inv->containers) {
    CAPTURE(c.id);
    CHECK_FALSE(c.error.empty());
  }
  bool deep = false;
  for (const auto& c : inv->containers) deep |= c.error.find("nested deeper") != std::string::npos;
  CHECK(deep);
}

TEST_CASE("docker inventory: no data root means no containers, not an error") {
  TempTree t;
  auto view = t.view();
  auto inv = hb::inventory_from_disk(*view, "/var/lib/docker");
  REQUIRE(inv.ok());
  CHECK(inv->containers.empty());
  CHECK(inv->images.empty());
  CHECK(inv->swarm == "inactive");
  t.write("/var/lib/docker/swarm/docker-state.json", "{}");
  CHECK(hb::inventory_from_disk(*t.view(), "/var/lib/docker")->swarm == "active");
}

TEST_CASE("docker inventory: API answers with hostile ids are skipped, errors are per container") {
  std::map<std::string, std::string> answers = {
      {"/info", R"({"DockerRootDir": "/srv/docker", "Swarm": {"LocalNodeState": "active"}})"},
      {"/containers/json?all=1",
       R"([{"Id": "../../etc"}, {"Id": ")" + k_id_a + R"("}, {"Id": ")" + k_id_b + R"("}])"},
      {"/containers/" + k_id_a + "/json",
       R"({"Id": ")" + k_id_a + R"(", "Name": "/web", "Config": {"Image": "nginx", "User": ""},
           "HostConfig": {"Privileged": true}, "State": {"Running": true, "Pid": 42},
           "Mounts": [{"Type": "bind", "Source": "/etc", "Destination": "/host-etc", "RW": false}]})"},
      {"/images/json", R"([{"Id": "sha256:zz"}])"},
  };
  auto fetch = [&](const std::string& target) -> hb::Expected<Json> {
    auto it = answers.find(target);
    if (it == answers.end()) return hb::make_error(ErrorKind::io, target + ": HTTP 500: boom");
    return hb::parse_json_text(target, it->second);
  };
  auto inv = hb::inventory_from_api(fetch, "test");
  REQUIRE(inv.ok());
  CHECK(inv->root_dir == "/srv/docker");
  CHECK(inv->swarm == "active");
  REQUIRE(inv->containers.size() == 2);  // ../../etc never reached a request
  const hb::Container* web = find(*inv, "web");
  REQUIRE(web != nullptr);
  CHECK(web->running);
  CHECK(web->pid == 42);
  REQUIRE(web->mounts.size() == 1);
  CHECK_FALSE(web->mounts[0].rw);
  // The other one could not be inspected: an error object, not a silent omission.
  bool errored = false;
  for (const auto& c : inv->containers) errored |= c.error.find("HTTP 500") != std::string::npos;
  CHECK(errored);
  CHECK(inv->images.empty());
  CHECK(inv->notes.size() == 2);  // the bad container id and the bad image id
}

TEST_CASE("docker inventory: the data root follows data-root and userns-remap") {
  TempTree t;
  t.write("/etc/subuid", "alice:100000:65536\ndockremap:231072:65536\n");
  t.write("/etc/subgid", "alice:100000:65536\ndockremap:231072:65536\n");
  auto view = t.view();
  hb::DaemonConfig c;
  CHECK(*hb::docker_root_dir(*view, c) == "/var/lib/docker");
  c.settings["data-root"] = {Json("/srv/docker"), "test"};
  CHECK(*hb::docker_root_dir(*view, c) == "/srv/docker");
  c.settings["userns-remap"] = {Json("default"), "test"};
  CHECK(*hb::docker_root_dir(*view, c) == "/srv/docker/231072.231072");
  c.settings["userns-remap"] = {Json("nobody"), "test"};
  CHECK(hb::docker_root_dir(*view, c).kind() == ErrorKind::not_found);
  c.settings["data-root"] = {Json("relative/path"), "test"};
  CHECK_FALSE(hb::docker_root_dir(*view, c).ok());
}

TEST_CASE("docker inventory: the socket comes from DOCKER_HOST, then the daemon's hosts") {
  hb::DaemonConfig c;
  CHECK(*hb::docker_socket_path("", c) == "/var/run/docker.sock");
  CHECK(*hb::docker_socket_path("unix:///tmp/d.sock", c) == "/tmp/d.sock");
  CHECK(hb::docker_socket_path("tcp://10.0.0.1:2376", c).kind() == ErrorKind::invalid);
  c.settings["hosts"] = {Json::array({"tcp://0.0.0.0:2376", "unix:///srv/docker.sock"}), "test"};
  CHECK(*hb::docker_socket_path("", c) == "/srv/docker.sock");
  c.settings["hosts"] = {Json::array({"fd://"}), "test"};
  c.settings["socket-activation-listen"] = {Json::array({"/run/docker.sock"}), "test"};
  CHECK(*hb::docker_socket_path("", c) == "/run/docker.sock");
  hb::DaemonConfig rootless;
  rootless.rootless = true;
  rootless.rootless_uid = 1000;
  CHECK(*hb::docker_socket_path("", rootless) == "/run/user/1000/docker.sock");
}

TEST_CASE("docker inventory: detection needs dockerd, /etc/docker or a data root") {
  TempTree t;
  t.write("/usr/local/bin/docker", "client only");  // a client alone is not Docker
  auto none = hb::detect_docker(*t.view(), "/var/lib/docker");
  CHECK_FALSE(none.installed);
  REQUIRE(none.evidence.size() == 1);
  CHECK(none.evidence[0].find("not installed") != std::string::npos);
  t.write("/usr/sbin/dockerd", "binary");
  auto yes = hb::detect_docker(*t.view(), "/var/lib/docker");
  CHECK(yes.installed);
  CHECK(yes.evidence[0] == "dockerd binary /usr/sbin/dockerd");
  TempTree t2;
  t2.mkdir("/srv/docker");
  CHECK(hb::detect_docker(*t2.view(), "/srv/docker").installed);
}
