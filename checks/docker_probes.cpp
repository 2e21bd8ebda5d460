#include "checks/docker_probes.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>
#include <set>

#include "checks/docker_daemon_config.hpp"
#include "checks/docker_inventory.hpp"
#include "checks/docker_json.hpp"
#include "checks/file_probe.hpp"
#include "engine/expectation.hpp"
#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/json_text.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

// ---- shared ------------------------------------------------------------------------------

// Docker absent: the rule is about a component this host does not have.
std::optional<Outcome> unless_installed(const ProbeContext& ctx) {
  const DockerInstall& d = docker_install(ctx);
  if (d.installed) return std::nullopt;
  Outcome o;
  o.status = Status::notapplicable;
  o.evidence = d.evidence;
  return o;
}

using docker_json::member;
using docker_json::number_of;
using docker_json::strings_of;
using docker_json::text_of;

Json to_json(const std::vector<std::string>& v) {
  Json a = Json::array();
  for (const auto& s : v) a.push_back(s);
  return a;
}

// `line` with what `expect` says of `actual` appended when it is not met; the verdict.
Status judge(const Expectation& expect, const std::optional<Json>& actual, std::string& line) {
  const ExpectationResult r = expect.test(actual);
  if (!r.ok) line += r.error ? "; " + r.detail : "; expected " + expect.describe();
  return r.status();
}

// ---- docker_installed ----------------------------------------------------------------------

class DockerInstalledProbe final : public Probe {
 public:
  Outcome evaluate(const ProbeContext& ctx) const override {
    const DockerInstall& d = docker_install(ctx);
    Outcome o;
    o.status = d.installed ? Status::pass : Status::fail;
    o.evidence = d.evidence;
    return o;
  }
};

// ---- docker_daemon -------------------------------------------------------------------------

class DockerDaemonProbe final : public Probe {
 public:
  DockerDaemonProbe(std::string setting, std::optional<Expectation> expect)
      : setting_(std::move(setting)), expect_(std::move(expect)) {}

  Outcome evaluate(const ProbeContext& ctx) const override {
    if (auto na = unless_installed(ctx)) return *na;
    const auto& daemon = docker_daemon(ctx);
    if (!daemon) return Outcome::make(Status::error, daemon.message());
    const DaemonConfig& c = *daemon;
    Outcome o;
    if (!expect_) {  // consistent: true
      o.status = c.conflicts.empty() ? Status::pass : Status::fail;
      if (c.conflicts.empty())
        o.evidence.push_back("dockerd accepts this configuration: no setting is given both in " +
                             printable(c.config_file) + " and as a flag, and every key is known");
      for (const auto& line : c.conflicts) o.evidence.push_back(printable(line, 400));
      add_context(c, o);
      return o;
    }
    const DaemonSetting* s = c.find(setting_);
    std::optional<Json> actual;
    std::string line = setting_;
    if (s) {
      actual = s->value;
      line += " = " + printable(value_text(s->value), 300) + " (" + printable(s->source, 300) + ")";
    } else {
      line += " is not set (no file, flag or default defines it)";
    }
    // dockerd refuses to start with a key given twice; its value is then no fact to judge.
    for (const auto& conflict : c.conflicts)
      if (conflict.find("'" + setting_ + "'") != std::string::npos ||
          starts_with(conflict, setting_ + ":")) {
        o.status = Status::error;
        o.evidence.push_back(line);
        o.evidence.push_back(printable(conflict, 400));
        add_context(c, o);
        return o;
      }
    o.status = judge(*expect_, actual, line);
    o.evidence.push_back(std::move(line));
    if (o.status != Status::pass) add_context(c, o);  // where to look, when something is wrong
    return o;
  }

 private:
  static void add_context(const DaemonConfig& c, Outcome& o) {
    std::string where = "configuration file " + printable(c.config_file) +
                        (c.config_file_exists ? "" : " (absent)") + "; flags from " +
                        (c.flags_from.empty() ? std::string("nowhere (no dockerd process or unit)")
                                              : printable(c.flags_from, 300));
    if (c.rootless) where += "; rootless daemon";
    o.evidence.push_back(std::move(where));
  }

  std::string setting_;
  std::optional<Expectation> expect_;
};

// ---- docker_file ---------------------------------------------------------------------------

