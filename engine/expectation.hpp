// Expectation: a typed test of one observed value, written in a profile as a map:
//
//   expect: { equals: false }          # typed: false is a boolean, "false" a string
//   expect: { one_of: [info, warn] }   # also not_equals, not_one_of
//   expect: { matches: '^\d+$' }       # ECMAScript regex, searched; also not_matches
//   expect: { le: 365, ge: 1 }         # numeric: lt, le, gt, ge (numeric strings count)
//   expect: { contains: x }            # a list value holds x (a string value contains it)
//   expect: { all_in: [a, b] }         # every item of a list value is a or b ([] : empty)
//   expect: { none_in: [a, b] }        # no item of a list value is a or b
//   expect: { has_bits: "027" }        # octal text ("0..."), all these bits set (a umask)
//   expect: { exists: false }          # the value must be absent
//   expect: { equals: yes, ignore_case: true }
//
// Several tests in one map must all hold. An absent value fails every test except exists: false.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/params.hpp"
#include "engine/regex.hpp"
#include "engine/status.hpp"

namespace hb {

struct ExpectationResult {
  bool ok = false;
  bool error = false;  // the test could not be decided (a regex too costly to finish)
  std::string detail;  // "found 'yes'; expected one of [no]" style text
  Status status() const { return error ? Status::error : ok ? Status::pass : Status::fail; }
};

class Expectation {
 public:
  // Parses the map under `key` (default "expect"); errors name file:line.
  static Expectation parse(const Params& params, const std::string& key = "expect");
  static Expectation parse_map(const Params& map);

  // Tests a value; nullopt means "absent".
  ExpectationResult test(const std::optional<Json>& actual) const;
  // A short human description: "== false", "one of [info, warn]", "<= 365".
  std::string describe() const;

  // The `exists:` test, when the profile gave one.
  std::optional<bool> exists() const { return exists_; }

 private:
  struct Test {
    enum class Op { equals, not_equals, one_of, not_one_of, matches, not_matches, lt, le, gt, ge,
                    contains, has_bits, all_in, none_in };
    Op op;
    Json value;  // for equals ... contains
    std::optional<Regex> re;
    std::string text;  // the regex source, or the value as written
  };
  // True or false; an Error only for a regex that could not be decided.
  Expected<bool> holds(const Test& t, const Json& actual) const;
  bool equal(const Json& expected, const Json& actual) const;

  std::vector<Test> tests_;
  std::optional<bool> exists_;
  bool ignore_case_ = false;
};

// A value as text for evidence: strings unquoted, everything else as JSON.
std::string value_text(const Json& v);

}  // namespace hb
