#include "checks/proc_net.hpp"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <set>
#include <tuple>

#include "engine/text.hpp"
#include "tests/support/temp_tree.hpp"

using hb::NetProto;

namespace {

// Lines as a little-endian kernel prints them (get_tcp4_sock, tcp6_sock_seq_show,
// udp4_format_sock), with the header.
const char* const k_tcp =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
    "inode                                                     \n"
    "   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 "
    "16634 1 0000000000000000 100 0 0 10 0                      \n"
    "   1: 0100007F:0019 00000000:0000 0A 00000000:00000000 00:00000000 00000000   104        0 "
    "17022 1 0000000000000000 100 0 0 10 0                      \n"
    "   2: 0F02000A:0016 0202000A:C3CA 01 00000000:00000000 02:0004F1A8 00000000     0        0 "
    "18321 4 0000000000000000 20 4 30 10 -1                     \n";

const char* const k_tcp6 =
    "  sl  local_address                         remote_address                        st "
    "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000     0        0 16636 1 0000000000000000 100 0 0 10 0\n"
    "   1: 00000000000000000000000001000000:0019 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000     0        0 17024 1 0000000000000000 100 0 0 10 0\n"
    "   2: 0000000000000000FFFF00000100007F:1F90 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000     0        0 17030 1 0000000000000000 100 0 0 10 0\n"
    "   3: 0000000000000000FFFF00000F02000A:1F91 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000     0        0 17031 1 0000000000000000 100 0 0 10 0\n";

const char* const k_udp =
    "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
    "inode ref pointer drops            \n"
    "  161: 00000000:00A1 00000000:0000 07 00000000:00000000 00:00000000 00000000   110        0 "
    "18877 2 0000000000000000 0         \n"
    " 6196: 0F02000A:E5C0 01C89FA2:007B 01 00000000:00000000 00:00000000 00000000   997        0 "
    "15871 2 0000000000000000 0         \n";

}  // namespace

TEST_CASE("proc_net: IPv4 TCP lines give addresses, ports, states, uids and inodes") {
  auto s = hb::parse_proc_net(k_tcp, NetProto::tcp, false, "/proc/net/tcp");
  REQUIRE(s.ok());
  REQUIRE(s->size() == 3);
  CHECK(hb::endpoint_text((*s)[0]) == "0.0.0.0:22");
  CHECK((*s)[0].state == hb::k_tcp_listen);
  CHECK((*s)[0].inode == 16634);
  CHECK((*s)[0].line == 2);
  CHECK(hb::endpoint_text((*s)[1]) == "127.0.0.1:25");
  CHECK((*s)[1].uid == 104);
  CHECK(hb::is_loopback((*s)[1]));
  CHECK_FALSE(hb::is_loopback((*s)[0]));
  CHECK(hb::endpoint_text((*s)[2]) == "10.0.2.15:22");
  CHECK((*s)[2].remote_port == 50122);
  CHECK(hb::is_listening((*s)[0]));
  CHECK_FALSE(hb::is_listening((*s)[2]));  // an established session
}

TEST_CASE("proc_net: IPv6 words, loopback and IPv4-mapped addresses") {
  auto s = hb::parse_proc_net(k_tcp6, NetProto::tcp, true, "/proc/net/tcp6");
  REQUIRE(s.ok());
  REQUIRE(s->size() == 4);
  CHECK(hb::endpoint_text((*s)[0]) == "[::]:22");
  CHECK(hb::endpoint_text((*s)[1]) == "[::1]:25");
  CHECK(hb::is_loopback((*s)[1]));
  CHECK(hb::endpoint_text((*s)[2]) == "[::ffff:127.0.0.1]:8080");
  CHECK(hb::is_loopback((*s)[2]));
  CHECK(hb::endpoint_text((*s)[3]) == "[::ffff:10.0.2.15]:8081");
  CHECK_FALSE(hb::is_loopback((*s)[3]));
  CHECK_FALSE(hb::is_loopback((*s)[0]));
}

