// Params: typed, validated access to one YAML map of a profile (a probe's parameters, an
// expectation, a rule). Every getter records the key as used; finish() then rejects any key no
// getter asked for, so a misspelt key is an error, not a silently ignored setting. Errors name
// file:line:column and are raised as ProfileError, which the profile loader catches and turns
// into an Error value; nothing outside the loader sees the exception.
//
// Values may refer to profile variables: a scalar that is exactly "${name}" stands for the
// variable's value (scalar or list), and "${name}" inside a longer string is replaced by the
// variable's scalar text.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace hb {

using Json = nlohmann::json;
using Vars = std::map<std::string, YAML::Node>;

class ProfileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "file:line:col" of a node (1-based), or just "file" when the node has no mark.
std::string location(const std::string& file, const YAML::Node& node);

// A YAML scalar as a typed JSON value, by the YAML 1.2 core schema: plain true/false are
// booleans, plain numbers are numbers, plain null/~ is null, anything quoted is a string.
// Sequences become arrays, maps objects.
Json yaml_to_json(const YAML::Node& node);

class Params {
 public:
  Params(YAML::Node map, std::string file, const Vars* vars);

  const std::string& file() const { return file_; }
  const Vars* vars() const { return vars_; }
  const YAML::Node& node() const { return map_; }
  std::string where() const { return location(file_, map_); }
  std::string where(const std::string& key) const;

  bool has(const std::string& key) const;

  std::string string(const std::string& key) const;
  std::optional<std::string> opt_string(const std::string& key) const;
  // A scalar or a list of scalars, as a list.
  std::vector<std::string> strings(const std::string& key) const;
  std::optional<std::vector<std::string>> opt_strings(const std::string& key) const;
  bool boolean(const std::string& key, bool fallback) const;
  std::optional<std::int64_t> opt_int(const std::string& key) const;
  // One of the given words.
  std::string choice(const std::string& key, const std::vector<std::string>& words,
                     const std::string& fallback) const;
  // A permission mode written in octal ("0640", 640); rejects anything else.
  std::optional<std::uint32_t> opt_mode(const std::string& key) const;
  // Any value, typed (see yaml_to_json), after variable substitution.
  std::optional<Json> opt_value(const std::string& key) const;
  // A nested map.
  Params map(const std::string& key) const;
  std::optional<Params> opt_map(const std::string& key) const;
  // The raw (variable-resolved) node of a key; marks the key as used.
  YAML::Node raw(const std::string& key) const;
  // Marks a key as used without reading it (the loader does this for "probe").
  void mark_used(const std::string& key) const { used_.insert(key); }

  // Rejects at once any key outside `keys`, with a suggestion for a near miss ("did you mean
  // 'remediation'?"), before a misspelt required key could be reported as merely missing.
  void allow_only(const std::vector<std::string>& keys) const;

  [[noreturn]] void fail(const std::string& key, const std::string& message) const;
  [[noreturn]] void fail(const std::string& message) const;
  // Rejects keys that no getter asked for.
  void finish() const;

 private:
  YAML::Node lookup(const std::string& key) const;  // resolved, or an undefined node
  YAML::Node resolve(const YAML::Node& n) const;
  std::string scalar_of(const std::string& key, const YAML::Node& n) const;

  YAML::Node map_;
  std::string file_;
  const Vars* vars_;
  mutable std::set<std::string> used_;
};

}  // namespace hb
