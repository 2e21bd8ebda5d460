#include "checks/docker_inventory.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "checks/docker_daemon_config.hpp"
#include "checks/docker_json.hpp"
#include "checks/unix_http.hpp"
#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/json_text.hpp"
#include "engine/probe.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

// More than any real host runs; a hostile list cannot make the scan fetch forever.
constexpr std::size_t k_max_containers = 10'000;
constexpr std::size_t k_max_images = 10'000;

using docker_json::bool_of;
using docker_json::member;
using docker_json::strings_of;
using docker_json::text_of;

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}
// Docker's ids are 64 lowercase hex digits; anything else is never put in a path or a request.
bool valid_id(std::string_view s) { return s.size() == 64 && is_hex(s); }
// "sha256:<64 hex>"
bool valid_image_id(std::string_view s) {
  return s.size() == 71 && starts_with(s, "sha256:") && is_hex(s.substr(7));
}

std::string short_id(std::string_view id) {
  if (starts_with(id, "sha256:")) id.remove_prefix(7);
  return printable(id.substr(0, 12));
}

std::vector<ContainerMount> mounts_of(const Json& list_or_map) {
  std::vector<ContainerMount> out;
  auto add = [&](const Json& m) {
    if (!m.is_object()) return;
    ContainerMount cm;
    cm.type = text_of(m, "Type");
    cm.source = text_of(m, "Source");
    cm.destination = text_of(m, "Destination");
    cm.propagation = text_of(m, "Propagation");
    const Json& rw = member(m, "RW");
    cm.rw = !rw.is_boolean() || rw.get<bool>();
    out.push_back(std::move(cm));
  };
  // The API lists mounts ("Mounts": [...]); config.v2.json maps destination to mount
  // ("MountPoints": {"/data": {...}}). Same fields either way.
  if (list_or_map.is_array())
    for (const auto& m : list_or_map) add(m);
  else if (list_or_map.is_object())
    for (const auto& [dest, m] : list_or_map.items()) add(m);
  std::sort(out.begin(), out.end(), [](const ContainerMount& a, const ContainerMount& b) {
    return a.destination < b.destination;
  });
  return out;
}

// The fields both paths share: the API's inspect answer and config.v2.json have the same
// names for everything but the host config (a member of one, a file beside the other) and the
// mounts (Mounts vs MountPoints).
Container container_from(const Json& doc, const Json& host_config, const Json& mounts,
                         std::string origin) {
  Container c;
  c.origin = std::move(origin);
  c.id = text_of(doc, "Id");
  if (c.id.empty()) c.id = text_of(doc, "ID");
  c.name = text_of(doc, "Name");
  if (!c.name.empty() && c.name.front() == '/') c.name.erase(0, 1);
  c.image_id = text_of(doc, "Image");
  const Json& config = member(doc, "Config");
  if (config.is_object()) c.config = config;
  c.image = text_of(c.config, "Image");
  if (host_config.is_object()) c.host_config = host_config;
  const Json& state = member(doc, "State");
  c.running = bool_of(state, "Running");
  const Json& pid = member(state, "Pid");
  if (pid.is_number_integer()) c.pid = pid.get<long>();
  c.apparmor_profile = text_of(doc, "AppArmorProfile");
  const Json& nnp = member(doc, "NoNewPrivileges");
  if (nnp.is_boolean()) c.no_new_privileges = nnp.get<bool>();
  c.mounts = mounts_of(mounts);
  if (!valid_id(c.id)) c.error = "not a Docker container id: " + in_quotes(c.id, 80);
  return c;
}

Image image_from(const Json& doc, std::string id, std::vector<std::string> tags,
                 std::string origin) {
  Image im;
  im.id = std::move(id);
  im.tags = std::move(tags);
  im.origin = std::move(origin);
  // The API's inspect calls it "Config"; the config blob on disk "config".
  const Json& api = member(doc, "Config");
  const Json& blob = member(doc, "config");
  if (api.is_object())
    im.config = api;
  else if (blob.is_object())
    im.config = blob;
  im.created = text_of(doc, "Created");
  if (im.created.empty()) im.created = text_of(doc, "created");
  // Layers: the API's RootFS.Layers, the config blob's rootfs.diff_ids.
  im.diff_ids = strings_of(member(doc, "RootFS"), "Layers");
  if (im.diff_ids.empty()) im.diff_ids = strings_of(member(doc, "rootfs"), "diff_ids");
  return im;
}

