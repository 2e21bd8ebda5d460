#include "checks/proc_net.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "engine/text.hpp"

namespace hb {

namespace {

// /proc/net/tcp runs to ~150 bytes a socket: a busy server's list is larger than the default
// read cap, so these files get their own (still bounded) one.
constexpr std::size_t k_proc_net_max_bytes = 128u * 1024 * 1024;
// How much of a file is read and parsed at a time (also the longest line accepted).
constexpr std::size_t k_proc_net_chunk = 1u << 20;

std::optional<std::uint64_t> parse_hex(std::string_view s, std::size_t max_digits) {
  if (s.empty() || s.size() > max_digits) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                   : -1;
    if (d < 0) return std::nullopt;
    v = v * 16 + static_cast<std::uint64_t>(d);
  }
  return v;
}

std::optional<std::uint64_t> parse_dec(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    std::uint64_t next = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (next / 10 != v) return std::nullopt;  // overflow
    v = next;
  }
  return v;
}

// "0100007F:0019" (IPv4) or 32 hex digits and a port (IPv6). Each 8-digit word is a 32-bit
// value as the kernel read it from memory: its bytes in memory are our native representation.
bool parse_endpoint(std::string_view s, bool v6, std::array<std::uint8_t, 16>& addr,
                    std::uint16_t& port) {
  const std::size_t words = v6 ? 4 : 1;
  if (s.size() != words * 8 + 5 || s[words * 8] != ':') return false;
  for (std::size_t w = 0; w < words; ++w) {
    auto v = parse_hex(s.substr(w * 8, 8), 8);
    if (!v) return false;
    const auto word = static_cast<std::uint32_t>(*v);
    std::memcpy(addr.data() + w * 4, &word, 4);
  }
  auto p = parse_hex(s.substr(words * 8 + 1), 4);
  if (!p) return false;
  port = static_cast<std::uint16_t>(*p);
  return true;
}

Error line_error(std::string_view file, int line, const std::string& why) {
  return make_error(ErrorKind::parse, std::string(file) + ":" + std::to_string(line) + ": " + why);
}

}  // namespace

std::string_view to_string(NetProto p) {
  return p == NetProto::tcp ? "tcp" : "udp";
}

Expected<std::vector<ProcNetSocket>> parse_proc_net(std::string_view text, NetProto proto, bool v6,
                                                    std::string_view file, int first_line) {
  std::vector<ProcNetSocket> out;
  int lineno = first_line - 1;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    std::string_view line =
        text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    start = nl == std::string_view::npos ? text.size() : nl + 1;
    if (static_cast<std::size_t>(++lineno) > k_max_proc_net_lines)
      return line_error(file, lineno,
                        "more than " + std::to_string(k_max_proc_net_lines) + " lines");
    auto f = split_ws(trim(line));
    if (f.empty()) continue;
    if (lineno == 1 && f[0] == "sl") continue;  // the header
    if (f.size() < 10) return line_error(file, lineno, "expected at least 10 fields");
    if (f[0].size() < 2 || f[0].back() != ':' || !parse_dec(f[0].substr(0, f[0].size() - 1)))
      return line_error(file, lineno, "expected a slot number 'N:'");
    ProcNetSocket s;
    s.proto = proto;
    s.v6 = v6;
    s.line = lineno;
    if (!parse_endpoint(f[1], v6, s.local, s.local_port))
      return line_error(file, lineno, "malformed local address");
    if (!parse_endpoint(f[2], v6, s.remote, s.remote_port))
      return line_error(file, lineno, "malformed remote address");
    auto st = parse_hex(f[3], 2);
    auto uid = parse_dec(f[7]);
    auto inode = parse_dec(f[9]);
    if (!st || !uid || *uid > 0xffffffffu || !inode)
      return line_error(file, lineno, "malformed state, uid or inode");
    s.state = static_cast<unsigned>(*st);
    s.uid = static_cast<std::uint32_t>(*uid);
    s.inode = *inode;
    out.push_back(s);
  }
  return out;
}

bool is_listening(const ProcNetSocket& s) {
  if (s.proto == NetProto::tcp) return s.state == k_tcp_listen;
  if (s.state != k_tcp_close || s.remote_port != 0) return false;
  return std::all_of(s.remote.begin(), s.remote.end(), [](std::uint8_t b) { return b == 0; });
}

bool is_loopback(const ProcNetSocket& s) {
  const auto& a = s.local;
  if (!s.v6) return a[0] == 127;
  static constexpr std::uint8_t k_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(a.data(), k_mapped, 12) == 0) return a[12] == 127;
  for (std::size_t i = 0; i < 15; ++i)
    if (a[i] != 0) return false;
  return a[15] == 1;
}

