#include "checks/module_inventory.hpp"

#include <utility>

#include "checks/modprobe_config.hpp"
#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

std::string module_name_of(std::string_view path) {
  std::string_view base = path;
  if (auto slash = base.rfind('/'); slash != std::string_view::npos) base.remove_prefix(slash + 1);
  for (std::string_view suffix : {".ko", ".ko.xz", ".ko.zst", ".ko.gz"}) {
    if (base.size() > suffix.size() && base.ends_with(suffix)) {
      std::string_view name = base.substr(0, base.size() - suffix.size());
      if (name.find_first_of(" \t:") != std::string_view::npos) return "";
      return module_underscores(name);
    }
  }
  return "";
}

std::map<std::string, int> parse_proc_modules(std::string_view text) {
  std::map<std::string, int> out;
  int lineno = 0;
  for (std::string_view line : split_lines(text)) {
    ++lineno;
    if (out.size() >= k_max_module_lines) break;
    auto f = split_ws(trim(line));
    if (f.empty()) continue;
    out.emplace(module_underscores(f[0]), lineno);
  }
  return out;
}

std::map<std::string, ModuleFile> parse_module_list(std::string_view text) {
  std::map<std::string, ModuleFile> out;
  int lineno = 0;
  for (std::string_view line : split_lines(text)) {
    ++lineno;
    if (out.size() >= k_max_module_lines) break;
    std::string_view path = trim(line);
    if (auto colon = path.find(':'); colon != std::string_view::npos) path = path.substr(0, colon);
    path = trim(path);
    std::string name = module_name_of(path);
    if (name.empty()) continue;
    out.emplace(std::move(name), ModuleFile{std::string(path), lineno});
  }
  return out;
}

std::set<std::string> parse_proc_filesystems(std::string_view text) {
  std::set<std::string> out;
  for (std::string_view line : split_lines(text)) {
    if (out.size() >= k_max_module_lines) break;
    auto f = split_ws(trim(line));
    if (f.empty()) continue;
    out.emplace(f.back());  // "nodev sysfs" or "ext4"
  }
  return out;
}

namespace {

// Reads an optional file: nullopt-like empty result when missing, an Error when unreadable.
Expected<std::pair<bool, std::string>> read_optional(const HostView& host, const std::string& p) {
  auto text = host.read_file(p);
  if (text) return std::pair<bool, std::string>{true, std::move(text.value())};
  if (text.kind() == ErrorKind::not_found) return std::pair<bool, std::string>{false, {}};
  return text.error();
}

// Module files under a kernel directory without modules.dep, without recursion on the tree.
Expected<std::map<std::string, ModuleFile>> walk_modules(const HostView& host,
                                                         const std::string& dir) {
  std::map<std::string, ModuleFile> out;
  std::vector<std::pair<std::string, int>> pending = {{dir, 0}};
  std::size_t seen = 0;
  while (!pending.empty()) {
    auto [d, depth] = pending.back();
    pending.pop_back();
    auto entries = host.list_dir(d);
    if (!entries) {
      if (entries.kind() == ErrorKind::not_found) continue;
      return entries.error();
    }
    for (const auto& e : *entries) {
      if (++seen > k_max_walk_entries)
        return make_error(ErrorKind::too_large, dir + ": more than " +
                                                    std::to_string(k_max_walk_entries) +
                                                    " entries without a modules.dep");
      const std::string p = join_path(d, e.name);
      FileType type = e.type;
      if (type == FileType::unknown) {
        auto st = host.lstat(p);
        if (st) type = st->type;
      }
      if (type == FileType::directory) {
        if (depth < 16) pending.emplace_back(p, depth + 1);
        continue;
      }
      std::string name = module_name_of(e.name);
      if (!name.empty()) out.emplace(std::move(name), ModuleFile{p.substr(dir.size() + 1), 0});
    }
  }
  return out;
}

// These lists are written by the kernel or by depmod, never by hand: a line in any other shape
// (a hostile image's garbage) makes the whole list untrustworthy, and "module not found" judged
// from it would be a false pass. /proc/modules: "name size refcount deps state address";
// modules.dep and modules.builtin: a module file's path (then ": deps" in modules.dep).
Expected<Unit> check_list_lines(std::string_view text, const std::string& file, bool proc_modules) {
  int lineno = 0;
  for (std::string_view line : split_lines(text)) {
    ++lineno;
    if (trim(line).empty()) continue;
    bool good;
    if (proc_modules) {
      auto f = split_ws(trim(line));
      good = f.size() >= 3 && !f[1].empty() &&
             f[1].find_first_not_of("0123456789") == std::string_view::npos;
    } else {
      std::string_view path = trim(line.substr(0, line.find(':')));
      good = !module_name_of(path).empty();
    }
    if (!good)
      return make_error(ErrorKind::parse, file + ":" + std::to_string(lineno) +
                                              (proc_modules ? ": not a line of /proc/modules (name size refcount ...)"
                                                            : ": not a kernel module path"));
  }
  return Unit{};
}

}  // namespace

Expected<ModuleInventory> load_module_inventory(const HostView& host) {
  ModuleInventory inv;
  auto modules = read_optional(host, "/proc/modules");
  if (!modules) return modules.error();
  if (modules->first) {
    if (auto ok = check_list_lines(modules->second, "/proc/modules", true); !ok) return ok.error();
    inv.running.have_modules = true;
    inv.running.loaded = parse_proc_modules(modules->second);
  }
  auto fs = read_optional(host, "/proc/filesystems");
  if (!fs) return fs.error();
  if (fs->first) {
    inv.running.have_filesystems = true;
    inv.running.filesystems = parse_proc_filesystems(fs->second);
  }

  auto versions = host.list_dir(k_modules_dir);
  if (!versions) {
    if (versions.kind() == ErrorKind::not_found) return inv;
    return versions.error();
  }
  for (const auto& v : *versions) {
    const std::string dir = join_path(k_modules_dir, v.name);
    auto st = host.stat(dir);
    if (!st || st->type != FileType::directory) continue;
    InstalledKernel k;
    k.version = v.name;
    auto dep = read_optional(host, dir + "/modules.dep");
    if (!dep) return dep.error();
    auto builtin = read_optional(host, dir + "/modules.builtin");
    if (!builtin) return builtin.error();
    auto tree = host.stat(dir + "/kernel");
    const bool have_tree = tree && tree->type == FileType::directory;
    if (!dep->first && !builtin->first && !have_tree) continue;  // leftovers of a removed kernel
    if (dep->first)
      if (auto ok = check_list_lines(dep->second, dir + "/modules.dep", false); !ok) return ok.error();
    if (builtin->first)
      if (auto ok = check_list_lines(builtin->second, dir + "/modules.builtin", false); !ok)
        return ok.error();
    if (dep->first) {
      k.source = "modules.dep";
      k.modules = parse_module_list(dep->second);
    } else {
      k.source = "a walk of the directory (no modules.dep)";
      auto walked = walk_modules(host, dir);
      if (!walked) return walked.error();
      k.modules = std::move(walked.value());
    }
    if (builtin->first) k.builtin = parse_module_list(builtin->second);
    inv.kernels.push_back(std::move(k));
  }
  return inv;
}

std::shared_ptr<const Expected<ModuleInventory>> module_inventory(const HostView& host,
                                                                  Facts& facts) {
  return facts.get<ModuleInventory>("kernel.modules", [&] { return load_module_inventory(host); });
}

}  // namespace hb
