// The Docker daemon's effective configuration, merged the way dockerd merges it:
//
//   1. dockerd's built-in defaults (Linux, Docker 20.10);
//   2. the configuration file: /etc/docker/daemon.json, or the file named by --config-file
//      (rootless: ~/.config/docker/daemon.json);
//   3. the flags dockerd was started with: the running dockerd's /proc/PID/cmdline on a live
//      host; else the ExecStart= of docker.service (the unit in /etc/systemd/system overriding
//      /lib and /usr/lib, then drop-ins docker.service.d/*.conf, an empty ExecStart= resetting),
//      with $VAR / ${VAR} expanded from Environment= and EnvironmentFile= (Debian's unit runs
//      `dockerd -H fd:// --containerd=... $DOCKER_OPTS` with EnvironmentFile=-/etc/default/docker).
//      The unit files are read by checks/systemd_unit.hpp.
//
// Settings are keyed by their daemon.json name ("icc", "log-level", "hosts",
// "insecure-registries" ...); each flag maps to its key (-H/--host -> hosts, --insecure-registry
// -> insecure-registries, -l -> log-level ...; the table and the flag parser are
// checks/dockerd_flags.hpp). Each value records the source that decided it.
// A key given both in the file and as a flag is a conflict (dockerd refuses to start with one);
// so is a file key dockerd does not know. Conflicts are reported, never resolved by guessing.
//
// What dockerd 20.10 does, and so what is modelled here (checked against the real dockerd):
//   - Unknown keys are looked for as dockerd does: a key is known when it is a flag's long name
//     (even a hidden or deprecated one: "graph", "restart", "cluster-store") or a setting's
//     daemon.json name; "features", "builder" and "deprecated-key-path" are known too. A
//     top-level object value is flattened for this check (its inner keys are checked instead),
//     except for the keys whose value is a map (log-opts, default-ulimits, runtimes, ...).
//   - A flag's long name used as a file key ("label", "host") is accepted by dockerd and then
//     ignored: noted, no setting.
//   - A value of the wrong JSON type ("icc": 1, "log-opts": {"max-file": 3}) makes dockerd refuse
//     to start: a conflict. null is accepted and leaves the default; it still counts as "given"
//     for the flag-versus-file check, as in dockerd.
//   - An empty or blank file makes dockerd 20.10 refuse to start ("EOF"): a conflict; the file
//     `null` is an empty configuration. Any other non-object top level is an Error.
//   - A --config-file that does not exist makes dockerd refuse to start: a conflict.
//   - Booleans take Go's strconv.ParseBool words (1 t T TRUE true True, 0 f F FALSE false
//     False); `--icc false` leaves "false" a positional argument, which dockerd refuses (noted).
//   - Flags and file both setting a key: the conflict is listed and the setting carries the
//     flag's value, its source starting "conflict: ". On a live host the running dockerd was
//     started with those flags (it cannot have started with the conflict, so the file changed
//     since); offline, the flag is what the service definition deliberately passes.
//   - -g/--graph sets data-root, but dockerd compares it with the file's "graph" key only: with
//     "data-root" in the file there is no conflict and the file's value wins (noted).
//   - --add-runtime and the file's "runtimes" are merged, not a conflict (as in dockerd).
//   - A file value that is empty ("", 0, [], {}) for a non-boolean key leaves the default.
//   - -H fd:// (systemd socket activation): "hosts" records "fd://" as given, and the
//     ListenStream= values of docker.socket (same unit search path and drop-ins) are added as
//     the setting "socket-activation-listen" (a list of strings; not a daemon.json key).
//   - Rootless (the dockerd found runs as a non-root uid): config file, data-root, exec-root,
//     pidfile and hosts default under the user's $HOME / $XDG_RUNTIME_DIR, read from
//     /proc/PID/environ when readable, else the home in the root's /etc/passwd and
//     /run/user/UID.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expected.hpp"
#include "engine/params.hpp"  // Json

namespace hb {

class HostView;

struct DaemonSetting {
  Json value;
  // Where it came from, for evidence: "/etc/docker/daemon.json", "dockerd command line (pid
  // 812): --icc=false", "/lib/systemd/system/docker.service:14 ExecStart: -H fd://",
  // "/etc/default/docker:3 DOCKER_OPTS via /lib/systemd/system/docker.service:14 ExecStart:
  // --icc=false", "dockerd default", "dockerd default (rootless)", "conflict: <flag source>
  // (also in /etc/docker/daemon.json)".
  std::string source;
};

struct DaemonConfig {
  std::map<std::string, DaemonSetting> settings;
  // One line each, naming the key in single quotes ('icc') and both sources. Everything here
  // makes dockerd refuse to start.
  std::vector<std::string> conflicts;
  std::vector<std::string> notes;  // flags not understood, files that could not be read ...
  std::string config_file;         // the daemon.json path that applies ("" if unknown)
  bool config_file_exists = false;
  // "dockerd command line (pid 812)", "/lib/systemd/system/docker.service:14 ExecStart" (the
  // ExecStart= that applies, possibly in a drop-in), "" if none.
  std::string flags_from;
  std::optional<int> pid;  // the running dockerd, when one was found (live host)
  bool rootless = false;   // the daemon found runs as a non-root user
  std::optional<unsigned> rootless_uid;

  // The setting's value and source, or null when neither file, flags nor defaults define it.
  const DaemonSetting* find(const std::string& key) const;
};

// Which daemon to describe.
struct DaemonSelector {
  // On a live host, prefer the dockerd whose -H/--host (or default socket) serves this unix
  // socket path (from DOCKER_HOST; "unix://" is stripped, /var/run and /run are the same);
  // empty: the first dockerd running as root, else a rootless one.
  std::string socket_path;
  // Whether to look for a running dockerd under /proc; unset: host.is_live(). Tests set it to
  // read a fake proc/ directory in a temporary root.
  std::optional<bool> read_proc;
};

// Reads everything through `host` (so --root works; /proc is only consulted when
// host.is_live(), or when the selector says so). Errors only when nothing can be decided
// (daemon.json present but not valid JSON, or not an object, is an Error naming file:line:col;
// one that exists but cannot be read is an Error too); unreadable optional sources become notes.
Expected<DaemonConfig> load_daemon_config(const HostView& host,
                                          const DaemonSelector& selector = {});

// dockerd's defaults (root daemon) for the keys the shipped profiles read.
const std::map<std::string, Json>& dockerd_defaults();

// The socket path of a unix address as -H and DOCKER_HOST write it ("unix:///run/docker.sock"
// -> "/run/docker.sock", taken as it is: "unix://" gives ""); nullopt for anything else (fd://,
// tcp://, ssh://, a bare path).
std::optional<std::string> unix_socket_path(std::string_view host);

}  // namespace hb
