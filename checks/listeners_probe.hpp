// The `listeners` probe kind: sockets that accept traffic from the network must be on allowed
// ports. It reads /proc/net/{tcp,tcp6,udp,udp6} (once per scan, facts key "proc.net") and judges
// what `ss -ltnu` shows: TCP sockets in LISTEN and unconnected bound UDP sockets. Sockets on
// loopback (127.0.0.0/8, ::1, ::ffff:127.x) are never judged. Each socket on another address
// whose port is not in `allowed_ports` is one failing object ("tcp 0.0.0.0:25"); on the live host
// the evidence names the owning process (pid and comm, from the "socket:[INODE]" links in
// /proc/PID/fd, facts key "proc.socket_owners", built only when a socket fails). Sockets bound
// twice to one protocol, address and port (SO_REUSEPORT) count once. No /proc/net in the root
// (an offline image): notapplicable. Parameters: see profiles/README.md.
#pragma once

#include <memory>

#include "engine/probe.hpp"

namespace hb {

std::unique_ptr<Probe> parse_listeners_probe(const Params& params);

}  // namespace hb
