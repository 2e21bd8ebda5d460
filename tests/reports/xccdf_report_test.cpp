#include "reports/xccdf_report.hpp"

#include <doctest/doctest.h>

#include <pugixml.hpp>
#include <sstream>

#include "tests/support/sample_report.hpp"

namespace {
std::string render(const hb::ScanReport& r) {
  std::ostringstream out;
  hb::write_xccdf_report(r, out);
  return out.str();
}
}  // namespace

TEST_CASE("xccdf report: rule ids map both ways") {
  CHECK(hb::xccdf_rule_id("host.ssh.permit_root_login") ==
        "xccdf_org.hostbench_rule_host.ssh.permit_root_login");
  CHECK(hb::rule_id_of("xccdf_org.hostbench_rule_host.packages.security-updates") ==
        "host.packages.security-updates");
  CHECK_FALSE(hb::rule_id_of("xccdf_org.other_rule_x").has_value());
  CHECK_FALSE(hb::rule_id_of("xccdf_org.hostbench_rule_").has_value());
}

TEST_CASE("xccdf report: a Benchmark with groups, rules, profiles and one TestResult") {
  auto text = render(hb::test::sample_report());
  pugi::xml_document doc;
  REQUIRE(doc.load_string(text.c_str()));
  auto bench = doc.child("Benchmark");
  CHECK(std::string(bench.attribute("xmlns").value()) == "http://checklists.nist.gov/xccdf/1.2");
  CHECK(std::string(bench.first_child().name()) == "status");
  // Groups by section, in order of appearance: files, ssh, network.
  std::vector<std::string> groups;
  for (auto g : bench.children("Group")) groups.push_back(g.attribute("id").value());
  CHECK(groups == std::vector<std::string>{"xccdf_org.hostbench_group_files",
                                           "xccdf_org.hostbench_group_ssh",
                                           "xccdf_org.hostbench_group_network"});
  // default extends linux: its Profile selects all five rules; linux's only its own four.
  int linux_sel = 0, default_sel = 0;
  for (auto p : bench.children("Profile")) {
    int n = 0;
    for (auto s : p.children("select")) (void)s, ++n;
    (std::string(p.attribute("id").value()).ends_with("_linux") ? linux_sel : default_sel) = n;
  }
  CHECK(linux_sel == 4);
  CHECK(default_sel == 5);
  auto tr = bench.child("TestResult");
  CHECK(std::string(tr.attribute("end-time").value()) == "2026-11-28T22:04:11.042Z");
  CHECK(std::string(tr.child("profile").attribute("idref").value()) == "xccdf_org.hostbench_profile_default");
  CHECK(std::string(tr.child("identity").attribute("privileged").value()) == "true");
  CHECK(std::string(tr.child("target-address").text().get()) == "192.0.2.10");
  int results = 0;
  for (auto rr : tr.children("rule-result")) (void)rr, ++results;
  CHECK(results == 5);
  auto first = tr.child("rule-result");
  CHECK(std::string(first.child("result").text().get()) == "fail");
  CHECK(std::string(first.child("ident").text().get()) == "5.1.20");
  CHECK(std::string(first.child("message").text().get()) == "/etc/shadow: mode 0644 allows 0004 beyond 0640");
  // critical has no XCCDF name: it is high.
  auto second = first.next_sibling("rule-result");
  CHECK(std::string(second.attribute("severity").value()) == "high");
}

TEST_CASE("xccdf report: waived is a pass with an override from fail, error stays error") {
  auto text = render(hb::test::sample_report());
  pugi::xml_document doc;
  REQUIRE(doc.load_string(text.c_str()));
  auto tr = doc.child("Benchmark").child("TestResult");
  auto waived = tr.find_child_by_attribute("rule-result", "idref", "xccdf_org.hostbench_rule_default.extra");
  REQUIRE(waived);
  CHECK(std::string(waived.child("result").text().get()) == "pass");
  CHECK(std::string(waived.child("override").child("old-result").text().get()) == "fail");
  CHECK(std::string(waived.child("override").child("remark").text().get()).find("legacy appliance") != std::string::npos);
  auto err = tr.find_child_by_attribute("rule-result", "idref", "xccdf_org.hostbench_rule_host.net.ip_forward");
  CHECK(std::string(err.child("result").text().get()) == "error");
}

TEST_CASE("xccdf report: scores in the default and flat models") {
  auto text = render(hb::test::sample_report());
  pugi::xml_document doc;
  REQUIRE(doc.load_string(text.c_str()));
  auto tr = doc.child("Benchmark").child("TestResult");
  auto def = tr.find_child_by_attribute("score", "system", "urn:xccdf:scoring:default");
  auto flat = tr.find_child_by_attribute("score", "system", "urn:xccdf:scoring:flat");
  // files: fail + waived → 50; ssh: pass → 100; network: error → 0; mean 50.
  CHECK(def.text().as_double() == doctest::Approx(50.0));
  CHECK(flat.text().as_double() == doctest::Approx(2.0));
  CHECK(flat.attribute("maximum").as_double() == doctest::Approx(4.0));
}

TEST_CASE("xccdf report: hostile text stays inert and the document well-formed") {
  auto text = render(hb::test::hostile_report());
  pugi::xml_document doc;
  auto ok = doc.load_string(text.c_str());
  REQUIRE_MESSAGE(ok, ok.description());
  CHECK(text.find("<script>") == std::string::npos);
  CHECK(text.find("<img") == std::string::npos);
  CHECK(text.find('\x01') == std::string::npos);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find("\xff") == std::string::npos);
  CHECK(std::string(doc.child("Benchmark").child("TestResult").child("target").text().get())
            .find("<script>window.__pwned=1</script>") != std::string::npos);
}

TEST_CASE("xccdf report: the same report renders to the same bytes") {
  CHECK(render(hb::test::sample_report()) == render(hb::test::sample_report()));
}
