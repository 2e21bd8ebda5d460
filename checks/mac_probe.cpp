#include "checks/mac_probe.hpp"

#include <string>

#include "checks/mac_sources.hpp"
#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

enum class Framework { selinux, apparmor, any };

constexpr std::string_view k_selinuxfs = "/sys/fs/selinux";
constexpr std::string_view k_selinux_enforce = "/sys/fs/selinux/enforce";
constexpr std::string_view k_selinux_config = "/etc/selinux/config";
constexpr std::string_view k_apparmor_module = "/sys/module/apparmor";
constexpr std::string_view k_apparmor_enabled = "/sys/module/apparmor/parameters/enabled";
constexpr std::string_view k_apparmor_profiles = "/sys/kernel/security/apparmor/profiles";

struct Observation {
  Status status = Status::error;
  std::string evidence;
};

// Why a framework's directory is missing: the kernel lacks it, or the root has no running
// kernel at all (an offline image without /sys).
std::string absent(const HostView& host, std::string_view framework, std::string_view path) {
  if (!host.exists("/sys/kernel"))
    return std::string(framework) + ": no running kernel to observe (no /sys/kernel in the root)";
  return std::string(framework) + ": not in the running kernel (no " + std::string(path) + ")";
}

Observation observe_selinux(const HostView& host) {
  auto fs = host.lstat(k_selinuxfs);
  if (!fs && fs.kind() == ErrorKind::not_found)
    return {Status::notapplicable, absent(host, "SELinux", k_selinuxfs)};
  if (!fs) return {Status::error, "SELinux: " + printable(fs.message())};

  auto enforce = host.read_file(k_selinux_enforce, 64);
  if (!enforce)
    return {Status::error,
            "SELinux: cannot read the running mode: " + printable(enforce.message())};
  std::string_view e = trim(*enforce);
  if (e != "0" && e != "1")
    return {Status::error, "SELinux: unexpected " + std::string(k_selinux_enforce) + " content '" +
                               printable(e, 40) + "'"};
  const bool running = e == "1";
  std::string text = std::string("SELinux: running ") + (running ? "enforcing" : "permissive") +
                     " (" + std::string(k_selinux_enforce) + " = " + std::string(e) + ")";

  bool configured = false;
  auto config = host.read_file(k_selinux_config);
  if (!config && config.kind() == ErrorKind::not_found) {
    text += "; not configured: no " + std::string(k_selinux_config);
  } else if (!config) {
    return {Status::error, text + "; cannot read " + printable(config.message())};
  } else {
    SelinuxConfig c = parse_selinux_config(*config);
    if (!c.mode) {
      text += "; configured: no SELINUX= line in " + std::string(k_selinux_config);
    } else {
      configured = *c.mode == SelinuxMode::enforcing;
      text += "; configured SELINUX=" + printable(c.value, 60) + " (" +
              std::string(k_selinux_config) + ":" + std::to_string(c.line) + ")";
      if (!configured) text += ": the next boot is not enforcing";
    }
  }
  return {running && configured ? Status::pass : Status::fail, std::move(text)};
}

Observation observe_apparmor(const HostView& host) {
  auto mod = host.lstat(k_apparmor_module);
  if (!mod && mod.kind() == ErrorKind::not_found)
    return {Status::notapplicable, absent(host, "AppArmor", k_apparmor_module)};
  if (!mod) return {Status::error, "AppArmor: " + printable(mod.message())};

  auto enabled = host.read_file(k_apparmor_enabled, 64);
  if (!enabled)
    return {Status::error,
            "AppArmor: cannot tell whether it is enabled: " + printable(enabled.message())};
  std::string_view en = trim(*enabled);
  std::string text = "AppArmor: " + std::string(k_apparmor_enabled) + " = " + printable(en, 20);
  if (en == "N")
    return {Status::fail, text +
                              ": disabled (booted with apparmor=0, or another major LSM "
                              "is active)"};
  if (en != "Y") return {Status::error, text + ": expected Y or N"};

  auto profiles = host.read_file(k_apparmor_profiles);
  if (!profiles)
    return {Status::error,
            text + "; cannot read the loaded profiles: " + printable(profiles.message()) +
                " (is securityfs mounted on /sys/kernel/security?)"};
  AppArmorProfiles p = parse_apparmor_profiles(*profiles);
  text += "; " + p.describe() + " (" + std::string(k_apparmor_profiles) + ")";
  if (p.malformed) text += "; " + std::to_string(p.malformed) + " unreadable lines";
  if (p.enforcing() == 0) return {Status::fail, text + "; no profile in enforce mode"};
  return {Status::pass, std::move(text)};
}

class MacProbe final : public Probe {
 public:
  explicit MacProbe(Framework f) : framework_(f) {}

  Outcome evaluate(const ProbeContext& ctx) const override {
    if (framework_ == Framework::selinux) return single(observe_selinux(ctx.host));
    if (framework_ == Framework::apparmor) return single(observe_apparmor(ctx.host));

    auto sys = ctx.host.lstat("/sys/kernel");
    // An offline image has no running kernel: like the mount and disk probes, nothing to judge.
    if (!sys && sys.kind() == ErrorKind::not_found)
      return Outcome::make(Status::notapplicable,
                           "no running kernel to observe: no /sys/kernel in the root (an offline "
                           "image)");
    if (!sys) return Outcome::make(Status::error, "/sys/kernel: " + printable(sys.message()));
    Observation se = observe_selinux(ctx.host);
    Observation aa = observe_apparmor(ctx.host);
    Outcome o;
    if (se.status == Status::pass || aa.status == Status::pass)
      o.status = Status::pass;
    else if (se.status == Status::error || aa.status == Status::error)
      o.status = Status::error;
    else
      o.status = Status::fail;
    if (o.status == Status::fail)
      o.evidence.push_back("neither SELinux nor AppArmor enforces a policy on this host");
    o.evidence.push_back(std::move(se.evidence));
    o.evidence.push_back(std::move(aa.evidence));
    return o;
  }

 private:
  static Outcome single(Observation obs) {
    return Outcome::make(obs.status, std::move(obs.evidence));
  }

  Framework framework_;
};

}  // namespace

std::unique_ptr<Probe> parse_mac_probe(const Params& params) {
  std::string word = params.choice("framework", {"selinux", "apparmor", "any"}, "any");
  Framework f = word == "selinux"    ? Framework::selinux
                : word == "apparmor" ? Framework::apparmor
                                     : Framework::any;
  return std::make_unique<MacProbe>(f);
}

}  // namespace hb
