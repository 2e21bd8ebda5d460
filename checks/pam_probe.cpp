#include "checks/pam_probe.hpp"

#include <algorithm>

#include "checks/pam_config.hpp"
#include "engine/expectation.hpp"
#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

constexpr std::string_view k_pam_dir = "/etc/pam.d";
constexpr int k_max_include_depth = 16;  // Linux-PAM's PAM_SUBSTACK_MAX_LEVEL
constexpr std::size_t k_max_stack_lines = 100'000;
// Includes fan out (a file of 1000 @include lines, each of a file of 1000 more ...): bound the
// total work, not only the depth.
constexpr std::size_t k_max_includes = 10'000;
constexpr std::size_t k_max_listed = 10;

struct PamFile {
  bool missing = false;
  std::vector<PamLine> lines;
};

struct StackLine {
  std::string file;
  const PamLine* line = nullptr;
};

std::string where(const StackLine& s) {
  return s.file + ":" + std::to_string(s.line->line);
}

std::string shown(const StackLine& s) {
  return where(s) + ": " + printable(s.line->text(), 300);
}

class PamProbe final : public Probe {
 public:
  struct ArgTest {
    std::string name;
    Expectation expect;
  };

  PamProbe(std::string service, std::optional<PamType> type, std::string module,
           std::vector<std::string> flags, std::vector<ArgTest> args, bool present)
      : service_(std::move(service)),
        type_(type),
        module_(std::move(module)),
        flags_(std::move(flags)),
        args_(std::move(args)),
        present_(present) {}

  Outcome evaluate(const ProbeContext& ctx) const override {
    auto dir = ctx.host.stat(k_pam_dir);
    if (!dir && dir.kind() == ErrorKind::not_found)
      return Outcome::make(Status::notapplicable,
                           "no /etc/pam.d in the root: PAM is not installed");
    if (!dir) return Outcome::make(Status::error, printable(dir.message(), 400));

    // Keep each file's parse alive while its lines are looked at.
    std::vector<std::shared_ptr<const Expected<PamFile>>> held;
    std::vector<StackLine> stack;
    std::vector<std::string> files;
    const std::string path = join_path(k_pam_dir, service_);
    bool service_missing = false;
    std::size_t includes = 0;
    if (auto err = expand(ctx, path, type_, 0, held, stack, files, includes, &service_missing))
      return Outcome::make(Status::error, printable(*err, 500));

    const std::string what = (type_ ? std::string(to_string(*type_)) + " " : std::string()) +
                             "line for " + printable(module_) + requirement();
    std::string read = "read " + join(files);
    if (service_missing) read = path + " does not exist";
    std::vector<const StackLine*> matches;
    std::vector<std::string> near;  // lines of the module that miss an argument
    for (const auto& s : stack) {
      const PamLine& l = *s.line;
      if (l.kind == PamLine::Kind::invalid) {
        if (!type_ || !l.type || *l.type == *type_)
          return Outcome::make(Status::error,
                               where(s) + ": " + printable(l.reason) +
                                   "; PAM rejects the line and fails the whole stack");
        continue;
      }
      if (l.kind != PamLine::Kind::module || (type_ && l.type != type_)) continue;
      if (l.module_name() != module_) continue;
      std::string why;
      auto r = line_matches(l, why);
      if (r == Status::error) return Outcome::make(Status::error, shown(s) + ": " + why);
      if (r == Status::pass)
        matches.push_back(&s);
      else if (near.size() < k_max_listed)
        near.push_back(shown(s) + ": " + why);
    }

    Outcome out;
    if (present_) {
      if (!matches.empty()) {
        out.status = Status::pass;
        out.evidence.push_back(
            shown(*matches.front()) +
            (matches.size() > 1 ? " (and " + std::to_string(matches.size() - 1) + " more)" : ""));
        return out;
      }
      out.status = Status::fail;
      out.evidence.push_back("no " + what + " in the " + printable(service_) + " stack (" + read +
                             ")");
      for (auto& n : near) out.evidence.push_back(std::move(n));
      return out;
    }
    out.status = Status::pass;
    if (matches.empty()) {
      out.evidence.push_back("no " + what + " in the " + printable(service_) + " stack (" + read +
                             ")");
      return out;
    }
    for (std::size_t i = 0; i < matches.size() && i < k_max_listed; ++i)
      out.add_object(ObjectResult{
          where(*matches[i]), Status::fail, {shown(*matches[i]) + ": expected no " + what}});
    if (matches.size() > k_max_listed)
      out.evidence.push_back(std::to_string(matches.size() - k_max_listed) + " more not listed");
    return out;
  }