TEST_CASE("proc_net: unconnected UDP listens, connected UDP does not") {
  auto s = hb::parse_proc_net(k_udp, NetProto::udp, false, "/proc/net/udp");
  REQUIRE(s.ok());
  REQUIRE(s->size() == 2);
  CHECK(hb::is_listening((*s)[0]));
  CHECK(hb::endpoint_text((*s)[0]) == "0.0.0.0:161");
  CHECK_FALSE(hb::is_listening((*s)[1]));  // timesyncd's socket connected to an NTP server
  CHECK(hb::endpoint_text((*s)[1]) == "10.0.2.15:58816");
}

TEST_CASE("proc_net: a malformed line is an error naming the file and line") {
  std::string text = std::string(k_tcp) + "   3: 0100007G:0019 00000000:0000 0A 0 0 0 0 0 0 1\n";
  auto s = hb::parse_proc_net(text, NetProto::tcp, false, "/proc/net/tcp");
  REQUIRE_FALSE(s.ok());
  CHECK(s.message() == "/proc/net/tcp:5: malformed local address");
  auto short_line = hb::parse_proc_net("sl\n 0: 00000000:0016\n", NetProto::tcp, false, "f");
  REQUIRE_FALSE(short_line.ok());
  CHECK(short_line.message() == "f:2: expected at least 10 fields");
  // An IPv4 address in an IPv6 file has the wrong width.
  auto v6 = hb::parse_proc_net(k_tcp, NetProto::tcp, true, "/proc/net/tcp6");
  CHECK_FALSE(v6.ok());
}

TEST_CASE("proc_net: hostile input never crashes and never yields a guess") {
  CHECK(hb::parse_proc_net("", NetProto::tcp, false, "f")->empty());
  CHECK(hb::parse_proc_net("\n\n\n", NetProto::udp, true, "f")->empty());
  CHECK_FALSE(hb::parse_proc_net(std::string(100000, 'A'), NetProto::tcp, false, "f").ok());
  CHECK_FALSE(hb::parse_proc_net(std::string(5000, ':'), NetProto::tcp, false, "f").ok());
  std::string huge_field = "0: " + std::string(3000, '0') + ":0016 00000000:0000 0A a b c d e f\n";
  CHECK_FALSE(hb::parse_proc_net(huge_field, NetProto::tcp, false, "f").ok());
  std::string bad_inode =
      "0: 00000000:0016 00000000:0000 0A 0:0 0:0 0 0 0 99999999999999999999999\n";
  CHECK_FALSE(hb::parse_proc_net(bad_inode, NetProto::tcp, false, "f").ok());
  std::string binary = "0: " + std::string("\x01\x02\xff\x00", 4) + " x y z 1 2 3 4 5 6\n";
  CHECK_FALSE(hb::parse_proc_net(binary, NetProto::tcp, false, "f").ok());
}

TEST_CASE("proc_net: socket links") {
  CHECK(hb::parse_socket_link("socket:[12345]") == 12345u);
  CHECK_FALSE(hb::parse_socket_link("socket:[]").has_value());
  CHECK_FALSE(hb::parse_socket_link("socket:[12a]").has_value());
  CHECK_FALSE(hb::parse_socket_link("pipe:[12345]").has_value());
  CHECK_FALSE(hb::parse_socket_link("/dev/null").has_value());
  CHECK_FALSE(hb::parse_socket_link("socket:[99999999999999999999999]").has_value());
}

TEST_CASE("proc_net: load_proc_net reads the four files, a missing /proc/net is not_found") {
  hb::test::TempTree t;
  auto none = hb::load_proc_net(*t.view());
  REQUIRE_FALSE(none.ok());
  CHECK(none.kind() == hb::ErrorKind::not_found);
  t.write("/proc/net/tcp", k_tcp);
  t.write("/proc/net/udp", k_udp);
  auto some = hb::load_proc_net(*t.view());
  REQUIRE(some.ok());
  CHECK(some->sockets.size() == 5);
  CHECK(some->files == std::vector<std::string>{"/proc/net/tcp", "/proc/net/udp"});
  CHECK(some->absent == std::vector<std::string>{"/proc/net/tcp6", "/proc/net/udp6"});
  t.write("/proc/net/udp6", "sl\ngarbage\n");
  auto bad = hb::load_proc_net(*t.view());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.message() == "/proc/net/udp6:2: expected at least 10 fields");
}

