// dockerd's vocabulary (Docker 20.10 on Linux), as data and pure functions: its flags and the
// daemon.json key each one sets, how Go reads their values, how pflag parses an argument list,
// and which JSON type each daemon.json key takes. No I/O: where the arguments and the file come
// from, and how they are merged, is checks/docker_daemon_config.hpp.
//
// Contract:
//   - The table is dockerd 20.10.24's (Debian 12): `dockerd --help` plus the hidden -g/--graph,
//     -r/--restart, --cluster-* and --network-diagnostic-port. A file key is known to dockerd
//     when it is a flag's long name or a setting's key; anything else makes dockerd refuse it.
//   - Nothing here throws or fails: what dockerd would refuse becomes a note (saying
//     "dockerd refuses to start"), and what it would accept is kept.
//   - Every string put in a Json is valid UTF-8 (a bad byte becomes U+FFFD, as Go does).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/params.hpp"  // Json

namespace hb {

// Flags as dockerd would parse them (pflag syntax: --name=value, --name value, -H value, -Hvalue,
// -H=value, -Dl debug; booleans as --name or --name=false; repeatable flags accumulate into a
// list; --log-opt k=v and --default-ulimit nofile=64000:64000 build the maps daemon.json uses,
// --add-runtime name=path the "runtimes" map). `argv` is the arguments without the program name.
// Unknown flags are noted, not fatal; --config-file is no setting and is left out. Returns
// key -> value; `notes` collects what was skipped (and says when dockerd would refuse it).
std::map<std::string, Json> parse_dockerd_flags(const std::vector<std::string>& argv,
                                                std::vector<std::string>& notes);

namespace dockerd {

// The tail of every note and conflict about something dockerd would not start with.
inline constexpr std::string_view k_refuses = "dockerd refuses to start";

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
  std::string name;  // the long name, also a key dockerd accepts (and ignores) in the file;
                     // "" for a key only the file has ("features", "builder" ...)
  char shorthand = 0;
  std::string key;  // the daemon.json key the value lands in; "" when it is no setting
  Kind kind = Kind::string;
};

// The flag with this long name, or null.
const FlagSpec* flag_by_name(std::string_view name);
// The spec of a settings key ("labels", "data-root", "features"), or null.
const FlagSpec* setting_spec(std::string_view key);
// Whether dockerd accepts `key` at the top level of daemon.json (a flag name or a setting key).
bool known_file_key(std::string_view key);
// The keys whose object value dockerd keeps whole (log-opts, runtimes ...); any other object
// value it flattens for its checks, looking at its inner keys instead (dockerd's flatOptions).
bool keeps_object(std::string_view key);
// "a boolean", "an array of strings" ...: the JSON type a key of this kind takes.
std::string_view kind_text(Kind k);
// Whether Go's json.Unmarshal would take `v` for a key of this kind (null always is).
bool type_ok(Kind k, const Json& v);

// Go's strconv.ParseBool: 1 t T TRUE true True, 0 f F FALSE false False.
std::optional<bool> parse_go_bool(std::string_view s);
// Go's strconv.ParseInt(s, 0, 64): a sign, then 0x / 0o / 0b prefixes or a leading 0 for octal.
std::optional<std::int64_t> parse_go_int(std::string_view s);

// One word of dockerd's command line, with where it came from for evidence.
struct Arg {
  std::string text;
  std::string origin;  // "dockerd command line (pid 812)", "UNIT:14 ExecStart", "" ...
};

struct FlagValue {
  Json value;
  std::string source;  // origin and the flags as written: "UNIT:14 ExecStart: -H fd://"
  std::string last_origin;
  std::set<std::string> conflict_names;  // what dockerd looks for in the file: the key, or "graph"
};

struct ParsedFlags {
  std::map<std::string, FlagValue> values;                         // by daemon.json key
  std::optional<std::pair<std::string, std::string>> config_file;  // value, source
};

// pflag's parsing: interspersed positionals (noted: dockerd takes none), "--" ends the flags, a
// value-taking flag takes the next argument whatever it looks like ("--log-level --debug" sets
// the level to "--debug"); scalars: the last one wins; repeatable flags accumulate.
ParsedFlags parse_flags(const std::vector<Arg>& args, std::vector<std::string>& notes);

}  // namespace dockerd
}  // namespace hb
