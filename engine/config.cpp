#include "engine/config.hpp"

#include <cstdlib>

#include <yaml-cpp/yaml.h>

#include "engine/local_file.hpp"
#include "engine/params.hpp"
#include "engine/yaml_guard.hpp"

namespace hb {

namespace {

constexpr std::size_t k_max_config_bytes = 1u << 20;

void add(ScanConfig& c, const Params& p, const std::string& key, const std::string& option,
         std::string value) {
  c.options.push_back({option, std::move(value), p.where(key)});
}

void add_int(ScanConfig& c, const Params& p, const std::string& key, const std::string& option) {
  if (auto v = p.opt_int(key)) add(c, p, key, option, std::to_string(*v));
}

void add_string(ScanConfig& c, const Params& p, const std::string& key, const std::string& option) {
  if (auto v = p.opt_string(key)) {
    if (v->empty()) p.fail(key, "empty value");
    add(c, p, key, option, *v);
  }
}

void add_flag(ScanConfig& c, const Params& p, const std::string& key, const std::string& option) {
  if (!p.has(key)) return;
  if (p.boolean(key, false)) add(c, p, key, option, "");
}

}  // namespace

Expected<ScanConfig> parse_config(const std::string& text, const std::string& file) {
  try {
    // Bounded: no billion laughs, alias cycles, runaway nesting or invalid UTF-8.
    auto bounded = load_yaml_bounded(text, file);
    if (!bounded) return make_error(ErrorKind::parse, bounded.message());
    YAML::Node doc = *bounded;
    ScanConfig c;
    c.file = file;
    if (!doc.IsDefined() || doc.IsNull()) return c;  // an empty (all commented) file
    if (!doc.IsMap()) return make_error(ErrorKind::parse, location(file, doc) + ": a config file is a mapping");
    Params p(doc, file, nullptr);
    p.allow_only({"profiles", "vars", "jobs", "fail_on", "docker", "output", "waivers", "baseline",
                  "only_changes", "prometheus", "syslog", "nice", "timeout", "rule_timeout"});
    if (auto profiles = p.opt_strings("profiles")) {
      if (profiles->empty()) p.fail("profiles", "an empty list of profiles");
      for (const auto& name : *profiles) add(c, p, "profiles", "profile", name);
    }
    if (p.has("vars")) {
      YAML::Node vars = p.raw("vars");
      if (!vars.IsMap()) p.fail("vars", "expected a mapping of variable names to values");
      for (const auto& kv : vars) {
        if (!kv.first.IsScalar()) p.fail("vars", "a variable name must be a plain word");
        YAML::Emitter e;
        e << YAML::Flow << kv.second;
        if (!e.good()) p.fail("vars", "cannot use the value of " + kv.first.Scalar());
        c.options.push_back({"var", kv.first.Scalar() + "=" + e.c_str(), location(file, kv.first)});
      }
    }
    add_int(c, p, "jobs", "jobs");
    add_string(c, p, "fail_on", "fail-on");
    add_string(c, p, "docker", "docker");
    if (auto out = p.opt_map("output")) {
      out->allow_only({"directory", "formats", "keep", "keep_days"});
      add_string(c, *out, "directory", "output-dir");
      if (auto formats = out->opt_strings("formats")) {
        std::string joined;
        for (const auto& f : *formats) joined += (joined.empty() ? "" : ",") + f;
        add(c, *out, "formats", "formats", joined);
      }
      add_int(c, *out, "keep", "keep");
      add_int(c, *out, "keep_days", "keep-days");
      out->finish();
    }
    add_string(c, p, "waivers", "waivers");
    add_string(c, p, "baseline", "baseline");
    add_flag(c, p, "only_changes", "only-changes");
    add_string(c, p, "prometheus", "prometheus");
    add_flag(c, p, "syslog", "syslog");
    add_flag(c, p, "nice", "nice");
    add_int(c, p, "timeout", "timeout");
    add_int(c, p, "rule_timeout", "rule-timeout");
    p.finish();
    return c;
  } catch (const ProfileError& e) {
    return make_error(ErrorKind::invalid, e.what());
  } catch (const YAML::Exception& e) {
    return make_error(ErrorKind::parse, file + ": " + e.what());
  }
}

Expected<ScanConfig> load_config(const std::string& path) {
  auto text = read_local_file(path, k_max_config_bytes);
  if (!text) return make_error(text.error().kind, "config file " + text.message());
  return parse_config(*text, path);
}

std::string default_config_path() {
  const char* env = std::getenv("HOSTBENCH_CONFIG");
  return env && *env ? std::string(env) : std::string(k_default_config);
}

}  // namespace hb