void sort_inventory(DockerInventory& inv) {
  std::sort(inv.containers.begin(), inv.containers.end(),
            [](const Container& a, const Container& b) {
              return std::tie(a.name, a.id) < std::tie(b.name, b.id);
            });
  std::sort(inv.images.begin(), inv.images.end(),
            [](const Image& a, const Image& b) { return a.label() < b.label(); });
}

// Whether `count` objects reach the cap `max`: then a note says the rest are not checked.
bool at_cap(std::size_t count, std::size_t max, const char* what, std::vector<std::string>& notes) {
  if (count < max) return false;
  notes.push_back("more than " + std::to_string(max) + " " + what + ": the rest are not checked");
  return true;
}

// A Container or Image that could not be read: its id, where it was looked for, and why.
template <class Object>
Object unreadable(std::string id, std::string origin, std::string error) {
  Object o;
  o.id = std::move(id);
  o.origin = std::move(origin);
  o.error = std::move(error);
  return o;
}

Expected<Json> read_json(const HostView& host, const std::string& path) {
  auto text = host.read_file(path);
  if (!text) return text.error();
  return parse_json_text(path, *text);
}

}  // namespace

std::string Container::label() const {
  std::string n = name.empty() ? std::string("(unnamed)") : printable(name, 120);
  return n + " (" + short_id(id) + ", " + (image.empty() ? short_id(image_id) : printable(image, 120)) +
         ")";
}

std::string Image::label() const {
  std::string t = tags.empty() ? std::string("<untagged>") : printable(tags.front(), 120);
  return t + " (" + short_id(id) + ")";
}

DockerInstall detect_docker(const HostView& host, const std::string& data_root) {
  DockerInstall d;
  for (const char* p : {"/usr/bin/dockerd", "/usr/sbin/dockerd", "/usr/local/bin/dockerd",
                        "/usr/local/sbin/dockerd"}) {
    auto st = host.stat(p);
    if (st && st->type == FileType::regular) {
      d.installed = true;
      d.evidence.push_back(std::string("dockerd binary ") + p);
    }
  }
  for (const std::string& p : {std::string("/etc/docker"), data_root}) {
    auto st = host.stat(p);
    if (st && st->type == FileType::directory) {
      d.installed = true;
      d.evidence.push_back("directory " + printable(p) + " exists");
    }
  }
  if (!d.installed)
    d.evidence.push_back("Docker is not installed: no dockerd in /usr/bin, /usr/sbin, "
                         "/usr/local/bin or /usr/local/sbin, no /etc/docker, no " +
                         printable(data_root));
  return d;
}

