#include "engine/facts.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

TEST_CASE("facts: a key is computed once even when many threads ask at once") {
  hb::Facts facts;
  std::atomic<int> computed{0};
  std::vector<std::thread> threads;
  std::atomic<int> sum{0};
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      auto v = facts.get<int>("answer", [&]() -> hb::Expected<int> {
        ++computed;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return 42;
      });
      sum += v->value();
    });
  for (auto& t : threads) t.join();
  CHECK(computed == 1);
  CHECK(sum == 8 * 42);
  CHECK(facts.parse_counts().at("answer") == 1);
}

TEST_CASE("facts: errors are cached like values") {
  hb::Facts facts;
  int calls = 0;
  auto compute = [&]() -> hb::Expected<std::string> {
    ++calls;
    return hb::make_error(hb::ErrorKind::parse, "bad");
  };
  CHECK_FALSE(facts.get<std::string>("k", compute)->ok());
  CHECK_FALSE(facts.get<std::string>("k", compute)->ok());
  CHECK(calls == 1);
}

TEST_CASE("facts: one key used with two types is a programming error") {
  hb::Facts facts;
  (void)facts.get<int>("k", []() -> hb::Expected<int> { return 1; });
  CHECK_THROWS_AS((void)facts.get<std::string>("k", []() -> hb::Expected<std::string> { return std::string("x"); }),
                  std::logic_error);
}

TEST_CASE("facts: the time a source took is recorded once per key") {
  hb::Facts facts;
  (void)facts.get<int>("slow", []() -> hb::Expected<int> {
    std::this_thread::sleep_for(std::chrono::milliseconds(15));
    return 1;
  });
  (void)facts.get<int>("slow", []() -> hb::Expected<int> { return 2; });
  auto d = facts.durations_us();
  REQUIRE(d.count("slow"));
  CHECK(d.at("slow") >= 15000);
}
