// SysctlConfig: the kernel parameters a host's sysctl configuration sets at boot, as
// systemd-sysctl (systemd 252, Debian 12) resolves them.
//
// Files: *.conf in /etc/sysctl.d, /run/sysctl.d, /usr/local/lib/sysctl.d, /usr/lib/sysctl.d,
// /lib/sysctl.d; a name found in an earlier directory hides the same name in later ones (a
// symlink to /dev/null masks it); the survivors are applied sorted by file name; then
// /etc/sysctl.conf, which procps `sysctl --system` reads last. A file reached twice (Debian's
// /etc/sysctl.d/99-sysctl.conf -> ../sysctl.conf) counts once, as /etc/sysctl.conf.
//
// Lines: "key = value"; '#' and ';' start comments; a leading '-' on the key (ignore errors) is
// dropped; "-key" alone excludes the key from glob assignments. Keys use '.' or '/' and are
// normalised to /proc/sys paths ("net/ipv4/ip_forward"); keys may be globs.
//
// Which assignment decides a key (systemd's rules): the last assignment of exactly that key,
// else the glob assignment that systemd applies last among those matching it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expected.hpp"
#include "engine/host_view.hpp"

namespace hb {

// systemd's sysctl_normalize: when the first separator is '.', dots and slashes swap
// ("net.ipv4.conf.eth0/1.rp_filter" -> "net/ipv4/conf/eth0.1/rp_filter"); slashes are
// simplified and a leading one dropped.
std::string sysctl_normalize(std::string_view key);

// One assignment line of one file.
struct SysctlLine {
  int line = 0;
  std::string key;                   // normalised
  std::optional<std::string> value;  // nullopt: "-key", an exclusion from globs
  bool ignore_failure = false;       // the key had a leading '-'
};

// Parses one file's text; lines that are not assignments are skipped, as systemd does. Pure.
std::vector<SysctlLine> parse_sysctl_text(std::string_view text);

struct SysctlOption {
  std::string key;  // normalised
  std::optional<std::string> value;
  std::string file;
  int line = 0;
  bool glob = false;
};

struct SysctlConfig {
  std::vector<std::string> files;     // in the order applied
  std::vector<SysctlOption> options;  // one per distinct key, in systemd's application order
};

struct SysctlFile {
  std::string path;
  std::vector<SysctlLine> lines;
};

// Folds parsed files (in application order) into options exactly as systemd's parse_file fills
// its ordered hashmap: a new value for a key moves the key to the end, the same value does not.
SysctlConfig build_sysctl_config(const std::vector<SysctlFile>& files);

inline constexpr std::string_view k_sysctl_dirs[] = {"/etc/sysctl.d", "/run/sysctl.d",
                                                     "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d",
                                                     "/lib/sysctl.d"};
inline constexpr std::string_view k_sysctl_conf = "/etc/sysctl.conf";

// Reads the whole configuration through `host`. A file that cannot be read (other than a
// dangling symlink, which systemd skips) is an error: the configured values would be unknown.
Expected<SysctlConfig> load_sysctl_config(const HostView& host);

// The option that sets `key` (normalised, no glob) at boot, or nullopt when none does.
std::optional<SysctlOption> find_sysctl(const SysctlConfig& config, std::string_view key);

}  // namespace hb
