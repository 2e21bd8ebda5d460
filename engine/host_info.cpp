#include "engine/host_info.hpp"

#include <pwd.h>
#include <unistd.h>

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

std::string os_pretty_name(const std::string& text) {
  std::map<std::string, std::string> kv;
  for (auto line : split_lines(text)) {
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    auto eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    kv[std::string(line.substr(0, eq))] = unquote(line.substr(eq + 1));
  }
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
