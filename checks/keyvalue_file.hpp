// KeyValueFile: the settings of a key/value configuration file, read the way the program that
// owns the file reads it. Four dialects:
//
//   sshd        sshd_config(5) of OpenSSH 9.2: case-insensitive keywords, "Key value" or
//               "Key=value", '#' comments, quoted arguments, FIRST value wins (AllowUsers,
//               DenyUsers, AllowGroups, DenyGroups, AcceptEnv, HostKey, HostCertificate,
//               ListenAddress and Port accumulate, as in sshd), `Include` expanded in place
//               (globs sorted, relative paths under /etc/ssh, 16 levels at most), `Match`
//               blocks set aside (they apply per connection; `Match all` returns to global).
//   login_defs  login.defs(5) as shadow's getdef.c reads it: "KEY value", case-sensitive,
//               LAST value wins, quotes dropped.
//   equals      "key = value", '#' and ';' comments, "[Section]" headers, LAST value wins,
//               one pair of surrounding quotes dropped (/etc/default/*, systemd *.conf).
//   whitespace  "key value", '#' comments, LAST value wins.
//
// parse_keyvalue_text is a pure function of one file's text (the fuzzing target);
// load_keyvalue_config reads a file and its includes through a HostView.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expected.hpp"
#include "engine/host_view.hpp"

namespace hb {

enum class KeyValueDialect { sshd, login_defs, equals, whitespace };
std::string_view to_string(KeyValueDialect d);
std::optional<KeyValueDialect> parse_keyvalue_dialect(std::string_view s);

// One meaningful line of one file.
struct KeyValueLine {
  enum class Kind { setting, include, match, section };
  Kind kind = Kind::setting;
  int line = 0;                   // 1-based
  std::string key;                // setting: the key as written; section: the section's name
  std::string value;              // setting: unquoted, blanks normalised (sshd, whitespace)
  std::vector<std::string> args;  // include: the paths or globs, unquoted
  bool match_all = false;         // match: "Match all", after which lines are global again
};

// Parses one file's text. Only the sshd dialect can fail (unbalanced quotes, a keyword without
// an argument, an empty Include argument: sshd refuses to start on those); the message is
// "file:line: why", kind parse. The other dialects skip what their program skips.
Expected<std::vector<KeyValueLine>> parse_keyvalue_text(std::string_view text,
                                                        KeyValueDialect dialect,
                                                        std::string_view file);

struct KeyValueLocation {
  std::string file;
  int line = 0;
};

// A global assignment after Includes are expanded and Match blocks set aside, in reading order.
struct KeyValueAssignment {
  std::string key;
  std::string value;
  std::string section;  // equals: the "[Section]" it appeared under ("" before any header)
  KeyValueLocation where;
};

struct KeyValueConfig {
  std::string path;
  bool missing = false;            // the main file does not exist (no other field is set)
  std::vector<std::string> files;  // every file read, the main file first
  std::vector<KeyValueAssignment> assignments;
};

inline constexpr int k_sshd_max_include_depth = 16;  // SERVCONF_MAX_DEPTH
inline constexpr int k_max_included_files = 1024;    // our bound on includes in one load

// Reads `path` (and, for sshd, what it includes) through `host`. A missing main file is not an
// error (missing is set); an unreadable file, a too-deep Include or a parse error is.
Expected<KeyValueConfig> load_keyvalue_config(const HostView& host, const std::string& path,
                                              KeyValueDialect dialect);

// The effective value of a key: sshd's first assignment (or all of them, joined by a space, for
// the accumulating keywords), the others' last; `section` restricts the equals dialect to one
// "[Section]". nullopt when the key is not set.
struct KeyValueSetting {
  std::string key;  // as written where it was (first) set
  std::string value;
  std::vector<KeyValueLocation> where;
};
std::optional<KeyValueSetting> find_setting(const KeyValueConfig& config, KeyValueDialect dialect,
                                            std::string_view key,
                                            const std::optional<std::string>& section = {});

// Expands an absolute glob on the host as glob(3) without flags: results sorted, wildcards do
// not match a leading '.', a pattern without wildcards stands for itself when it exists.
// Directories that do not exist are skipped; one that cannot be listed is an error.
Expected<std::vector<std::string>> expand_host_glob(const HostView& host, std::string_view pattern);

}  // namespace hb
