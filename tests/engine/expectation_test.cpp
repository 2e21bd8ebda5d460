#include "engine/expectation.hpp"

#include <doctest/doctest.h>

using hb::Expectation;
using hb::Json;

namespace {
Expectation parse(const std::string& yaml) {
  YAML::Node n = YAML::Load(yaml);
  return Expectation::parse_map(hb::Params(n, "t.yaml", nullptr));
}
bool ok(const Expectation& e, const Json& v) { return e.test(v).ok; }
}  // namespace

TEST_CASE("expectation: equals is typed, with numeric strings and word booleans") {
  auto e = parse("equals: false");
  CHECK(ok(e, Json(false)));
  CHECK_FALSE(ok(e, Json(true)));
  CHECK(ok(e, Json("no")));   // sysctl / keyvalue text
  CHECK_FALSE(ok(e, Json("yes")));
  auto n = parse("equals: 0");
  CHECK(ok(n, Json(0)));
  CHECK(ok(n, Json("0")));
  CHECK_FALSE(ok(n, Json("1")));
  auto s = parse("equals: 'no'");
  CHECK(ok(s, Json("no")));
  CHECK_FALSE(ok(s, Json("No")));
  CHECK(ok(parse("{equals: 'no', ignore_case: true}"), Json("No")));
}

TEST_CASE("expectation: one_of, not_one_of, not_equals") {
  auto e = parse("one_of: [INFO, VERBOSE]");
  CHECK(ok(e, Json("VERBOSE")));
  CHECK_FALSE(ok(e, Json("DEBUG3")));
  CHECK(e.test(Json("DEBUG3")).detail == "found 'DEBUG3'; expected one of [INFO, VERBOSE]");
  CHECK(ok(parse("not_one_of: [a, b]"), Json("c")));
  CHECK_FALSE(ok(parse("not_equals: 5"), Json("5")));
}

TEST_CASE("expectation: numeric comparisons accept numeric strings and reject words") {
  auto e = parse("{le: 365, ge: 1}");
  CHECK(ok(e, Json("365")));
  CHECK(ok(e, Json(1)));
  CHECK_FALSE(ok(e, Json("99999")));
  CHECK_FALSE(ok(e, Json(0)));
  CHECK_FALSE(ok(e, Json("never")));
  CHECK(ok(parse("gt: 0"), Json(" 300 ")));
  CHECK_FALSE(ok(parse("lt: 4"), Json(4)));
}

TEST_CASE("expectation: matches searches with ECMAScript syntax") {
  auto e = parse(R"(matches: '^(yes|no)$')");
  CHECK(ok(e, Json("no")));
  CHECK_FALSE(ok(e, Json("nope")));
  CHECK(ok(parse("not_matches: debug"), Json("info")));
}

TEST_CASE("expectation: contains works on lists and strings") {
  auto e = parse("contains: CAP_NET_RAW");
  CHECK(ok(e, Json::array({"CAP_CHOWN", "CAP_NET_RAW"})));
  CHECK_FALSE(ok(e, Json::array({"CAP_CHOWN"})));
  CHECK(ok(parse("contains: sha512"), Json("aes256-ctr,sha512")));
}

TEST_CASE("expectation: an absent value fails everything but exists: false") {
  CHECK_FALSE(parse("equals: 1").test(std::nullopt).ok);
  CHECK(parse("exists: false").test(std::nullopt).ok);
  CHECK_FALSE(parse("exists: false").test(Json(1)).ok);
  CHECK(parse("exists: true").test(Json(1)).ok);
  CHECK_FALSE(parse("exists: true").test(std::nullopt).ok);
  CHECK(parse("equals: 1").test(std::nullopt).detail == "not set; expected '1'");
}

TEST_CASE("expectation: bad expectations are load errors") {
  auto err = [](const std::string& y) {
    try {
      parse(y);
    } catch (const hb::ProfileError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(err("equal: 1").find("unknown key 'equal'") != std::string::npos);
  CHECK(err("le: many").find("expected a number") != std::string::npos);
  CHECK(err("matches: '('").find("invalid regular expression") != std::string::npos);
  CHECK(err("ignore_case: true").find("at least one test") != std::string::npos);
  CHECK(err("{exists: false, equals: 1}").find("cannot be combined") != std::string::npos);
  CHECK(err("equals: [1, 2]").find("single value") != std::string::npos);
}

TEST_CASE("expectation: has_bits tests an octal value as a mask (a umask of 027 or stricter)") {
  auto e = parse("has_bits: '027'");
  CHECK(ok(e, Json("027")));
  CHECK(ok(e, Json("077")));
  CHECK(ok(e, Json("0037")));
  CHECK_FALSE(ok(e, Json("022")));
  CHECK_FALSE(ok(e, Json("007")));
  CHECK_FALSE(ok(e, Json("abc")));
  CHECK_FALSE(ok(e, Json("27")));  // decimal 27 to a C reader: 033
  CHECK(e.test(Json("022")).detail == "found '022'; expected octal with bits 027 set");
}

TEST_CASE("expectation: a regex the matcher gives up on is an error, not a fail") {
  auto e = parse("not_matches: '^(a|b)+$'");
  auto r = e.test(Json(std::string(1 << 20, 'a')));
  CHECK_FALSE(r.ok);
  CHECK(r.error);
  CHECK(r.status() == hb::Status::error);
  CHECK(e.test(Json("abab")).status() == hb::Status::fail);
  CHECK(e.test(Json("abc")).status() == hb::Status::pass);
}

TEST_CASE("expectation: all_in and none_in judge a list item by item") {
  auto empty = parse("all_in: []");
  CHECK(ok(empty, Json::array()));
  CHECK_FALSE(ok(empty, Json::array({"CAP_SYS_ADMIN"})));
  CHECK(empty.describe() == "empty");
  auto allowed = parse("all_in: [CAP_NET_BIND_SERVICE, CAP_CHOWN]");
  CHECK(ok(allowed, Json::array({"CAP_CHOWN"})));
  CHECK_FALSE(ok(allowed, Json::array({"CAP_CHOWN", "CAP_SYS_ADMIN"})));
  CHECK(ok(allowed, Json("CAP_CHOWN")));  // a single value is a list of one
  auto ports = parse("all_in: [80, 443]");
  CHECK(ok(ports, Json::array({80, 443})));
  CHECK_FALSE(ok(ports, Json::array({22})));
  auto none = parse("none_in: [/, /etc, /proc]");
  CHECK(ok(none, Json::array({"/srv/data", "/var/log/app"})));
  CHECK(ok(none, Json::array()));
  CHECK_FALSE(ok(none, Json::array({"/srv", "/etc"})));
  CHECK(none.test(Json::array({"/etc"})).detail.find("no item of [/, /etc, /proc]") !=
        std::string::npos);
  CHECK_FALSE(none.test(std::nullopt).ok);  // absent fails, as for every other test
}
