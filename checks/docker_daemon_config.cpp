#include "checks/docker_daemon_config.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <set>
#include <utility>

#include "checks/dockerd_flags.hpp"
#include "checks/systemd_unit.hpp"
#include "engine/accounts.hpp"
#include "engine/host_view.hpp"
#include "engine/json_text.hpp"
#include "engine/text.hpp"

namespace hb {

const DaemonSetting* DaemonConfig::find(const std::string& key) const {
  auto it = settings.find(key);
  return it == settings.end() ? nullptr : &it->second;
}

namespace {

constexpr std::size_t k_max_pids = 100000;   // /proc entries looked at
constexpr std::size_t k_max_args = 4096;     // words kept from a cmdline or an ExecStart=
constexpr std::size_t k_small_file = 65536;  // /proc/PID/comm and status are far smaller
constexpr std::string_view k_default_config = "/etc/docker/daemon.json";

using dockerd::Arg;
using dockerd::k_refuses;
using dockerd::Kind;
using dockerd::parse_flags;
using dockerd::ParsedFlags;

// ---- docker.service and docker.socket ---------------------------------------------------------

// The unit's notes, and whether it is masked, into `notes`.
LoadedUnit load_docker_unit(const HostView& host, const std::string& name,
                            std::vector<std::string>& notes, const std::string& if_masked) {
  LoadedUnit u = load_unit(host, name);
  notes.insert(notes.end(), u.notes.begin(), u.notes.end());
  if (!u.masked.empty()) notes.push_back(name + " is masked (" + u.masked + ")" + if_masked);
  return u;
}

struct Listen {
  Json paths = Json::array();
  std::string source;
};

// docker.socket's ListenStream= values.
std::optional<Listen> socket_listen(const HostView& host, std::vector<std::string>& notes) {
  const LoadedUnit u = load_docker_unit(host, "docker.socket", notes, "");
  Listen l;
  for (const auto& e : u.list("Socket", "ListenStream")) {
    l.paths.push_back(sanitize_utf8(e.value));
    l.source += (l.source.empty() ? "" : ", ") + e.where() + " ListenStream";
  }
  if (l.paths.empty()) return std::nullopt;
  return l;
}

// When /etc/default/docker sets DOCKER_OPTS that docker.service does not pass to dockerd.
void note_unused_docker_opts(const HostView& host, bool loaded, bool referenced,
                             const std::string& why, std::vector<std::string>& notes) {
  if (loaded && referenced) return;
  auto text = host.read_file("/etc/default/docker");
  if (!text) return;
  std::vector<std::string> ignored;
  auto env = parse_environment_file(*text, ignored);
  auto it = env.find("DOCKER_OPTS");
  if (it == env.end() || trim(it->second.value).empty()) return;
  notes.push_back("/etc/default/docker:" + std::to_string(it->second.line) + " sets DOCKER_OPTS (" +
                  in_quotes(it->second.value) + ") but " + why + ": not applied");
}

// dockerd's arguments from docker.service's ExecStart=, with their origins.
std::vector<Arg> unit_args(const HostView& host, DaemonConfig& cfg) {
  auto& notes = cfg.notes;
  const LoadedUnit u = load_docker_unit(host, "docker.service", notes, ": no flags");
  if (u.files.empty()) {
    if (u.masked.empty()) notes.push_back("no docker.service in the systemd unit path: no flags");
    note_unused_docker_opts(host, false, false, "there is no docker.service", notes);
    return {};
  }
  std::vector<std::string> env_files;
  const std::map<std::string, UnitEnvVar> env = unit_environment(host, u, notes, &env_files);
  const bool loaded_default =
      std::any_of(env_files.begin(), env_files.end(),
                  [](const std::string& p) { return normal_path(p) == "/etc/default/docker"; });
  const auto exec_starts = u.list("Service", "ExecStart");
  if (exec_starts.empty()) {
    notes.push_back("docker.service has no ExecStart= (" + u.main + "): no flags");
    return {};
  }
  if (exec_starts.size() > 1)
    notes.push_back("docker.service has " + std::to_string(exec_starts.size()) +
                    " ExecStart= lines (a drop-in without an empty ExecStart= before its own): "
                    "systemd refuses that for a Type=notify service; the last one is read");
  const std::string where = exec_starts.back().where() + " ExecStart";
  const std::vector<std::string> words = exec_command_words(exec_starts.back().value);
  if (words.empty()) return {};
  if (base_name(words[0]) != "dockerd")
    notes.push_back(where + " runs " + in_quotes(words[0]) +
                    ", not dockerd; its arguments are read as dockerd flags");
  std::map<std::string, std::string> values;
  for (const auto& [name, var] : env) values[name] = var.value;
  std::vector<Arg> args;
  std::set<std::string> referenced;
  for (std::size_t i = 1; i < words.size() && args.size() < k_max_args; ++i) {
    std::vector<std::string> used;
    auto expanded = expand_exec_words({words[i]}, values, &used);
    std::string origin = where;
    for (const auto& name : used) {
      referenced.insert(name);
      if (auto it = env.find(name); it != env.end() && origin == where)
        origin = it->second.origin + " via " + where;
    }
    for (auto& w : expanded) args.push_back({std::move(w), origin});
  }
  cfg.flags_from = where;
  note_unused_docker_opts(host, loaded_default, referenced.count("DOCKER_OPTS") > 0,
                          loaded_default ? "docker.service's ExecStart= does not use $DOCKER_OPTS"
                                         : "docker.service does not load /etc/default/docker",
                          notes);
  return args;
}

// ---- running dockerd (/proc) ------------------------------------------------------------------

struct ProcDaemon {
  int pid = 0;
  unsigned uid = 0;
  std::vector<std::string> args;           // without argv[0]
  std::map<std::string, std::string> env;  // HOME and XDG_* from /proc/PID/environ, if readable
};

std::vector<std::string> split_nul(std::string_view raw, std::size_t max) {
  std::vector<std::string> out;
  if (!raw.empty() && raw.back() == '\0') raw.remove_suffix(1);
  if (raw.empty()) return out;
  for (auto part : split(raw, '\0')) {
    if (out.size() >= max) break;
    out.emplace_back(part);
  }
  return out;
}

std::vector<ProcDaemon> running_dockerds(const HostView& host, std::vector<std::string>& notes) {
  std::vector<ProcDaemon> out;
  auto entries = host.list_dir("/proc");
  if (!entries) {
    notes.push_back("cannot list /proc: " + entries.message());
    return out;
  }
  // A dockerd in another mount namespace (docker-in-docker) reads another /etc/docker.
  auto own_mnt = host.read_link("/proc/1/ns/mnt");
  std::size_t seen = 0;
  for (const auto& e : *entries) {
    if (e.name.empty() || e.name.size() > 9 ||
        !std::all_of(e.name.begin(), e.name.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    if (++seen > k_max_pids) {
      notes.push_back("more than " + std::to_string(k_max_pids) +
                      " processes: the rest not examined");
      break;
    }
    const std::string dir = "/proc/" + e.name;
    auto comm = host.read_file(dir + "/comm", k_small_file);
    if (!comm || trim(*comm) != "dockerd") continue;
    auto cmdline = host.read_file(dir + "/cmdline");
    if (!cmdline) continue;  // gone meanwhile, or too long to be a real dockerd
    auto argv = split_nul(*cmdline, k_max_args);
    if (argv.empty() || base_name(argv[0]) != "dockerd") continue;
    ProcDaemon d;
    d.pid = std::stoi(e.name);
    if (own_mnt)
      if (auto mnt = host.read_link(dir + "/ns/mnt"); mnt && *mnt != *own_mnt) {
        notes.push_back("dockerd pid " + e.name +
                        " runs in another mount namespace (a container?): not described");
        continue;
      }
    std::optional<unsigned> uid;
    if (auto status = host.read_file(dir + "/status", k_small_file))
      for (auto line : split_lines(*status))
        if (auto f = split_ws(trim(line)); f.size() > 1 && f[0] == "Uid:") {
          unsigned u = 0;
          if (std::from_chars(f[1].data(), f[1].data() + f[1].size(), u).ec == std::errc()) uid = u;
        }
    if (!uid) {
      notes.push_back("dockerd pid " + e.name + ": no Uid: line in " + dir +
                      "/status: not described");
      continue;
    }
    d.uid = *uid;
    d.args.assign(argv.begin() + 1, argv.end());
    if (auto environ = host.read_file(dir + "/environ"))
      for (auto& kv : split_nul(*environ, k_max_args)) {
        const auto eq = kv.find('=');
        const std::string name = kv.substr(0, eq);
        if (eq != std::string::npos && (name == "HOME" || starts_with(name, "XDG_")))
          d.env[name] = kv.substr(eq + 1);
      }
    out.push_back(std::move(d));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.pid < b.pid; });
  return out;
}

// Whose defaults apply: root's, or a rootless user's ($HOME and $XDG_* dirs).
struct Identity {
  bool rootless = false;
  std::string home, runtime_dir, config_home, data_home;  // "" when unknown
};

Identity identity_of(const HostView& host, const ProcDaemon& d, std::vector<std::string>& notes) {
  Identity who;
  if (d.uid == 0) return who;
  who.rootless = true;
  auto env = [&](const char* k) {
    auto it = d.env.find(k);
    return it == d.env.end() ? std::string() : it->second;
  };
  who.home = env("HOME");
  if (who.home.empty())
    if (auto text = host.read_file("/etc/passwd"))
      for (const auto& u : parse_passwd(*text))
        if (u.uid == d.uid) {
          who.home = u.home;
          break;
        }
  if (who.home.empty())
    notes.push_back("rootless dockerd (uid " + std::to_string(d.uid) +
                    "): no home directory in its environment or /etc/passwd; its daemon.json "
                    "and data-root are unknown");
  who.runtime_dir = env("XDG_RUNTIME_DIR");
  if (who.runtime_dir.empty()) who.runtime_dir = "/run/user/" + std::to_string(d.uid);
  who.config_home = env("XDG_CONFIG_HOME");
  if (who.config_home.empty() && !who.home.empty()) who.config_home = who.home + "/.config";
  who.data_home = env("XDG_DATA_HOME");
  if (who.data_home.empty() && !who.home.empty()) who.data_home = who.home + "/.local/share";
  return who;
}

// "unix:///var/run/docker.sock" and "/run/docker.sock" alike: /var/run is /run.
std::string socket_key(std::string_view s) {
  const std::string path = unix_socket_path(s).value_or(std::string(s));
  if (path.empty()) return "";
  std::string p = normal_path(path);
  return starts_with(p, "/var/run/") ? "/run/" + p.substr(9) : p;
}

std::optional<ProcDaemon> select_daemon(const HostView& host, const DaemonSelector& sel,
                                        std::vector<std::string>& notes) {
  auto all = running_dockerds(host, notes);
  if (all.empty()) return std::nullopt;
  const ProcDaemon* chosen = nullptr;
  const std::string wanted = socket_key(sel.socket_path);
  std::optional<std::optional<Listen>> listen;  // docker.socket, read once if some -H fd:// asks
  for (const auto& d : all) {
    if (wanted.empty() || chosen) break;
    std::vector<Arg> args;
    for (const auto& a : d.args) args.push_back({a, ""});
    std::vector<std::string> scratch;
    auto flags = parse_flags(args, scratch);
    Json hosts = Json::array();
    if (auto it = flags.values.find("hosts"); it != flags.values.end()) hosts = it->second.value;
    if (hosts.empty()) {
      std::vector<std::string> id_notes;
      const Identity who = identity_of(host, d, id_notes);
      hosts.push_back("unix://" + (who.rootless ? who.runtime_dir : "/var/run") + "/docker.sock");
    }
    for (const auto& h : hosts) {
      const std::string text = h.get<std::string>();
      if (starts_with(text, "fd://")) {
        if (!listen) listen = socket_listen(host, scratch);
        if (*listen)
          for (const auto& p : (*listen)->paths)
            if (socket_key(p.get<std::string>()) == wanted) chosen = &d;
      } else if (auto path = unix_socket_path(text); path && socket_key(*path) == wanted) {
        chosen = &d;
      }
    }
  }
  if (!wanted.empty() && !chosen)
    notes.push_back("no running dockerd serves " + in_quotes(sel.socket_path) +
                    "; another one is described");
  if (!chosen)
    for (const auto& d : all)
      if (d.uid == 0 && !chosen) chosen = &d;
  if (!chosen) chosen = &all.front();
  if (all.size() > 1) {
    std::string list;
    for (const auto& d : all)
      list += (list.empty() ? "" : ", ") + std::to_string(d.pid) + " (uid " +
              std::to_string(d.uid) + ")";
    notes.push_back("dockerd processes: " + list + "; described: pid " +
                    std::to_string(chosen->pid));
  }
  return *chosen;
}

// ---- daemon.json -----------------------------------------------------------------------------

// daemon.json as dockerd 20.10 reads it: an object; `null` is empty; an empty file is refused.
Expected<Json> read_daemon_json(const std::string& path, const std::string& text,
                                DaemonConfig& cfg) {
  auto fail = [&](std::size_t at, const std::string& why) {
    return make_error(ErrorKind::parse, path + ":" + line_col(text, at) + ": " + why);
  };
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    cfg.conflicts.push_back(path +
                            ": the file is empty: dockerd 20.10 refuses to start (\"EOF\"; "
                            "later versions accept it)");
    return Json::object();
  }
  if (starts_with(text, "\xEF\xBB\xBF"))
    return fail(0, "starts with a UTF-8 byte order mark, which dockerd's JSON decoder rejects");
  auto parsed = parse_json_text(path, text);
  if (!parsed) return parsed.error();
  Json doc = std::move(*parsed);
  if (doc.is_null()) {
    cfg.notes.push_back(path + " is null: dockerd reads it as an empty configuration");
    return Json::object();
  }
  if (!doc.is_object())
    return fail(first, "the top level is " + std::string(doc.type_name()) +
                           ", dockerd expects an object of settings");
  return doc;
}

bool is_zero(const Json& v) {
  return (v.is_string() && v.get_ref<const std::string&>().empty()) ||
         (v.is_number_integer() && v.get<std::int64_t>() == 0) ||
         ((v.is_array() || v.is_object()) && v.empty());
}

struct FileKeys {
  std::map<std::string, Json> values;  // settings key -> value (nulls and ignored keys left out)
  std::map<std::string, Json> given;   // the keys dockerd compares with the flags (flattened)
};

FileKeys check_file(const Json& doc, const std::string& path, DaemonConfig& cfg) {
  FileKeys fk;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    const std::string& key = it.key();
    const Json& v = it.value();
    const std::string shown = in_quotes(key, 80);
    // dockerd flattens an object value for its checks: its keys stand in for this one.
    if (v.is_object() && !dockerd::keeps_object(key)) {
      for (auto in = v.begin(); in != v.end(); ++in) fk.given.emplace(in.key(), in.value());
      if (const dockerd::FlagSpec* spec = dockerd::setting_spec(key))
        cfg.conflicts.push_back(path + ": " + shown + " is an object, dockerd expects " +
                                std::string(dockerd::kind_text(spec->kind)) + ": " +
                                std::string(k_refuses));
      else
        cfg.notes.push_back(path + ": " + shown +
                            " is ignored (dockerd checks the keys of this "
                            "object as top-level keys and then ignores it)");
      continue;
    }
    fk.given.emplace(key, v);
    const std::string target = key == "graph" ? "data-root" : key;
    const dockerd::FlagSpec* spec = dockerd::setting_spec(target);
    if (!spec) {
      if (const dockerd::FlagSpec* flag = dockerd::flag_by_name(key))
        cfg.notes.push_back(
            path + ": " + shown + " is a flag name: dockerd accepts it in the file and ignores it" +
            (flag->key.empty() ? std::string() : " (the key is " + in_quotes(flag->key) + ")"));
      continue;
    }
    if (key == "graph" && doc.contains("data-root")) {
      cfg.conflicts.push_back(path + ": both 'graph' and 'data-root' are set: " +
                              std::string(k_refuses) + " (\"cannot specify both\")");
      continue;
    }
    if (!dockerd::type_ok(spec->kind, v)) {
      cfg.conflicts.push_back(path + ": " + shown + " is " + std::string(v.type_name()) +
                              ", dockerd expects " + std::string(dockerd::kind_text(spec->kind)) +
                              ": " + std::string(k_refuses));
      continue;
    }
    if (!v.is_null()) fk.values[target] = v;
  }
  for (const auto& [key, v] : fk.given)
    if (!dockerd::known_file_key(key))
      cfg.conflicts.push_back(
          path + ": unknown key " + in_quotes(key, 80) + " (" + std::string(k_refuses) +
          ": \"the following directives don't match any configuration option\")");
  return fk;
}

// Files first, then the flags over them, as dockerd merges (mergo fills only what the file left
// empty, after refusing any key given both ways).
void merge(DaemonConfig& cfg, const FileKeys& fk, const ParsedFlags& flags) {
  for (const auto& [key, v] : fk.values) {
    auto it = cfg.settings.find(key);
    if (it != cfg.settings.end() && dockerd::setting_spec(key)->kind != Kind::boolean &&
        is_zero(v)) {
      it->second.source +=
          " (" + cfg.config_file + " gives an empty value, which dockerd treats as unset)";
      continue;
    }
    cfg.settings[key] = {v, cfg.config_file};
  }
  for (const auto& [key, fv] : flags.values) {
    std::string clash;
    for (const auto& name : fv.conflict_names)
      if (fk.given.count(name) && name != "runtimes") clash = name;
    if (!clash.empty()) {
      std::string line = in_quotes(clash) + " is set both as a flag (" + printable(fv.source, 300) +
                         ") and in " + cfg.config_file + " (" +
                         printable(fk.given.at(clash).dump(), 120) +
                         "): " + std::string(k_refuses) +
                         " (\"the following directives are specified both as a flag and in the "
                         "configuration file\")";
      if (cfg.pid)
        line += "; dockerd (pid " + std::to_string(*cfg.pid) +
                ") is running, so the file changed after it started";
      cfg.conflicts.push_back(std::move(line));
      cfg.settings[key] = {fv.value,
                           "conflict: " + fv.source + " (also in " + cfg.config_file + ")"};
    } else if (key == "runtimes" && fk.values.count(key)) {
      Json merged = fv.value;
      merged.update(fk.values.at(key));  // a name in both: the file's entry is kept
      cfg.settings[key] = {merged, cfg.config_file + "; " + fv.source};
    } else if (fk.values.count(key)) {
      cfg.notes.push_back(printable(fv.source, 300) + " and " + in_quotes(key) + " in " +
                          cfg.config_file +
                          ": dockerd does not see these as a conflict and keeps the file's value");
    } else {
      cfg.settings[key] = {fv.value, fv.source};
    }
  }
}

std::map<std::string, Json> defaults_for(const Identity& who) {
  std::map<std::string, Json> d = dockerd_defaults();
  if (!who.rootless) return d;
  // Rootless dockerd (honorXDG): everything under the user's runtime, config and data dirs.
  // Those come from the daemon's environment or /etc/passwd: any bytes, made valid UTF-8 here.
  const std::string run = sanitize_utf8(who.runtime_dir), home = sanitize_utf8(who.home);
  d["hosts"] = Json::array({"unix://" + run + "/docker.sock"});
  d["exec-root"] = run + "/docker";
  d["pidfile"] = run + "/docker.pid";
  for (const char* k : {"data-root", "tlscacert", "tlscert", "tlskey"}) d.erase(k);
  if (!who.data_home.empty()) d["data-root"] = sanitize_utf8(who.data_home) + "/docker";
  if (!who.home.empty()) {
    d["tlscacert"] = home + "/.docker/ca.pem";
    d["tlscert"] = home + "/.docker/cert.pem";
    d["tlskey"] = home + "/.docker/key.pem";
  }
  return d;
}

}  // namespace

