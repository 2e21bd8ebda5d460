#include "checks/docker_daemon_config.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <set>
#include <utility>

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
constexpr std::string_view k_refuses = "dockerd refuses to start";

// How a flag's value is read, and the daemon.json type its key has.
enum class Kind {
  boolean,      // Go strconv.ParseBool; "--name" alone is true
  string,       // as given
  integer,      // Go strconv.ParseInt(s, 0, 64)
  list,         // repeatable, an array of strings
  map,          // repeatable k=v, an object of strings (log-opts)
  objects,      // repeatable, an object of objects (default-ulimits, runtimes)
  pools,        // repeatable, an array of objects (default-address-pools)
  any,          // not type-checked (default-shm-size takes "64M" or 67108864)
  config_file,  // --config-file: where the file is, no setting
  meta_bool,    // boolean flags that are no setting: --help, --version, deprecated --restart
};

struct FlagSpec {
  std::string name;  // the long name, also a key dockerd accepts (and ignores) in the file
  char shorthand = 0;
  std::string key;  // the daemon.json key the value lands in; "" when it is no setting
  Kind kind = Kind::string;
};

// dockerd 20.10's flags by kind: `dockerd --help` plus the hidden -g/--graph, -r/--restart,
// --cluster-* and --network-diagnostic-port, each checked against dockerd 20.10.24 (Debian 12).
// A word is NAME when the daemon.json key is the same, NAME=KEY when it differs (NAME= : no
// setting; =KEY : a key only the file has, dockerd's skipValidateOptions), then /X for a
// shorthand. The file accepts exactly the names and keys listed; anything else stops dockerd.
constexpr std::pair<Kind, std::string_view> k_flag_words[] = {
    {Kind::boolean,
     "cri-containerd debug/D experimental icc init ip-forward ip-masq ip6tables iptables ipv6 "
     "live-restore no-new-privileges raw-logs rootless selinux-enabled tls tlsverify "
     "userland-proxy"},
    {Kind::string,
     "api-cors-header bip bridge/b cgroup-parent cluster-advertise cluster-store containerd "
     "containerd-namespace containerd-plugins-namespace data-root default-cgroupns-mode "
     "default-gateway default-gateway-v6 default-ipc-mode default-runtime exec-root fixed-cidr "
     "fixed-cidr-v6 graph=data-root/g group/G host-gateway-ip init-path ip log-driver "
     "log-level/l metrics-addr pidfile/p seccomp-profile storage-driver/s "
     "swarm-default-advertise-addr tlscacert tlscert tlskey userland-proxy-path userns-remap"},
    {Kind::integer,
     "cpu-rt-period cpu-rt-runtime max-concurrent-downloads max-concurrent-uploads "
     "max-download-attempts mtu network-control-plane-mtu network-diagnostic-port "
     "oom-score-adjust shutdown-timeout"},
    {Kind::list,
     "allow-nondistributable-artifacts authorization-plugin=authorization-plugins dns "
     "dns-opt=dns-opts dns-search exec-opt=exec-opts host=hosts/H "
     "insecure-registry=insecure-registries label=labels "
     "node-generic-resource=node-generic-resources registry-mirror=registry-mirrors "
     "storage-opt=storage-opts"},
    {Kind::map, "cluster-store-opt=cluster-store-opts log-opt=log-opts"},
    {Kind::objects, "add-runtime=runtimes default-ulimit=default-ulimits"},
    {Kind::pools, "default-address-pool=default-address-pools"},
    {Kind::any, "default-shm-size =features =builder =deprecated-key-path"},
    {Kind::config_file, "config-file="},
    {Kind::meta_bool, "help=/h restart=/r version=/v"},
};

const std::vector<FlagSpec>& flag_table() {
  static const std::vector<FlagSpec> table = [] {
    std::vector<FlagSpec> t;
    for (const auto& [kind, words] : k_flag_words)
      for (auto w : split_ws(words)) {
        FlagSpec f{std::string(w), 0, "", kind};
        if (const auto slash = f.name.find('/'); slash != std::string::npos) {
          f.shorthand = f.name[slash + 1];
          f.name.resize(slash);
        }
        const auto eq = f.name.find('=');
        f.key = eq == std::string::npos ? f.name : f.name.substr(eq + 1);
        if (eq != std::string::npos) f.name.resize(eq);
        t.push_back(std::move(f));
      }
    return t;
  }();
  return table;
}

