// ProcNet: the sockets the kernel lists in /proc/net/tcp, tcp6, udp and udp6, and which processes
// hold them (the links "socket:[INODE]" in /proc/PID/fd).
//
// Format (net/ipv4/tcp_ipv4.c get_tcp4_sock, tcp_ipv6.c, udp.c): a header line starting with
// "sl", then one line per socket, "N: LOCAL REMOTE ST TX:RX TR:WHEN RETRNSMT UID TIMEOUT INODE
// ...". An address is hex, each 32-bit word printed with %08X from the kernel's memory, so the
// bytes of a word appear in the host's byte order ("0100007F" is 127.0.0.1 on a little-endian
// host); a port is %04X of the number. The host is taken to have the scanner's byte order (a
// /proc/net exists only on the live host or a copy of one).
//
// parse_proc_net is pure (a fuzzing target): a line in any other shape is an Error naming the
// file and line (no kernel writes one, and a guessed socket list would be a false verdict).
// Caps: k_max_proc_net_lines lines per file; load_* read through a HostView only.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expected.hpp"
#include "engine/host_view.hpp"

namespace hb {

enum class NetProto { tcp, udp };
std::string_view to_string(NetProto p);

inline constexpr unsigned k_tcp_listen = 0x0A;  // TCP_LISTEN
inline constexpr unsigned k_tcp_close = 0x07;   // TCP_CLOSE: an unconnected UDP socket
inline constexpr std::size_t k_max_proc_net_lines = 1'000'000;

struct ProcNetSocket {
  NetProto proto = NetProto::tcp;
  bool v6 = false;
  std::array<std::uint8_t, 16> local{};  // network order; IPv4 in the first 4 bytes
  std::uint16_t local_port = 0;
  std::array<std::uint8_t, 16> remote{};
  std::uint16_t remote_port = 0;
  unsigned state = 0;
  std::uint32_t uid = 0;
  std::uint64_t inode = 0;
  int line = 0;  // 1-based, in its file
};

// Parses one file's text; `v6` for tcp6/udp6, `file` names it in errors. `first_line` is the
// line number of the text's first line (load_proc_net parses a file in pieces; only line 1 may
// be the header).
Expected<std::vector<ProcNetSocket>> parse_proc_net(std::string_view text, NetProto proto, bool v6,
                                                    std::string_view file, int first_line = 1);

// What `ss -ltnu` shows: TCP in LISTEN, UDP unconnected (TCP_CLOSE with a zero remote end).
bool is_listening(const ProcNetSocket& s);
// 127.0.0.0/8, ::1, and ::ffff:127.0.0.0/104 (IPv4-mapped loopback).
bool is_loopback(const ProcNetSocket& s);
// "0.0.0.0", "::", "::ffff:127.0.0.1" (inet_ntop's text).
std::string address_text(const ProcNetSocket& s);
// "0.0.0.0:25", "[::]:25".
std::string endpoint_text(const ProcNetSocket& s);
// The file a socket came from: "/proc/net/tcp6".
std::string proc_net_file(NetProto proto, bool v6);

struct ProcNetTable {
  std::vector<ProcNetSocket> sockets;  // tcp, tcp6, udp, udp6 in that order
  std::vector<std::string> files;      // the files read
  std::vector<std::string> absent;     // files the kernel does not offer (no IPv6 ...)
};

// Reads the four files. No /proc/net in the root: an Error of kind not_found. A file that exists
// but cannot be read or parsed: an Error. Each file is streamed and parsed a piece at a time
// (never held whole), and the four together may list at most k_max_proc_net_lines sockets: peak
// memory stays near 64 MB whatever a hostile root's files hold (tests/integration/hostile_roots).
Expected<ProcNetTable> load_proc_net(const HostView& host);

// "socket:[12345]" -> 12345; anything else nullopt.
std::optional<std::uint64_t> parse_socket_link(std::string_view link);

struct SocketOwner {
  int pid = 0;
  std::string comm;  // /proc/PID/comm, without the newline ("" when unreadable)
};

struct SocketOwners {
  std::map<std::uint64_t, std::vector<SocketOwner>> by_inode;
  std::size_t pids_skipped = 0;  // processes whose fd directory could not be listed
  bool truncated = false;        // more than k_max_fd_links links: the map is partial
};

inline constexpr std::size_t k_max_fd_links = 1'000'000;

// Walks /proc/PID/fd/* of every process (live host only). Never fails: what cannot be read is
// skipped and counted.
SocketOwners load_socket_owners(const HostView& host);

}  // namespace hb
