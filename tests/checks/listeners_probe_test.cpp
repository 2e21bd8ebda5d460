#include "checks/listeners_probe.hpp"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>

#include "engine/facts.hpp"
#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

using hb::Status;
using hb::test::all_evidence;
using hb::test::contains;
using hb::test::TempTree;

namespace {

const std::string k_tcp_header =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
    "inode\n";
const std::string k_udp_header =
    "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
    "inode ref pointer drops\n";
const std::string k_v6_header =
    "  sl  local_address                         remote_address                        st "
    "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

// One /proc/net line: local and remote as the kernel prints them.
std::string line(int sl, const std::string& local, const std::string& remote, const char* st,
                 int inode, int uid = 0) {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "%4d: %s %s %s 00000000:00000000 00:00000000 00000000 %5d        0 %d 1 "
                "0000000000000000 100 0 0 10 0\n",
                sl, local.c_str(), remote.c_str(), st, uid, inode);
  return buf;
}

const std::string k_any4 = "00000000:0000";
const std::string k_any6 = "00000000000000000000000000000000:0000";

// sshd on 0.0.0.0:22 and [::]:22, exim4 on loopback (both families), an SSH session.
TempTree host() {
  TempTree t;
  t.write("/proc/net/tcp", k_tcp_header + line(0, "00000000:0016", k_any4, "0A", 16634) +
                               line(1, "0100007F:0019", k_any4, "0A", 17022, 104) +
                               line(2, "0F02000A:0016", "0202000A:C3CA", "01", 18321));
  t.write("/proc/net/tcp6",
          k_v6_header + line(0, "00000000000000000000000000000000:0016", k_any6, "0A", 16636) +
              line(1, "00000000000000000000000001000000:0019", k_any6, "0A", 17024));
  t.write("/proc/net/udp", k_udp_header + line(6196, "0F02000A:E5C0", "01C89FA2:007B", "01", 15871));
  t.write("/proc/net/udp6", k_v6_header);
  t.write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n"
                         "Debian-exim:x:104:109::/var/spool/exim4:/usr/sbin/nologin\n");
  return t;
}

hb::Outcome run(const std::string& yaml, const TempTree& t, hb::Facts* facts = nullptr) {
  auto v = t.view();
  return hb::test::run_probe(&hb::parse_listeners_probe, yaml, *v, facts);
}

const std::string k_ssh_only = "allowed_ports: [22]\n";

}  // namespace

TEST_CASE("listeners probe: sshd on all addresses with port 22 allowed passes") {
  auto t = host();
  auto o = run(k_ssh_only, t);
  CHECK(o.status == Status::pass);
  CHECK(o.objects.empty());
  CHECK(all_evidence(o) ==
        "4 listening sockets (/proc/net/tcp, /proc/net/tcp6, /proc/net/udp, /proc/net/udp6), 2 on "
        "loopback (not judged); every other one is on an allowed port (22): tcp 0.0.0.0:22, tcp "
        "[::]:22\n");
}

TEST_CASE("listeners probe: a socket on 0.0.0.0 outside allowed_ports fails") {
  auto t = host();
  t.write("/proc/net/tcp", k_tcp_header + line(0, "00000000:0016", k_any4, "0A", 16634) +
                               line(1, "00000000:0019", k_any4, "0A", 17022, 104));
  auto o = run(k_ssh_only, t);
  CHECK(o.status == Status::fail);
  REQUIRE(o.objects.size() == 1);
  CHECK(o.objects[0].id == "tcp 0.0.0.0:25");
  CHECK(o.objects[0].status == Status::fail);
  CHECK(o.objects[0].evidence[0] ==
        "tcp socket listening on 0.0.0.0:25: port 25 is not in allowed_ports (/proc/net/tcp:3, "
        "inode 17022, uid Debian-exim(104))");
  // Not the running host: the owner is not looked for (offline fixtures have no processes).
  CHECK(o.objects[0].evidence[1] ==
        "owning process not looked up: the root is not the running host");
  CHECK(contains(all_evidence(o), "1 on a port outside allowed_ports (22)"));
}

TEST_CASE("listeners probe: loopback in every spelling is not judged") {
  auto t = host();
  t.write("/proc/net/tcp6",
          k_v6_header + line(0, "00000000000000000000000001000000:0277", k_any6, "0A", 1) +
              line(1, "0000000000000000FFFF00000100007F:1F90", k_any6, "0A", 2));
  t.write("/proc/net/tcp", k_tcp_header + line(0, "0100007F:0277", k_any4, "0A", 3) +
                               line(1, "0200007F:0035", k_any4, "0A", 4));  // 127.0.0.2:53
  auto o = run("allowed_ports: []\n", t);
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "4 on loopback (not judged)"));
}

