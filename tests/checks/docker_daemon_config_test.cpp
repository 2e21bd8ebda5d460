#include "checks/docker_daemon_config.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

using hb::DaemonConfig;
using hb::DaemonSelector;
using hb::Json;
using hb::test::contains;
using hb::test::lines;
using hb::test::TempTree;

namespace {

// Debian 12's docker.io 20.10.24 files, verbatim.
const std::string k_debian_service = R"([Unit]
Description=Docker Application Container Engine
Documentation=https://docs.docker.com
After=network-online.target docker.socket firewalld.service containerd.service
Wants=network-online.target containerd.service
Requires=docker.socket

[Service]
Type=notify
# the default is not to use systemd for cgroups because the delegate issues still
# exists and systemd currently does not support the cgroup feature set required
# for containers run by docker
EnvironmentFile=-/etc/default/docker
ExecStart=/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock $DOCKER_OPTS
ExecReload=/bin/kill -s HUP $MAINPID
LimitNOFILE=1048576
# Having non-zero Limit*s causes performance problems due to accounting overhead
# in the kernel. We recommend using cgroups to do container-local accounting.
LimitNPROC=infinity
LimitCORE=infinity
# Uncomment TasksMax if your systemd version supports it.
# Only systemd 226 and above support this version.
TasksMax=infinity
TimeoutStartSec=0
# set delegate yes so that systemd does not reset the cgroups of docker containers
Delegate=yes
# kill only the docker process, not all processes in the cgroup
KillMode=process
# restart the docker process if it exits prematurely
Restart=on-failure
StartLimitBurst=3
StartLimitInterval=60s

[Install]
WantedBy=multi-user.target
)";

const std::string k_debian_socket = R"([Unit]
Description=Docker Socket for the API

[Socket]
# If /var/run is not implemented as a symlink to /run, you may need to
# specify ListenStream=/var/run/docker.sock instead.
ListenStream=/run/docker.sock
SocketMode=0660
SocketUser=root
SocketGroup=docker

[Install]
WantedBy=sockets.target
)";

const std::string k_debian_default = R"(# Here in Debian, this file is sourced by:
#   - /etc/init.d/docker (sysvinit)
#   - /etc/init/docker (upstart)
#   - systemd's docker.service

# Use of this file for configuring your Docker daemon is discouraged.

# The recommended alternative is "/etc/docker/daemon.json", as described in:
#   https://docs.docker.com/engine/reference/commandline/dockerd/#daemon-configuration-file

# If that does not suit your needs, try a systemd drop-in file, as described in:
#   https://docs.docker.com/config/daemon/systemd/
)";

const std::string k_unit = "/lib/systemd/system/docker.service";

DaemonConfig load(const TempTree& t, const DaemonSelector& sel = {}) {
  auto view = t.view();
  auto r = hb::load_daemon_config(*view, sel);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.message()));
  return std::move(r).value();
}

const hb::DaemonSetting& get(const DaemonConfig& c, const std::string& key) {
  const hb::DaemonSetting* s = c.find(key);
  REQUIRE_MESSAGE(s != nullptr, key);
  return *s;
}

TempTree debian(const std::string& default_docker = k_debian_default) {
  TempTree t;
  t.write(k_unit, k_debian_service);
  t.write("/lib/systemd/system/docker.socket", k_debian_socket);
  t.write("/etc/default/docker", default_docker);
  return t;
}

// A fake /proc/PID for the /proc scan.
void fake_process(TempTree& t, int pid, const std::string& comm,
                  const std::vector<std::string>& argv, unsigned uid,
                  const std::string& environ = "") {
  const std::string dir = "/proc/" + std::to_string(pid);
  std::string cmdline;
  for (const auto& a : argv) cmdline += a + std::string(1, '\0');
  t.write(dir + "/comm", comm + "\n");
  t.write(dir + "/cmdline", cmdline);
  t.write(dir + "/status", "Name:\t" + comm + "\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t" +
                               std::to_string(uid) + "\t" + std::to_string(uid) + "\t" +
                               std::to_string(uid) + "\t" + std::to_string(uid) + "\n");
  if (!environ.empty()) t.write(dir + "/environ", environ);
}