// Keys whose object value dockerd does not flatten for its checks (its flatOptions).
constexpr std::string_view k_flat_options[] = {"cluster-store-opts", "log-opts", "runtimes",
                                               "default-ulimits",    "features", "builder"};
// The names --default-ulimit accepts (go-units' ulimitNameMapping).
constexpr std::string_view k_ulimits[] = {"core",    "cpu",      "data",   "fsize",      "locks",
                                          "memlock", "msgqueue", "nice",   "nofile",     "nproc",
                                          "rss",     "rtprio",   "rttime", "sigpending", "stack"};

template <class Range>
bool contains_view(const Range& r, std::string_view s) {
  return std::find(std::begin(r), std::end(r), s) != std::end(r);
}

const FlagSpec* flag_by_name(std::string_view name) {
  for (const auto& f : flag_table())
    if (!name.empty() && f.name == name) return &f;
  return nullptr;
}

const FlagSpec* flag_by_short(char c) {
  for (const auto& f : flag_table())
    if (f.shorthand == c) return &f;
  return nullptr;
}

// The spec of a settings key ("labels", "data-root", "features"), or null.
const FlagSpec* setting_spec(std::string_view key) {
  for (const auto& f : flag_table())
    if (!key.empty() && f.key == key) return &f;
  return nullptr;
}

bool known_file_key(std::string_view key) {
  return flag_by_name(key) != nullptr || setting_spec(key) != nullptr;
}

bool is_bool_kind(Kind k) {
  return k == Kind::boolean || k == Kind::meta_bool;
}

std::string in_quotes(std::string_view s, std::size_t max = 120) {
  return "'" + printable(s, max) + "'";
}

// nlohmann::json::dump() throws on invalid UTF-8, and argv, unit files and environ may hold any
// bytes: strings are made valid (a bad byte becomes U+FFFD, as Go does) before entering a Json.
std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80         ? 1
                          : (c >> 5) == 6  ? 2
                          : (c >> 4) == 14 ? 3
                          : (c >> 3) == 30 ? 4
                                           : 0;
    bool ok = n > 0 && i + n <= s.size();
    std::uint32_t cp = n > 1 ? c & (0x7Fu >> n) : c;
    for (std::size_t k = 1; ok && k < n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      ok = (cc & 0xC0) == 0x80;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are invalid too.
    if (ok && n > 1)
      ok = !(n == 2 && cp < 0x80) && !(n == 3 && cp < 0x800) && !(n == 4 && cp < 0x10000) &&
           cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    if (ok) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

// ---- values as dockerd (Go) parses them ----------------------------------------------------

std::optional<bool> parse_go_bool(std::string_view s) {
  for (std::string_view t : {"1", "t", "T", "TRUE", "true", "True"})
    if (s == t) return true;
  for (std::string_view f : {"0", "f", "F", "FALSE", "false", "False"})
    if (s == f) return false;
  return std::nullopt;
}

// strconv.ParseInt(s, 0, 64): a sign, then 0x / 0o / 0b prefixes or a leading 0 for octal.
std::optional<std::int64_t> parse_go_int(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() > 1 && s[0] == '0') {
    const char p = static_cast<char>(s[1] | 0x20);
    base = p == 'x' ? 16 : p == 'b' ? 2 : 8;
    s.remove_prefix(p == 'x' || p == 'b' || p == 'o' ? 2 : 1);
  }
  std::uint64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  const std::uint64_t limit = std::uint64_t{1} << 63;
  if (v > (negative ? limit : limit - 1)) return std::nullopt;
  if (!negative) return static_cast<std::int64_t>(v);
  return v == limit ? std::numeric_limits<std::int64_t>::min() : -static_cast<std::int64_t>(v);
}

// ---- flags -----------------------------------------------------------------------------------

struct Arg {
  std::string text;
  std::string origin;  // "dockerd command line (pid 812)", "UNIT:14 ExecStart", "" ...
};

struct FlagValue {
  Json value;
  std::string source;
  std::string last_origin;
  std::set<std::string> conflict_names;  // what dockerd looks for in the file: the key, or "graph"
};

struct ParsedFlags {
  std::map<std::string, FlagValue> values;
  std::optional<std::pair<std::string, std::string>> config_file;  // value, source
};

