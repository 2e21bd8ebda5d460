#include "reports/junit_report.hpp"

#include <doctest/doctest.h>

#include <pugixml.hpp>
#include <sstream>

#include "tests/support/sample_report.hpp"

namespace {
std::string render(const hb::ScanReport& r) {
  std::ostringstream out;
  hb::write_junit_report(r, out);
  return out.str();
}
}  // namespace

TEST_CASE("junit report: a testsuite per profile, failures, errors and skips counted") {
  auto text = render(hb::test::sample_report());
  pugi::xml_document doc;
  REQUIRE(doc.load_string(text.c_str()));
  auto suites = doc.child("testsuites");
  CHECK(suites.attribute("tests").as_int() == 5);
  CHECK(suites.attribute("failures").as_int() == 1);
  CHECK(suites.attribute("errors").as_int() == 1);
  CHECK(suites.attribute("skipped").as_int() == 1);
  auto linux_suite = suites.find_child_by_attribute("testsuite", "name", "linux");
  auto default_suite = suites.find_child_by_attribute("testsuite", "name", "default");
  REQUIRE(linux_suite);
  REQUIRE(default_suite);
  CHECK(linux_suite.attribute("tests").as_int() == 4);
  CHECK(default_suite.attribute("tests").as_int() == 1);
  auto tc = linux_suite.child("testcase");
  CHECK(std::string(tc.attribute("classname").value()) == "linux.files");
  CHECK(std::string(tc.attribute("name").value()) == "host.files.shadow: Title of host.files.shadow");
  auto failure = tc.child("failure");
  REQUIRE(failure);
  CHECK(std::string(failure.attribute("type").value()) == "high");
  std::string body = failure.text().get();
  CHECK(body.find("/etc/shadow [fail]") != std::string::npos);
  CHECK(body.find("Remediation: Fix host.files.shadow") != std::string::npos);
  CHECK(tc.attribute("time").as_double() == doctest::Approx(0.00125));
  auto na = linux_suite.find_child_by_attribute("testcase", "name", "host.ssh.banner: Title of host.ssh.banner");
  CHECK(std::string(na.child("skipped").attribute("message").value()).rfind("notapplicable: ", 0) == 0);
  auto err = linux_suite.find_child_by_attribute("testcase", "name", "host.net.ip_forward: Title of host.net.ip_forward");
  CHECK(err.child("error"));
}

TEST_CASE("junit report: hostile text stays inert and well-formed") {
  auto text = render(hb::test::hostile_report());
  pugi::xml_document doc;
  REQUIRE(doc.load_string(text.c_str()));
  CHECK(text.find("<script>") == std::string::npos);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find("\xff") == std::string::npos);
}