Expected<DockerInventory> inventory_from_api(const ApiFetch& fetch, const std::string& where) {
  DockerInventory inv;
  inv.from_api = true;
  inv.source = where;
  auto info = fetch("/info");
  if (!info) return info.error();
  inv.root_dir = text_of(*info, "DockerRootDir");
  inv.swarm = text_of(member(*info, "Swarm"), "LocalNodeState");

  auto list = fetch("/containers/json?all=1");
  if (!list) return list.error();
  if (!list->is_array())
    return make_error(ErrorKind::parse, where + ": GET /containers/json: not a list");
  for (const auto& entry : *list) {
    if (at_cap(inv.containers.size(), k_max_containers, "containers", inv.notes)) break;
    const std::string id = text_of(entry, "Id");
    if (!valid_id(id)) {
      inv.notes.push_back("skipped a container listed with the id " + in_quotes(id, 80));
      continue;
    }
    const std::string target = "/containers/" + id + "/json";
    auto doc = fetch(target);
    if (!doc && doc.kind() == ErrorKind::not_found) {
      inv.notes.push_back("container " + short_id(id) + " was removed during the scan");
      continue;
    }
    if (!doc) {
      inv.containers.push_back(unreadable<Container>(id, "API " + target, doc.message()));
      continue;
    }
    Container c = container_from(*doc, member(*doc, "HostConfig"), member(*doc, "Mounts"),
                                 "API " + target);
    if (c.id != id) c.error = "GET " + target + " answered for another id";
    inv.containers.push_back(std::move(c));
  }

  auto images = fetch("/images/json");
  if (!images) return images.error();
  if (!images->is_array())
    return make_error(ErrorKind::parse, where + ": GET /images/json: not a list");
  for (const auto& entry : *images) {
    if (at_cap(inv.images.size(), k_max_images, "images", inv.notes)) break;
    const std::string id = text_of(entry, "Id");
    if (!valid_image_id(id)) {
      inv.notes.push_back("skipped an image listed with the id " + in_quotes(id, 80));
      continue;
    }
    std::vector<std::string> tags;
    const Json& repo_tags = member(entry, "RepoTags");
    if (repo_tags.is_array())
      for (const auto& t : repo_tags)
        if (t.is_string() && t.get<std::string>() != "<none>:<none>") tags.push_back(t);
    std::sort(tags.begin(), tags.end());
    const std::string target = "/images/" + id + "/json";
    auto doc = fetch(target);
    if (!doc && doc.kind() == ErrorKind::not_found) {
      inv.notes.push_back("image " + short_id(id) + " was removed during the scan");
      continue;
    }
    if (!doc) {
      inv.images.push_back(unreadable<Image>(id, "API " + target, doc.message()));
      inv.images.back().tags = std::move(tags);
      continue;
    }
    inv.images.push_back(image_from(*doc, id, std::move(tags), "API " + target));
  }
  sort_inventory(inv);
  return inv;
}

Expected<DockerInventory> inventory_from_disk(const HostView& host, const std::string& root_dir) {
  DockerInventory inv;
  inv.source = "files under " + printable(root_dir);
  inv.root_dir = root_dir;

  const std::string containers_dir = join_path(root_dir, "containers");
  auto entries = host.list_dir(containers_dir);
  if (!entries && entries.kind() != ErrorKind::not_found) return entries.error();
  if (!entries) inv.notes.push_back(printable(containers_dir) + " does not exist: no containers");
  for (const auto& e : entries ? *entries : std::vector<DirEntry>{}) {
    if (!valid_id(e.name)) continue;  // not a container directory
    if (at_cap(inv.containers.size(), k_max_containers, "containers", inv.notes)) break;
    const std::string dir = join_path(containers_dir, e.name);
    auto config = read_json(host, dir + "/config.v2.json");
    auto hostconfig = read_json(host, dir + "/hostconfig.json");
    if (!config || !hostconfig) {
      inv.containers.push_back(
          unreadable<Container>(e.name, dir, !config ? config.message() : hostconfig.message()));
      continue;
    }
    Container c = container_from(*config, *hostconfig, member(*config, "MountPoints"), dir);
    if (c.error.empty() && c.id != e.name)
      c.error = dir + "/config.v2.json: its ID is not the directory's name";
    inv.containers.push_back(std::move(c));
  }

  // Images: image/<storage driver>/imagedb/content/sha256/<hex> are the config blobs, and
  // image/<driver>/repositories.json maps "repo:tag" to their ids.
  const std::string image_dir = join_path(root_dir, "image");
  auto drivers = host.list_dir(image_dir);
  if (!drivers && drivers.kind() != ErrorKind::not_found) return drivers.error();
  for (const auto& d : drivers ? *drivers : std::vector<DirEntry>{}) {
    const std::string base = join_path(image_dir, d.name);
    std::map<std::string, std::vector<std::string>> tags;
    auto repos = read_json(host, base + "/repositories.json");
    if (repos) {
      for (const auto& [repo, refs] : member(*repos, "Repositories").items()) {
        if (!refs.is_object()) continue;
        for (const auto& [ref, id] : refs.items())
          if (id.is_string() && ref.find('@') == std::string::npos) tags[id].push_back(ref);
      }
    } else if (repos.kind() != ErrorKind::not_found) {
      inv.notes.push_back(repos.message());
    }
    const std::string blobs = base + "/imagedb/content/sha256";
    auto ids = host.list_dir(blobs);
    if (!ids) {
      if (ids.kind() != ErrorKind::not_found) inv.notes.push_back(ids.message());
      continue;
    }
    // The classic builder keeps each step as an untagged image whose child records it as its
    // parent (imagedb/metadata/sha256/ID/parent); `docker images` and GET /images/json leave
    // such intermediate images out, and so does this list.
    std::set<std::string> parents;
    for (const auto& b : *ids) {
      if (!valid_id(b.name)) continue;
      auto parent = host.read_file(base + "/imagedb/metadata/sha256/" + b.name + "/parent", 256);
      if (parent) parents.insert(std::string(trim(*parent)));
    }
    for (const auto& b : *ids) {
      if (!valid_id(b.name)) continue;
      if (at_cap(inv.images.size(), k_max_images, "images", inv.notes)) break;
      const std::string id = "sha256:" + b.name;
      if (tags[id].empty() && parents.count(id)) continue;
      auto t = tags[id];
      std::sort(t.begin(), t.end());
      auto doc = read_json(host, blobs + "/" + b.name);
      if (!doc) {
        inv.images.push_back(unreadable<Image>(id, blobs + "/" + b.name, doc.message()));
        inv.images.back().tags = std::move(t);
        continue;
      }
      inv.images.push_back(image_from(*doc, id, std::move(t), blobs + "/" + b.name));
    }
  }

  // A node in a swarm keeps its state in <root>/swarm; `docker swarm leave` removes it.
  const std::string swarm = join_path(root_dir, "swarm");
  bool in_swarm = false;
  for (const char* f : {"/docker-state.json", "/state.json"})
    if (auto st = host.stat(swarm + f); st && st->type == FileType::regular) in_swarm = true;
  inv.swarm = in_swarm ? "active" : "inactive";
  sort_inventory(inv);
  return inv;
}

