#include "checks/dockerd_flags.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include "engine/expected.hpp"
#include "engine/text.hpp"

namespace hb::dockerd {

namespace {

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

const FlagSpec* flag_by_short(char c) {
  for (const auto& f : flag_table())
    if (f.shorthand == c) return &f;
  return nullptr;
}

bool is_bool_kind(Kind k) {
  return k == Kind::boolean || k == Kind::meta_bool;
}

}  // namespace

// ---- flag and key tables ---------------------------------------------------------------------

const FlagSpec* flag_by_name(std::string_view name) {
  for (const auto& f : flag_table())
    if (!name.empty() && f.name == name) return &f;
  return nullptr;
}

const FlagSpec* setting_spec(std::string_view key) {
  for (const auto& f : flag_table())
    if (!key.empty() && f.key == key) return &f;
  return nullptr;
}

bool known_file_key(std::string_view key) {
  return flag_by_name(key) != nullptr || setting_spec(key) != nullptr;
}

bool keeps_object(std::string_view key) {
  return contains_view(k_flat_options, key);
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

// ---- values as dockerd (Go) parses them ----------------------------------------------------

std::optional<bool> parse_go_bool(std::string_view s) {
  for (std::string_view t : {"1", "t", "T", "TRUE", "true", "True"})
    if (s == t) return true;
  for (std::string_view f : {"0", "f", "F", "FALSE", "false", "False"})
    if (s == f) return false;
  return std::nullopt;
}

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

namespace {

std::string with_origin(const std::string& origin, const std::string& shown) {
  return origin.empty() ? shown : origin + ": " + shown;
}

// The Json one occurrence of a flag contributes, or an error text (dockerd would refuse it).
Expected<Json> flag_json(const FlagSpec& f, const std::string& raw) {
  const std::string v = sanitize_utf8(raw);
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

}  // namespace

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

}  // namespace hb::dockerd

namespace hb {

std::map<std::string, Json> parse_dockerd_flags(const std::vector<std::string>& argv,
                                                std::vector<std::string>& notes) {
  std::vector<dockerd::Arg> args;
  for (const auto& a : argv) args.push_back({a, ""});
  std::map<std::string, Json> out;
  for (auto& [key, fv] : dockerd::parse_flags(args, notes).values) out[key] = std::move(fv.value);
  return out;
}

}  // namespace hb
