#include "checks/dockerd_flags.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "tests/support/probe_harness.hpp"

using hb::Json;
using hb::test::contains;
using hb::test::lines;
namespace dockerd = hb::dockerd;

TEST_CASE("dockerd_flags: flag syntaxes") {
  std::vector<std::string> notes;
  auto f = hb::parse_dockerd_flags({"--icc=false",
                                    "--iptables",
                                    "-H",
                                    "unix:///a.sock",
                                    "-Htcp://0.0.0.0:2376",
                                    "-H=fd://",
                                    "--host",
                                    "unix:///b.sock",
                                    "-Dl",
                                    "debug",
                                    "--log-opt",
                                    "max-size=10m",
                                    "--log-opt=max-file=3",
                                    "--default-ulimit",
                                    "nofile=64000:64001",
                                    "--default-ulimit=nproc=100",
                                    "--storage-opt",
                                    "dm.basesize=20G",
                                    "--insecure-registry=r1:5000",
                                    "--insecure-registry",
                                    "r2",
                                    "--mtu=0x5DC",
                                    "--shutdown-timeout",
                                    "-30",
                                    "--live-restore=T",
                                    "--userland-proxy=0",
                                    "--add-runtime",
                                    "CRUN=/usr/bin/crun",
                                    "-g",
                                    "/srv/docker",
                                    "--tlsverify",
                                    "--config-file=/x.json",
                                    "--default-address-pool",
                                    "base=10.10.0.0/16,size=24",
                                    "-s",
                                    "overlay2"},
                                   notes);
  CHECK(notes.empty());
  CHECK(f.at("icc") == false);
  CHECK(f.at("iptables") == true);
  CHECK(f.at("hosts") ==
        Json::array({"unix:///a.sock", "tcp://0.0.0.0:2376", "fd://", "unix:///b.sock"}));
  CHECK(f.at("debug") == true);
  CHECK(f.at("log-level") == "debug");
  CHECK(f.at("log-opts") == Json({{"max-size", "10m"}, {"max-file", "3"}}));
  CHECK(f.at("default-ulimits") ==
        Json({{"nofile", {{"Name", "nofile"}, {"Hard", 64001}, {"Soft", 64000}}},
              {"nproc", {{"Name", "nproc"}, {"Hard", 100}, {"Soft", 100}}}}));
  CHECK(f.at("storage-opts") == Json::array({"dm.basesize=20G"}));
  CHECK(f.at("insecure-registries") == Json::array({"r1:5000", "r2"}));
  CHECK(f.at("mtu") == 1500);
  CHECK(f.at("shutdown-timeout") == -30);
  CHECK(f.at("live-restore") == true);
  CHECK(f.at("userland-proxy") == false);
  CHECK(f.at("runtimes") == Json({{"crun", {{"path", "/usr/bin/crun"}}}}));
  CHECK(f.at("data-root") == "/srv/docker");
  CHECK(f.at("tlsverify") == true);
  CHECK(f.at("default-address-pools") == Json::array({{{"base", "10.10.0.0/16"}, {"size", 24}}}));
  CHECK(f.at("storage-driver") == "overlay2");
  CHECK(f.count("config-file") == 0);
  CHECK(f.count("") == 0);
  // A value-taking flag takes the next word whatever it is, as pflag does.
  notes.clear();
  CHECK(hb::parse_dockerd_flags({"--log-level", "--debug"}, notes).at("log-level") == "--debug");
  CHECK(notes.empty());
}

TEST_CASE("dockerd_flags: flags dockerd would refuse are noted, the rest kept") {
  std::vector<std::string> notes;
  auto f = hb::parse_dockerd_flags(
      {"--icc", "false", "--bogus=1", "-Z", "--ip-masq=no", "--default-ulimit", "nofile=1:2:3",
       "--default-ulimit", "nofiles=1", "--mtu", "15x", "--add-runtime=runc=/x", "--",
       "--iptables=false", "--log-level"},
      notes);
  const std::string all = lines(notes);
  CHECK(f.at("icc") == true);  // "false" is a positional argument
  CHECK(contains(all,
                 "positional argument(s) 'false' '--iptables=false' '--log-level': dockerd "
                 "refuses to start"));
  CHECK(f.count("iptables") == 0);  // after "--"
  CHECK(contains(all, "unknown flag '--bogus=1'"));
  CHECK(contains(all, "unknown shorthand flag 'Z' in '-Z'"));
  CHECK(contains(all, "--ip-masq=no: invalid boolean 'no'"));
  CHECK(f.count("ip-masq") == 0);
  CHECK(contains(all, "invalid ulimit 'nofile=1:2:3'"));
  CHECK(contains(all, "invalid ulimit type 'nofiles'"));
  CHECK(f.count("default-ulimits") == 0);
  CHECK(contains(all, "'15x' is not an integer"));
  CHECK(contains(all, "runtime name 'runc' is reserved"));

  notes.clear();
  hb::parse_dockerd_flags({"--pidfile"}, notes);
  CHECK(contains(lines(notes), "flag '--pidfile' needs an argument"));
}

