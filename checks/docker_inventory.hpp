// What Docker holds on a host: whether it is installed, its containers and images, and swarm
// mode, read through one of two paths that must agree:
//
//   api   the Engine API over the daemon's unix socket (live host only): GET /info, then
//         /containers/json?all=1 and /containers/{id}/json, /images/json and /images/{id}/json;
//   disk  the daemon's own state files under its data root (DockerRootDir): containers/<id>/
//         config.v2.json + hostconfig.json, and image/<driver>/imagedb/content/sha256/<id> with
//         image/<driver>/repositories.json for the tags. Always used with --root.
//
// Both normalise to the same Container and Image records, so probes never know which path
// served them. Every file and API answer is hostile input: JSON is depth-checked, ids and
// names are validated before they are put in a request target or a path, counts are capped.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/expected.hpp"
#include "engine/params.hpp"  // Json

namespace hb {

class HostView;
struct ProbeContext;
struct DaemonConfig;

// Is Docker installed: a dockerd binary, /etc/docker, or a data root. Any of them is enough;
// evidence names what was found (or everything that was looked for).
struct DockerInstall {
  bool installed = false;
  std::vector<std::string> evidence;
};
DockerInstall detect_docker(const HostView& host, const std::string& data_root);

struct ContainerMount {
  std::string type;         // bind, volume, tmpfs, npipe
  std::string source;       // host path (bind) or volume path
  std::string destination;  // path inside the container
  std::string propagation;  // rprivate, shared, rshared ... ("" when unset)
  bool rw = true;
};

struct Container {
  std::string id;        // 64 hex digits
  std::string name;      // without the leading '/'
  std::string image;     // as configured (Config.Image): "busybox:latest"
  std::string image_id;  // "sha256:..."
  bool running = false;
  long pid = 0;                   // State.Pid, 0 when not running
  Json config = Json::object();   // Config (User, Healthcheck, Env ...)
  Json host_config = Json::object();  // HostConfig (Privileged, CapAdd, Memory ...)
  std::string apparmor_profile;
  std::optional<bool> no_new_privileges;  // config.v2.json records it; the API does not
  std::vector<ContainerMount> mounts;
  std::string origin;  // "/var/lib/docker/containers/ID" or "API /containers/ID/json"
  std::string error;   // non-empty: this container could not be read, and why

  // "web (0123456789ab, nginx:1.25)": how reports name the container.
  std::string label() const;
};

struct Image {
  std::string id;  // "sha256:..."
  std::vector<std::string> tags;
  Json config = Json::object();  // the image config's "config" (User, Healthcheck ...)
  std::string created;                // RFC 3339, as the image config records it
  std::vector<std::string> diff_ids;  // its layers, bottom first ("sha256:...")
  std::string origin;
  std::string error;
  std::string label() const;  // "busybox:latest (sha256:0123456789ab)"
};

struct DockerInventory {
  std::string source;    // "Engine API at /run/docker.sock" or "files under /var/lib/docker"
  bool from_api = false;
  std::string root_dir;  // DockerRootDir
  std::vector<Container> containers;  // sorted by name
  std::vector<Image> images;          // sorted by label
  std::string swarm;                  // "inactive", "active", "pending", "error", "locked"
  std::vector<std::string> notes;     // fallbacks taken, entries skipped
};

// The API path, over any fetcher (tests serve recorded answers; production uses unix_http).
// `fetch(target)` returns the parsed JSON body of a 200 answer, or an Error.
using ApiFetch = std::function<Expected<Json>(const std::string& target)>;
Expected<DockerInventory> inventory_from_api(const ApiFetch& fetch, const std::string& where);

// The disk path, under `root_dir` (a host path such as /var/lib/docker).
Expected<DockerInventory> inventory_from_disk(const HostView& host, const std::string& root_dir);

// Which shells an image carries: /bin/sh, /bin/bash, /bin/busybox (and their /usr/bin twins) in
// any of its layers, from the layer store under `root_dir` (image/DRIVER/layerdb/sha256/CHAIN/
// {diff,parent,cache-id} and DRIVER's layer directories; overlay2 and vfs). Found paths as
// "/bin/sh"; an Error when the store cannot be read or a layer is missing.
Expected<std::vector<std::string>> image_shells(const ProbeContext& ctx, const std::string& root_dir,
                                               const Image& image);

// The data root for the disk path: DockerRootDir from daemon config "data-root" (default
// /var/lib/docker), moved to <root>/<uid>.<gid> under userns-remap (uid and gid from the
// remap user's first /etc/subuid and /etc/subgid ranges; "default" means dockremap).
Expected<std::string> docker_root_dir(const HostView& host, const DaemonConfig& config);

// The unix socket to ask, from DOCKER_HOST ("unix:///path"; empty: the daemon's hosts setting,
// else /var/run/docker.sock; a rootless daemon: /run/user/UID/docker.sock). nullopt with a
// reason when DOCKER_HOST names something else (tcp://, ssh://).
Expected<std::string> docker_socket_path(const std::string& docker_host, const DaemonConfig& config);

// Everything, once per scan (Facts keys "docker.install", "docker.daemon",
// "docker.inventory"), chosen per ctx.docker.mode: auto tries the API on a live host and falls
// back to disk when no daemon answers (a refused permission is an error, not a fallback).
const DockerInstall& docker_install(const ProbeContext& ctx);
const Expected<DaemonConfig>& docker_daemon(const ProbeContext& ctx);
const Expected<DockerInventory>& docker_inventory(const ProbeContext& ctx);

}  // namespace hb
