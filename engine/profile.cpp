#include "engine/profile.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "engine/local_file.hpp"
#include "engine/text.hpp"
#include "engine/yaml_guard.hpp"

namespace hb {

namespace fs = std::filesystem;

std::vector<std::string> default_profile_dirs() {
  std::vector<std::string> dirs = {"./profiles", "/usr/share/hostbench/profiles"};
  if (const char* env = std::getenv("HOSTBENCH_PROFILE_PATH")) {
    for (auto part : split(env, ':'))
      if (!part.empty()) dirs.emplace_back(part);
  }
  return dirs;
}

namespace {

bool is_regular_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool looks_like_path(const std::string& name) {
  return name.find('/') != std::string::npos || name.ends_with(".yaml") || name.ends_with(".yml");
}

const std::regex& k_rule_id() {
  static const std::regex r(R"([a-z0-9][a-z0-9._-]*)");
  return r;
}
const std::regex& k_profile_id() {
  static const std::regex r(R"([a-z0-9][a-z0-9_-]*)");
  return r;
}
const std::regex& k_var_name() {
  static const std::regex r(R"([A-Za-z_][A-Za-z0-9_]*)");
  return r;
}

// libstdc++'s std::regex_match recurses once per character: a 100,000-character id overflowed
// the stack. Names longer than this are refused before the regex sees them.
constexpr std::size_t k_max_name = 200;
bool is_name(const std::string& s, const std::regex& re) {
  return s.size() <= k_max_name && std::regex_match(s, re);
}
// A name as shown in an error: at most k_max_name characters.
std::string shown_name(const std::string& s) {
  return s.size() <= k_max_name ? s : s.substr(0, k_max_name) + "...";
}

// A profile file as read, before its rules are parsed (that needs the final variables).
struct RawProfile {
  ProfileInfo info;
  YAML::Node vars;   // map or undefined
  YAML::Node rules;  // sequence or undefined
  std::set<std::string> ancestors;  // canonical files of every profile this one extends
};

class Loader {
 public:
  Loader(std::span<const ProbeKind> kinds, const LoadOptions& options)
      : kinds_(kinds), options_(options) {}

  // The profile given as text (load_profile_text): its name and content.
  void set_text(std::string file, std::string text) { text_.emplace(std::move(file), std::move(text)); }

  Expected<ProfileSet> run(const std::vector<std::string>& names) {
    try {
      ProfileSet set;
      for (const auto& name : names) {
        auto file = text_ && name == text_->first ? Expected<std::string>(name)
                                                  : resolve_profile(name, options_.dirs);
        if (!file) return file.error();
        const RawProfile& raw = load(*file, {});
        if (std::find(set.requested.begin(), set.requested.end(), raw.info.id) ==
            set.requested.end())
          set.requested.push_back(raw.info.id);
      }
      for (const RawProfile* p : order_) set.profiles.push_back(p->info);
      set.vars = merge_vars();
      parse_rules(set);
      return set;
    } catch (const ProfileError& e) {
      return make_error(ErrorKind::invalid, e.what());
    } catch (const YAML::Exception& e) {
      return make_error(ErrorKind::parse, e.what());
    }
  }

 private:
  static std::string canonical(const std::string& file) {
    std::error_code ec;
    auto c = fs::weakly_canonical(file, ec);
    return ec ? file : c.string();
  }

  // A profile is hostile input too: read whole only when it is a regular file of at most
  // YamlBounds::max_bytes (a FIFO never blocks, /dev/zero is refused), and handed to yaml-cpp
  // within the bounds of load_yaml_bounded (no alias bomb, no alias cycle, no deep nesting).
  YAML::Node read_yaml(const std::string& file) const {
    try {
      std::string text;
      if (text_ && file == text_->first) {
        text = text_->second;
      } else {
        auto read = read_local_file(file, YamlBounds{}.max_bytes);
        if (!read) throw ProfileError(read.message());
        text = std::move(*read);
      }
      auto doc = load_yaml_bounded(text, file);
      if (!doc) throw ProfileError(doc.message());
      return std::move(doc.value());
    } catch (const YAML::Exception& e) {
      throw ProfileError(file + ":" + std::to_string(e.mark.line + 1) + ":" +
                         std::to_string(e.mark.column + 1) + ": " + e.msg);
    }
  }

