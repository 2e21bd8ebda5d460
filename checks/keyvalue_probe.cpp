#include "checks/keyvalue_probe.hpp"

#include <climits>

#include "checks/keyvalue_file.hpp"
#include "engine/expectation.hpp"
#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

// What to report when the file itself is absent. `absent` treats it as a file that sets
// nothing, so the program's built-in default (if given) is what gets judged: sshd without
// sshd_config does not start, but login.defs-less tools run on their defaults.
enum class IfMissing { absent, pass, fail, notapplicable, error };

IfMissing if_missing_of(const std::string& word) {
  if (word == "pass") return IfMissing::pass;
  if (word == "fail") return IfMissing::fail;
  if (word == "notapplicable") return IfMissing::notapplicable;
  if (word == "error") return IfMissing::error;
  return IfMissing::absent;
}

// sshd's time format (sshd_config(5) TIME FORMATS): "90", "90s", "1m30s", "1h", "2w"; the units
// are s, m, h, d, w in either case. nullopt when the text is not such a duration.
std::optional<long long> duration_seconds(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  long long total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = i;
    long long n = 0;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') {
      n = n * 10 + (text[j] - '0');
      if (n > (1LL << 40)) return std::nullopt;
      ++j;
    }
    if (j == i) return std::nullopt;
    long long unit = 1;
    if (j < text.size()) {
      switch (text[j]) {
        case 's': case 'S': unit = 1; ++j; break;
        case 'm': case 'M': unit = 60; ++j; break;
        case 'h': case 'H': unit = 3600; ++j; break;
        case 'd': case 'D': unit = 86400; ++j; break;
        case 'w': case 'W': unit = 604800; ++j; break;
        default: return std::nullopt;
      }
    }
    // sshd's convtime() refuses a total of INT_MAX seconds or more; so no sum here overflows
    // (n * unit is at most 2^40 weeks in seconds).
    const long long secs = n * unit;
    if (secs >= INT_MAX || total >= INT_MAX - secs) return std::nullopt;
    total += secs;
    i = j;
  }
  return total;
}

std::string locations_text(const std::vector<KeyValueLocation>& where) {
  std::string out;
  for (const auto& w : where)
    out += (out.empty() ? "" : ", ") + printable(w.file) + ":" + std::to_string(w.line);
  return out;
}

class KeyValueProbe final : public Probe {
 public:
  KeyValueProbe(std::string path, KeyValueDialect dialect, std::string key,
                std::optional<std::string> fallback, IfMissing if_missing,
                std::optional<std::string> section, bool duration, Expectation expect)
      : path_(std::move(path)),
        dialect_(dialect),
        key_(std::move(key)),
        default_(std::move(fallback)),
        if_missing_(if_missing),
        section_(std::move(section)),
        duration_(duration),
        expect_(std::move(expect)) {}

  Outcome evaluate(const ProbeContext& ctx) const override {
    // One parse per (dialect, file) per scan: every rule on sshd_config shares it.
    const std::string facts_key = "keyvalue:" + std::string(to_string(dialect_)) + ":" + path_;
    auto config = ctx.facts.get<KeyValueConfig>(
        facts_key, [&] { return load_keyvalue_config(ctx.host, path_, dialect_); });
    if (!config->ok())
      return Outcome::make(Status::error, "cannot read " + printable(path_) + ": " +
                                              printable(config->message(), 400));
    const KeyValueConfig& cfg = config->value();
    if (cfg.missing && if_missing_ != IfMissing::absent) return missing_outcome();

    auto setting = find_setting(cfg, dialect_, key_, section_);
    if (setting) {
      std::string note;
      auto r = expect_.test(typed(setting->value, note));
      std::string ev = printable(setting->key) + " " + shown(setting->value) + note + " at " +
                       locations_text(setting->where);
      if (!r.ok) ev += r.error ? "; " + r.detail : "; expected " + expect_.describe();
      return Outcome::make(r.status(), std::move(ev));
    }

    std::string ev = printable(key_) + " not set";
    if (section_) ev += " in section [" + printable(*section_) + "]";
    if (cfg.missing)
      ev += ": " + printable(path_) + " does not exist";
    else
      ev += (section_ ? " of " : " in ") + printable(path_);
    std::optional<Json> actual;
    if (default_) {
      std::string note;
      actual = typed(*default_, note);
      ev += std::string(" (") + (dialect_ == KeyValueDialect::sshd ? "sshd default" : "default") +
            ": " + shown(*default_) + ")";
    }
    auto r = expect_.test(actual);
    if (!r.ok) ev += r.error ? "; " + r.detail : "; expected " + expect_.describe();
    return Outcome::make(r.status(), std::move(ev));
  }

 private:
  // The value as the expectation sees it: with `value_type: duration`, seconds.
  Json typed(const std::string& value, std::string& note) const {
    if (!duration_) return Json(value);
    auto secs = duration_seconds(value);
    if (!secs) {
      note = " (not a valid duration)";
      return Json(value);
    }
    if (std::to_string(*secs) != trim(value)) note = " (" + std::to_string(*secs) + " s)";
    return Json(*secs);
  }

  static std::string shown(const std::string& value) {
    return value.empty() ? "''" : printable(value);
  }

  Outcome missing_outcome() const {
    const std::string why = printable(path_) + " does not exist";
    switch (if_missing_) {
      case IfMissing::pass:
        return Outcome::make(Status::pass, why + " (if_missing: pass)");
      case IfMissing::fail:
        return Outcome::make(Status::fail, why);
      case IfMissing::notapplicable:
        return Outcome::make(Status::notapplicable, why);
      case IfMissing::error:
      case IfMissing::absent:
        break;
    }
    return Outcome::make(Status::error, "cannot read " + why);
  }

  std::string path_;
  KeyValueDialect dialect_;
  std::string key_;
  std::optional<std::string> default_;
  IfMissing if_missing_;
  std::optional<std::string> section_;
  bool duration_;
  Expectation expect_;
};

}  // namespace

std::unique_ptr<Probe> parse_keyvalue_probe(const Params& params) {
  std::string path = params.string("path");
  if (path.empty() || path.front() != '/')
    params.fail("path", "'" + path + "' is not an absolute path");
  auto dialect = *parse_keyvalue_dialect(
      params.choice("dialect", {"sshd", "login_defs", "equals", "whitespace"}, "whitespace"));
  std::string key = params.string("key");
  if (key.empty() || key.find_first_of(" \t\r\n") != std::string::npos)
    params.fail("key", "'" + key + "' is not a key (empty, or contains blanks)");
  if (dialect == KeyValueDialect::equals && key.find('=') != std::string::npos)
    params.fail("key", "'" + key + "' contains '=', which the equals dialect splits on");
  auto fallback = params.opt_string("default");
  auto if_missing = if_missing_of(
      params.choice("if_missing", {"absent", "pass", "fail", "notapplicable", "error"}, "absent"));
  auto section = params.opt_string("section");
  if (section && dialect != KeyValueDialect::equals)
    params.fail("section", "only the equals dialect has sections");
  const bool duration = params.choice("value_type", {"text", "duration"}, "text") == "duration";
  if (duration && fallback && !duration_seconds(*fallback))
    params.fail("default", "'" + *fallback + "' is not a duration (90, 90s, 1m30s ...)");
  Expectation expect = Expectation::parse(params);
  return std::make_unique<KeyValueProbe>(std::move(path), dialect, std::move(key),
                                         std::move(fallback), if_missing, std::move(section),
                                         duration, std::move(expect));
}

}  // namespace hb