DaemonSelector proc_selector(const std::string& socket = "") {
  DaemonSelector sel;
  sel.read_proc = true;
  sel.socket_path = socket;
  return sel;
}

}  // namespace

TEST_CASE("docker_daemon_config: defaults when there is no unit, no process and no file") {
  TempTree t;
  t.write("/etc/hostname", "box\n");
  DaemonConfig c = load(t);
  CHECK(c.flags_from.empty());
  CHECK_FALSE(c.pid);
  CHECK_FALSE(c.rootless);
  CHECK(c.config_file == "/etc/docker/daemon.json");
  CHECK_FALSE(c.config_file_exists);
  CHECK(c.conflicts.empty());
  CHECK(contains(lines(c.notes), "no docker.service"));
  CHECK(get(c, "icc").value == true);
  CHECK(get(c, "icc").source == "dockerd default");
  CHECK(get(c, "ip6tables").value == false);
  CHECK(get(c, "log-level").value == "info");
  CHECK(get(c, "log-driver").value == "json-file");
  CHECK(get(c, "hosts").value == Json::array({"unix:///var/run/docker.sock"}));
  CHECK(get(c, "data-root").value == "/var/lib/docker");
  CHECK(get(c, "exec-root").value == "/var/run/docker");
  CHECK(get(c, "group").value == "docker");
  CHECK(get(c, "log-opts").value == Json::object());
  CHECK(get(c, "insecure-registries").value == Json::array());
  CHECK(c.find("socket-activation-listen") == nullptr);
  CHECK(c.find("no-such-setting") == nullptr);
  // Every default is reported as such.
  CHECK(c.settings.size() == hb::dockerd_defaults().size());
}

TEST_CASE("docker_daemon_config: Debian's unit as shipped, socket activation") {
  TempTree t = debian();
  DaemonConfig c = load(t);
  CHECK(c.flags_from == k_unit + ":14 ExecStart");
  CHECK(c.conflicts.empty());
  CHECK(get(c, "hosts").value == Json::array({"fd://"}));
  CHECK(get(c, "hosts").source == k_unit + ":14 ExecStart: -H fd://");
  CHECK(get(c, "containerd").value == "/run/containerd/containerd.sock");
  CHECK(get(c, "containerd").source ==
        k_unit + ":14 ExecStart: --containerd=/run/containerd/containerd.sock");
  const auto& listen = get(c, "socket-activation-listen");
  CHECK(listen.value == Json::array({"/run/docker.sock"}));
  CHECK(listen.source == "/lib/systemd/system/docker.socket:7 ListenStream");
  CHECK(get(c, "icc").source == "dockerd default");
  // The shipped /etc/default/docker has only comments: nothing to say about it.
  CHECK_FALSE(contains(lines(c.notes), "DOCKER_OPTS"));
}

TEST_CASE("docker_daemon_config: DOCKER_OPTS from /etc/default/docker via the unit") {
  TempTree t =
      debian(k_debian_default +
             "DOCKER_OPTS=\"--icc=false --log-opt max-size=10m --label 'env=prod lab'\"\n");
  DaemonConfig c = load(t);
  const std::string via = "/etc/default/docker:13 DOCKER_OPTS via " + k_unit + ":14 ExecStart";
  CHECK(get(c, "icc").value == false);
  CHECK(get(c, "icc").source == via + ": --icc=false");
  CHECK(get(c, "log-opts").value == Json({{"max-size", "10m"}}));
  CHECK(get(c, "log-opts").source == via + ": --log-opt max-size=10m");
  // $DOCKER_OPTS is split like a shell would with its quotes.
  CHECK(get(c, "labels").value == Json::array({"env=prod lab"}));
  CHECK(get(c, "hosts").source == k_unit + ":14 ExecStart: -H fd://");

  // EnvironmentFile= overrides Environment=, wherever the lines are.
  t.write("/etc/systemd/system/docker.service.d/env.conf",
          "[Service]\nEnvironment=\"DOCKER_OPTS=--icc=true --ip-masq=false\"\n");
  DaemonConfig d = load(t);
  CHECK(get(d, "icc").value == false);
  CHECK(d.find("ip-masq")->source == "dockerd default");
}