 private:
  static std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + printable(s);
    return out;
  }

  std::string requirement() const {
    std::string out;
    for (const auto& f : flags_) out += (out.empty() ? " with " : ", ") + printable(f);
    for (const auto& a : args_)
      out += (out.empty() ? " with " : ", ") + printable(a.name) + " " + a.expect.describe();
    return out;
  }

  // pass: the line has every flag and argument; fail: it lacks one (why says which).
  Status line_matches(const PamLine& l, std::string& why) const {
    for (const auto& f : flags_) {
      bool has = false;
      for (const auto& a : l.args) has = has || a == f || starts_with(a, f + "=");
      if (!has) {
        why = "no " + printable(f);
        return Status::fail;
      }
    }
    for (const auto& t : args_) {
      std::optional<Json> value;
      for (const auto& a : l.args)
        if (starts_with(a, t.name + "=")) value = Json(a.substr(t.name.size() + 1));
      auto r = t.expect.test(value);
      if (r.error) {
        why = r.detail;
        return Status::error;
      }
      if (!r.ok) {
        why = value ? printable(t.name) + "=" + printable(value->get<std::string>()) +
                          ", expected " + t.expect.describe()
                    : "no " + printable(t.name) + "= argument (the module's default applies)";
        return Status::fail;
      }
    }
    return Status::pass;
  }

  // Appends the lines of `path` (those of `only` when an include asked for one type) to stack,
  // following includes. Returns an error message, or nullopt.
  std::optional<std::string> expand(const ProbeContext& ctx, const std::string& path,
                                    std::optional<PamType> only, int depth,
                                    std::vector<std::shared_ptr<const Expected<PamFile>>>& held,
                                    std::vector<StackLine>& stack, std::vector<std::string>& files,
                                    std::size_t& includes, bool* missing_top) const {
    if (depth > k_max_include_depth)
      return path + ": includes nested deeper than " + std::to_string(k_max_include_depth) +
             " levels (a loop?)";
    auto file = ctx.facts.get<PamFile>("pam.d:" + path, [&]() -> Expected<PamFile> {
      auto text = ctx.host.read_file(path);
      if (!text && text.kind() == ErrorKind::not_found) return PamFile{true, {}};
      if (!text) return text.error();
      return PamFile{false, parse_pam_config(*text)};
    });
    if (!file->ok()) return "cannot read " + path + ": " + file->message();
    held.push_back(file);
    if (file->value().missing) {
      if (missing_top != nullptr) {
        *missing_top = true;
        return std::nullopt;
      }
      return path + " is included but does not exist; PAM fails the stack";
    }
    if (std::find(files.begin(), files.end(), path) == files.end()) files.push_back(path);
    for (const auto& l : file->value().lines) {
      if (stack.size() >= k_max_stack_lines)
        return "more than " + std::to_string(k_max_stack_lines) + " lines in the stack";
      if (only && l.type && *l.type != *only) continue;
      if (l.kind == PamLine::Kind::include || l.kind == PamLine::Kind::substack ||
          l.kind == PamLine::Kind::include_all) {
        const std::string target = !l.target.empty() && l.target.front() == '/'
                                       ? l.target
                                       : join_path(k_pam_dir, l.target);
        auto t = l.kind == PamLine::Kind::include_all ? only : l.type;
        if (++includes > k_max_includes)
          return "more than " + std::to_string(k_max_includes) + " includes in one stack";
        if (auto err = expand(ctx, target, t, depth + 1, held, stack, files, includes, nullptr))
          return path + ":" + std::to_string(l.line) + ": " + *err;
        continue;
      }
      stack.push_back(StackLine{path, &l});
    }
    return std::nullopt;
  }

  std::string service_;
  std::optional<PamType> type_;
  std::string module_;
  std::vector<std::string> flags_;
  std::vector<ArgTest> args_;
  bool present_;
};

}  // namespace

std::unique_ptr<Probe> parse_pam_probe(const Params& params) {
  std::string service = params.string("service");
  if (service.empty() || service == "." || service == ".." ||
      service.find_first_of("/ \t\r\n") != std::string::npos)
    params.fail("service", "'" + service + "' is not a file name under /etc/pam.d");
  std::optional<PamType> type;
  if (params.has("type"))
    type = parse_pam_type(params.choice("type", {"auth", "account", "password", "session"}, ""));
  std::string module = params.string("module");
  if (module.empty() || module.find_first_of(" \t\r\n") != std::string::npos)
    params.fail("module", "'" + module + "' is not a module name (pam_unix.so)");
  if (auto slash = module.rfind('/'); slash != std::string::npos) module = module.substr(slash + 1);

  std::vector<std::string> flags;
  if (auto f = params.opt_strings("args_present")) {
    for (const auto& w : *f)
      if (w.empty() || w.find_first_of(" \t=") != std::string::npos)
        params.fail("args_present", "'" + w + "' is not a module argument name");
    flags = *f;
  }
  std::vector<PamProbe::ArgTest> args;
  if (auto a = params.opt_map("args")) {
    std::vector<std::string> keys;
    for (const auto& kv : a->node()) keys.push_back(kv.first.Scalar());
    for (const auto& k : keys) {
      if (k.empty() || k.find_first_of(" \t=") != std::string::npos)
        a->fail(k, "'" + k + "' is not a module argument name");
      YAML::Node v = a->raw(k);
      if (v.IsMap()) {
        args.push_back({k, Expectation::parse_map(*a->opt_map(k))});
      } else if (v.IsScalar()) {
        YAML::Node m(YAML::NodeType::Map);
        m["equals"] = v;
        args.push_back({k, Expectation::parse_map(Params(m, a->file(), a->vars()))});
      } else {
        a->fail(k, "expected a value (retry: 3) or an expectation ({ ge: 24 })");
      }
    }
    a->finish();
  }
  Params expect = params.map("expect");
  if (!expect.has("present")) expect.fail("expected 'present: true' or 'present: false'");
  const bool present = expect.boolean("present", true);
  expect.finish();
  return std::make_unique<PamProbe>(std::move(service), type, std::move(module), std::move(flags),
                                    std::move(args), present);
}

}  // namespace hb
