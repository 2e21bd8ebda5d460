#include "engine/params.hpp"

#include <algorithm>
#include <regex>

namespace hb {

std::string location(const std::string& file, const YAML::Node& node) {
  if (!node.IsDefined() || node.Mark().is_null()) return file;
  return file + ":" + std::to_string(node.Mark().line + 1) + ":" +
         std::to_string(node.Mark().column + 1);
}

namespace {

bool is_plain(const YAML::Node& n) { return n.Tag() == "?" || n.Tag().empty(); }

std::optional<Json> plain_scalar(const std::string& s) {
  static const std::regex k_int(R"([-+]?[0-9]+)");
  static const std::regex k_float(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (s == "true" || s == "True" || s == "TRUE") return Json(true);
  if (s == "false" || s == "False" || s == "FALSE") return Json(false);
  if (s == "null" || s == "Null" || s == "NULL" || s == "~" || s.empty()) return Json(nullptr);
  if (s.size() < 40 && std::regex_match(s, k_int)) {
    try {
      return Json(std::stoll(s));
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  if (s.size() < 60 && std::regex_match(s, k_float)) {
    try {
      return Json(std::stod(s));
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace

Json yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: return Json(nullptr);
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (is_plain(node) || node.Tag() == "tag:yaml.org,2002:int" ||
          node.Tag() == "tag:yaml.org,2002:float" || node.Tag() == "tag:yaml.org,2002:bool") {
        if (auto v = plain_scalar(s)) return *v;
      }
      return Json(s);
    }
    case YAML::NodeType::Sequence: {
      Json arr = Json::array();
      for (const auto& e : node) arr.push_back(yaml_to_json(e));
      return arr;
    }
    case YAML::NodeType::Map: {
      Json obj = Json::object();
      for (const auto& kv : node) obj[kv.first.Scalar()] = yaml_to_json(kv.second);
      return obj;
    }
  }
  return Json(nullptr);
}

Params::Params(YAML::Node map, std::string file, const Vars* vars)
    : map_(std::move(map)), file_(std::move(file)), vars_(vars) {
  if (!map_.IsMap()) throw ProfileError(location(file_, map_) + ": expected a mapping");
}

std::string Params::where(const std::string& key) const {
  const YAML::Node& m = map_;
  YAML::Node n = m[key];
  return location(file_, n.IsDefined() ? n : map_);
}

bool Params::has(const std::string& key) const {
  const YAML::Node& m = map_;
  return m[key].IsDefined();
}

void Params::fail(const std::string& key, const std::string& message) const {
  throw ProfileError(where(key) + ": " + key + ": " + message);
}

void Params::fail(const std::string& message) const { throw ProfileError(where() + ": " + message); }

namespace {
// A "${" in a scalar of this list, or of a list inside it (maps are left to their own Params).
bool has_variable(const YAML::Node& n) {
  if (n.IsScalar()) return n.Scalar().find("${") != std::string::npos;
  if (!n.IsSequence()) return false;
  return std::any_of(n.begin(), n.end(), [](const YAML::Node& e) { return has_variable(e); });
}
}  // namespace

YAML::Node Params::resolve(const YAML::Node& n) const {
  if (n.IsSequence()) {
    // Most lists (tags, paths) hold no variable: hand the node back as it is. Building a new
    // sequence makes yaml-cpp merge its memory with the whole document's (a set insertion per
    // node), which made loading the shipped profiles quadratic (150 ms for 260 rules).
    // (Maps inside are resolved when they are read, through their own Params.)
    if (!has_variable(n)) return n;
    YAML::Node out(YAML::NodeType::Sequence);
    for (const auto& e : n) out.push_back(resolve(e));
    return out;
  }
  if (!n.IsScalar()) return n;
  const std::string& s = n.Scalar();
  if (s.find("${") == std::string::npos) return n;
  // "${name}" references, found by hand: libstdc++'s std::regex recursed once per character of
  // a long "${aaaa..." scalar and overflowed the stack.
  auto ref_at = [&s](std::size_t pos) -> std::size_t {  // length of a reference at pos, or 0
    if (s.compare(pos, 2, "${") != 0) return 0;
    std::size_t i = pos + 2;
    auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
    if (i >= s.size() || !alpha(s[i])) return 0;
    while (i < s.size() && (alpha(s[i]) || (s[i] >= '0' && s[i] <= '9'))) ++i;
    return i < s.size() && s[i] == '}' ? i + 1 - pos : 0;
  };
  auto variable = [&](const std::string& name) -> const YAML::Node& {
    if (vars_ == nullptr || !vars_->count(name))
      throw ProfileError(location(file_, n) + ": unknown variable '" + name.substr(0, 200) + "'");
    return vars_->at(name);
  };
  if (ref_at(0) == s.size()) return variable(s.substr(2, s.size() - 3));
  std::string out;
  std::size_t last = 0;
  for (std::size_t pos = s.find("${"); pos != std::string::npos; pos = s.find("${", pos + 1)) {
    const std::size_t len = ref_at(pos);
    if (len == 0) continue;
    out.append(s, last, pos - last);
    const std::string name = s.substr(pos + 2, len - 3);
    const YAML::Node& v = variable(name);
    if (!v.IsScalar())
      throw ProfileError(location(file_, n) + ": variable '" + name +
                         "' is a list and cannot be part of a string");
    out += v.Scalar();
    last = pos + len;
    pos = last - 1;
  }
  out.append(s, last, std::string::npos);
  YAML::Node r(out);
  r.SetTag("!");
  return r;
}

YAML::Node Params::lookup(const std::string& key) const {
  used_.insert(key);
  const YAML::Node& m = map_;
  YAML::Node n = m[key];
  // A missing key gives yaml-cpp's "zombie" node, which throws when assigned; hand out a real
  // undefined node instead.
  if (!n.IsDefined()) return YAML::Node(YAML::NodeType::Undefined);
  return resolve(n);
}

YAML::Node Params::raw(const std::string& key) const { return lookup(key); }

std::string Params::scalar_of(const std::string& key, const YAML::Node& n) const {
  if (!n.IsScalar()) fail(key, "expected a single value");
  // A "\0" escape: no path, name or pattern means anything with a NUL in it (a path would be
  // cut short by the kernel).
  if (n.Scalar().find('\0') != std::string::npos) fail(key, "contains a NUL character");
  return n.Scalar();
}

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// The closest of `candidates` to `word`, when close enough to be a typo.
std::string near_miss(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = 3;
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(word, c);
    if (d < best_d && d < std::max<std::size_t>(2, c.size() / 3 + 1)) best = c, best_d = d;
  }
  return best;
}

}  // namespace

void Params::allow_only(const std::vector<std::string>& keys) const {
  for (const auto& kv : map_) {
    const std::string k = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
    if (std::find(keys.begin(), keys.end(), k) != keys.end()) continue;
    std::string hint = near_miss(k, keys);
    throw ProfileError(location(file_, kv.first) + ": unknown key '" + k + "'" +
                       (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
  }
}

std::string Params::string(const std::string& key) const {
  auto v = opt_string(key);
  if (!v) {
    // A required key that is missing may be there, misspelt.
    std::vector<std::string> present;
    for (const auto& kv : map_)
      if (kv.first.IsScalar() && !used_.count(kv.first.Scalar())) present.push_back(kv.first.Scalar());
    std::string hint = near_miss(key, present);
    if (!hint.empty()) {
      const YAML::Node& m = map_;
      for (const auto& kv : m)
        if (kv.first.IsScalar() && kv.first.Scalar() == hint)
          throw ProfileError(location(file_, kv.first) + ": unknown key '" + hint +
                             "' (did you mean '" + key + "'?)");
    }
    fail("missing required key '" + key + "'");
  }
  return *v;
}

std::optional<std::string> Params::opt_string(const std::string& key) const {
  YAML::Node n = lookup(key);
  if (!n.IsDefined() || n.IsNull()) return std::nullopt;
  return scalar_of(key, n);
}

std::vector<std::string> Params::strings(const std::string& key) const {
  auto v = opt_strings(key);
  if (!v) fail("missing required key '" + key + "'");
  return *v;
}

std::optional<std::vector<std::string>> Params::opt_strings(const std::string& key) const {
  YAML::Node n = lookup(key);
  if (!n.IsDefined() || n.IsNull()) return std::nullopt;
  std::vector<std::string> out;
  if (n.IsScalar()) {
    out.push_back(scalar_of(key, n));
  } else if (n.IsSequence()) {
    for (const auto& e : n) {
      if (!e.IsScalar()) fail(key, "expected a list of single values");
      out.push_back(scalar_of(key, e));
    }
  } else {
    fail(key, "expected a value or a list of values");
  }
  return out;
}

bool Params::boolean(const std::string& key, bool fallback) const {
  YAML::Node n = lookup(key);
  if (!n.IsDefined() || n.IsNull()) return fallback;
  Json v = yaml_to_json(n);
  if (!v.is_boolean()) fail(key, "expected true or false, found '" + scalar_of(key, n) + "'");
  return v.get<bool>();
}

std::optional<std::int64_t> Params::opt_int(const std::string& key) const {
  YAML::Node n = lookup(key);
  if (!n.IsDefined() || n.IsNull()) return std::nullopt;
  Json v = yaml_to_json(n);
  if (!v.is_number_integer()) fail(key, "expected a whole number, found '" + scalar_of(key, n) + "'");
  return v.get<std::int64_t>();
}

std::string Params::choice(const std::string& key, const std::vector<std::string>& words,
                           const std::string& fallback) const {
  auto v = opt_string(key);
  if (!v) return fallback;
  for (const auto& w : words)
    if (*v == w) return w;
  std::string list;
  for (const auto& w : words) list += (list.empty() ? "" : ", ") + w;
  fail(key, "'" + *v + "' is not one of: " + list);
}

std::optional<std::uint32_t> Params::opt_mode(const std::string& key) const {
  auto v = opt_string(key);
  if (!v) return std::nullopt;
  static const std::regex k_octal(R"(0?[0-7]{3,4})");
  if (!std::regex_match(*v, k_octal))
    fail(key, "'" + *v + "' is not an octal permission mode such as 0640");
  std::uint32_t mode = static_cast<std::uint32_t>(std::stoul(*v, nullptr, 8));
  if (mode > 07777) fail(key, "'" + *v + "' is not an octal permission mode such as 0640");
  return mode;
}

std::optional<Json> Params::opt_value(const std::string& key) const {
  YAML::Node n = lookup(key);
  if (!n.IsDefined()) return std::nullopt;
  return yaml_to_json(n);
}

Params Params::map(const std::string& key) const {
  auto p = opt_map(key);
  if (!p) fail("missing required key '" + key + "'");
  return *p;
}

std::optional<Params> Params::opt_map(const std::string& key) const {
  YAML::Node n = lookup(key);
  if (!n.IsDefined() || n.IsNull()) return std::nullopt;
  if (!n.IsMap()) fail(key, "expected a mapping");
  return Params(n, file_, vars_);
}

void Params::finish() const {
  std::set<std::string> seen;
  for (const auto& kv : map_) {
    const std::string k = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
    if (!seen.insert(k).second)
      throw ProfileError(location(file_, kv.first) + ": duplicate key '" + k + "'");
    if (!used_.count(k))
      throw ProfileError(location(file_, kv.first) + ": unknown key '" + k + "'");
  }
}

}  // namespace hb