TEST_CASE("docker_daemon_config: DOCKER_OPTS the unit does not use is not applied") {
  TempTree t;
  t.write(k_unit,
          "[Service]\nEnvironmentFile=-/etc/default/docker\nExecStart=/usr/bin/dockerd -H fd://\n");
  t.write("/etc/default/docker", "DOCKER_OPTS='--icc=false'\n");
  DaemonConfig c = load(t);
  CHECK(get(c, "icc").value == true);
  CHECK(contains(lines(c.notes),
                 "/etc/default/docker:1 sets DOCKER_OPTS ('--icc=false') but "
                 "docker.service's ExecStart= does not use $DOCKER_OPTS: not applied"));

  TempTree u;  // a unit that does not even load the file
  u.write(k_unit, "[Service]\nExecStart=/usr/bin/dockerd $DOCKER_OPTS\n");
  u.write("/etc/default/docker", "DOCKER_OPTS=--icc=false\n");
  DaemonConfig d = load(u);
  CHECK(get(d, "icc").value == true);
  CHECK(contains(lines(d.notes), "docker.service does not load /etc/default/docker: not applied"));

  TempTree v;  // no unit at all (sysvinit reads it, but that is not modelled)
  v.write("/etc/default/docker", "DOCKER_OPTS=--icc=false\n");
  DaemonConfig e = load(v);
  CHECK(get(e, "icc").value == true);
  CHECK(e.flags_from.empty());
  CHECK(contains(lines(e.notes), "there is no docker.service: not applied"));
}

TEST_CASE("docker_daemon_config: a drop-in resets ExecStart") {
  TempTree t = debian();
  t.write("/etc/systemd/system/docker.service.d/override.conf",
          "[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H unix:///run/docker.sock \\\n"
          "# a comment inside the continuation\n"
          "  --icc=false\n");
  DaemonConfig c = load(t);
  const std::string dropin = "/etc/systemd/system/docker.service.d/override.conf:3 ExecStart";
  CHECK(c.flags_from == dropin);
  CHECK(get(c, "hosts").value == Json::array({"unix:///run/docker.sock"}));
  CHECK(get(c, "icc").value == false);
  CHECK(get(c, "icc").source == dropin + ": --icc=false");
  CHECK(c.find("containerd") == nullptr);  // the shipped ExecStart= no longer applies
  CHECK(c.find("socket-activation-listen") == nullptr);
  CHECK_FALSE(contains(lines(c.notes), "ExecStart= lines"));

  // Without the empty ExecStart= systemd has two, and refuses the unit.
  t.write("/etc/systemd/system/docker.service.d/override.conf",
          "[Service]\nExecStart=/usr/sbin/dockerd --icc=false\n");
  DaemonConfig d = load(t);
  CHECK(contains(lines(d.notes), "docker.service has 2 ExecStart= lines"));
  CHECK(get(d, "icc").value == false);
  CHECK(d.flags_from == "/etc/systemd/system/docker.service.d/override.conf:2 ExecStart");
}

TEST_CASE("docker_daemon_config: /etc overrides the unit and same-named drop-ins in /lib") {
  TempTree t = debian();
  t.write("/etc/systemd/system/docker.service",
          "[Service]\nEnvironment=\"WHERE=etc unit\" LEVEL=warn\n"
          "ExecStart=-/usr/bin/dockerd --label=from-${WHERE} --log-level ${LEVEL}\n");
  t.write("/lib/systemd/system/docker.service.d/10-env.conf",
          "[Service]\nEnvironment=LEVEL=error\n");
  t.write("/etc/systemd/system/docker.service.d/10-env.conf",
          "[Service]\nEnvironment=LEVEL=debug\n");
  t.write("/lib/systemd/system/docker.service.d/20-more.conf",
          "[Service]\nEnvironment=WHERE=dropin\n");
  DaemonConfig c = load(t);
  CHECK(c.flags_from == "/etc/systemd/system/docker.service:3 ExecStart");
  CHECK(get(c, "hosts").source == "dockerd default");  // /lib's -H fd:// is not read
  // The /etc drop-in replaced /lib's 10-env.conf; 20-more.conf came after the unit's Environment=.
  CHECK(get(c, "log-level").value == "debug");
  CHECK(get(c, "log-level").source ==
        "/etc/systemd/system/docker.service.d/10-env.conf:2 Environment LEVEL via "
        "/etc/systemd/system/docker.service:3 ExecStart: --log-level debug");
  CHECK(get(c, "labels").value == Json::array({"from-dropin"}));
}