TEST_CASE("dockerd_flags: each argument's origin is kept in the source") {
  std::vector<std::string> notes;
  const auto parsed = dockerd::parse_flags({{"-H", "UNIT:14 ExecStart"},
                                            {"fd://", "UNIT:14 ExecStart"},
                                            {"--dns=1.1.1.1", "/etc/default/docker:3 DOCKER_OPTS"},
                                            {"--dns=8.8.8.8", "/etc/default/docker:3 DOCKER_OPTS"},
                                            {"--config-file=/x.json", ""}},
                                           notes);
  CHECK(notes.empty());
  const auto& hosts = parsed.values.at("hosts");
  CHECK(hosts.value == Json::array({"fd://"}));
  CHECK(hosts.source == "UNIT:14 ExecStart: -H fd://");
  CHECK(hosts.conflict_names == std::set<std::string>{"hosts"});
  CHECK(parsed.values.at("dns").source ==
        "/etc/default/docker:3 DOCKER_OPTS: --dns=1.1.1.1, --dns=8.8.8.8");
  REQUIRE(parsed.config_file);
  CHECK(parsed.config_file->first == "/x.json");
  CHECK(dockerd::parse_flags({{"-g", ""}, {"/srv", ""}}, notes)
            .values.at("data-root")
            .conflict_names == std::set<std::string>{"graph"});
}

TEST_CASE("dockerd_flags: Go's ParseBool and ParseInt(s, 0, 64)") {
  CHECK(dockerd::parse_go_bool("T") == true);
  CHECK(dockerd::parse_go_bool("False") == false);
  CHECK_FALSE(dockerd::parse_go_bool("yes"));
  CHECK_FALSE(dockerd::parse_go_bool("tRUE"));
  CHECK(dockerd::parse_go_int("0x5DC") == 1500);
  CHECK(dockerd::parse_go_int("0o17") == 15);
  CHECK(dockerd::parse_go_int("017") == 15);
  CHECK(dockerd::parse_go_int("-0b101") == -5);
  CHECK(dockerd::parse_go_int("+42") == 42);
  CHECK(dockerd::parse_go_int("0") == 0);
  CHECK(dockerd::parse_go_int("-9223372036854775808") == std::numeric_limits<std::int64_t>::min());
  CHECK_FALSE(dockerd::parse_go_int("9223372036854775808"));
  CHECK_FALSE(dockerd::parse_go_int(""));
  CHECK_FALSE(dockerd::parse_go_int("-"));
  CHECK_FALSE(dockerd::parse_go_int("0x"));
  CHECK_FALSE(dockerd::parse_go_int("15x"));
}

TEST_CASE("dockerd_flags: the key and type tables") {
  CHECK(dockerd::known_file_key("labels"));    // a setting key
  CHECK(dockerd::known_file_key("label"));     // a flag's long name
  CHECK(dockerd::known_file_key("graph"));     // a hidden flag
  CHECK(dockerd::known_file_key("features"));  // a key only the file has
  CHECK_FALSE(dockerd::known_file_key("swarm-raft-heartbeat-tick"));
  CHECK_FALSE(dockerd::known_file_key(""));
  REQUIRE(dockerd::setting_spec("hosts"));
  CHECK(dockerd::setting_spec("hosts")->name == "host");
  CHECK(dockerd::setting_spec("hosts")->shorthand == 'H');
  CHECK(dockerd::setting_spec("config-file") == nullptr);  // no setting
  REQUIRE(dockerd::flag_by_name("config-file"));
  CHECK(dockerd::flag_by_name("config-file")->kind == dockerd::Kind::config_file);
  CHECK(dockerd::keeps_object("log-opts"));
  CHECK_FALSE(dockerd::keeps_object("labels"));
  CHECK(dockerd::kind_text(dockerd::Kind::map) == "an object of strings");
  CHECK(dockerd::type_ok(dockerd::Kind::boolean, Json(nullptr)));
  CHECK_FALSE(dockerd::type_ok(dockerd::Kind::boolean, Json("false")));
  CHECK_FALSE(dockerd::type_ok(dockerd::Kind::integer, Json(1.5)));
  CHECK(dockerd::type_ok(dockerd::Kind::map, Json({{"max-size", "1m"}})));
  CHECK_FALSE(dockerd::type_ok(dockerd::Kind::map, Json({{"max-file", 3}})));
  CHECK_FALSE(dockerd::type_ok(dockerd::Kind::list, Json::array({"a", 1})));
  CHECK(dockerd::type_ok(dockerd::Kind::any, Json(67108864)));
}
