#include "engine/regex.hpp"

#include <doctest/doctest.h>

#include <chrono>

TEST_CASE("regex: ECMAScript syntax, searched, with lookahead and case folding") {
  auto r = hb::Regex::compile(R"(^\s*PermitRootLogin\s+(?!yes)\w+)");
  REQUIRE(r.ok());
  CHECK(*r->search("PermitRootLogin no") == true);
  CHECK(*r->search("PermitRootLogin yes") == false);
  CHECK(*r->search("  PermitRootLogin prohibit-password # x") == true);
  auto i = hb::Regex::compile("permitrootlogin", true);
  CHECK(*i->search("PermitRootLogin no") == true);
  CHECK(r->source() == R"(^\s*PermitRootLogin\s+(?!yes)\w+)");
}

TEST_CASE("regex: an invalid pattern is an error with the reason") {
  auto r = hb::Regex::compile("(unclosed");
  REQUIRE_FALSE(r.ok());
  CHECK(r.message().find("invalid regular expression") == 0);
}

TEST_CASE("regex: long lines neither overflow the stack nor give a guess") {
  auto r = hb::Regex::compile("^(a|b)+$");
  REQUIRE(r.ok());
  std::string line(16 * 1024, 'a');
  auto m = r->search(line);
  REQUIRE(m.ok());
  CHECK(*m == true);
  line.back() = 'c';
  auto n = r->search(line);
  REQUIRE(n.ok());
  CHECK(*n == false);
  // A megabyte of backtracking state is past Boost's memory limit: an error, not a crash.
  auto big = r->search(std::string(1 << 20, 'a'));
  CHECK_FALSE(big.ok());
}

TEST_CASE("regex: catastrophic backtracking ends in an error, not a hang") {
  // Ambiguous alternation under a star: not refused at load, bounded by Boost at run time.
  auto r = hb::Regex::compile("^(a|a)*$");
  REQUIRE(r.ok());
  const auto t0 = std::chrono::steady_clock::now();
  auto m = r->search(std::string(5000, 'a') + "b");
  CHECK_FALSE(m.ok());
  CHECK(m.message().find("could not be matched") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
}

TEST_CASE("regex: nested repetition is refused when the profile loads") {
  for (const char* p : {"^(a+)+$", "(a*)*", "(\\w+\\s*)*x", "((ab)+c?)+", "(x+){2,}", "(x+){1,1000}",
                        "((a+)?)+", "(?:[a-z]+\\.)+$", "([^,]*a)*", "([^a-z]*,)*"}) {
    auto r = hb::Regex::compile(p);
    CHECK_MESSAGE(!r.ok(), p);
    if (!r.ok()) CHECK(r.message().find("nested repetition") != std::string::npos);
  }
  // Bounded or single repetition, escapes and classes that only look like groups: accepted.
  for (const char* p : {"(a+)?", "(\\d{1,3}\\.){3}\\d{1,3}", "^\\s*(-w\\s+(/usr/s?bin/dockerd)/?(\\s|$))",
                        "\\(a+\\)+", "[(]a+[)]+", "(ab)+", "(a|b)*c", "((/usr)?/lib/x)+", "a{2}b{3}",
                        "^(?!-)[+^]?([^,]*,)*(3des-cbc)(,|$)", "([^:]+:)+x", "([^ ,]*,)*"}) {
    auto r = hb::Regex::compile(p);
    CHECK_MESSAGE(r.ok(), p << ": " << (r.ok() ? "" : r.message()));
  }
}
