#include "engine/host_info.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <map>

#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {
std::string first_line(const Expected<std::string>& r) {
  if (!r) return "";
  auto lines = split_lines(*r);
  return lines.empty() ? "" : printable(trim(lines.front()), 255);
}

std::string unquote(std::string_view v) {
  v = trim(v);
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    std::string out;
    for (std::size_t i = 1; i + 1 < v.size(); ++i) {
      if (v[i] == '\\' && i + 2 < v.size()) ++i;
      out += v[i];
    }
    return out;
  }
  return std::string(v);
}
}  // namespace

namespace {
std::map<std::string, std::string> os_release_fields(const std::string& text) {
  std::map<std::string, std::string> kv;
  for (auto line : split_lines(text)) {
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    auto eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    kv[std::string(line.substr(0, eq))] = unquote(line.substr(eq + 1));
  }
  return kv;
}

// DMI vendor and product strings of the common hypervisors, as systemd-detect-virt knows them.
const std::pair<const char*, const char*> k_dmi_vendors[] = {
    {"KVM", "kvm"},          {"QEMU", "qemu"},         {"VMware", "vmware"},
    {"VMW", "vmware"},       {"innotek GmbH", "oracle"}, {"VirtualBox", "oracle"},
    {"Xen", "xen"},          {"Bochs", "bochs"},       {"Parallels", "parallels"},
    {"BHYVE", "bhyve"},      {"Amazon EC2", "amazon"}, {"Google Compute Engine", "google"},
    {"Microsoft Corporation Virtual Machine", "microsoft"},
};
}  // namespace

bool is_container_optimized_os(const std::string& text) {
  auto kv = os_release_fields(text);
  const std::string id = to_lower(kv["ID"]), variant = to_lower(kv["VARIANT_ID"]);
  for (const char* known : {"flatcar", "bottlerocket", "cos", "talos", "rancheros", "rhcos",
                            "fedora-coreos", "coreos", "k3os"})
    if (id == known) return true;
  return variant == "coreos" || variant == "iot";
}

std::string detect_virtualization(const HostView& host) {
  if (!host.is_live()) return "unknown (offline root)";
  // Containers first: a container on a VM is what the scan runs in.
  if (host.exists("/run/.containerenv")) return "container (podman)";
  if (auto env = host.read_file("/proc/1/environ", 65536)) {
    for (auto var : split(*env, '\0'))
      if (starts_with(var, "container=") && var.size() > 10)
        return "container (" + printable(var.substr(10), 40) + ")";
  }
  if (auto cg = host.read_file("/proc/1/cgroup", 65536)) {
    for (auto line : split_lines(*cg)) {
      for (const char* marker : {"/docker/", "/docker-", "/kubepods", "/lxc/", "/libpod-"})
        if (line.find(marker) != std::string_view::npos)
          return std::string("container (") +
                 (std::string_view(marker).find("kube") != std::string_view::npos ? "kubernetes"
                  : std::string_view(marker).find("lxc") != std::string_view::npos ? "lxc"
                  : std::string_view(marker).find("libpod") != std::string_view::npos ? "podman"
                                                                                       : "docker") +
                 ")";
    }
  }
  std::string dmi;
  for (const char* f : {"/sys/class/dmi/id/sys_vendor", "/sys/class/dmi/id/product_name",
                        "/sys/class/dmi/id/board_vendor", "/sys/class/dmi/id/bios_vendor"})
    if (auto t = host.read_file(f, 4096)) dmi += std::string(trim(*t)) + "\n";
  for (const auto& [needle, name] : k_dmi_vendors)
    if (dmi.find(needle) != std::string::npos) return name;
  if (auto xen = host.read_file("/sys/hypervisor/type", 4096); xen && trim(*xen) == "xen")
    return "xen";
  if (auto cpu = host.read_file("/proc/cpuinfo", 4 << 20)) {
    for (auto line : split_lines(*cpu)) {
      if (!starts_with(line, "flags")) continue;
      for (auto w : split_ws(line))
        if (w == "hypervisor") return "vm (unknown hypervisor)";
      break;
    }
  }
  return "none";
}

std::vector<std::string> parse_local_addresses(const std::string& fib_trie,
                                               const std::string& if_inet6) {
  std::vector<std::string> out;
  std::string_view last_leaf;
  for (auto line : split_lines(fib_trie)) {
    auto t = trim(line);
    if (starts_with(t, "|-- ")) {
      last_leaf = t.substr(4);
    } else if (starts_with(t, "/32 host LOCAL") && !last_leaf.empty()) {
      if (!starts_with(last_leaf, "127.")) out.emplace_back(last_leaf);
      last_leaf = {};
    }
  }
  for (auto line : split_lines(if_inet6)) {
    auto f = split_ws(line);
    if (f.empty() || f[0].size() != 32) continue;
    std::string_view hex = f[0];
    if (hex == "00000000000000000000000000000001" || starts_with(hex, "fe8")) continue;
    std::string addr;
    for (int g = 0; g < 8; ++g) {
      std::string_view group = hex.substr(g * 4, 4);
      while (group.size() > 1 && group.front() == '0') group.remove_prefix(1);
      addr += (g ? ":" : "") + std::string(group);
    }
    out.push_back(printable(addr, 64));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string os_pretty_name(const std::string& text) {
  auto kv = os_release_fields(text);
  if (!kv["PRETTY_NAME"].empty()) return printable(kv["PRETTY_NAME"], 255);
  std::string name = kv["NAME"].empty() ? "Linux" : kv["NAME"];
  if (!kv["VERSION_ID"].empty()) name += " " + kv["VERSION_ID"];
  return printable(name, 255);
}

HostInfo read_host_info(const HostView& host) {
  HostInfo info;
  if (host.is_live()) info.hostname = first_line(host.read_file("/proc/sys/kernel/hostname", 4096));
  if (info.hostname.empty()) info.hostname = first_line(host.read_file("/etc/hostname", 4096));
  if (info.hostname.empty()) info.hostname = "unknown";
  auto osr = host.read_file("/etc/os-release", 65536);
  if (!osr) osr = host.read_file("/usr/lib/os-release", 65536);
  info.os = osr ? os_pretty_name(*osr) : "unknown";
  info.container_optimized_os = osr && is_container_optimized_os(*osr);
  info.virtualization = detect_virtualization(host);
  if (host.is_live()) {
    auto fib = host.read_file("/proc/net/fib_trie");
    auto v6 = host.read_file("/proc/net/if_inet6");
    info.addresses = parse_local_addresses(fib ? *fib : "", v6 ? *v6 : "");
  }
  if (host.is_live()) info.kernel = first_line(host.read_file("/proc/sys/kernel/osrelease", 4096));
  if (info.kernel.empty()) info.kernel = host.is_live() ? "unknown" : "unknown (offline root)";
  return info;
}

std::string current_user() {
  uid_t uid = ::geteuid();
  struct passwd pw {};
  struct passwd* res = nullptr;
  char buf[4096];
  std::string name;
  if (::getpwuid_r(uid, &pw, buf, sizeof buf, &res) == 0 && res != nullptr) name = res->pw_name;
  return name.empty() ? std::to_string(uid) : name + "(" + std::to_string(uid) + ")";
}

}  // namespace hb
