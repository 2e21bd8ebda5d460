// The Docker daemon's effective configuration over an in-memory host: daemon.json merged with
// the flags of docker.service (and its drop-in, /etc/default/docker, docker.socket) or of a
// running dockerd found under /proc, then the data root and socket derived from it. The input's
// parts (separated by "\0\0"), in order: /etc/docker/daemon.json,
// /lib/systemd/system/docker.service, /etc/default/docker, /lib/systemd/system/docker.socket,
// /etc/systemd/system/docker.service.d/override.conf, /etc/subuid (also /etc/subgid),
// /proc/4242/cmdline, /proc/4242/environ, /etc/passwd.
#include <cstddef>
#include <cstdint>
#include <map>

#include "checks/docker_daemon_config.hpp"
#include "checks/docker_inventory.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = hb::fuzz::split_parts(data, size, 9);
  const char* names[] = {"/etc/docker/daemon.json",
                         "/lib/systemd/system/docker.service",
                         "/etc/default/docker",
                         "/lib/systemd/system/docker.socket",
                         "/etc/systemd/system/docker.service.d/override.conf",
                         "/etc/subuid",
                         "/proc/4242/cmdline",
                         "/proc/4242/environ",
                         "/etc/passwd"};
  std::map<std::string, std::string> files;
  for (std::size_t i = 0; i < parts.size(); ++i) files[names[i]] = std::string(parts[i]);
  if (parts.size() > 5) files["/etc/subgid"] = std::string(parts[5]);
  const bool with_proc = parts.size() > 6;
  if (with_proc) {
    files["/proc/4242/comm"] = "dockerd\n";
    files["/proc/4242/status"] = (parts.size() > 8 && !parts[8].empty()) ? "Uid:\t1000\t1000\n"
                                                                          : "Uid:\t0\t0\n";
  }
  const hb::fuzz::MemoryHost host(std::move(files));
  hb::DaemonSelector selector;
  selector.read_proc = with_proc;
  auto config = hb::load_daemon_config(host, selector);
  if (!config) return 0;
  for (const auto& [key, setting] : config->settings)
    (void)setting.value.dump(-1, ' ', false, hb::Json::error_handler_t::strict);
  (void)hb::docker_root_dir(host, *config);
  (void)hb::docker_socket_path("", *config);
  if (const auto* hosts = config->find("hosts"); hosts && hosts->value.is_array())
    for (const auto& h : hosts->value)
      if (h.is_string()) (void)hb::docker_socket_path(h.get<std::string>(), *config);
  return 0;
}