TEST_CASE("docker_daemon_config: a masked unit gives no flags") {
  TempTree t = debian(k_debian_default + "DOCKER_OPTS=--icc=false\n");
  t.symlink("/dev/null", "/etc/systemd/system/docker.service");
  DaemonConfig c = load(t);
  CHECK(c.flags_from.empty());
  CHECK(contains(lines(c.notes), "docker.service is masked"));
  CHECK(get(c, "hosts").source == "dockerd default");
  CHECK(get(c, "icc").value == true);
}

TEST_CASE("docker_daemon_config: unit details: unreadable drop-ins, sockets, env file paths") {
  TempTree t = debian(k_debian_default + "DOCKER_OPTS=--icc=false\n");
  t.symlink("docker.service.d", "/etc/systemd/system/docker.service.d");  // a loop: ELOOP
  t.write("/etc/systemd/system/docker.socket.d/more.conf",
          "[Socket]\nListenStream=/run/more.sock\n");
  DaemonConfig c = load(t);
  CHECK(contains(lines(c.notes), "cannot list /etc/systemd/system/docker.service.d: "));
  CHECK(get(c, "icc").value == false);
  const auto& listen = get(c, "socket-activation-listen");
  CHECK(listen.value == Json::array({"/run/docker.sock", "/run/more.sock"}));
  CHECK(listen.source ==
        "/lib/systemd/system/docker.socket:7 ListenStream, "
        "/etc/systemd/system/docker.socket.d/more.conf:2 ListenStream");

  // The unit loads /etc/default/docker under another spelling: still that file.
  TempTree u;
  u.write(
      k_unit,
      "[Service]\nEnvironmentFile=/etc/default/../default/docker\nExecStart=/usr/bin/dockerd\n");
  u.write("/etc/default/docker", "DOCKER_OPTS=--icc=false\n");
  DaemonConfig d = load(u);
  CHECK(contains(lines(d.notes), "docker.service's ExecStart= does not use $DOCKER_OPTS"));
}

TEST_CASE("docker_daemon_config: unix_socket_path") {
  CHECK(hb::unix_socket_path("unix:///run/docker.sock") == "/run/docker.sock");
  CHECK(hb::unix_socket_path("unix://relative.sock") == "relative.sock");  // as it is
  CHECK(hb::unix_socket_path("unix://") == "");
  CHECK_FALSE(hb::unix_socket_path("fd://"));
  CHECK_FALSE(hb::unix_socket_path("tcp://0.0.0.0:2376"));
  CHECK_FALSE(hb::unix_socket_path("/run/docker.sock"));
}

TEST_CASE("docker_daemon_config: a key both in the file and as a flag is a conflict") {
  TempTree t = debian(k_debian_default + "DOCKER_OPTS=\"--icc=false -D\"\n");
  t.write("/etc/docker/daemon.json",
          R"({"icc": true, "hosts": ["unix:///x.sock"], "debug": null, "log-level": "warn",
              "runtimes": {"kata": {"path": "/usr/bin/kata"}}})");
  DaemonConfig c = load(t);
  REQUIRE(c.conflicts.size() == 3);
  const std::string all = lines(c.conflicts);
  CHECK(contains(all,
                 "'icc' is set both as a flag (/etc/default/docker:13 DOCKER_OPTS via " + k_unit +
                     ":14 ExecStart: --icc=false) and in /etc/docker/daemon.json (true): dockerd "
                     "refuses to start"));
  CHECK(contains(all, "'hosts' is set both as a flag (" + k_unit + ":14 ExecStart: -H fd://)"));
  CHECK(contains(all, "'debug' is set both as a flag"));  // null still counts, as in dockerd
  // The flag's value is reported, marked as a conflict.
  CHECK(get(c, "icc").value == false);
  CHECK(get(c, "icc").source == "conflict: /etc/default/docker:13 DOCKER_OPTS via " + k_unit +
                                    ":14 ExecStart: --icc=false (also in /etc/docker/daemon.json)");
  CHECK(get(c, "hosts").value == Json::array({"fd://"}));
  CHECK(get(c, "log-level").value == "warn");
  CHECK(get(c, "log-level").source == "/etc/docker/daemon.json");
  CHECK(c.config_file_exists);
}

