// ModuleInventory: which kernel modules a host has, loaded and installed.
//
//   running kernel  /proc/modules ("name size refcount deps state address", one module a line;
//                   absent on a kernel built without loadable module support) and
//                   /proc/filesystems ("nodev\tsysfs", "\text4": the filesystems the kernel can
//                   mount now, built in or loaded). Neither exists in an offline image.
//   installed       every /lib/modules/VERSION directory that holds modules.dep, modules.builtin
//                   or kernel/: its module files from modules.dep ("kernel/fs/cramfs/cramfs.ko.xz:
//                   deps"), or, without modules.dep, from a bounded walk of the directory; its
//                   built-in modules from modules.builtin ("kernel/fs/ext4/ext4.ko").
//
// Module names are normalised with '-' as '_' (usb-storage.ko is usb_storage). The parsers are
// pure functions (the fuzzing targets); load_module_inventory reads everything once per scan
// (facts key "kernel.modules").
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expected.hpp"

namespace hb {

class Facts;
class HostView;

// "kernel/fs/cramfs/cramfs.ko.xz" -> "cramfs"; "" when the path is not a module file
// (.ko, .ko.xz, .ko.zst, .ko.gz).
std::string module_name_of(std::string_view path);

// /proc/modules: the names, normalised, with their line numbers.
std::map<std::string, int> parse_proc_modules(std::string_view text);
// modules.dep, modules.builtin, modules.order: module name -> (path, line) of its first line.
struct ModuleFile {
  std::string path;
  int line = 0;
};
std::map<std::string, ModuleFile> parse_module_list(std::string_view text);
// /proc/filesystems: the filesystem type names.
std::set<std::string> parse_proc_filesystems(std::string_view text);

struct InstalledKernel {
  std::string version;                        // the directory's name: "6.1.0-28-amd64"
  std::string source;                         // "modules.dep" or "a walk of the directory"
  std::map<std::string, ModuleFile> modules;  // loadable module files
  std::map<std::string, ModuleFile> builtin;  // from modules.builtin
};

struct RunningKernel {
  bool have_modules = false;      // /proc/modules was read
  bool have_filesystems = false;  // /proc/filesystems was read
  std::map<std::string, int> loaded;
  std::set<std::string> filesystems;
  bool observable() const { return have_modules || have_filesystems; }
};

struct ModuleInventory {
  std::vector<InstalledKernel> kernels;  // sorted by version directory name
  RunningKernel running;
};

inline constexpr std::string_view k_modules_dir = "/lib/modules";
inline constexpr std::size_t k_max_module_lines = 200000;  // per file; past it: an error
inline constexpr std::size_t k_max_walk_entries = 200000;  // per kernel directory walk

// Reads it all through `host`. Unreadable sources (other than missing ones) and oversized lists
// are Errors: what they would say is unknown.
Expected<ModuleInventory> load_module_inventory(const HostView& host);
std::shared_ptr<const Expected<ModuleInventory>> module_inventory(const HostView& host,
                                                                  Facts& facts);

}  // namespace hb
