#include "checks/listeners_probe.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "checks/proc_net.hpp"
#include "engine/accounts.hpp"
#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

constexpr std::size_t k_max_objects = 1000;
// How many allowed sockets a passing result names before summarising.
constexpr std::size_t k_max_listed_allowed = 20;
constexpr std::size_t k_max_listed_owners = 5;

struct PortRange {
  std::uint32_t lo = 0, hi = 0;
};

std::string ranges_text(const std::vector<PortRange>& ranges) {
  if (ranges.empty()) return "none";
  std::string out;
  for (const auto& r : ranges) {
    out += out.empty() ? "" : ", ";
    out += std::to_string(r.lo);
    if (r.hi != r.lo) out += "-" + std::to_string(r.hi);
  }
  return out;
}

std::optional<std::uint32_t> port_number(std::string_view s) {
  if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  std::uint32_t v = 0;
  for (char c : s) v = v * 10 + static_cast<std::uint32_t>(c - '0');
  if (v > 65535) return std::nullopt;
  return v;
}

// 25, "25" or "8000-8100".
std::optional<PortRange> parse_port(const Json& v) {
  if (v.is_number_integer()) {
    auto n = v.get<long long>();
    if (n < 0 || n > 65535) return std::nullopt;
    return PortRange{static_cast<std::uint32_t>(n), static_cast<std::uint32_t>(n)};
  }
  if (!v.is_string()) return std::nullopt;
  std::string_view s = trim(v.get_ref<const std::string&>());
  std::size_t dash = s.find('-');
  if (dash == std::string_view::npos) {
    auto p = port_number(s);
    if (!p) return std::nullopt;
    return PortRange{*p, *p};
  }
  auto lo = port_number(trim(s.substr(0, dash))), hi = port_number(trim(s.substr(dash + 1)));
  if (!lo || !hi || *lo > *hi) return std::nullopt;
  return PortRange{*lo, *hi};
}

class ListenersProbe final : public Probe {
 public:
  ListenersProbe(std::vector<PortRange> allowed, bool tcp, bool udp)
      : allowed_(std::move(allowed)), tcp_(tcp), udp_(udp) {}

  Outcome evaluate(const ProbeContext& ctx) const override {
    auto table = ctx.facts.get<ProcNetTable>("proc.net", [&] { return load_proc_net(ctx.host); });
    if (!table->ok()) {
      if (table->kind() == ErrorKind::not_found)
        return Outcome::make(Status::notapplicable,
                             "no /proc/net in the root: listening sockets exist only on a running "
                             "host (an offline image has none to judge)");
      return Outcome::make(Status::error,
                           "cannot read the socket tables: " + printable(table->message(), 400));
    }
    const ProcNetTable& t = table->value();

    // What ss shows, once per protocol, address and port (SO_REUSEPORT binds one several times).
    std::vector<const ProcNetSocket*> listening;
    std::set<std::tuple<int, bool, std::array<std::uint8_t, 16>, std::uint16_t>> seen;
    for (const auto& s : t.sockets) {
      if (!is_listening(s)) continue;
      if ((s.proto == NetProto::tcp && !tcp_) || (s.proto == NetProto::udp && !udp_)) continue;
      if (seen.insert({static_cast<int>(s.proto), s.v6, s.local, s.local_port}).second)
        listening.push_back(&s);
    }
    std::size_t loopback = 0;
    std::vector<const ProcNetSocket*> allowed, offending;
    for (const auto* s : listening) {
      if (is_loopback(*s))
        ++loopback;
      else
        (port_allowed(s->local_port) ? allowed : offending).push_back(s);
    }

    std::string files;
    for (const auto& f : t.files) files += (files.empty() ? "" : ", ") + f;
    if (files.empty()) files = "no socket table in /proc/net";
    std::string summary = std::to_string(listening.size()) + " listening socket" +
                          (listening.size() == 1 ? "" : "s") + " (" + files + "), " +
                          std::to_string(loopback) + " on loopback (not judged)";

    Outcome out;
    out.status = Status::pass;
    if (offending.empty()) {
      std::string ev =
          summary + "; every other one is on an allowed port (" + ranges_text(allowed_) + ")";
      if (!allowed.empty()) ev += ": " + list(allowed);
      out.evidence.push_back(std::move(ev));
      return out;
    }
    out.evidence.push_back(summary + "; " + std::to_string(offending.size()) +
                           " on a port outside allowed_ports (" + ranges_text(allowed_) + ")");

    std::shared_ptr<const Expected<SocketOwners>> owners;
    if (ctx.host.is_live())
      owners = ctx.facts.get<SocketOwners>("proc.socket_owners",
                                           [&] { return load_socket_owners(ctx.host); });
    auto accounts = load_accounts(ctx.host, ctx.facts);
    for (std::size_t i = 0; i < offending.size() && i < k_max_objects; ++i) {
      const ProcNetSocket& s = *offending[i];
      ObjectResult obj;
      obj.id = std::string(to_string(s.proto)) + " " + endpoint_text(s);
      obj.status = Status::fail;
      obj.evidence.push_back(std::string(to_string(s.proto)) + " socket " +
                             (s.proto == NetProto::tcp ? "listening" : "bound") + " on " +
                             endpoint_text(s) + ": port " + std::to_string(s.local_port) +
                             " is not in allowed_ports (" + proc_net_file(s.proto, s.v6) + ":" +
                             std::to_string(s.line) + ", inode " + std::to_string(s.inode) +
                             ", uid " + accounts->describe_user(s.uid) + ")");
      obj.evidence.push_back(owner_text(s, owners ? &owners->value() : nullptr));
      out.add_object(std::move(obj));
    }
    if (offending.size() > k_max_objects)
      out.evidence.push_back(std::to_string(offending.size() - k_max_objects) +
                             " more offending sockets not listed (at most " +
                             std::to_string(k_max_objects) + " objects)");
    return out;
  }

