// Facts about the scanned host for report headers: hostname, OS, kernel. Read through the
// HostView like everything else: an offline root reports its own /etc/hostname and os-release,
// never the scanner's.
#pragma once

#include <string>

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

// The user running the scanner: "root(0)".
std::string current_user();

}  // namespace hb