// The file a daemon setting names (tlscacert, tlscert, tlskey), judged with the file tests.
class DockerFileProbe final : public Probe {
 public:
  DockerFileProbe(std::string setting, Status if_unset, std::unique_ptr<FileChecks> checks)
      : setting_(std::move(setting)), if_unset_(if_unset), checks_(std::move(checks)) {}

  Outcome evaluate(const ProbeContext& ctx) const override {
    if (auto na = unless_installed(ctx)) return *na;
    const auto& daemon = docker_daemon(ctx);
    if (!daemon) return Outcome::make(Status::error, daemon.message());
    const DaemonSetting* s = daemon->find(setting_);
    if (!s || !s->value.is_string() || s->value.get<std::string>().empty())
      return Outcome::make(if_unset_, setting_ + " is not set: the daemon names no such file");
    const std::string path = s->value.get<std::string>();
    if (path.front() != '/')
      return Outcome::make(Status::error, setting_ + " = '" + printable(path) +
                                              "' is not an absolute path (" +
                                              printable(s->source, 200) + ")");
    Outcome o = checks_->evaluate_at(ctx, path);
    o.evidence.insert(o.evidence.begin(), setting_ + " = " + printable(path) + " (" +
                                              printable(s->source, 200) + ")");
    return o;
  }

 private:
  std::string setting_;
  Status if_unset_;
  std::unique_ptr<FileChecks> checks_;
};

// ---- docker_containers ---------------------------------------------------------------------

// A field's value for one container; `value` absent with `unobservable` set when it cannot be
// seen (sshd inside a container of an offline root).
struct FieldValue {
  std::optional<Json> value;
  std::string note;  // appended to the evidence: where a value came from, a caveat
  std::optional<Status> unobservable;
};

struct FieldEnv {
  const ProbeContext& ctx;
  const DaemonConfig* daemon;  // null when the daemon configuration could not be read
};

std::vector<std::string> security_opts(const Container& c) {
  return strings_of(c.host_config, "SecurityOpt");
}

// "seccomp=unconfined", "seccomp:unconfined" (old clients): the value of option `name`.
std::optional<std::string> security_opt(const Container& c, std::string_view name) {
  std::optional<std::string> found;
  for (const auto& o : security_opts(c)) {
    if (o.size() > name.size() && starts_with(o, name) &&
        (o[name.size()] == '=' || o[name.size()] == ':'))
      found = o.substr(name.size() + 1);
    else if (o == name)
      found = "";
  }
  return found;
}

