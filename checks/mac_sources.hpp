// The sources that say whether a mandatory access control framework protects a host:
//
//   AppArmor  /sys/module/apparmor/parameters/enabled ("Y" or "N") and the loaded profiles in
//             /sys/kernel/security/apparmor/profiles, one "NAME (MODE)" per line, MODE being
//             enforce, complain, kill, unconfined (newer kernels add others, counted as such).
//             A NAME may hold blanks and parentheses: the mode is the last "(...)" of the line.
//   SELinux   /sys/fs/selinux/enforce ("1" or "0") and /etc/selinux/config, read as libselinux's
//             selinux_getenforcemode() reads it: the FIRST line that starts with "SELINUX=" (at
//             column 0) whose value begins (case-insensitively) with enforcing, permissive or
//             disabled decides; lines with any other value are skipped.
//
// Pure parsers (the fuzzing targets); the mac probe reads the files through the HostView.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace hb {

struct AppArmorProfiles {
  std::map<std::string, int> by_mode;  // "enforce" -> 30, "complain" -> 4 ...
  int total = 0;
  int malformed = 0;  // non-blank lines without a "(MODE)" at the end
  // Profiles that confine (enforce or kill: kill is enforce that also kills the offender).
  int enforcing() const;
  // "36 profiles: 30 enforce, 6 complain" (modes sorted by name; "no profiles loaded").
  std::string describe() const;
};

AppArmorProfiles parse_apparmor_profiles(std::string_view text);

enum class SelinuxMode { enforcing, permissive, disabled, unknown };
std::string_view to_string(SelinuxMode m);

struct SelinuxConfig {
  std::optional<SelinuxMode> mode;  // nullopt: no SELINUX= line; unknown: none with a known value
  std::string value;                // the value as written (for evidence)
  int line = 0;                     // of the deciding SELINUX= line
};

SelinuxConfig parse_selinux_config(std::string_view text);

}  // namespace hb