 private:
  bool port_allowed(std::uint16_t port) const {
    return std::any_of(allowed_.begin(), allowed_.end(),
                       [&](const PortRange& r) { return port >= r.lo && port <= r.hi; });
  }

  static std::string list(const std::vector<const ProcNetSocket*>& sockets) {
    std::string out;
    for (std::size_t i = 0; i < sockets.size() && i < k_max_listed_allowed; ++i)
      out += (i ? ", " : "") + std::string(to_string(sockets[i]->proto)) + " " +
             endpoint_text(*sockets[i]);
    if (sockets.size() > k_max_listed_allowed)
      out += " and " + std::to_string(sockets.size() - k_max_listed_allowed) + " more";
    return out;
  }

  static std::string owner_text(const ProcNetSocket& s, const SocketOwners* owners) {
    if (owners == nullptr) return "owning process not looked up: the root is not the running host";
    auto it = owners->by_inode.find(s.inode);
    if (it == owners->by_inode.end()) {
      std::string why =
          "owning process not found: no process visible from here holds it (another PID "
          "namespace, or a socket the kernel holds)";
      if (owners->pids_skipped > 0 || owners->truncated)
        why += "; " + std::to_string(owners->pids_skipped) +
               " processes' /proc/PID/fd could not be read" +
               (owners->truncated ? ", and the fd walk stopped at its cap" : "");
      return why;
    }
    std::string out = it->second.size() == 1 ? "process " : "processes ";
    for (std::size_t i = 0; i < it->second.size() && i < k_max_listed_owners; ++i) {
      const auto& o = it->second[i];
      out += (i ? ", " : "") + std::to_string(o.pid) + " (" +
             (o.comm.empty() ? "?" : printable(o.comm, 64)) + ")";
    }
    if (it->second.size() > k_max_listed_owners)
      out += " and " + std::to_string(it->second.size() - k_max_listed_owners) + " more";
    return out;
  }

  std::vector<PortRange> allowed_;
  bool tcp_;
  bool udp_;
};

}  // namespace

std::unique_ptr<Probe> parse_listeners_probe(const Params& params) {
  if (!params.has("allowed_ports"))
    params.fail("allowed_ports", "required: the ports that may listen on the network ([22])");
  Json ports = *params.opt_value("allowed_ports");
  if (!ports.is_array()) ports = Json::array({ports});
  std::vector<PortRange> allowed;
  for (const auto& p : ports) {
    auto r = parse_port(p);
    if (!r)
      params.fail("allowed_ports", "'" + (p.is_string() ? p.get<std::string>() : p.dump()) +
                                       "' is not a port (0-65535) or a range (8000-8100)");
    allowed.push_back(*r);
  }
  bool tcp = true, udp = true;
  if (auto protos = params.opt_strings("protocols")) {
    if (protos->empty()) params.fail("protocols", "expected tcp, udp or both");
    tcp = udp = false;
    for (const auto& p : *protos) {
      if (p == "tcp")
        tcp = true;
      else if (p == "udp")
        udp = true;
      else
        params.fail("protocols", "unknown protocol '" + p + "' (expected tcp or udp)");
    }
  }
  return std::make_unique<ListenersProbe>(std::move(allowed), tcp, udp);
}

}  // namespace hb