std::string with_origin(const std::string& origin, const std::string& shown) {
  return origin.empty() ? shown : origin + ": " + shown;
}

// The Json one occurrence of a flag contributes, or an error text (dockerd would refuse it).
Expected<Json> flag_json(const FlagSpec& f, const std::string& raw) {
  const std::string v = valid_utf8(raw);
  auto bad = [&](const std::string& why) { return make_error(ErrorKind::invalid, why); };
  switch (f.kind) {
    case Kind::boolean:
    case Kind::meta_bool:
      if (auto b = parse_go_bool(raw)) return Json(*b);
      return bad("invalid boolean " + in_quotes(raw) +
                 " (Go's ParseBool takes 1 t T TRUE true True "
                 "0 f F FALSE false False)");
    case Kind::integer:
      if (auto i = parse_go_int(raw)) return Json(*i);
      return bad(in_quotes(raw) + " is not an integer");
    case Kind::string:
    case Kind::any:
    case Kind::config_file:
    case Kind::list:
      return Json(v);
    case Kind::map: {
      const auto eq = v.find('=');
      return Json::object({{v.substr(0, eq), eq == std::string::npos ? "" : v.substr(eq + 1)}});
    }
    case Kind::pools: {
      Json pool = Json::object();
      for (auto field : split(v, ',')) {
        const auto eq = field.find('=');
        const std::string k = to_lower(trim(field.substr(0, eq)));
        const std::string_view val = eq == std::string_view::npos ? "" : field.substr(eq + 1);
        if (k == "base")
          pool["base"] = std::string(val);
        else if (k == "size" && parse_go_int(val))
          pool["size"] = *parse_go_int(val);
        else
          return bad("invalid address pool " + in_quotes(raw) + " (base=CIDR,size=N)");
      }
      return pool;
    }
    case Kind::objects:
      break;
  }
  const auto eq = v.find('=');
  if (eq == std::string::npos) return bad(in_quotes(raw) + " has no '='");
  if (f.key == "runtimes") {  // name=path; the name is lower-cased and "runc" is reserved
    const std::string name = to_lower(trim(std::string_view(v).substr(0, eq)));
    const std::string path(trim(std::string_view(v).substr(eq + 1)));
    if (name.empty() || path.empty()) return bad("invalid runtime " + in_quotes(raw));
    if (name == "runc") return bad("runtime name 'runc' is reserved");
    return Json::object({{name, {{"path", path}}}});
  }
  // --default-ulimit name=soft[:hard], as go-units ParseUlimit; hard defaults to soft.
  const std::string name = v.substr(0, eq);
  const auto limits = split(std::string_view(v).substr(eq + 1), ':');
  if (!contains_view(k_ulimits, name)) return bad("invalid ulimit type " + in_quotes(name));
  auto soft = parse_go_int(limits[0]);
  auto hard = limits.size() == 2 ? parse_go_int(limits[1]) : soft;
  if (limits.size() > 2 || !soft || !hard) return bad("invalid ulimit " + in_quotes(raw));
  if (*hard != -1 && *soft > *hard)
    return bad("ulimit soft limit above the hard limit in " + in_quotes(raw));
  return Json::object({{name, {{"Name", name}, {"Hard", *hard}, {"Soft", *soft}}}});
}

void apply_flag(const FlagSpec& f, const std::string& raw, const std::string& shown,
                const std::string& origin, ParsedFlags& out, std::vector<std::string>& notes) {
  const std::string source = with_origin(origin, shown);
  auto j = flag_json(f, raw);
  if (!j) {
    notes.push_back(printable(source, 300) + ": " + j.message() + "; " + std::string(k_refuses));
    return;
  }
  if (f.kind == Kind::config_file) {
    out.config_file.emplace(raw, source);
    return;
  }
  if (f.kind == Kind::meta_bool) {
    if (f.name == "restart" || j->get<bool>())
      notes.push_back(printable(source, 300) + ": " +
                      (f.name == "restart"
                           ? "deprecated and without effect"
                           : "dockerd prints its " + std::string(f.name) + " and exits"));
    return;
  }
  const std::string key(f.key);
  FlagValue& fv = out.values[key];
  fv.conflict_names.insert(f.name == "graph" ? "graph" : key);
  const bool is_map = f.kind == Kind::map || f.kind == Kind::objects;
  if (f.kind != Kind::list && f.kind != Kind::pools && !is_map) {  // a scalar: the last one wins
    fv.value = std::move(*j);
    fv.source = source;
  } else {
    if (fv.value.is_null()) {
      fv.value = is_map ? Json::object() : Json::array();
      fv.source = source;
    } else {
      fv.source += fv.last_origin == origin ? ", " + shown : "; " + source;
    }
    if (is_map)
      fv.value.update(*j);  // a repeated map key: the last one wins, as in dockerd
    else
      fv.value.push_back(std::move(*j));
  }
  fv.last_origin = origin;
}