TEST_CASE("docker_daemon_config: unknown keys, ignored flag names and wrong types") {
  TempTree t;
  t.write("/etc/docker/daemon.json", R"({
  "foo": 1,
  "log-opts": {"max-size": "1m"},
  "label": ["a=b"],
  "nested": {"bar": 1, "icc": false},
  "mtu": 1.5,
  "log-driver": "",
  "swarm-raft-heartbeat-tick": 1,
  "features": {"buildkit": true},
  "graph": "/srv/docker"
})");
  DaemonConfig c = load(t);
  const std::string all = lines(c.conflicts);
  CHECK(contains(all, "/etc/docker/daemon.json: unknown key 'foo' (dockerd refuses to start"));
  CHECK(contains(all, "unknown key 'bar'"));  // dockerd checks an object's keys, not its name
  CHECK_FALSE(contains(all, "'nested'"));
  CHECK_FALSE(contains(all, "'icc'"));
  CHECK(contains(all, "unknown key 'swarm-raft-heartbeat-tick'"));  // a json tag without a flag
  CHECK(contains(all, "'mtu' is number, dockerd expects an integer: dockerd refuses to start"));
  CHECK(c.conflicts.size() == 4);
  const std::string notes = lines(c.notes);
  CHECK(
      contains(notes,
               "'label' is a flag name: dockerd accepts it in the file and ignores it (the key is "
               "'labels')"));
  CHECK(contains(notes, "'nested' is ignored"));
  CHECK(c.find("labels") == nullptr);
  CHECK(get(c, "icc").value == true);
  CHECK(get(c, "log-opts").value == Json({{"max-size", "1m"}}));
  CHECK(c.find("mtu") == nullptr);                   // not taken from the file, and no default
  CHECK(get(c, "log-driver").value == "json-file");  // "" leaves the default
  CHECK(contains(get(c, "log-driver").source, "gives an empty value"));
  CHECK(get(c, "features").value == Json({{"buildkit", true}}));
  CHECK(get(c, "data-root").value == "/srv/docker");  // "graph" is the old spelling
}

TEST_CASE("docker_daemon_config: log-opts values must be strings") {
  TempTree t;
  t.write("/etc/docker/daemon.json", R"({"log-opts": {"max-file": 3}, "icc": "false"})");
  DaemonConfig c = load(t);
  const std::string all = lines(c.conflicts);
  CHECK(contains(all, "'log-opts' is object, dockerd expects an object of strings"));
  CHECK(contains(all, "'icc' is string, dockerd expects a boolean"));
  CHECK(get(c, "icc").value == true);
}

TEST_CASE("docker_daemon_config: invalid JSON is an error with file:line:col") {
  TempTree t;
  t.write("/etc/docker/daemon.json", "{\n  \"icc\": true,\n}\n");
  auto view = t.view();
  auto r = hb::load_daemon_config(*view);
  REQUIRE_FALSE(r.ok());
  CHECK(r.kind() == hb::ErrorKind::parse);
  CHECK(contains(r.message(), "/etc/docker/daemon.json:3:1: "));

  t.write("/etc/docker/daemon.json", "\n  [1, 2]\n");
  r = hb::load_daemon_config(*view);
  REQUIRE_FALSE(r.ok());
  CHECK(
      r.message() ==
      "/etc/docker/daemon.json:2:3: the top level is array, dockerd expects an object of settings");

  t.write("/etc/docker/daemon.json", std::string(100000, '['));
  r = hb::load_daemon_config(*view);
  REQUIRE_FALSE(r.ok());
  CHECK(contains(r.message(), "nested deeper than 512 levels"));

  t.write("/etc/docker/daemon.json", "\xEF\xBB\xBF{}");
  r = hb::load_daemon_config(*view);
  REQUIRE_FALSE(r.ok());
  CHECK(contains(r.message(), ":1:1: starts with a UTF-8 byte order mark"));
}