std::string normal_cap(std::string cap) {
  std::transform(cap.begin(), cap.end(), cap.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  if (cap != "ALL" && !starts_with(cap, "CAP_")) cap = "CAP_" + cap;
  return cap;
}

FieldValue caps(const Container& c, const char* key) {
  std::vector<std::string> v;
  for (auto& cap : strings_of(c.host_config, key)) v.push_back(normal_cap(cap));
  std::sort(v.begin(), v.end());
  return {to_json(v), "", {}};
}

FieldValue no_new_privileges(const Container& c, const FieldEnv& env) {
  if (auto o = security_opt(c, "no-new-privileges")) {
    if (o->empty() || *o == "true") return {Json(true), "from SecurityOpt", {}};
    if (*o == "false") return {Json(false), "from SecurityOpt", {}};
  }
  if (c.no_new_privileges) return {Json(*c.no_new_privileges), "as recorded in config.v2.json", {}};
  if (env.daemon)
    if (const DaemonSetting* s = env.daemon->find("no-new-privileges"); s && s->value.is_boolean())
      return {s->value, "the daemon's default (" + printable(s->source, 200) + ")", {}};
  return {Json(false), "", {}};
}

FieldValue seccomp(const Container& c, const FieldEnv& env) {
  if (member(c.host_config, "Privileged") == Json(true))
    return {Json("unconfined"), "privileged containers run without seccomp", {}};
  if (auto o = security_opt(c, "seccomp"))
    return {Json(*o == "unconfined" ? "unconfined" : "custom"), "from SecurityOpt", {}};
  if (env.daemon)
    if (const DaemonSetting* s = env.daemon->find("seccomp-profile");
        s && s->value.is_string() && !s->value.get<std::string>().empty()) {
      const std::string p = s->value.get<std::string>();
      return {Json(p == "unconfined" ? "unconfined" : p == "builtin" ? "default" : "custom"),
              "the daemon's seccomp-profile (" + printable(s->source, 200) + ")", {}};
    }
  return {Json("default"), "Docker's built-in profile", {}};
}

FieldValue restart_policy(const Container& c) {
  const Json& rp = member(c.host_config, "RestartPolicy");
  std::string name = text_of(rp, "Name");
  if (name.empty()) name = "no";
  if (name == "on-failure") {
    const Json n = number_of(rp, "MaximumRetryCount");
    name += ":" + value_text(n);
  }
  return {Json(name), "", {}};
}

FieldValue devices(const Container& c) {
  std::vector<std::string> v;
  const Json& d = member(c.host_config, "Devices");
  if (d.is_array())
    for (const auto& dev : d) v.push_back(text_of(dev, "PathOnHost"));
  if (member(c.host_config, "Privileged") == Json(true))
    v.push_back("all host devices (privileged)");
  return {to_json(v), "", {}};
}

std::vector<std::string> bind_sources(const Container& c) {
  std::vector<std::string> v;
  for (const auto& m : c.mounts)
    if (m.type == "bind" || m.type.empty()) {
      std::string s = m.source;
      while (s.size() > 1 && s.back() == '/') s.pop_back();
      v.push_back(s);
    }
  return v;
}

// The Docker socket reaches the container through the socket itself (at its default paths, or
// wherever this daemon's hosts put it) or a directory above it; a bind onto .../docker.sock
// inside the container is taken as one too, wherever it comes from.
FieldValue socket_mounted(const Container& c, const FieldEnv& env) {
  std::set<std::string> sockets = {"/var/run/docker.sock", "/run/docker.sock"};
  if (env.daemon)
    for (const char* key : {"hosts", "socket-activation-listen"})
      if (const DaemonSetting* s = env.daemon->find(key); s && s->value.is_array())
        for (const auto& h : s->value)
          if (h.is_string()) {
            const std::string& v = h.get_ref<const std::string&>();
            const std::string path = unix_socket_path(v).value_or(v);  // listen: a bare path
            if (starts_with(path, "/")) sockets.insert(path);
          }
  std::set<std::string> covering;  // each socket and every directory above it
  for (std::string p : sockets)
    for (;;) {
      covering.insert(p);
      if (p == "/") break;
      auto slash = p.rfind('/');
      p = slash == 0 ? std::string("/") : p.substr(0, slash);
    }
  for (const auto& m : c.mounts) {
    if (m.type != "bind" && !m.type.empty()) continue;
    std::string src = m.source;
    while (src.size() > 1 && src.back() == '/') src.pop_back();
    if (covering.count(src))
      return {Json(true), "bind mount of " + printable(src) + " at " + printable(m.destination), {}};
    if (base_name(m.destination) == "docker.sock")
      return {Json(true), "bind mount onto " + printable(m.destination) + " from " + printable(src),
              {}};
  }
  return {Json(false), "", {}};
}

// Port bindings as configured (HostConfig.PortBindings: {"80/tcp": [{"HostIp","HostPort"}]}).
template <class Keep>
std::vector<std::string> bindings(const Container& c, Keep keep) {
  std::vector<std::string> out;
  const Json& pb = member(c.host_config, "PortBindings");
  if (!pb.is_object()) return out;
  for (const auto& [cport, list] : pb.items()) {
    if (!list.is_array()) continue;
    for (const auto& b : list) {
      const std::string ip = text_of(b, "HostIp"), port = text_of(b, "HostPort");
      if (keep(ip, port)) out.push_back((ip.empty() ? "0.0.0.0" : ip) + ":" + port + "->" + cport);
    }
  }
  return out;
}

FieldValue privileged_ports(const Container& c) {
  Json ports = Json::array();
  bindings(c, [&](const std::string&, const std::string& port) {
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
      return false;
    const int p = std::stoi(port);
    if (p > 0 && p < 1024) ports.push_back(p);
    return false;
  });
  return {ports, "", {}};
}

FieldValue all_interfaces(const Container& c) {
  return {to_json(bindings(c,
                           [](const std::string& ip, const std::string&) {
                             return ip.empty() || ip == "0.0.0.0" || ip == "::";
                           })),
          "", {}};
}

FieldValue healthcheck(const Json& config) {
  const auto test = strings_of(member(config, "Healthcheck"), "Test");
  const bool on = !test.empty() && test.front() != "NONE";
  return {Json(on), on ? "" : (test.empty() ? "no HEALTHCHECK" : "HEALTHCHECK NONE"), {}};
}

// Process names per container, from /proc/PID/cgroup once per scan (live host only). dockerd
// puts each container's processes in a cgroup named after its id: ".../docker/<id>" with the
// cgroupfs driver, ".../docker-<id>.scope" with systemd's. This attributes processes even for a
// container that shares the host's PID namespace (--pid host), where namespaces cannot.
using ContainerProcesses = std::map<std::string, std::set<std::string>>;
ContainerProcesses load_container_processes(const HostView& host) {
  ContainerProcesses out;
  auto entries = host.list_dir("/proc");
  if (!entries) return out;
  std::size_t seen = 0;
  for (const auto& e : *entries) {
    if (e.name.empty() || e.name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (++seen > 200'000) break;
    auto cgroup = host.read_file("/proc/" + e.name + "/cgroup", 64 * 1024);
    if (!cgroup) continue;
    std::set<std::string> ids;
    for (auto line : split_lines(*cgroup))
      for (std::string_view marker : {"docker/", "docker-"}) {
        auto at = line.find(marker);
        if (at == std::string_view::npos) continue;
        auto id = line.substr(at + marker.size(), 64);
        if (id.size() == 64 &&
            id.find_first_not_of("0123456789abcdef") == std::string_view::npos)
          ids.insert(std::string(id));
      }
    if (ids.empty()) continue;
    auto comm = host.read_file("/proc/" + e.name + "/comm", 256);
    if (!comm) continue;
    for (const auto& id : ids) out[id].insert(std::string(trim(*comm)));
  }
  return out;
}

FieldValue sshd_running(const Container& c, const FieldEnv& env) {
  if (!env.ctx.host.is_live())
    return {std::nullopt, "processes inside containers can only be seen on the live host",
            Status::notchecked};
  if (!c.running) return {Json(false), "not running", {}};
  auto table = env.ctx.facts.get<ContainerProcesses>(
      "proc.container_processes", [&]() -> Expected<ContainerProcesses> {
        return load_container_processes(env.ctx.host);
      });
  const auto& procs = table->value();
  auto it = procs.find(c.id);
  if (it == procs.end())
    return {std::nullopt,
            "no process in /proc belongs to its cgroup (.../docker/ID or docker-ID.scope)",
            Status::error};
  const bool found = it->second.count("sshd") > 0;
  return {Json(found),
          std::to_string(it->second.size()) + " process names in its cgroup" +
              (found ? ", sshd among them" : ""),
          {}};
}

struct Field {
  const char* name;
  FieldValue (*get)(const Container&, const FieldEnv&) = nullptr;
  const char* host_config_text = nullptr;  // without `get`: this HostConfig string, as it is

  FieldValue value(const Container& c, const FieldEnv& env) const {
    if (get) return get(c, env);
    return {Json(text_of(c.host_config, host_config_text)), "", {}};
  }
};

// A limit on processes: PidsLimit, else an nproc ulimit (the container's, else the daemon's
// default-ulimits); 0 when there is none.
FieldValue process_limit(const Container& c, const FieldEnv& env) {
  const Json pids = number_of(c.host_config, "PidsLimit");
  if (pids.is_number() && pids.get<double>() > 0) return {pids, "PidsLimit", {}};
  const Json& ulimits = member(c.host_config, "Ulimits");
  if (ulimits.is_array())
    for (const auto& u : ulimits)
      if (text_of(u, "Name") == "nproc") return {number_of(u, "Soft"), "nproc ulimit (soft)", {}};
  if (env.daemon)
    if (const DaemonSetting* d = env.daemon->find("default-ulimits"); d && d->value.is_object())
      if (auto it = d->value.find("nproc"); it != d->value.end())
        return {number_of(*it, "Soft"),
                "the daemon's default nproc ulimit (" + printable(d->source, 200) + ")",
                {}};
  return {Json(0), "no PidsLimit and no nproc ulimit", {}};
}

// MemorySwap: -1 is unlimited swap; 0 (unset) with a memory limit means twice the memory.
FieldValue memory_swap(const Container& c, const FieldEnv&) {
  const Json mem = number_of(c.host_config, "Memory"),
             swap = number_of(c.host_config, "MemorySwap");
  const double m = mem.get<double>(), sw = swap.get<double>();
  if (sw < 0) return {Json(-1), "unlimited swap", {}};
  if (sw == 0 && m > 0) return {Json(2 * m), "unset: twice the memory limit", {}};
  if (sw == 0) return {Json(-1), "no memory limit, so no swap limit", {}};
  return {swap, "bytes, memory and swap together", {}};
}

// What a container can still write: its writable mounts and tmpfs, and its root filesystem
// unless it is read-only.
FieldValue writable_paths(const Container& c, const FieldEnv&) {
  std::vector<std::string> v;
  if (member(c.host_config, "ReadonlyRootfs") != Json(true)) v.push_back("/ (root filesystem)");
  for (const auto& m : c.mounts)
    if (m.rw) v.push_back(m.destination + " (" + (m.type.empty() ? "bind" : m.type) + ")");
  const Json& tmpfs = member(c.host_config, "Tmpfs");
  if (tmpfs.is_object())
    for (const auto& [path, opts] : tmpfs.items()) v.push_back(path + " (tmpfs)");
  return {to_json(v), "", {}};
}

const Field k_fields[] = {
    {"user", [](const Container& c, const FieldEnv&) -> FieldValue {
       const std::string u = text_of(c.config, "User");
       return {Json(u), u.empty() ? "no user set: root" : "", {}};
     }},
    {"privileged", [](const Container& c, const FieldEnv&) -> FieldValue {
       return {Json(member(c.host_config, "Privileged") == Json(true)), "", {}};
     }},
    {"cap_add", [](const Container& c, const FieldEnv&) { return caps(c, "CapAdd"); }},
    {"cap_drop", [](const Container& c, const FieldEnv&) { return caps(c, "CapDrop"); }},
    {"memory", [](const Container& c, const FieldEnv&) -> FieldValue {
       return {number_of(c.host_config, "Memory"), "bytes; 0 is unlimited", {}};
     }},
    {"cpu_shares", [](const Container& c, const FieldEnv&) -> FieldValue {
       return {number_of(c.host_config, "CpuShares"), "0 is the default weight, 1024", {}};
     }},
    {"pids_limit", [](const Container& c, const FieldEnv&) -> FieldValue {
       return {number_of(c.host_config, "PidsLimit"), "0 or -1 is unlimited", {}};
     }},
    {"process_limit", &process_limit},
    {"memory_swap", &memory_swap},
    {"writable_paths", &writable_paths},
    {"readonly_rootfs", [](const Container& c, const FieldEnv&) -> FieldValue {
       return {Json(member(c.host_config, "ReadonlyRootfs") == Json(true)), "", {}};
     }},
    {"no_new_privileges", &no_new_privileges},
    {"network_mode", nullptr, "NetworkMode"},
    {"pid_mode", nullptr, "PidMode"},
    {"ipc_mode", nullptr, "IpcMode"},
    {"uts_mode", nullptr, "UTSMode"},
    {"userns_mode", nullptr, "UsernsMode"},
    {"cgroup_parent", nullptr, "CgroupParent"},
    {"restart_policy", [](const Container& c, const FieldEnv&) { return restart_policy(c); }},
    {"devices", [](const Container& c, const FieldEnv&) { return devices(c); }},
    {"apparmor_profile", [](const Container& c, const FieldEnv&) -> FieldValue {
       return {Json(c.apparmor_profile), "", {}};
     }},
    {"selinux_options", [](const Container& c, const FieldEnv&) -> FieldValue {
       std::vector<std::string> v;
       for (const auto& o : security_opts(c))
         if (starts_with(o, "label=") || starts_with(o, "label:")) v.push_back(o.substr(6));
       return {to_json(v), "", {}};
     }},
    {"seccomp_profile", &seccomp},
    {"bind_sources", [](const Container& c, const FieldEnv&) -> FieldValue {
       return {to_json(bind_sources(c)), "", {}};
     }},
    {"docker_socket_mounted", &socket_mounted},
    {"mount_propagation", [](const Container& c, const FieldEnv&) -> FieldValue {
       std::vector<std::string> v;
       for (const auto& m : c.mounts)
         if (!m.propagation.empty()) v.push_back(m.propagation);
       return {to_json(v), "", {}};
     }},
    {"privileged_host_ports", [](const Container& c, const FieldEnv&) { return privileged_ports(c); }},
    {"all_interfaces_ports", [](const Container& c, const FieldEnv&) { return all_interfaces(c); }},
    {"healthcheck", [](const Container& c, const FieldEnv&) { return healthcheck(c.config); }},
    {"sshd_running", &sshd_running},
    {"image", [](const Container& c, const FieldEnv&) -> FieldValue {
       return {Json(c.image), "", {}};
     }},
};

std::string inventory_line(const DockerInventory& inv, std::size_t checked, std::size_t skipped,
                           const char* what, const char* skipped_what) {
  std::string line = std::to_string(checked) + " " + what;
  if (skipped) line += " (" + std::to_string(skipped) + " " + skipped_what + " not checked)";
  return line + ", read from the " + inv.source;
}

void add_notes(const DockerInventory& inv, Outcome& o) {
  for (const auto& n : inv.notes) o.evidence.push_back(printable(n, 400));
}

// One container's or image's result: an error when it could not be read; else
// "FIELD = VALUE (note)" judged by `expect`, or the status a field gives when it cannot be seen.
template <class GetValue>
ObjectResult object_result(std::string id, const std::string& error, const std::string& field,
                           GetValue get_value, const Expectation& expect) {
  ObjectResult obj;
  obj.id = std::move(id);
  if (!error.empty()) {
    obj.status = Status::error;
    obj.evidence.push_back(printable(error, 400));
    return obj;
  }
  const FieldValue v = get_value();
  std::string line = field;
  if (v.unobservable) {
    obj.status = *v.unobservable;
    obj.evidence.push_back(line + ": " + v.note);
    return obj;
  }
  line += " = " + printable(value_text(*v.value), 300);
  if (!v.note.empty()) line += " (" + v.note + ")";
  obj.status = judge(expect, v.value, line);
  obj.evidence.push_back(std::move(line));
  return obj;
}

class DockerContainersProbe final : public Probe {
 public:
  DockerContainersProbe(const Field* field, bool all, bool informational, Expectation expect)
      : field_(field), all_(all), informational_(informational), expect_(std::move(expect)) {}

  Outcome evaluate(const ProbeContext& ctx) const override {
    if (auto na = unless_installed(ctx)) return *na;
    const auto& inv = docker_inventory(ctx);
    if (!inv) return Outcome::make(Status::error, inv.message());
    const auto& daemon = docker_daemon(ctx);
    const FieldEnv env{ctx, daemon ? &*daemon : nullptr};
    Outcome o;
    o.status = Status::notapplicable;  // the lowest rank: the objects decide
    std::size_t checked = 0, skipped = 0;
    for (const Container& c : inv->containers) {
      if (!all_ && !c.running && c.error.empty()) {
        ++skipped;
        continue;
      }
      ++checked;
      ObjectResult obj = object_result(
          c.label(), c.error, field_->name, [&] { return field_->value(c, env); }, expect_);
      if (informational_ && (obj.status == Status::pass || obj.status == Status::fail))
        obj.status = Status::informational;
      o.add_object(std::move(obj));
    }
    if (checked == 0) o.status = Status::pass;
    o.evidence.push_back(inventory_line(*inv, checked, skipped,
                                        all_ ? "containers" : "running containers", "stopped"));
    add_notes(*inv, o);
    return o;
  }

 private:
  const Field* field_;
  bool all_;
  bool informational_;
  Expectation expect_;
};

// ---- docker_images -------------------------------------------------------------------------

// Seconds since the epoch of an RFC 3339 time as Docker writes it
// ("2024-05-01T10:00:00.123456789Z", or with a "+02:00" offset); nullopt when it is not one.
std::optional<std::int64_t> rfc3339_seconds(const std::string& t) {
  std::tm tm{};
  if (t.size() < 20 || std::sscanf(t.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
                                   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::int64_t secs = timegm(&tm);
  std::size_t i = 19;
  if (i < t.size() && t[i] == '.')
    while (++i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) {
    }
  if (i < t.size() && t[i] == 'Z' && i + 1 == t.size()) return secs;
  int oh = 0, om = 0;
  if (i + 6 == t.size() && (t[i] == '+' || t[i] == '-') &&
      std::sscanf(t.c_str() + i + 1, "%2d:%2d", &oh, &om) == 2)
    return secs - (t[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  return std::nullopt;
}

FieldValue image_field(const std::string& field, const Image& im, const DockerInventory& inv,
                       const ProbeContext& ctx) {
  if (field == "healthcheck") return healthcheck(im.config);
  if (field == "user") {
    const std::string u = text_of(im.config, "User");
    return {Json(u), u.empty() ? "no USER: root" : "", {}};
  }
  if (field == "age_days") {
    auto created = rfc3339_seconds(im.created);
    if (!created)
      return {std::nullopt, "no readable creation time ('" + printable(im.created, 60) + "')",
              Status::error};
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(ctx.now.time_since_epoch()).count();
    return {Json((now - *created) / 86400), "created " + printable(im.created, 60), {}};
  }
  std::size_t users = 0;
  for (const auto& c : inv.containers) users += c.image_id == im.id;
  if (field == "dangling")
    return {Json(im.tags.empty()), std::to_string(users) + " containers use it", {}};
  if (field == "latest_only_in_use") {
    const bool latest_only =
        !im.tags.empty() && std::all_of(im.tags.begin(), im.tags.end(), [](const std::string& t) {
          return t.size() > 7 && t.compare(t.size() - 7, 7, ":latest") == 0;
        });
    return {Json(users > 0 && latest_only),
            std::to_string(users) + " containers use it" +
                (latest_only ? "; its only tag is latest" : ""),
            {}};
  }
  if (field == "signed_tags") {
    // Docker content trust keeps the signed targets of each repository the client pulled with
    // DOCKER_CONTENT_TRUST=1 in ~/.docker/trust/tuf/GUN/metadata/targets.json (root's here).
    std::vector<std::string> signed_tags;
    for (const auto& ref : im.tags) {
      const auto colon = ref.rfind(':');
      if (colon == std::string::npos || ref.find('/', colon) != std::string::npos) continue;
      std::string repo = ref.substr(0, colon);
      const std::string tag = ref.substr(colon + 1);
      const auto slash = repo.find('/');
      const bool has_registry =
          slash != std::string::npos && (repo.find_first_of(".:", 0) < slash ||
                                         repo.compare(0, slash, "localhost") == 0);
      if (!has_registry) repo = "docker.io/" + (slash == std::string::npos ? "library/" + repo : repo);
      if (repo.find("..") != std::string::npos) continue;
      auto text = ctx.host.read_file("/root/.docker/trust/tuf/" + repo + "/metadata/targets.json");
      if (!text) continue;
      auto doc = parse_json_text("targets.json", *text);
      if (doc && member(member(member(*doc, "signed"), "targets"), tag.c_str()).is_object())
        signed_tags.push_back(ref);
    }
    return {to_json(signed_tags), "from /root/.docker/trust", {}};
  }
  // shell
  auto shells = image_shells(ctx, inv.root_dir, im);
  if (!shells) return {std::nullopt, shells.message(), Status::error};
  return {to_json(*shells), shells->empty() ? "no shell in any layer" : "", {}};
}

class DockerImagesProbe final : public Probe {
 public:
  DockerImagesProbe(std::string field, bool informational, Expectation expect)
      : field_(std::move(field)), informational_(informational), expect_(std::move(expect)) {}

  Outcome evaluate(const ProbeContext& ctx) const override {
    if (auto na = unless_installed(ctx)) return *na;
    const auto& inv = docker_inventory(ctx);
    if (!inv) return Outcome::make(Status::error, inv.message());
    Outcome o;
    o.status = inv->images.empty() ? Status::pass : Status::notapplicable;
    for (const Image& im : inv->images) {
      ObjectResult obj = object_result(
          im.label(), im.error, field_, [&] { return image_field(field_, im, *inv, ctx); },
          expect_);
      // A fact to know rather than a fault to fix: either way the object only informs.
      if (informational_ && (obj.status == Status::pass || obj.status == Status::fail))
        obj.status = Status::informational;
      o.add_object(std::move(obj));
    }
    o.evidence.push_back(inventory_line(*inv, inv->images.size(), 0, "images", ""));
    add_notes(*inv, o);
    return o;
  }

 private:
  std::string field_;
  bool informational_;
  Expectation expect_;
};

// ---- docker_swarm --------------------------------------------------------------------------

class DockerSwarmProbe final : public Probe {
 public:
  explicit DockerSwarmProbe(Expectation expect) : expect_(std::move(expect)) {}
  Outcome evaluate(const ProbeContext& ctx) const override {
    if (auto na = unless_installed(ctx)) return *na;
    const auto& inv = docker_inventory(ctx);
    if (!inv) return Outcome::make(Status::error, inv.message());
    std::optional<Json> actual;
    if (!inv->swarm.empty()) actual = Json(inv->swarm);
    std::string line = "swarm state " + (actual ? printable(inv->swarm) : std::string("unknown")) +
                       ", from the " + inv->source;
    const Status status = judge(expect_, actual, line);
    return Outcome::make(status, std::move(line));
  }

 private:
  Expectation expect_;
};

}  // namespace

std::vector<std::string> docker_container_fields() {
  std::vector<std::string> out;
  for (const auto& f : k_fields) out.push_back(f.name);
  return out;
}

std::unique_ptr<Probe> parse_docker_installed_probe(const Params& params) {
  params.finish();
  return std::make_unique<DockerInstalledProbe>();
}

std::unique_ptr<Probe> parse_docker_daemon_probe(const Params& params) {
  const bool has_setting = params.has("setting"), has_consistent = params.has("consistent");
  if (has_setting == has_consistent)
    params.fail("give exactly one of 'setting: KEY' (a daemon.json key) and 'consistent: true'");
  if (has_consistent) {
    if (!params.boolean("consistent", true))
      params.fail("consistent", "only 'consistent: true' is meaningful");
    return std::make_unique<DockerDaemonProbe>("", std::nullopt);
  }
  std::string setting = params.string("setting");
  if (setting.empty() || setting.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") !=
                             std::string::npos)
    params.fail("setting", "'" + setting + "' is not a daemon.json key such as icc or log-level");
  return std::make_unique<DockerDaemonProbe>(std::move(setting), Expectation::parse(params));
}

std::unique_ptr<Probe> parse_docker_file_probe(const Params& params) {
  std::string setting = params.string("setting");
  if (setting.empty()) params.fail("setting", "required: the daemon setting that names the file");
  if (params.has("path")) params.fail("path", "docker_file takes the path from 'setting'");
  const Status if_unset = *parse_status(
      params.choice("if_unset", {"notapplicable", "pass", "fail", "error"}, "notapplicable"));
  return std::make_unique<DockerFileProbe>(std::move(setting), if_unset, parse_file_checks(params));
}

std::unique_ptr<Probe> parse_docker_containers_probe(const Params& params) {
  const std::string name = params.choice("field", docker_container_fields(), "");
  const Field* field = nullptr;
  for (const auto& f : k_fields)
    if (name == f.name) field = &f;
  if (field == nullptr) params.fail("field", "required: one of the container fields");
  const bool all = params.choice("containers", {"running", "all"}, "running") == "all";
  const bool informational =
      params.choice("verdict", {"judge", "informational"}, "judge") == "informational";
  return std::make_unique<DockerContainersProbe>(field, all, informational,
                                                 Expectation::parse(params));
}

std::unique_ptr<Probe> parse_docker_images_probe(const Params& params) {
  std::string field = params.choice(
      "field",
      {"healthcheck", "user", "age_days", "dangling", "latest_only_in_use", "shell", "signed_tags"},
      "");
  if (field.empty()) params.fail("field", "required: one of the image fields");
  const bool informational =
      params.choice("verdict", {"judge", "informational"}, "judge") == "informational";
  return std::make_unique<DockerImagesProbe>(std::move(field), informational,
                                             Expectation::parse(params));
}

std::unique_ptr<Probe> parse_docker_swarm_probe(const Params& params) {
  return std::make_unique<DockerSwarmProbe>(Expectation::parse(params));
}

}  // namespace hb