  // Loads a file and its parents (depth first, parents first into order_).
  const RawProfile& load(const std::string& file, std::vector<std::string> chain) {
    const std::string key = canonical(file);
    if (std::find(chain.begin(), chain.end(), key) != chain.end()) {
      std::string cycle;
      for (const auto& c : chain) cycle += c + " -> ";
      throw ProfileError(file + ": cycle in extends: " + cycle + key);
    }
    if (auto it = loaded_.find(key); it != loaded_.end()) return *it->second;
    chain.push_back(key);

    YAML::Node doc = read_yaml(file);
    if (!doc.IsMap()) throw ProfileError(file + ": a profile is a mapping with 'profile:' and 'rules:'");
    Params top(doc, file, nullptr);
    top.allow_only({"profile", "vars", "rules"});
    auto raw = std::make_unique<RawProfile>();
    Params meta = top.map("profile");
    meta.allow_only({"id", "title", "version", "description", "extends"});
    raw->info.file = file;
    raw->info.id = meta.string("id");
    if (!is_name(raw->info.id, k_profile_id()))
      meta.fail("id", "'" + shown_name(raw->info.id) +
                          "' is not a valid profile id ([a-z0-9][a-z0-9_-]*, at most 200)");
    raw->info.title = meta.string("title");
    raw->info.version = meta.string("version");
    raw->info.description = meta.opt_string("description").value_or("");
    raw->info.extends = meta.opt_strings("extends").value_or(std::vector<std::string>{});
    meta.finish();
    raw->vars = top.raw("vars");
    if (raw->vars.IsDefined() && !raw->vars.IsNull() && !raw->vars.IsMap())
      top.fail("vars", "expected a mapping of variable names to values");
    raw->rules = top.raw("rules");
    if (raw->rules.IsDefined() && !raw->rules.IsNull() && !raw->rules.IsSequence())
      top.fail("rules", "expected a list of rules");
    top.finish();

    for (const auto& parent_name : raw->info.extends) {
      auto parent_file = resolve_parent(parent_name, file);
      if (!parent_file) meta.fail("extends", parent_file.message());
      const RawProfile& parent = load(*parent_file, chain);
      raw->ancestors.insert(canonical(parent.info.file));
      raw->ancestors.insert(parent.ancestors.begin(), parent.ancestors.end());
    }
    for (const auto& [k, other] : loaded_) {
      if (other->info.id == raw->info.id)
        throw ProfileError(file + ": profile id '" + raw->info.id + "' is also used by " +
                           other->info.file);
    }
    const RawProfile* ptr = raw.get();
    loaded_.emplace(key, std::move(raw));
    order_.push_back(ptr);
    return *ptr;
  }

  Expected<std::string> resolve_parent(const std::string& name, const std::string& child) const {
    std::vector<std::string> dirs = {fs::path(child).parent_path().string()};
    if (dirs.front().empty()) dirs.front() = ".";
    dirs.insert(dirs.end(), options_.dirs.begin(), options_.dirs.end());
    return resolve_profile(name, dirs);
  }

  Vars merge_vars() const {
    Vars vars;
    for (const RawProfile* p : order_) {
      if (!p->vars.IsDefined() || p->vars.IsNull()) continue;
      for (const auto& kv : p->vars) {
        const std::string name = kv.first.Scalar();
        if (!is_name(name, k_var_name()))
          throw ProfileError(location(p->info.file, kv.first) + ": '" + shown_name(name) +
                             "' is not a valid variable name");
        if (kv.second.IsMap())
          throw ProfileError(location(p->info.file, kv.second) + ": variable '" + name +
                             "' must be a value or a list");
        vars[name] = kv.second;
      }
    }
    for (const auto& [name, text] : options_.var_overrides) {
      if (!vars.count(name))
        throw ProfileError("--var " + name + ": no such variable in the selected profiles");
      auto loaded = load_yaml_bounded(text, "--var " + name + "=" + text);
      if (!loaded) throw ProfileError(loaded.message());
      YAML::Node value = std::move(loaded.value());
      if (value.IsMap()) throw ProfileError("--var " + name + ": must be a value or a list");
      if (!value.IsDefined() || value.IsNull()) value = YAML::Node(std::string());
      vars[name] = value;
    }
    return vars;
  }

  void parse_rules(ProfileSet& set) const {
    std::map<std::string, std::size_t> index;  // rule id -> position in set.rules
    for (const RawProfile* p : order_) {
      if (!p->rules.IsDefined() || p->rules.IsNull()) continue;
      std::set<std::string> ids_here;
      for (const auto& node : p->rules) {
        Rule rule = parse_rule(node, *p, set.vars);
        const std::string& id = rule.meta.id;
        if (!ids_here.insert(id).second)
          throw ProfileError(location(p->info.file, node) + ": duplicate rule id '" + id + "'");
        auto it = index.find(id);
        if (it == index.end()) {
          index.emplace(id, set.rules.size());
          set.rules.push_back(std::move(rule));
          continue;
        }
        // Same id from another file: a child may redefine its parent's rule; unrelated profiles
        // may not silently fight over one id.
        const Rule& earlier = set.rules[it->second];
        bool overrides = std::any_of(order_.begin(), order_.end(), [&](const RawProfile* q) {
          return q->info.id == earlier.meta.profile &&
                 p->ancestors.count(canonical(q->info.file));
        });
        if (!overrides)
          throw ProfileError(location(p->info.file, node) + ": rule id '" + id +
                             "' is already defined at " + earlier.meta.source);
        set.rules[it->second] = std::move(rule);
      }
    }
  }