namespace {

// The layer store, once per scan: each layer by (parent chain id, diff id), with the directory
// that holds its files.
struct LayerStore {
  std::string driver;
  std::map<std::pair<std::string, std::string>, std::string> chain_of;  // (parent, diff) -> chain
  std::map<std::string, std::string> dir_of;                            // chain -> files directory
};

Expected<LayerStore> load_layer_store(const HostView& host, const std::string& root) {
  LayerStore store;
  auto drivers = host.list_dir(join_path(root, "image"));
  if (!drivers) return drivers.error();
  for (const auto& d : *drivers) {
    const std::string layerdb = join_path(root, "image/" + d.name + "/layerdb/sha256");
    auto chains = host.list_dir(layerdb);
    if (!chains) continue;
    if (d.name != "overlay2" && d.name != "vfs")
      return make_error(ErrorKind::invalid, "storage driver " + printable(d.name) +
                                                ": only overlay2 and vfs layers are read");
    store.driver = d.name;
    std::size_t n = 0;
    for (const auto& c : *chains) {
      if (!valid_id(c.name) || ++n > 100'000) continue;
      const std::string dir = layerdb + "/" + c.name;
      auto diff = host.read_file(dir + "/diff", 256);
      auto cache = host.read_file(dir + "/cache-id", 256);
      if (!diff || !cache) continue;
      auto parent = host.read_file(dir + "/parent", 256);
      const std::string p = parent ? std::string(trim(*parent)) : std::string();
      const std::string cache_id(trim(*cache));
      if (cache_id.empty() || cache_id.find('/') != std::string::npos || cache_id == "..") continue;
      const std::string chain = "sha256:" + c.name;
      store.chain_of[{p, std::string(trim(*diff))}] = chain;
      store.dir_of[chain] = d.name == "overlay2" ? join_path(root, "overlay2/" + cache_id + "/diff")
                                                 : join_path(root, "vfs/dir/" + cache_id);
    }
  }
  if (store.driver.empty())
    return make_error(ErrorKind::not_found, printable(root) + "/image/*/layerdb: no layer store");
  return store;
}

// A real directory (not a symlink, which could point anywhere on the host).
bool real_dir(const HostView& host, const std::string& path) {
  auto st = host.lstat(path);
  return st && st->type == FileType::directory;
}

}  // namespace

Expected<std::vector<std::string>> image_shells(const ProbeContext& ctx,
                                                const std::string& root_dir, const Image& image) {
  auto store = ctx.facts.get<LayerStore>("docker.layers:" + root_dir,
                                         [&] { return load_layer_store(ctx.host, root_dir); });
  if (!store->ok()) return store->error();
  std::set<std::string> found;
  std::string parent;
  for (const auto& diff : image.diff_ids) {
    auto it = store->value().chain_of.find({parent, diff});
    if (it == store->value().chain_of.end())
      return make_error(ErrorKind::not_found, "layer " + printable(diff, 80) +
                                                  " is not in the layer store under " +
                                                  printable(root_dir));
    parent = it->second;
    const std::string& dir = store->value().dir_of.at(parent);
    for (const char* sub : {"/bin", "/usr/bin"}) {
      if (std::string(sub) == "/usr/bin" && !real_dir(ctx.host, dir + "/usr")) continue;
      if (!real_dir(ctx.host, dir + sub)) continue;
      for (const char* shell : {"sh", "bash", "busybox"})
        if (ctx.host.lstat(dir + sub + "/" + shell)) found.insert(std::string(sub) + "/" + shell);
    }
  }
  return std::vector<std::string>(found.begin(), found.end());
}

Expected<std::string> docker_root_dir(const HostView& host, const DaemonConfig& config) {
  std::string root = "/var/lib/docker";
  if (const DaemonSetting* s = config.find("data-root"); s && s->value.is_string() &&
                                                          !s->value.get<std::string>().empty())
    root = s->value.get<std::string>();
  if (root.front() != '/')
    return make_error(ErrorKind::invalid, "data-root '" + printable(root) + "' is not absolute");
  const DaemonSetting* remap = config.find("userns-remap");
  if (!remap || !remap->value.is_string() || remap->value.get<std::string>().empty()) return root;

  // userns-remap: "default" (the dockremap user), "user", "user:group", "uid" or "uid:gid".
  // Docker names the directory after the first subordinate uid and gid of that user and group.
  std::string spec = remap->value.get<std::string>();
  std::string user = spec, group;
  if (auto colon = spec.find(':'); colon != std::string::npos) {
    user = spec.substr(0, colon);
    group = spec.substr(colon + 1);
  }
  if (user == "default") user = group = "dockremap";
  if (group.empty()) group = user;
  auto first_range = [&](const char* file, const std::string& who) -> std::optional<std::string> {
    auto text = host.read_file(file);
    if (!text) return std::nullopt;
    for (auto line : split_lines(*text)) {
      auto f = split(trim(line), ':');
      if (f.size() == 3 && f[0] == who && !f[1].empty() &&
          f[1].find_first_not_of("0123456789") == std::string_view::npos)
        return std::string(f[1]);
    }
    return std::nullopt;
  };
  auto uid = first_range("/etc/subuid", user), gid = first_range("/etc/subgid", group);
  if (!uid || !gid)
    return make_error(ErrorKind::not_found,
                      "userns-remap '" + printable(spec) + "': no range for " + printable(user) +
                          " in /etc/subuid or for " + printable(group) + " in /etc/subgid");
  return root + "/" + *uid + "." + *gid;
}

Expected<std::string> docker_socket_path(const std::string& docker_host,
                                         const DaemonConfig& config) {
  if (!docker_host.empty()) {
    if (auto path = unix_socket_path(docker_host)) return *path;
    return make_error(ErrorKind::invalid,
                      "DOCKER_HOST=" + printable(docker_host) +
                          " is not a unix socket (hostbench reads the Engine API over a local "
                          "unix socket only)");
  }
  if (const DaemonSetting* hosts = config.find("hosts"); hosts && hosts->value.is_array())
    for (const auto& h : hosts->value)
      if (h.is_string())
        if (auto path = unix_socket_path(h.get_ref<const std::string&>())) return *path;
  if (const DaemonSetting* listen = config.find("socket-activation-listen");
      listen && listen->value.is_array())
    for (const auto& l : listen->value)
      if (l.is_string() && starts_with(l.get<std::string>(), "/")) return l.get<std::string>();
  if (config.rootless && config.rootless_uid)
    return "/run/user/" + std::to_string(*config.rootless_uid) + "/docker.sock";
  return std::string("/var/run/docker.sock");
}

namespace {

// GET target as JSON; a 404 is ErrorKind::not_found (the object went away), any other non-200
// an io error carrying the daemon's own message.
Expected<Json> api_get(const std::string& socket, const std::string& target) {
  auto r = http_get_unix(socket, target);
  if (!r) return r.error();
  const std::string origin = socket + ": GET " + target;
  if (r->status != 200) {
    std::string why;
    if (auto j = parse_json_text(origin, r->body); j && j->is_object())
      why = text_of(*j, "message");
    return make_error(r->status == 404 ? ErrorKind::not_found : ErrorKind::io,
                      origin + ": HTTP " + std::to_string(r->status) +
                          (why.empty() ? "" : ": " + printable(why)));
  }
  return parse_json_text(origin, r->body);
}

// A daemon that is not there (no socket, nobody listening, no answer) sends `auto` to the
// files; a daemon that refuses us (permission) is an error to report, not to work around.
bool daemon_absent(const Error& e) {
  if (e.kind == ErrorKind::not_found || e.kind == ErrorKind::timeout) return true;
  return e.kind == ErrorKind::io && e.message.find("permission denied") == std::string::npos;
}

}  // namespace

const Expected<DaemonConfig>& docker_daemon(const ProbeContext& ctx) {
  return *ctx.facts.get<DaemonConfig>("docker.daemon", [&]() -> Expected<DaemonConfig> {
    DaemonSelector sel;
    if (auto path = unix_socket_path(ctx.docker.host)) sel.socket_path = *path;
    return load_daemon_config(ctx.host, sel);
  });
}

const DockerInstall& docker_install(const ProbeContext& ctx) {
  return ctx.facts
      .get<DockerInstall>("docker.install",
                          [&]() -> Expected<DockerInstall> {
                            std::string root = "/var/lib/docker";
                            const auto& daemon = docker_daemon(ctx);
                            if (daemon)
                              if (auto r = docker_root_dir(ctx.host, *daemon)) root = *r;
                            return detect_docker(ctx.host, root);
                          })
      ->value();
}

const Expected<DockerInventory>& docker_inventory(const ProbeContext& ctx) {
  return *ctx.facts.get<DockerInventory>("docker.inventory", [&]() -> Expected<DockerInventory> {
    const auto& daemon = docker_daemon(ctx);
    const DaemonConfig empty;
    const DaemonConfig& config = daemon ? *daemon : empty;
    const auto mode = ctx.docker.mode;
    std::vector<std::string> notes;
    if (!daemon) notes.push_back("daemon configuration unreadable: " + daemon.message());

    if (ctx.host.is_live() && mode != DockerAccess::Mode::disk) {
      auto socket = docker_socket_path(ctx.docker.host, config);
      if (socket) {
        const std::string where = "Engine API at " + printable(*socket);
        auto inv = inventory_from_api(
            [&](const std::string& target) { return api_get(*socket, target); }, where);
        if (inv || mode == DockerAccess::Mode::api || !daemon_absent(inv.error())) return inv;
        notes.push_back("no daemon answered (" + inv.message() + "); read from disk instead");
      } else if (mode == DockerAccess::Mode::api) {
        return socket.error();
      } else {
        notes.push_back(socket.message() + "; read from disk instead");
      }
    } else if (mode == DockerAccess::Mode::api) {
      return make_error(ErrorKind::invalid,
                        "--docker api needs the live host: with --root the containers are read "
                        "from disk");
    }
    auto root = docker_root_dir(ctx.host, config);
    if (!root) return root.error();
    auto inv = inventory_from_disk(ctx.host, *root);
    if (inv) inv->notes.insert(inv->notes.begin(), notes.begin(), notes.end());
    return inv;
  });
}

}  // namespace hb