TEST_CASE("docker_daemon_config: an empty daemon.json is refused by dockerd 20.10, null is not") {
  TempTree t;
  t.write("/etc/docker/daemon.json", " \n");
  DaemonConfig c = load(t);
  CHECK(c.config_file_exists);
  CHECK(contains(lines(c.conflicts), "the file is empty: dockerd 20.10 refuses to start"));
  t.write("/etc/docker/daemon.json", "null");
  DaemonConfig d = load(t);
  CHECK(d.conflicts.empty());
  CHECK(contains(lines(d.notes), "is null"));
}

TEST_CASE("docker_daemon_config: --config-file points elsewhere") {
  TempTree t;
  t.write(k_unit, "[Service]\nExecStart=/usr/sbin/dockerd --config-file /srv/docker.json\n");
  t.write("/srv/docker.json", R"({"icc": false})");
  t.write("/etc/docker/daemon.json", R"({"icc": true, "foo": 1})");
  DaemonConfig c = load(t);
  CHECK(c.config_file == "/srv/docker.json");
  CHECK(c.config_file_exists);
  CHECK(c.conflicts.empty());  // the default file is not read
  CHECK(get(c, "icc").value == false);
  CHECK(get(c, "icc").source == "/srv/docker.json");
  CHECK(c.find("config-file") == nullptr);

  t.remove("/srv/docker.json");  // an explicit file that is missing stops dockerd
  DaemonConfig d = load(t);
  CHECK_FALSE(d.config_file_exists);
  CHECK(contains(lines(d.conflicts),
                 "'config-file': /srv/docker.json (" + k_unit +
                     ":2 ExecStart: --config-file /srv/docker.json) does not exist"));
}

TEST_CASE("docker_daemon_config: -g and daemon.json data-root are no conflict, the file wins") {
  TempTree t;
  t.write(k_unit, "[Service]\nExecStart=/usr/sbin/dockerd -g /flag --add-runtime crun=/bin/crun\n");
  t.write("/etc/docker/daemon.json",
          R"({"data-root": "/file", "runtimes": {"kata": {"path": "/bin/kata"}}})");
  DaemonConfig c = load(t);
  CHECK(c.conflicts.empty());
  CHECK(get(c, "data-root").value == "/file");
  CHECK(contains(lines(c.notes), "does not see these as a conflict and keeps the file's value"));
  // --add-runtime and "runtimes" merge, as dockerd does.
  CHECK(get(c, "runtimes").value ==
        Json({{"crun", {{"path", "/bin/crun"}}}, {"kata", {{"path", "/bin/kata"}}}}));
}

TEST_CASE("docker_daemon_config: a running root dockerd from a fake /proc") {
  TempTree t = debian(k_debian_default + "DOCKER_OPTS=--icc=false\n");
  t.write("/etc/docker/daemon.json", R"({"log-level": "warn"})");
  t.write("/proc/1/comm", "init\n");
  fake_process(t, 7, "bash", {"bash"}, 0);
  fake_process(t, 812, "dockerd", {"/usr/sbin/dockerd", "-H", "fd://", "--iptables=false"}, 0);
  fake_process(t, 900, "dockerd", {"/usr/bin/containerd"}, 0);  // comm lies; argv[0] decides
  DaemonConfig c = load(t, proc_selector());
  REQUIRE(c.pid);
  CHECK(*c.pid == 812);
  CHECK_FALSE(c.rootless);
  CHECK(c.flags_from == "dockerd command line (pid 812)");
  CHECK(get(c, "iptables").value == false);
  CHECK(get(c, "iptables").source == "dockerd command line (pid 812): --iptables=false");
  CHECK(get(c, "hosts").source == "dockerd command line (pid 812): -H fd://");
  // The process's own command line is the truth: the unit's $DOCKER_OPTS is not read.
  CHECK(get(c, "icc").value == true);
  CHECK(get(c, "log-level").value == "warn");
  CHECK(get(c, "socket-activation-listen").value == Json::array({"/run/docker.sock"}));

  // Not live and not asked to read /proc: the unit.
  DaemonConfig u = load(t);
  CHECK_FALSE(u.pid);
  CHECK(get(u, "icc").value == false);
}