// ---- public ----------------------------------------------------------------------------------

std::optional<std::string> unix_socket_path(std::string_view host) {
  constexpr std::string_view scheme = "unix://";
  if (!host.starts_with(scheme)) return std::nullopt;
  return std::string(host.substr(scheme.size()));
}

const std::map<std::string, Json>& dockerd_defaults() {
  // `dockerd --help` of 20.10.24 (Debian 12), and daemon/config for what it does not show;
  // seccomp-profile "" is the built-in default profile. default-cgroupns-mode is left out: it is
  // "host" on cgroup v1 and "private" on v2.
  static const auto defaults = Json::parse(R"({
    "authorization-plugins": [], "cgroup-parent": "", "containerd-namespace": "moby",
    "containerd-plugins-namespace": "plugins.moby", "cri-containerd": false,
    "data-root": "/var/lib/docker", "debug": false, "default-ipc-mode": "private",
    "default-runtime": "runc", "default-ulimits": {}, "exec-root": "/var/run/docker",
    "experimental": false, "group": "docker", "hosts": ["unix:///var/run/docker.sock"],
    "icc": true, "init": false, "insecure-registries": [], "ip": "0.0.0.0", "ip-forward": true,
    "ip-masq": true, "ip6tables": false, "iptables": true, "ipv6": false, "live-restore": false,
    "log-driver": "json-file", "log-level": "info", "log-opts": {},
    "max-concurrent-downloads": 3, "max-concurrent-uploads": 5, "max-download-attempts": 5,
    "network-control-plane-mtu": 1500, "no-new-privileges": false,
    "pidfile": "/var/run/docker.pid", "raw-logs": false, "registry-mirrors": [],
    "seccomp-profile": "", "selinux-enabled": false, "shutdown-timeout": 15, "storage-opts": [],
    "tls": false, "tlscacert": "/root/.docker/ca.pem", "tlscert": "/root/.docker/cert.pem",
    "tlskey": "/root/.docker/key.pem", "tlsverify": false, "userland-proxy": true,
    "userns-remap": ""
  })")
                                   .get<std::map<std::string, Json>>();
  return defaults;
}

