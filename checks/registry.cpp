#include "checks/registry.hpp"

#include "checks/accounts_probe.hpp"
#include "checks/disk_encryption_probe.hpp"
#include "checks/docker_probes.hpp"
#include "checks/dockerfile_probe.hpp"
#include "checks/file_probe.hpp"
#include "checks/fs_walk_probe.hpp"
#include "checks/json_probe.hpp"
#include "checks/kernel_module_probe.hpp"
#include "checks/keyvalue_probe.hpp"
#include "checks/listeners_probe.hpp"
#include "checks/mac_probe.hpp"
#include "checks/mount_probe.hpp"
#include "checks/packages_probe.hpp"
#include "checks/pam_probe.hpp"
#include "checks/service_probe.hpp"
#include "checks/sysctl_probe.hpp"

namespace hb {

namespace {
// Sorted by name; adding a kind: its file, its test, one row here, its section in
// profiles/README.md.
const ProbeKind k_kinds[] = {
    {"accounts", "local accounts: UID 0, empty passwords, shells, duplicates, password ageing",
     &parse_accounts_probe},
    {"disk_encryption", "the filesystems at / and other mounts sit on dm-crypt",
     &parse_disk_encryption_probe},
    {"docker_containers",
     "a field of every running Docker container (privileged, capabilities, limits, mounts ...)",
     &parse_docker_containers_probe},
    {"docker_daemon",
     "a setting of the Docker daemon's effective configuration (daemon.json, flags, defaults)",
     &parse_docker_daemon_probe},
    {"docker_file", "the file a Docker daemon setting names (TLS CA, certificate, key)",
     &parse_docker_file_probe},
    {"docker_images", "a field of every Docker image (HEALTHCHECK, USER)",
     &parse_docker_images_probe},
    {"docker_installed", "Docker is installed (dockerd, /etc/docker or a data root)",
     &parse_docker_installed_probe},
    {"docker_swarm", "the Docker node's swarm state", &parse_docker_swarm_probe},
    {"dockerfile", "build-side rules on the Dockerfiles given with --dockerfile (USER, ADD ...)",
     &parse_dockerfile_probe},
    {"file", "a file's existence, type, mode, owner, group and content", &parse_file_probe},
    {"fs_walk",
     "filesystem-wide: world-writable, unowned, setuid and setgid files, from one shared walk",
     &parse_fs_walk_probe},
    {"json", "a value inside a JSON file (daemon.json ...)", &parse_json_probe},
    {"kernel_module", "a kernel module is not loaded and cannot be (modprobe.d, /lib/modules)",
     &parse_kernel_module_probe},
    {"keyvalue", "a setting in a key/value file (sshd_config, login.defs ...)",
     &parse_keyvalue_probe},
    {"listeners", "listening sockets must be on allowed ports", &parse_listeners_probe},
    {"mac", "SELinux or AppArmor enforces a policy (running and configured)", &parse_mac_probe},
    {"mount", "a path is a separate mount with the required options", &parse_mount_probe},
    {"packages", "installed packages and pending updates (dpkg, apt)", &parse_packages_probe},
    {"pam", "a module (with arguments) in a PAM service stack", &parse_pam_probe},
    {"service", "a systemd unit is enabled, disabled or masked (from its unit files)",
     &parse_service_probe},
    {"sysctl", "a kernel parameter: running value and configured value", &parse_sysctl_probe},
};
}  // namespace

std::span<const ProbeKind> probe_kinds() { return k_kinds; }

}  // namespace hb