TEST_CASE("docker_daemon_config: a conflict on a live host means the file changed") {
  TempTree t;
  fake_process(t, 40, "dockerd", {"dockerd", "--icc=false"}, 0);
  t.write("/etc/docker/daemon.json", R"({"icc": true})");
  DaemonConfig c = load(t, proc_selector());
  CHECK(contains(lines(c.conflicts),
                 "dockerd (pid 40) is running, so the file changed after it started"));
}

TEST_CASE("docker_daemon_config: rootless selection via a fake /proc") {
  TempTree t;
  t.write("/etc/passwd",
          "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n");
  t.write("/home/alice/.config/docker/daemon.json", R"({"log-level": "debug"})");
  t.write("/etc/docker/daemon.json", R"({"log-level": "error"})");
  fake_process(t, 100, "dockerd", {"dockerd", "--icc=false"}, 1000);

  DaemonConfig c = load(t, proc_selector());
  CHECK(*c.pid == 100);
  CHECK(c.rootless);
  REQUIRE(c.rootless_uid);
  CHECK(*c.rootless_uid == 1000u);
  CHECK(c.config_file == "/home/alice/.config/docker/daemon.json");
  CHECK(get(c, "log-level").value == "debug");
  CHECK(get(c, "icc").source == "dockerd command line (pid 100): --icc=false");
  CHECK(get(c, "hosts").value == Json::array({"unix:///run/user/1000/docker.sock"}));
  CHECK(get(c, "hosts").source == "dockerd default (rootless)");
  CHECK(get(c, "data-root").value == "/home/alice/.local/share/docker");
  CHECK(get(c, "exec-root").value == "/run/user/1000/docker");

  // A root dockerd is preferred when no socket is asked for ...
  fake_process(t, 200, "dockerd", {"/usr/sbin/dockerd", "-H", "unix:///var/run/docker.sock"}, 0);
  DaemonConfig r = load(t, proc_selector());
  CHECK(*r.pid == 200);
  CHECK_FALSE(r.rootless);
  CHECK(r.config_file == "/etc/docker/daemon.json");
  CHECK(contains(lines(r.notes),
                 "dockerd processes: 100 (uid 1000), 200 (uid 0); described: pid 200"));
  // ... and the one serving the socket when one is (/var/run is /run).
  CHECK(*load(t, proc_selector("/run/user/1000/docker.sock")).pid == 100);
  CHECK(*load(t, proc_selector("unix:///run/docker.sock")).pid == 200);
  fake_process(t, 300, "dockerd", {"dockerd", "--host=unix:///var/run/other.sock"}, 0);
  CHECK(*load(t, proc_selector("/run/other.sock")).pid == 300);  // not the first root one
  DaemonConfig none = load(t, proc_selector("/tmp/other.sock"));
  CHECK(*none.pid == 200);
  CHECK(contains(lines(none.notes), "no running dockerd serves '/tmp/other.sock'"));
}