Expected<DaemonConfig> load_daemon_config(const HostView& host, const DaemonSelector& selector) {
  DaemonConfig cfg;
  Identity who;
  std::vector<Arg> args;
  const bool read_proc = selector.read_proc.value_or(host.is_live());
  std::optional<ProcDaemon> d;
  if (read_proc) d = select_daemon(host, selector, cfg.notes);
  if (d) {
    cfg.pid = d->pid;
    cfg.flags_from = "dockerd command line (pid " + std::to_string(d->pid) + ")";
    for (const auto& a : d->args) args.push_back({a, cfg.flags_from});
    who = identity_of(host, *d, cfg.notes);
    cfg.rootless = who.rootless;
    if (who.rootless) cfg.rootless_uid = d->uid;
  } else {
    if (read_proc)
      cfg.notes.push_back("no dockerd process found: flags are read from docker.service");
    args = unit_args(host, cfg);
  }
  const ParsedFlags flags = parse_flags(args, cfg.notes);

  const std::string default_source =
      who.rootless ? "dockerd default (rootless)" : "dockerd default";
  for (auto& [key, v] : defaults_for(who)) cfg.settings[key] = {std::move(v), default_source};

  if (flags.config_file) {
    cfg.config_file = flags.config_file->first;
    if (cfg.config_file.empty() || cfg.config_file[0] != '/') {
      cfg.notes.push_back("--config-file " + in_quotes(cfg.config_file) +
                          " is relative to dockerd's "
                          "working directory; read from /");
      cfg.config_file = join_path("/", cfg.config_file);
    }
  } else if (who.rootless) {
    cfg.config_file = who.config_home.empty() ? "" : who.config_home + "/docker/daemon.json";
  } else {
    cfg.config_file = k_default_config;
  }
  Json doc = Json::object();
  if (!cfg.config_file.empty()) {
    auto text = host.read_file(cfg.config_file);
    if (text) {
      cfg.config_file_exists = true;
      auto parsed = read_daemon_json(cfg.config_file, *text, cfg);
      if (!parsed) return parsed.error();
      doc = std::move(*parsed);
    } else if (text.kind() != ErrorKind::not_found) {
      return make_error(text.kind(), "cannot read " + cfg.config_file + ": " + text.message());
    } else if (flags.config_file) {
      cfg.conflicts.push_back("'config-file': " + cfg.config_file + " (" +
                              printable(flags.config_file->second, 300) +
                              ") does not exist: " + std::string(k_refuses));
    }
  }
  merge(cfg, check_file(doc, cfg.config_file, cfg), flags);

  // -H fd://: systemd passes the sockets of docker.socket.
  if (const DaemonSetting* h = cfg.find("hosts"); h && h->value.is_array())
    if (std::any_of(h->value.begin(), h->value.end(), [](const Json& x) {
          return x.is_string() && starts_with(x.get_ref<const std::string&>(), "fd://");
        })) {
      if (auto listen = socket_listen(host, cfg.notes))
        cfg.settings["socket-activation-listen"] = {listen->paths, listen->source};
      else
        cfg.notes.push_back(
            "hosts has fd:// (socket activation) but no docker.socket with a "
            "ListenStream= was found");
    }
  return cfg;
}

}  // namespace hb