namespace {

using Key = std::tuple<std::string, std::string, int>;  // proto, address, port

// `ss -ltnu -H` as a set: "tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:*" -> (tcp, 0.0.0.0, 22); the
// interface suffix ("%lo") dropped, IPv6 brackets removed, addresses canonical via inet_pton.
std::optional<std::set<Key>> ss_sockets() {
  std::unique_ptr<FILE, int (*)(FILE*)> p(::popen("ss -ltnu -H 2>/dev/null", "r"), ::pclose);
  if (!p) return std::nullopt;
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p.get())) out.append(buf, n);
  std::set<Key> keys;
  for (auto line : hb::split_lines(out)) {
    auto f = hb::split_ws(line);
    if (f.size() < 5) continue;
    std::string local(f[4]);
    auto colon = local.rfind(':');
    std::string addr = local.substr(0, colon), port = local.substr(colon + 1);
    if (auto pct = addr.find('%'); pct != std::string::npos) addr.erase(pct);
    if (!addr.empty() && addr.front() == '[') addr = addr.substr(1, addr.size() - 2);
    if (addr == "*") addr = "0.0.0.0";
    unsigned char bin[16];
    char text[INET6_ADDRSTRLEN];
    const int family = addr.find(':') != std::string::npos ? AF_INET6 : AF_INET;
    if (::inet_pton(family, addr.c_str(), bin) == 1 &&
        ::inet_ntop(family, bin, text, sizeof text) != nullptr)
      addr = text;
    keys.insert({std::string(f[0]), addr, std::stoi(port)});
  }
  return keys;
}

std::set<Key> proc_sockets(const hb::ProcNetTable& t) {
  std::set<Key> keys;
  for (const auto& s : t.sockets)
    if (hb::is_listening(s))
      keys.insert({std::string(hb::to_string(s.proto)), hb::address_text(s), s.local_port});
  return keys;
}

}  // namespace

TEST_CASE("proc_net: this machine's /proc/net gives the sockets `ss -ltnu` shows") {
  if (::system("command -v ss >/dev/null 2>&1") != 0) {
    MESSAGE("ss (iproute2) is not installed: skipped");
    return;
  }
  auto host = hb::open_host_view("/");
  REQUIRE(host.ok());
  // Sockets come and go while the two snapshots are taken: retry a few times.
  std::set<Key> ours, theirs;
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto t = hb::load_proc_net(**host);
    REQUIRE_MESSAGE(t.ok(), (t.ok() ? "" : t.message()));
    ours = proc_sockets(*t);
    auto ss = ss_sockets();
    REQUIRE(ss.has_value());
    theirs = *ss;
    if (ours == theirs) break;
    ::usleep(200 * 1000);
  }
  CAPTURE(ours.size());
  CAPTURE(theirs.size());
  CHECK(ours == theirs);
}

TEST_CASE("proc_net: this process's own listening socket is found with its owner") {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(fd, 1) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  const int port = ntohs(addr.sin_port);

  auto host = hb::open_host_view("/");
  REQUIRE(host.ok());
  auto t = hb::load_proc_net(**host);
  REQUIRE(t.ok());
  const hb::ProcNetSocket* mine = nullptr;
  for (const auto& s : t->sockets)
    if (!s.v6 && s.proto == NetProto::tcp && s.local_port == port && hb::is_listening(s))
      mine = &s;
  REQUIRE(mine != nullptr);
  CHECK(hb::endpoint_text(*mine) == "127.0.0.1:" + std::to_string(port));
  CHECK(hb::is_loopback(*mine));
  auto owners = hb::load_socket_owners(**host);
  auto it = owners.by_inode.find(mine->inode);
  REQUIRE(it != owners.by_inode.end());
  bool found = false;
  for (const auto& o : it->second) found = found || o.pid == ::getpid();
  CHECK(found);
  ::close(fd);
}
