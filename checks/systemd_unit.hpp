// A systemd unit read from its files the way systemd reads them (systemd.unit(5),
// systemd.syntax(7), systemd.exec(5)), through a HostView so that --root works; nothing here runs
// systemctl or asks a running systemd.
//
//   - The unit file is the first one on the search path (/etc/systemd/system overrides /run, then
//     /usr/local/lib, /usr/lib and /lib). A symlink to /dev/null or an empty file there masks it.
//   - Drop-ins NAME.d/*.conf come from every directory of the path; a same-named drop-in in a
//     higher-priority directory replaces the lower one; they apply after the unit, by file name.
//   - A line ending in '\' continues on the next (the backslash becomes a blank; comment lines
//     inside a continuation are skipped); '#' and ';' start comments.
//   - A list setting (ExecStart=, EnvironmentFile=, ListenStream= ...) accumulates over the
//     files; an empty assignment resets it.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hb {

class HostView;

// systemd's unit search path for the system manager, highest priority first. With merged /usr,
// /lib/systemd/system is /usr/lib/systemd/system: readers skip a directory already seen (same
// device and inode).
inline constexpr std::string_view k_unit_search_path[] = {
    "/etc/systemd/system", "/run/systemd/system", "/usr/local/lib/systemd/system",
    "/usr/lib/systemd/system", "/lib/systemd/system"};

// One KEY=VALUE assignment of a unit file, key and value trimmed.
struct UnitDirective {
  std::string section;  // "Service"; "" before the first (or inside a malformed) section header
  std::string key;
  std::string value;
  std::string file;
  std::size_t line = 0;  // 1-based: where the assignment starts

  std::string where() const;  // "FILE:LINE", for evidence
};

// The assignments of one file's text, in order. Pure.
std::vector<UnitDirective> parse_unit_file(std::string_view text, const std::string& file);

struct LoadedUnit {
  std::string name;    // "docker.service"
  std::string main;    // the unit file that applies; "" when not installed or masked
  std::string masked;  // how it is masked ("PATH -> /dev/null", "PATH (empty)"), "" when not
  std::vector<std::string> files;         // main first, then the drop-ins; empty without main
  std::vector<UnitDirective> directives;  // of all files, in the order systemd applies them
  std::vector<std::string> notes;         // drop-in directories or files that could not be read

  // The assignments of one section, in order.
  std::vector<UnitDirective> section(std::string_view section_name) const;
  // The assignments a list setting ends with: in order, an empty one dropping those before it
  // (and itself).
  std::vector<UnitDirective> list(std::string_view section, std::string_view key) const;
};

// Never fails: what cannot be read becomes a note (a file that is no regular file, such as a
// drop-in linked to /dev/null, is skipped silently); a unit not on the path has no files.
LoadedUnit load_unit(const HostView& host, const std::string& name);

// A variable of the environment a unit gives its commands.
struct UnitEnvVar {
  std::string value;
  std::string origin;  // "UNIT:9 Environment DOCKER_OPTS", "/etc/default/docker:14 DOCKER_OPTS"
};

// The [Service] environment: the Environment= assignments in order (an empty Environment=
// resets them; a word that is not NAME=VALUE is a note), then the EnvironmentFile= files (a list
// setting; '-' before the path: a missing file is no error), which override Environment=
// (systemd.exec(5)). Files that cannot be read are notes. `loaded` receives the paths read.
std::map<std::string, UnitEnvVar> unit_environment(const HostView& host, const LoadedUnit& unit,
                                                   std::vector<std::string>& notes,
                                                   std::vector<std::string>* loaded = nullptr);

// An ExecStart= (ExecStop= ...) value as the command's words: the prefixes - @ + ! : | are
// dropped, and after '@' the executable's path too, so that the first word is argv[0].
std::vector<std::string> exec_command_words(std::string_view value);

// systemd's splitting of an ExecStart= or Environment= value into words: blanks separate words,
// '...' and "..." quote (also inside a word), C escapes (\n, \t, \s ...), %% is '%'. At most
// 4096 words.
std::vector<std::string> split_unit_words(std::string_view value);
// systemd's expansion of ExecStart= words: a word that is exactly $NAME becomes the variable's
// value split into words (none when unset); ${NAME} anywhere is replaced by the value as it is;
// $$ is '$'. `used` receives the names referenced.
std::vector<std::string> expand_exec_words(const std::vector<std::string>& words,
                                           const std::map<std::string, std::string>& env,
                                           std::vector<std::string>* used = nullptr);
// An EnvironmentFile= as systemd reads it: KEY=VALUE lines, '#' and ';' comments, '...' and
// "..." quotes, backslash continuations, trailing blanks of unquoted values dropped; later
// assignments win. Lines whose name is not a valid variable name ("export FOO=1") are skipped
// with a note. Values keep their line number (1-based) for evidence.
struct EnvValue {
  std::string value;
  std::size_t line = 0;
};
std::map<std::string, EnvValue> parse_environment_file(std::string_view text,
                                                       std::vector<std::string>& notes);

}  // namespace hb