// pflag's parsing: interspersed positionals, "--" ends the flags, a value-taking flag takes the
// next argument whatever it looks like ("--log-level --debug" sets the level to "--debug").
ParsedFlags parse_flags(const std::vector<Arg>& args, std::vector<std::string>& notes) {
  ParsedFlags out;
  std::vector<std::string> positional;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& s = args[i].text;
    std::string origin = args[i].origin;
    if (s.size() < 2 || s[0] != '-') {
      positional.push_back(s);
      continue;
    }
    if (s == "--") {
      for (++i; i < args.size(); ++i) positional.push_back(args[i].text);
      break;
    }
    // A value in the next word: its origin tells more ("--log-level $LEVEL": the variable's).
    auto take_next = [&](std::string& value, std::string& shown) {
      if (i + 1 >= args.size()) return false;
      value = args[++i].text;
      origin = args[i].origin;
      shown += " " + value;
      return true;
    };
    if (s[1] == '-') {
      const std::string_view body = std::string_view(s).substr(2);
      const auto eq = body.find('=');
      const FlagSpec* f = flag_by_name(body.substr(0, eq));
      if (!f || body[0] == '=' || body[0] == '-') {
        notes.push_back("unknown flag " + in_quotes(s) + " (" + printable(origin, 200) +
                        "): " + std::string(k_refuses));
        continue;
      }
      std::string value, shown = s;
      if (eq != std::string_view::npos)
        value = body.substr(eq + 1);
      else if (is_bool_kind(f->kind))
        value = "true";
      else if (!take_next(value, shown)) {
        notes.push_back("flag " + in_quotes(s) + " needs an argument: " + std::string(k_refuses));
        continue;
      }
      apply_flag(*f, value, shown, origin, out, notes);
      continue;
    }
    // Shorthands: -D, -Dl debug, -ldebug, -l=debug, -D=false.
    std::string_view shorts = std::string_view(s).substr(1);
    while (!shorts.empty()) {
      const FlagSpec* f = flag_by_short(shorts[0]);
      if (!f) {
        notes.push_back("unknown shorthand flag " + in_quotes(shorts.substr(0, 1)) + " in " +
                        in_quotes(s) + ": " + std::string(k_refuses));
        break;
      }
      std::string value, shown = s;
      if (shorts.size() > 2 && shorts[1] == '=') {
        value = shorts.substr(2);
        shorts = {};
      } else if (is_bool_kind(f->kind)) {
        value = "true";
        shorts.remove_prefix(1);
      } else if (shorts.size() > 1) {
        value = shorts.substr(1);
        shorts = {};
      } else {
        shorts = {};
        if (!take_next(value, shown)) {
          notes.push_back("flag " + in_quotes(s) + " needs an argument: " + std::string(k_refuses));
          break;
        }
      }
      apply_flag(*f, value, shown, origin, out, notes);
    }
  }
  if (!positional.empty()) {
    std::string list;
    for (std::size_t k = 0; k < positional.size() && k < 5; ++k)
      list += (k ? " " : "") + in_quotes(positional[k], 60);
    notes.push_back(
        "positional argument(s) " + list + ": " + std::string(k_refuses) +
        " (\"dockerd\" accepts no arguments; a boolean takes its value as --name=false)");
  }
  return out;
}

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
    l.paths.push_back(valid_utf8(e.value));
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
  if (starts_with(s, "unix://")) s.remove_prefix(7);
  if (s.empty()) return "";
  std::string p = normal_path(s);
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
      } else if (starts_with(text, "unix://") && socket_key(text) == wanted) {
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

std::string_view kind_text(Kind k) {
  switch (k) {
    case Kind::boolean:
      return "a boolean";
    case Kind::integer:
      return "an integer";
    case Kind::list:
      return "an array of strings";
    case Kind::map:
      return "an object of strings";
    case Kind::objects:
      return "an object of objects";
    case Kind::pools:
      return "an array of objects";
    default:
      return "a string";
  }
}

// Whether Go's json.Unmarshal would take `v` for a field of this kind (null always is).
bool type_ok(Kind k, const Json& v) {
  auto all_of = [&](auto pred) { return std::all_of(v.begin(), v.end(), pred); };
  switch (k) {
    case Kind::boolean:
      return v.is_null() || v.is_boolean();
    case Kind::integer:
      return v.is_null() || v.is_number_integer();
    case Kind::string:
      return v.is_null() || v.is_string();
    case Kind::list:
      return v.is_null() || (v.is_array() && all_of([](const Json& x) { return x.is_string(); }));
    case Kind::map:
      return v.is_null() || (v.is_object() && all_of([](const Json& x) { return x.is_string(); }));
    case Kind::objects:
      return v.is_null() || (v.is_object() && all_of([](const Json& x) { return x.is_object(); }));
    case Kind::pools:
      return v.is_null() || (v.is_array() && all_of([](const Json& x) { return x.is_object(); }));
    default:
      return true;
  }
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
    if (v.is_object() && !contains_view(k_flat_options, key)) {
      for (auto in = v.begin(); in != v.end(); ++in) fk.given.emplace(in.key(), in.value());
      if (setting_spec(key))
        cfg.conflicts.push_back(path + ": " + shown + " is an object, dockerd expects " +
                                std::string(kind_text(setting_spec(key)->kind)) + ": " +
                                std::string(k_refuses));
      else
        cfg.notes.push_back(path + ": " + shown +
                            " is ignored (dockerd checks the keys of this "
                            "object as top-level keys and then ignores it)");
      continue;
    }
    fk.given.emplace(key, v);
    const std::string target = key == "graph" ? "data-root" : key;
    const FlagSpec* spec = setting_spec(target);
    if (!spec) {
      if (flag_by_name(key))
        cfg.notes.push_back(path + ": " + shown +
                            " is a flag name: dockerd accepts it in the file and ignores it" +
                            (flag_by_name(key)->key.empty()
                                 ? std::string()
                                 : " (the key is " + in_quotes(flag_by_name(key)->key) + ")"));
      continue;
    }
    if (key == "graph" && doc.contains("data-root")) {
      cfg.conflicts.push_back(path + ": both 'graph' and 'data-root' are set: " +
                              std::string(k_refuses) + " (\"cannot specify both\")");
      continue;
    }
    if (!type_ok(spec->kind, v)) {
      cfg.conflicts.push_back(path + ": " + shown + " is " + std::string(v.type_name()) +
                              ", dockerd expects " + std::string(kind_text(spec->kind)) + ": " +
                              std::string(k_refuses));
      continue;
    }
    if (!v.is_null()) fk.values[target] = v;
  }
  for (const auto& [key, v] : fk.given)
    if (!known_file_key(key))
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
    if (it != cfg.settings.end() && setting_spec(key)->kind != Kind::boolean && is_zero(v)) {
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
  d["hosts"] = Json::array({"unix://" + who.runtime_dir + "/docker.sock"});
  d["exec-root"] = who.runtime_dir + "/docker";
  d["pidfile"] = who.runtime_dir + "/docker.pid";
  for (const char* k : {"data-root", "tlscacert", "tlscert", "tlskey"}) d.erase(k);
  if (!who.data_home.empty()) d["data-root"] = who.data_home + "/docker";
  if (!who.home.empty()) {
    d["tlscacert"] = who.home + "/.docker/ca.pem";
    d["tlscert"] = who.home + "/.docker/cert.pem";
    d["tlskey"] = who.home + "/.docker/key.pem";
  }
  return d;
}

}  // namespace

// ---- public ----------------------------------------------------------------------------------

std::map<std::string, Json> parse_dockerd_flags(const std::vector<std::string>& argv,
                                                std::vector<std::string>& notes) {
  std::vector<Arg> args;
  for (const auto& a : argv) args.push_back({a, ""});
  std::map<std::string, Json> out;
  for (auto& [key, fv] : parse_flags(args, notes).values) out[key] = std::move(fv.value);
  return out;
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