TEST_CASE("listeners probe: IPv6 and unconnected UDP sockets are judged, connected UDP is not") {
  auto t = host();
  t.write("/proc/net/tcp6",
          k_v6_header + line(0, "00000000000000000000000000000000:0050", k_any6, "0A", 19410));
  t.write("/proc/net/udp", k_udp_header + line(161, "00000000:00A1", k_any4, "07", 18877, 110) +
                               line(6196, "0F02000A:E5C0", "01C89FA2:007B", "01", 15871));
  t.write("/proc/net/udp6",
          k_v6_header + line(5353, "0000000000000000FFFF00000F02000A:14E9", k_any6, "07", 15390));
  auto o = run(k_ssh_only, t);
  CHECK(o.status == Status::fail);
  REQUIRE(o.objects.size() == 3);
  CHECK(o.objects[0].id == "tcp [::]:80");
  CHECK(o.objects[1].id == "udp 0.0.0.0:161");
  CHECK(contains(o.objects[1].evidence[0], "udp socket bound on 0.0.0.0:161"));
  CHECK(o.objects[2].id == "udp [::ffff:10.0.2.15]:5353");
  CHECK(contains(o.objects[2].evidence[0], "(/proc/net/udp6:2, inode 15390"));
  // Ranges and single ports mix; the protocols filter narrows what is judged.
  CHECK(run("allowed_ports: [22, \"80\", 100-200, 5353]\n", t).status == Status::pass);
  auto tcp_only = run("allowed_ports: [22]\nprotocols: [tcp]\n", t);
  REQUIRE(tcp_only.objects.size() == 1);
  CHECK(tcp_only.objects[0].id == "tcp [::]:80");
}

TEST_CASE("listeners probe: one socket bound twice (SO_REUSEPORT) is one object") {
  auto t = host();
  t.write("/proc/net/tcp", k_tcp_header + line(0, "00000000:1F90", k_any4, "0A", 100) +
                               line(1, "00000000:1F90", k_any4, "0A", 101));
  auto o = run(k_ssh_only, t);
  REQUIRE(o.objects.size() == 1);
  CHECK(o.objects[0].id == "tcp 0.0.0.0:8080");
  CHECK(contains(all_evidence(o), "3 listening sockets"));
}

TEST_CASE("listeners probe: at most 1000 objects, the rest counted") {
  TempTree t;
  std::string tcp = k_tcp_header;
  for (int i = 0; i < 1200; ++i) {
    char local[32];
    std::snprintf(local, sizeof local, "00000000:%04X", 10000 + i);
    tcp += line(i, local, k_any4, "0A", 1000 + i);
  }
  t.write("/proc/net/tcp", tcp);
  auto o = run(k_ssh_only, t);
  CHECK(o.status == Status::fail);
  CHECK(o.objects.size() == 1000);
  CHECK(contains(all_evidence(o), "200 more offending sockets not listed (at most 1000 objects)"));
}

TEST_CASE("listeners probe: no /proc/net (an offline image) is notapplicable") {
  TempTree t;
  t.write("/etc/hostname", "image\n");
  auto o = run(k_ssh_only, t);
  CHECK(o.status == Status::notapplicable);
  CHECK(contains(all_evidence(o), "no /proc/net in the root"));
}

TEST_CASE("listeners probe: an unparsable socket table is an error, never a verdict") {
  auto t = host();
  t.write("/proc/net/tcp", k_tcp_header + "   0: 00000000:0016 garbage\n");
  auto o = run(k_ssh_only, t);
  CHECK(o.status == Status::error);
  CHECK(all_evidence(o) ==
        "cannot read the socket tables: /proc/net/tcp:2: expected at least 10 fields\n");
  t.remove("/proc/net/tcp");
  t.mkfifo("/proc/net/tcp");
  CHECK(run(k_ssh_only, t).status == Status::error);
}

TEST_CASE("listeners probe: /proc/net is parsed once per scan") {
  auto t = host();
  hb::Facts facts;
  run(k_ssh_only, t, &facts);
  run("allowed_ports: [22, 25]\n", t, &facts);
  CHECK(facts.parse_counts().at("proc.net") == 1);
  CHECK(facts.parse_counts().count("proc.socket_owners") == 0);  // offline: never built
}

TEST_CASE("listeners probe: bad parameters are load errors") {
  using hb::test::parse_error;
  auto p = &hb::parse_listeners_probe;
  CHECK(contains(parse_error(p, "protocols: [tcp]\n"), "allowed_ports"));
  CHECK(contains(parse_error(p, "allowed_ports: [ssh]\n"),
                 "'ssh' is not a port (0-65535) or a range (8000-8100)"));
  CHECK(contains(parse_error(p, "allowed_ports: 70000\n"), "is not a port"));
  CHECK(contains(parse_error(p, "allowed_ports: [\"200-100\"]\n"), "is not a port"));
  CHECK(contains(parse_error(p, "allowed_ports: [22]\nprotocols: [sctp]\n"),
                 "unknown protocol 'sctp'"));
  CHECK(contains(parse_error(p, "allowed_ports: [22]\nallowed_port: [25]\n"), "allowed_port"));
  CHECK(parse_error(p, "allowed_ports: 22\n").empty());
}

TEST_CASE("listeners probe: on the live host the owning process is named") {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(fd, 1) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  const std::string id = "tcp 0.0.0.0:" + std::to_string(ntohs(addr.sin_port));

  auto live = hb::open_host_view("/");
  REQUIRE(live.ok());
  REQUIRE((*live)->is_live());
  hb::Facts facts;
  auto o = hb::test::run_probe(&hb::parse_listeners_probe, "allowed_ports: []\n", **live, &facts);
  ::close(fd);
  CHECK(o.status == Status::fail);
  const hb::ObjectResult* mine = nullptr;
  for (const auto& obj : o.objects)
    if (obj.id == id) mine = &obj;
  REQUIRE(mine != nullptr);
  REQUIRE(mine->evidence.size() == 2);
  CHECK(contains(mine->evidence[1], "process " + std::to_string(::getpid()) + " (hostbench_test"));
  CHECK(facts.parse_counts().at("proc.socket_owners") == 1);
}