std::string address_text(const ProcNetSocket& s) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (::inet_ntop(s.v6 ? AF_INET6 : AF_INET, s.local.data(), buf, sizeof buf) == nullptr)
    return "?";
  return buf;
}

std::string endpoint_text(const ProcNetSocket& s) {
  std::string a = address_text(s);
  return (s.v6 ? "[" + a + "]" : a) + ":" + std::to_string(s.local_port);
}

std::string proc_net_file(NetProto proto, bool v6) {
  return "/proc/net/" + std::string(to_string(proto)) + (v6 ? "6" : "");
}

Expected<ProcNetTable> load_proc_net(const HostView& host) {
  auto dir = host.stat("/proc/net");
  if (!dir) {
    if (dir.kind() == ErrorKind::not_found)
      return make_error(ErrorKind::not_found, "no /proc/net in the root");
    return dir.error();
  }
  ProcNetTable table;
  for (NetProto proto : {NetProto::tcp, NetProto::udp}) {
    for (bool v6 : {false, true}) {
      const std::string file = proc_net_file(proto, v6);
      auto stream = host.open_read(file, std::max(host.max_read(), k_proc_net_max_bytes));
      if (!stream && stream.kind() == ErrorKind::not_found) {
        table.absent.push_back(file);
        continue;
      }
      if (!stream) return stream.error();
      // Whole lines a piece at a time: a 128 MB table is never held as text.
      std::string pending;
      std::vector<char> chunk(k_proc_net_chunk);
      int line = 1;
      for (bool end = false; !end;) {
        auto n = (*stream)->read(chunk.data(), chunk.size());
        if (!n) return n.error();
        end = *n == 0;
        pending.append(chunk.data(), *n);
        std::size_t cut = end ? pending.size() : pending.rfind('\n');
        if (cut == std::string::npos) {
          if (pending.size() > k_proc_net_chunk)
            return make_error(ErrorKind::parse, file + ":" + std::to_string(line) +
                                                    ": a line longer than " +
                                                    std::to_string(k_proc_net_chunk) + " bytes");
          continue;
        }
        if (!end) ++cut;  // the newline
        const std::string_view piece(pending.data(), cut);
        auto sockets = parse_proc_net(piece, proto, v6, file, line);
        if (!sockets) return sockets.error();
        if (table.sockets.size() + sockets->size() > k_max_proc_net_lines)
          return make_error(ErrorKind::too_large,
                            file + ": more than " + std::to_string(k_max_proc_net_lines) +
                                " sockets in /proc/net/{tcp,tcp6,udp,udp6}");
        table.sockets.insert(table.sockets.end(), sockets->begin(), sockets->end());
        line += static_cast<int>(std::count(piece.begin(), piece.end(), '\n'));
        pending.erase(0, cut);
      }
      table.files.push_back(file);
    }
  }
  return table;
}

std::optional<std::uint64_t> parse_socket_link(std::string_view link) {
  constexpr std::string_view prefix = "socket:[";
  if (!starts_with(link, prefix) || link.size() < prefix.size() + 2 || link.back() != ']')
    return std::nullopt;
  return parse_dec(link.substr(prefix.size(), link.size() - prefix.size() - 1));
}

SocketOwners load_socket_owners(const HostView& host) {
  SocketOwners owners;
  auto procs = host.list_dir("/proc");
  if (!procs) return owners;
  std::size_t links = 0;
  for (const auto& e : *procs) {
    auto pid = parse_dec(e.name);
    if (!pid || *pid == 0 || *pid > 0x7fffffff) continue;
    const std::string base = "/proc/" + e.name;
    auto fds = host.list_dir(base + "/fd");
    if (!fds) {
      ++owners.pids_skipped;  // gone, or not ours to read: the owner stays unknown
      continue;
    }
    std::vector<std::uint64_t> inodes;
    for (const auto& fd : *fds) {
      if (++links > k_max_fd_links) {
        owners.truncated = true;
        break;
      }
      auto target = host.read_link(base + "/fd/" + fd.name);
      if (!target) continue;
      if (auto inode = parse_socket_link(*target)) inodes.push_back(*inode);
    }
    if (!inodes.empty()) {
      SocketOwner owner{static_cast<int>(*pid), ""};
      if (auto comm = host.read_file(base + "/comm", 4096)) owner.comm = std::string(trim(*comm));
      std::sort(inodes.begin(), inodes.end());
      inodes.erase(std::unique(inodes.begin(), inodes.end()), inodes.end());
      for (auto inode : inodes) owners.by_inode[inode].push_back(owner);
    }
    if (owners.truncated) break;
  }
  return owners;
}

}  // namespace hb
