#include "checks/kernel_module_probe.hpp"

#include <string>
#include <vector>

#include "checks/modprobe_config.hpp"
#include "checks/module_inventory.hpp"
#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

constexpr std::size_t k_max_module_name = 55;  // MODULE_NAME_LEN - 1 - sizeof(unsigned long)
constexpr std::size_t k_max_listed_kernels = 3;

std::string location(const ModprobeEntry& e) {
  return printable(e.file) + ":" + std::to_string(e.directive.line);
}

class KernelModuleProbe final : public Probe {
 public:
  KernelModuleProbe(std::string shown, std::string name, std::string filesystem)
      : shown_(std::move(shown)), name_(std::move(name)), filesystem_(std::move(filesystem)) {}

  Outcome evaluate(const ProbeContext& ctx) const override {
    auto inv = module_inventory(ctx.host, ctx.facts);
    if (!inv->ok())
      return Outcome::make(Status::error, shown_ + ": cannot read the kernel modules: " +
                                              printable(inv->message(), 400));
    auto cfg = ctx.facts.get<ModprobeConfig>("modprobe.config",
                                             [&] { return load_modprobe_config(ctx.host); });
    if (!cfg->ok())
      return Outcome::make(Status::error, shown_ + ": cannot read the modprobe configuration: " +
                                              printable(cfg->message(), 400));
    const ModuleInventory& modules = inv->value();
    const RunningKernel& running = modules.running;
    std::vector<std::string> details;

    // The running kernel.
    bool loaded = false;
    if (running.have_modules) {
      auto it = running.loaded.find(name_);
      loaded = it != running.loaded.end();
      details.push_back(loaded ? "loaded now (/proc/modules:" + std::to_string(it->second) + ")"
                               : "not loaded (/proc/modules)");
    } else if (running.have_filesystems) {
      details.push_back("the running kernel has no loadable module support (no /proc/modules)");
    } else {
      details.push_back(
          "the running kernel is not observable (no /proc/modules in the root): "
          "whether it is loaded was not checked");
    }

    // Built in: modprobe.d cannot keep out what the kernel already contains.
    std::vector<std::string> builtin;
    if (!loaded && running.have_filesystems && running.filesystems.count(filesystem_))
      builtin.push_back("the running kernel (" + printable(filesystem_) + " in /proc/filesystems)");
    if (!loaded && running.observable() && ctx.host.exists("/sys/module/" + name_) &&
        builtin.empty())
      builtin.push_back("the running kernel (/sys/module/" + name_ +
                        " exists, /proc/modules does not list it)");
    for (const auto& k : modules.kernels) {
      auto it = k.builtin.find(name_);
      if (it != k.builtin.end())
        builtin.push_back(printable(k.version) + " (" + std::string(k_modules_dir) + "/" +
                          printable(k.version) +
                          "/modules.builtin:" + std::to_string(it->second.line) + ")");
    }

    // modprobe.d.
    const ModprobeConfig& config = cfg->value();
    const ModprobeEntry* install = find_install(config, name_);
    const bool install_ok = install && install_disables(install->directive.command);
    if (install)
      details.push_back("`" + printable(install->directive.text) + "` at " + location(*install) +
                        (install_ok ? "" : ": this command does not keep it out"));
    else
      details.push_back("no install line for " + shown_ + " in modprobe.d");
    auto blacklists = find_blacklists(config, name_);
    if (!blacklists.empty())
      details.push_back("`" + printable(blacklists.front()->directive.text) + "` at " +
                        location(*blacklists.front()));
    else
      details.push_back("no blacklist line for " + shown_ + " in modprobe.d");

    // Installed kernels.
    std::vector<std::string> available, versions;
    for (const auto& k : modules.kernels) {
      versions.push_back(printable(k.version));
      auto it = k.modules.find(name_);
      if (it == k.modules.end()) continue;
      std::string where = std::string(k_modules_dir) + "/" + printable(k.version) + "/" +
                          printable(it->second.path);
      if (it->second.line) where += " (modules.dep:" + std::to_string(it->second.line) + ")";
      available.push_back(std::move(where));
    }
    if (!available.empty()) {
      std::string s = "available: ";
      for (std::size_t i = 0; i < available.size() && i < k_max_listed_kernels; ++i)
        s += (i ? ", " : "") + available[i];
      if (available.size() > k_max_listed_kernels) s += " ...";
      details.push_back(std::move(s));
    } else if (!versions.empty()) {
      std::string s = "no " + shown_ + " module file in " + std::string(k_modules_dir) + "/{";
      for (std::size_t i = 0; i < versions.size(); ++i) s += (i ? ", " : "") + versions[i];
      details.push_back(s + "}");
    } else {
      details.push_back("no installed kernel under " + std::string(k_modules_dir));
    }

    Status status = Status::fail;
    std::string summary;
    if (loaded) {
      summary = shown_ + " is loaded";
    } else if (!builtin.empty()) {
      summary = shown_ + " is built into ";
      for (std::size_t i = 0; i < builtin.size(); ++i) summary += (i ? ", " : "") + builtin[i];
      summary += ": modprobe.d cannot keep a built-in module out";
    } else if (install_ok && !blacklists.empty()) {
      status = Status::pass;
      summary = shown_ + " is kept out by modprobe.d";
    } else if (available.empty() && !modules.kernels.empty()) {
      status = Status::pass;
      summary = shown_ + " is not available on this host";
    } else if (modules.kernels.empty() && running.have_filesystems && !running.have_modules) {
      status = Status::pass;
      summary = shown_ +
                " is not available on this host: the running kernel cannot load "
                "modules and does not have it built in";
    } else {
      summary = shown_ +
                (available.empty() ? " is not shown to be unavailable" : " can be loaded") +
                ", and modprobe.d does not keep it out (it needs both `install " + shown_ +
                " /bin/false` and `blacklist " + shown_ + "`)";
    }
    Outcome out = Outcome::make(status, std::move(summary));
    for (auto& d : details) out.evidence.push_back(std::move(d));
    return out;
  }

 private:
  std::string shown_;       // as the profile wrote it: "usb-storage"
  std::string name_;        // normalised: "usb_storage"
  std::string filesystem_;  // the name it registers in /proc/filesystems, if a filesystem
};

bool valid_module_name(const std::string& s) {
  if (s.empty() || s.size() > k_max_module_name) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-'))
      return false;
  return true;
}

}  // namespace

std::unique_ptr<Probe> parse_kernel_module_probe(const Params& params) {
  std::string module = params.string("module");
  if (!valid_module_name(module))
    params.fail("module",
                "'" + module + "' is not a kernel module name (letters, digits, '_', '-')");
  std::string expect = params.string("expect");
  if (expect != "disabled") params.fail("expect", "'" + expect + "' is not one of: disabled");
  std::string filesystem = params.opt_string("filesystem").value_or(module);
  if (!valid_module_name(filesystem))
    params.fail("filesystem", "'" + filesystem + "' is not a filesystem type name");
  std::string name = module_underscores(module);
  return std::make_unique<KernelModuleProbe>(std::move(module), std::move(name),
                                             std::move(filesystem));
}

}  // namespace hb