TEST_CASE("docker_daemon_config: a rootless dockerd's environment and mount namespace") {
  TempTree t;
  t.write("/etc/passwd", "bob:x:1001:1001::/home/bob:/bin/sh\n");
  std::string env;
  for (const char* kv : {"PATH=/bin", "HOME=/srv/bob", "XDG_RUNTIME_DIR=/tmp/xdg"})
    env += kv + std::string(1, '\0');
  fake_process(t, 50, "dockerd", {"dockerd"}, 1001, env);
  t.symlink("mnt:[4026531840]", "/proc/1/ns/mnt");
  t.symlink("mnt:[4026531840]", "/proc/50/ns/mnt");
  fake_process(t, 60, "dockerd", {"dockerd", "--icc=false"}, 0);  // docker-in-docker
  t.symlink("mnt:[4026532999]", "/proc/60/ns/mnt");
  DaemonConfig c = load(t, proc_selector());
  CHECK(*c.pid == 50);
  CHECK(c.config_file == "/srv/bob/.config/docker/daemon.json");
  CHECK(get(c, "hosts").value == Json::array({"unix:///tmp/xdg/docker.sock"}));
  CHECK(contains(lines(c.notes), "dockerd pid 60 runs in another mount namespace"));
}

// Found by tests/fuzz (docker_daemon): HOME and XDG_RUNTIME_DIR went into the rootless defaults
// byte for byte, so a hostile environment put invalid UTF-8 into the settings' JSON values.
TEST_CASE("docker_daemon_config: a rootless dockerd's environment that is not UTF-8") {
  TempTree t;
  std::string env = std::string("HOME=/home\xaf") + '\0' + "XDG_RUNTIME_DIR=/run/\xff" + '\0';
  fake_process(t, 70, "dockerd", {"dockerd"}, 1000, env);
  DaemonConfig c = load(t, proc_selector());
  REQUIRE(c.rootless);
  for (const char* key : {"hosts", "exec-root", "pidfile", "data-root", "tlscacert"}) {
    CAPTURE(key);
    CHECK_NOTHROW((void)get(c, key).value.dump());  // strict: throws on invalid UTF-8
  }
  CHECK(get(c, "exec-root").value == "/run/\xef\xbf\xbd/docker");
  CHECK(get(c, "tlscacert").value == "/home\xef\xbf\xbd/.docker/ca.pem");
  // The daemon.json looked for is the real path, bytes as they are.
  CHECK(c.config_file == "/home\xaf/.config/docker/daemon.json");
}

TEST_CASE("docker_daemon_config: no dockerd process falls back to the unit") {
  TempTree t = debian();
  t.write("/proc/1/comm", "init\n");
  DaemonConfig c = load(t, proc_selector());
  CHECK_FALSE(c.pid);
  CHECK(c.flags_from == k_unit + ":14 ExecStart");
  CHECK(contains(lines(c.notes), "no dockerd process found"));
}

TEST_CASE("docker_daemon_config: hostile input does not crash") {
  TempTree t;
  std::string cmdline = "dockerd";
  cmdline += '\0';
  cmdline += "--label=\xff\xfe bad \xc0\xaf";
  cmdline += '\0';
  for (int i = 0; i < 10000; ++i) cmdline += std::string("--dns=1.1.1.1") + '\0';
  t.write("/proc/5/comm", "dockerd\n");
  t.write("/proc/5/cmdline", cmdline);
  t.write("/proc/5/status", "Uid:\tnot-a-number\n");
  t.write("/proc/6/comm", "dockerd\n");
  t.write("/proc/6/cmdline", cmdline);
  t.write("/proc/6/status", "Uid:\t0\t0\t0\t0\n");
  t.write(k_unit, "[Service]\nExecStart=/usr/sbin/dockerd " + std::string(200000, 'x') + " \\");
  DaemonConfig c = load(t, proc_selector());
  CHECK(*c.pid == 6);
  CHECK(contains(lines(c.notes), "dockerd pid 5: no Uid: line"));
  const auto& labels = get(c, "labels").value;
  REQUIRE(labels.size() == 1);
  CHECK(labels[0] == "\xEF\xBF\xBD\xEF\xBF\xBD bad \xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK_NOTHROW((void)labels.dump());
  CHECK(get(c, "dns").value.size() == 4094);  // argv capped at 4096 words (argv[0] and --label)

  DaemonConfig u = load(t);  // the unit's one absurd word
  CHECK(u.flags_from == k_unit + ":2 ExecStart");
  CHECK(contains(lines(u.notes), "positional argument(s)"));
}