  Rule parse_rule(const YAML::Node& node, const RawProfile& p, const Vars& vars) const {
    if (!node.IsMap()) throw ProfileError(location(p.info.file, node) + ": a rule is a mapping");
    Params r(node, p.info.file, &vars);
    r.allow_only({"id", "title", "description", "rationale", "remediation", "severity",
                  "references", "tags", "applies_if", "check"});
    Rule rule;
    RuleMeta& m = rule.meta;
    m.id = r.string("id");
    if (!is_name(m.id, k_rule_id()))
      r.fail("id", "'" + shown_name(m.id) +
                       "' is not a valid rule id ([a-z0-9][a-z0-9._-]*, at most 200)");
    m.title = r.string("title");
    m.description = r.opt_string("description").value_or("");
    m.rationale = r.string("rationale");
    m.remediation = r.string("remediation");
    std::string sev = r.string("severity");
    auto severity = parse_severity(sev);
    if (!severity) r.fail("severity", "'" + sev + "' is not one of: info, low, medium, high, critical");
    m.severity = *severity;
    if (auto refs = r.opt_map("references")) {
      for (const auto& kv : refs->node()) {
        const std::string scheme = kv.first.Scalar();
        m.references.emplace_back(scheme, refs->string(scheme));
      }
      refs->finish();
    }
    m.tags = r.opt_strings("tags").value_or(std::vector<std::string>{});
    m.profile = p.info.id;
    m.source = location(p.info.file, node);
    if (auto a = r.opt_map("applies_if")) rule.applies_if = Check::parse(*a, kinds_);
    rule.check = Check::parse(r.map("check"), kinds_);
    r.finish();
    return rule;
  }

  std::span<const ProbeKind> kinds_;
  const LoadOptions& options_;
  std::optional<std::pair<std::string, std::string>> text_;
  std::map<std::string, std::unique_ptr<RawProfile>> loaded_;
  std::vector<const RawProfile*> order_;
};

}  // namespace

Expected<std::string> resolve_profile(const std::string& name, const std::vector<std::string>& dirs) {
  if (looks_like_path(name)) {
    if (is_regular_file(name)) return name;
    struct stat st {};
    if (::stat(name.c_str(), &st) == 0)  // a directory, FIFO or device is never opened
      return make_error(ErrorKind::not_regular, name + ": not a regular file");
    if (name.find('/') != std::string::npos)
      return make_error(ErrorKind::not_found, name + ": no such profile file");
  }
  for (const auto& dir : dirs) {
    for (const char* ext : {".yaml", ".yml"}) {
      std::string candidate = dir + "/" + name + ext;
      if (is_regular_file(candidate)) return candidate;
    }
  }
  std::string where;
  for (const auto& d : dirs) where += (where.empty() ? "" : ", ") + d;
  return make_error(ErrorKind::not_found, "profile '" + name + "' not found in " + where);
}

Expected<ProfileSet> load_profiles(const std::vector<std::string>& names,
                                   std::span<const ProbeKind> kinds, const LoadOptions& options) {
  if (names.empty()) return make_error(ErrorKind::invalid, "no profile given");
  return Loader(kinds, options).run(names);
}

Expected<ProfileSet> load_profile_text(std::string_view text, const std::string& file,
                                       std::span<const ProbeKind> kinds,
                                       const LoadOptions& options) {
  Loader loader(kinds, options);
  loader.set_text(file, std::string(text));
  return loader.run({file});
}

std::vector<std::pair<std::string, std::string>> list_profiles(const std::vector<std::string>& dirs) {
  std::vector<std::pair<std::string, std::string>> out;
  std::set<std::string> seen;
  for (const auto& dir : dirs) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
      auto ext = it->path().extension().string();
      if ((ext == ".yaml" || ext == ".yml") && it->is_regular_file(ec)) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::string name = f.stem().string();
      if (seen.insert(name).second) out.emplace_back(name, f.string());
    }
  }
  return out;
}

}  // namespace hb
