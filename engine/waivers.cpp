#include "engine/waivers.hpp"

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <ctime>
#include <map>

#include "engine/local_file.hpp"
#include "engine/params.hpp"
#include "engine/yaml_guard.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

constexpr std::size_t k_max_waivers_bytes = 4u << 20;
constexpr std::size_t k_max_waivers = 100'000;

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// A real calendar date written YYYY-MM-DD.
bool valid_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!is_digits(s.substr(0, 4)) || !is_digits(s.substr(5, 2)) || !is_digits(s.substr(8, 2)))
    return false;
  using namespace std::chrono;
  year_month_day d{year(std::stoi(s.substr(0, 4))), month(static_cast<unsigned>(std::stoi(s.substr(5, 2)))),
                   day(static_cast<unsigned>(std::stoi(s.substr(8, 2))))};
  return d.ok();
}

std::string describe(const Waiver& w) {
  std::string s = w.justification;
  std::string extra;
  if (!w.owner.empty()) extra = "owner " + w.owner;
  if (!w.expires.empty()) extra += (extra.empty() ? "" : ", ") + std::string("until ") + w.expires;
  if (!extra.empty()) s += " (" + extra + ")";
  return s;
}

}  // namespace

std::string utc_date(SystemTime t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

Expected<WaiverSet> parse_waivers(const std::string& text, const std::string& file) {
  try {
    // Bounded: no billion laughs, alias cycles, runaway nesting or invalid UTF-8.
    auto bounded = load_yaml_bounded(text, file);
    if (!bounded) return make_error(ErrorKind::parse, bounded.message());
    YAML::Node doc = *bounded;
    WaiverSet set;
    set.file = file;
    if (!doc.IsDefined() || doc.IsNull()) return set;  // an empty file waives nothing
    if (!doc.IsMap())
      return make_error(ErrorKind::parse, location(file, doc) + ": a waivers file is a mapping with 'waivers:'");
    Params top(doc, file, nullptr);
    top.allow_only({"waivers"});
    YAML::Node list = top.raw("waivers");
    if (!list.IsDefined() || list.IsNull()) return set;
    if (!list.IsSequence()) top.fail("waivers", "expected a list of waivers");
    if (list.size() > k_max_waivers)
      top.fail("waivers", "more than " + std::to_string(k_max_waivers) + " waivers");
    for (const auto& entry : list) {
      if (!entry.IsMap())
        throw ProfileError(location(file, entry) + ": a waiver is a mapping with rule and justification");
      Params p(entry, file, nullptr);
      p.allow_only({"rule", "object", "justification", "owner", "expires"});
      Waiver w;
      w.source = location(file, entry);
      // "file:line:col" -> "file:line": the column says nothing for a list entry.
      if (auto c = w.source.rfind(':'); c != std::string::npos && c > file.size()) w.source.resize(c);
      w.rule = p.string("rule");
      if (w.rule.empty()) p.fail("rule", "empty rule pattern");
      w.object = p.opt_string("object").value_or("");
      w.justification = std::string(trim(p.opt_string("justification").value_or("")));
      if (w.justification.empty())
        p.fail("a waiver needs a justification (why the failure is accepted)");
      w.owner = p.opt_string("owner").value_or("");
      w.expires = p.opt_string("expires").value_or("");
      if (!w.expires.empty() && !valid_date(w.expires))
        p.fail("expires", "'" + w.expires + "' is not a date written YYYY-MM-DD");
      p.finish();
      set.waivers.push_back(std::move(w));
    }
    return set;
  } catch (const ProfileError& e) {
    return make_error(ErrorKind::invalid, e.what());
  } catch (const YAML::Exception& e) {
    return make_error(ErrorKind::parse, file + ": " + e.what());
  }
}

Expected<WaiverSet> load_waivers(const std::string& path) {
  auto text = read_local_file(path, k_max_waivers_bytes);
  if (!text) return make_error(text.error().kind, "waivers file " + text.message());
  return parse_waivers(*text, path);
}

bool waiver_object_matches(const std::string& pattern, const std::string& id) {
  if (glob_match(pattern, id)) return true;
  if (auto p = id.find(" ("); p != std::string::npos && p > 0 && glob_match(pattern, id.substr(0, p)))
    return true;
  if (auto c = id.rfind(':'); c != std::string::npos && c + 1 < id.size() && is_digits(id.substr(c + 1))) {
    if (glob_match(pattern, id.substr(c + 1))) return true;
    // "tcp 0.0.0.0:25" is a port, "/etc/pam.d/common-auth:17" a path and line.
    std::string head = id.substr(0, c);
    if (auto sp = head.rfind(' '); sp != std::string::npos) head = head.substr(sp + 1);
    if (!head.empty() && glob_match(pattern, head)) return true;
  }
  return false;
}

WaiverStatus apply_waivers(const WaiverSet& set, std::vector<RuleResult>& results, SystemTime now) {
  WaiverStatus status;
  status.file = set.file;
  status.loaded = static_cast<int>(set.waivers.size());
  const std::string today = utc_date(now);
  const std::size_t n = set.waivers.size();
  std::vector<bool> expired(n), used(n), rule_matched(n), object_matched(n);
  for (std::size_t i = 0; i < n; ++i)
    expired[i] = !set.waivers[i].expires.empty() && set.waivers[i].expires < today;

  for (auto& r : results) {
    std::vector<std::size_t> matching;
    for (std::size_t i = 0; i < n; ++i)
      if (glob_match(set.waivers[i].rule, r.meta.id)) {
        matching.push_back(i);
        rule_matched[i] = true;
      }
    if (matching.empty()) continue;
    // Object ids matter for "no object matches" even when the rule passes.
    for (std::size_t i : matching)
      if (!set.waivers[i].object.empty())
        for (const auto& o : r.objects)
          if (waiver_object_matches(set.waivers[i].object, o.id)) object_matched[i] = true;
    if (r.status != Status::fail) continue;

    // The rule's status follows from its objects when it equals the worst of them; only then can
    // waiving objects change it.
    bool derived = !r.objects.empty();
    if (derived) {
      Status w = r.objects.front().status;
      for (const auto& o : r.objects) w = worst(w, o.status);
      derived = w == r.status;
    }
    std::vector<std::string> expired_notes;
    for (std::size_t i : matching) {
      const Waiver& w = set.waivers[i];
      if (expired[i]) {
        bool covers = w.object.empty();
        for (const auto& o : r.objects)
          if (o.status == Status::fail && !w.object.empty() && waiver_object_matches(w.object, o.id))
            covers = true;
        if (covers)
          expired_notes.push_back("waiver expired on " + w.expires + " (" + w.source + "): " + w.justification);
        continue;
      }
      if (r.status != Status::fail) break;  // waived as a whole by an earlier entry
      if (w.object.empty()) {
        for (auto& o : r.objects)
          if (o.status == Status::fail) o.status = Status::waived;
        r.status = Status::waived;
        if (derived)  // an object in error stays in error: a waiver hides no unknown
          for (const auto& o : r.objects) r.status = worst(r.status, o.status);
        r.waivers.push_back({w, ""});
        r.evidence.push_back("waived (" + w.source + "): " + describe(w));
        used[i] = true;
        ++status.applied;
        continue;
      }
      for (auto& o : r.objects) {
        if (o.status != Status::fail || !waiver_object_matches(w.object, o.id)) continue;
        o.status = Status::waived;
        o.evidence.push_back("waived (" + w.source + "): " + describe(w));
        r.waivers.push_back({w, o.id});
        used[i] = true;
        ++status.applied;
      }
      if (derived) {
        Status st = r.objects.front().status;
        for (const auto& o : r.objects) st = worst(st, o.status);
        r.status = st;
      }
    }
    for (auto& note : expired_notes) r.evidence.push_back(std::move(note));
  }

  for (std::size_t i = 0; i < n; ++i) {
    const Waiver& w = set.waivers[i];
    if (expired[i]) {
      status.expired.push_back({w, "expired on " + w.expires});
    } else if (!used[i]) {
      std::string reason = !rule_matched[i]                          ? "no rule id matches"
                           : !w.object.empty() && !object_matched[i] ? "no object of the matching rules matches"
                                                                     : "nothing it covers fails";
      status.unused.push_back({w, reason});
    }
  }
  return status;
}

}  // namespace hb
