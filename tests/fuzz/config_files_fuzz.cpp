// Line-oriented configuration files, each parser on the same text: the four key/value dialects
// (sshd_config, login.defs, key = value, key value), sysctl.d, modprobe.d, pam.d, /etc/shadow,
// /etc/passwd and /etc/group, AppArmor's profile list and /etc/selinux/config. Then sshd_config
// with Include (glob expansion, nesting, Match) over an in-memory /etc/ssh: the input's parts
// (separated by "\0\0") are sshd_config and sshd_config.d/a.conf, b.conf.
#include <cstddef>
#include <cstdint>
#include <map>

#include "checks/keyvalue_file.hpp"
#include "checks/mac_sources.hpp"
#include "checks/modprobe_config.hpp"
#include "checks/pam_config.hpp"
#include "checks/shadow.hpp"
#include "checks/sysctl_config.hpp"
#include "engine/accounts.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = hb::fuzz::as_text(data, size);
  for (auto d : {hb::KeyValueDialect::sshd, hb::KeyValueDialect::login_defs,
                 hb::KeyValueDialect::equals, hb::KeyValueDialect::whitespace})
    (void)hb::parse_keyvalue_text(text, d, "/fuzz/config");

  hb::SysctlFile sysctl{"/etc/sysctl.d/fuzz.conf", hb::parse_sysctl_text(text)};
  auto config = hb::build_sysctl_config({sysctl, sysctl});
  (void)hb::find_sysctl(config, "net/ipv4/ip_forward");

  auto modprobe = hb::parse_modprobe_conf(text);
  for (const auto& d : modprobe) (void)hb::install_disables(d.command);

  for (const auto& line : hb::parse_pam_config(text)) {
    (void)line.text();
    (void)line.module_name();
  }
  (void)hb::parse_shadow(text);
  (void)hb::parse_passwd(text);
  (void)hb::parse_group(text);
  (void)hb::parse_apparmor_profiles(text).describe();
  (void)hb::parse_selinux_config(text);

  const auto parts = hb::fuzz::split_parts(data, size, 3);
  std::map<std::string, std::string> files;
  const char* names[] = {"/etc/ssh/sshd_config", "/etc/ssh/sshd_config.d/a.conf",
                         "/etc/ssh/sshd_config.d/b.conf"};
  for (std::size_t i = 0; i < parts.size(); ++i) files[names[i]] = std::string(parts[i]);
  const hb::fuzz::MemoryHost host(std::move(files));
  if (auto sshd = hb::load_keyvalue_config(host, names[0], hb::KeyValueDialect::sshd))
    for (const char* key : {"PermitRootLogin", "AllowUsers", "Port"})
      (void)hb::find_setting(*sshd, hb::KeyValueDialect::sshd, key);
  return 0;
}
