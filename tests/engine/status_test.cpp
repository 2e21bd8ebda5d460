#include "engine/status.hpp"

#include <doctest/doctest.h>

using hb::Status;

TEST_CASE("status: names round-trip and unknown names are refused") {
  for (Status s : hb::k_all_statuses) CHECK(hb::parse_status(hb::to_string(s)) == s);
  for (hb::Severity s : hb::k_all_severities) CHECK(hb::parse_severity(hb::to_string(s)) == s);
  CHECK_FALSE(hb::parse_status("passed").has_value());
  CHECK_FALSE(hb::parse_severity("urgent").has_value());
  CHECK(hb::Severity::critical > hb::Severity::high);
}

TEST_CASE("status: worst orders fail > error > waived > pass > informational > notchecked > n/a") {
  CHECK(hb::worst(Status::pass, Status::fail) == Status::fail);
  CHECK(hb::worst(Status::error, Status::fail) == Status::fail);
  CHECK(hb::worst(Status::error, Status::pass) == Status::error);
  CHECK(hb::worst(Status::waived, Status::pass) == Status::waived);
  CHECK(hb::worst(Status::notapplicable, Status::pass) == Status::pass);
  CHECK(hb::worst(Status::notapplicable, Status::notchecked) == Status::notchecked);
  CHECK(hb::worst(Status::informational, Status::notapplicable) == Status::informational);
}
