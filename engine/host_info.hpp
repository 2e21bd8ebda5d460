// Facts about the scanned host for report headers: hostname, OS, kernel. Read through the
// HostView like everything else: an offline root reports its own /etc/hostname and os-release,
// never the scanner's.
#pragma once

#include <string>
#include <vector>

namespace hb {

class HostView;

struct HostInfo {
  std::string hostname;
  std::string os;      // PRETTY_NAME of os-release
  std::string kernel;  // the running kernel release (live hosts), else "unknown (offline root)"
  // "none", "kvm", "vmware", "vm (unknown hypervisor)", "container (docker)", ... or
  // "unknown (offline root)". Never from /.dockerenv alone (VMs here carry one).
  std::string virtualization;
  bool container_optimized_os = false;  // Flatcar, Bottlerocket, COS, Fedora CoreOS, Talos ...
  // The host's own addresses, loopback and link-local left out (live hosts only).
  std::vector<std::string> addresses;
};

HostInfo read_host_info(const HostView& host);

// Parses os-release(5) text and returns PRETTY_NAME (or NAME VERSION_ID), unquoted.
std::string os_pretty_name(const std::string& os_release_text);
// Whether os-release names a container-optimised OS (ID or VARIANT_ID).
bool is_container_optimized_os(const std::string& os_release_text);
// The virtualisation of a live host, from its container markers (/proc/1/cgroup,
// /run/.containerenv, /proc/1/environ container=), DMI (/sys/class/dmi/id), /sys/hypervisor and
// the hypervisor flag of /proc/cpuinfo.
std::string detect_virtualization(const HostView& host);

// Local IPv4 addresses from /proc/net/fib_trie ("/32 host LOCAL" leaves) and IPv6 addresses
// from /proc/net/if_inet6, loopback and link-local left out, sorted, unique.
std::vector<std::string> parse_local_addresses(const std::string& fib_trie,
                                               const std::string& if_inet6);

// The user running the scanner: "root(0)".
std::string current_user();

}  // namespace hb
