#include "checks/sysctl_probe.hpp"

#include "checks/sysctl_config.hpp"
#include "engine/expectation.hpp"
#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

enum class Scope { both, running, configured };

// Multi-field parameters (tcp_rmem) read back tab-separated from /proc but are written with
// spaces in configuration files: compare them with blanks normalised to single spaces.
std::string normalise_blanks(std::string_view s) {
  std::string out;
  for (std::string_view w : split_ws(trim(s))) out += (out.empty() ? "" : " ") + std::string(w);
  return out;
}

// One side (running or configured) of the verdict.
struct Side {
  Status status = Status::pass;
  std::string text;
  bool judged = false;  // a value (or its absence) was tested against the expectation
};

class SysctlProbe final : public Probe {
 public:
  SysctlProbe(std::string key, std::string normalised, Scope scope, Expectation expect)
      : key_(std::move(key)),
        path_key_(std::move(normalised)),
        scope_(scope),
        expect_(std::move(expect)) {}

  Outcome evaluate(const ProbeContext& ctx) const override {
    std::vector<Side> sides;
    bool running_observable = false;
    if (scope_ != Scope::configured) {
      auto proc = ctx.host.stat("/proc/sys");
      if (!proc && proc.kind() == ErrorKind::not_found) {
        const std::string why = "running value not observable (no /proc/sys in root)";
        if (scope_ == Scope::running) return Outcome::make(Status::error, key_ + ": " + why);
        sides.push_back(Side{Status::pass, why, false});
      } else if (!proc) {
        return Outcome::make(Status::error, key_ + ": " + printable(proc.message()));
      } else {
        const std::string file = "/proc/sys/" + path_key_;
        auto text = ctx.host.read_file(file);
        if (!text && text.kind() == ErrorKind::not_found)
          return Outcome::make(
              Status::notapplicable,
              key_ + ": the kernel has no such parameter (" + file + " does not exist)");
        if (!text)
          return Outcome::make(Status::error,
                               key_ + ": running value unreadable: " + printable(text.message()));
        running_observable = true;
        std::string value = normalise_blanks(*text);
        auto r = expect_.test(Json(value));
        sides.push_back(Side{r.status(),
                             "running " + shown(value) + " (" + file + ")", true});
      }
    }
    if (scope_ != Scope::running) {
      // The whole configuration is parsed once per scan and shared by every sysctl rule.
      auto config = ctx.facts.get<SysctlConfig>("sysctl.config",
                                                [&] { return load_sysctl_config(ctx.host); });
      if (!config->ok())
        return Outcome::make(Status::error, key_ + ": cannot read the sysctl configuration: " +
                                                printable(config->message(), 400));
      auto option = find_sysctl(config->value(), path_key_);
      if (option) {
        std::string value = normalise_blanks(*option->value);
        auto r = expect_.test(Json(value));
        std::string text = "configured " + shown(value) + " at " + printable(option->file) + ":" +
                           std::to_string(option->line);
        if (option->glob) text += " (by " + printable(option->key) + ")";
        sides.push_back(Side{r.status(), std::move(text), true});
      } else {
        auto r = expect_.test(std::nullopt);
        std::string text = "not set in any sysctl configuration file";
        if (!r.ok && running_observable) text += "; the running value does not survive a reboot";
        sides.push_back(Side{r.status(), std::move(text), true});
      }
    }

    Status status = Status::pass;
    std::string ev = key_ + ": ";
    for (std::size_t i = 0; i < sides.size(); ++i) {
      status = worst(status, sides[i].status);
      ev += (i ? "; " : "") + sides[i].text;
    }
    if (status == Status::fail) ev += "; expected " + expect_.describe();
    return Outcome::make(status, std::move(ev));
  }

 private:
  static std::string shown(const std::string& value) {
    return value.empty() ? "''" : printable(value);
  }

  std::string key_;       // as the profile wrote it, for evidence
  std::string path_key_;  // normalised: the path under /proc/sys
  Scope scope_;
  Expectation expect_;
};

}  // namespace

std::unique_ptr<Probe> parse_sysctl_probe(const Params& params) {
  std::string key = params.string("key");
  if (key.find_first_of(" \t\r\n=") != std::string::npos)
    params.fail("key", "'" + key + "' is not a kernel parameter name");
  if (has_glob(key))
    params.fail("key", "'" + key + "' is a glob; name one parameter (net.ipv4.conf.all.rp_filter)");
  std::string normalised = sysctl_normalize(key);
  if (normalised.empty()) params.fail("key", "'" + key + "' is not a kernel parameter name");
  for (std::string_view comp : split(normalised, '/'))
    if (comp == "..") params.fail("key", "'" + key + "' must not contain '..'");
  std::string scope_word = params.choice("scope", {"both", "running", "configured"}, "both");
  Scope scope = scope_word == "running"      ? Scope::running
                : scope_word == "configured" ? Scope::configured
                                             : Scope::both;
  Expectation expect = Expectation::parse(params);
  return std::make_unique<SysctlProbe>(std::move(key), std::move(normalised), scope,
                                       std::move(expect));
}

}  // namespace hb
