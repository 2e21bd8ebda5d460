// ModprobeConfig: the `install` and `blacklist` directives of a host's modprobe configuration,
// as kmod 30 (Debian 12) reads it.
//
// Files: every "*.conf" (and "*.alias") not starting with '.' in /etc/modprobe.d,
// /run/modprobe.d, /usr/local/lib/modprobe.d, /usr/lib/modprobe.d, /lib/modprobe.d; a name
// found in an earlier directory hides the same name in later ones (a link to /dev/null masks
// it); the survivors are read sorted by file name.
//
// Lines: a line ending in '\' continues on the next; a line starting with '#' is a comment;
// words are separated by blanks. `install MODULE COMMAND...` and `blacklist MODULE`; module
// names are normalised as kmod's underscores() does ('-' becomes '_' outside [...]), so
// usb-storage and usb_storage are one module. Other directives are not kept.
//
// Which directive counts (kmod's rules): the FIRST install line whose MODULE (an fnmatch
// pattern) matches the module; any blacklist line naming it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/expected.hpp"

namespace hb {

class HostView;

// kmod's underscores(): '-' -> '_' except inside a [...] bracket expression.
std::string module_underscores(std::string_view name);

struct ModprobeDirective {
  enum class Kind { install, blacklist };
  Kind kind = Kind::blacklist;
  int line = 0;         // 1-based, the first line of a continued line
  std::string module;   // normalised; install: may be a glob
  std::string command;  // install: the command, trimmed
  std::string text;     // the directive as written (continuations joined, blanks trimmed)
};

// Parses one file's text. Lines kmod would reject (a directive without its arguments) are
// skipped, as kmod skips them. Pure.
std::vector<ModprobeDirective> parse_modprobe_conf(std::string_view text);

struct ModprobeEntry {
  std::string file;
  ModprobeDirective directive;
};

struct ModprobeConfig {
  std::vector<std::string> files;      // in the order read
  std::vector<ModprobeEntry> entries;  // in reading order
};

inline constexpr std::string_view k_modprobe_dirs[] = {"/etc/modprobe.d", "/run/modprobe.d",
                                                       "/usr/local/lib/modprobe.d",
                                                       "/usr/lib/modprobe.d", "/lib/modprobe.d"};

// Reads the configuration through `host`. A file that exists but cannot be read is an Error
// (what it says would be unknown); a dangling link or a mask is skipped, as kmod skips it.
Expected<ModprobeConfig> load_modprobe_config(const HostView& host);

// kmod's choice of install command for `module` (normalised), or null.
const ModprobeEntry* find_install(const ModprobeConfig& config, std::string_view module);
// Every blacklist line naming `module` (normalised), in reading order.
std::vector<const ModprobeEntry*> find_blacklists(const ModprobeConfig& config,
                                                  std::string_view module);

// Whether an install command keeps the module out: exactly /bin/false, /bin/true,
// /usr/bin/false or /usr/bin/true (anything more could still load it).
bool install_disables(std::string_view command);

}  // namespace hb
