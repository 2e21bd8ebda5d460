// Reading fields of Docker's JSON (Engine API answers, config.v2.json, image configs) whatever
// shape a hostile document has: a missing member, a member of another type, or a parent that is
// no object reads as null, "", false, 0 or an empty list. Nothing here throws.
#pragma once

#include <string>
#include <vector>

#include "engine/params.hpp"  // Json

namespace hb::docker_json {

// The member `key` of an object, or null.
inline const Json& member(const Json& j, const char* key) {
  static const Json null;
  if (!j.is_object()) return null;
  auto it = j.find(key);
  return it == j.end() ? null : *it;
}

// The member as a string, "" when it is none.
inline std::string text_of(const Json& j, const char* key) {
  const Json& v = member(j, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

// The member as a boolean, false when it is none.
inline bool bool_of(const Json& j, const char* key) {
  const Json& v = member(j, key);
  return v.is_boolean() && v.get<bool>();
}

// The member when it is a number, else 0.
inline Json number_of(const Json& j, const char* key) {
  const Json& v = member(j, key);
  return v.is_number() ? v : Json(0);
}

// The strings of an array member, in order (other elements skipped).
inline std::vector<std::string> strings_of(const Json& j, const char* key) {
  std::vector<std::string> out;
  const Json& v = member(j, key);
  if (v.is_array())
    for (const auto& x : v)
      if (x.is_string()) out.push_back(x.get<std::string>());
  return out;
}

}  // namespace hb::docker_json
