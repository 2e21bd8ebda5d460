#include "reports/html_report.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "reports/escape.hpp"
#include "reports/html_assets.hpp"
#include "reports/json_report.hpp"
#include "tests/support/page_text.hpp"

namespace {

hb::ProfileRef profile(std::string id, bool requested) {
  hb::ProfileRef p;
  p.id = std::move(id);
  p.title = "Linux";
  p.version = "1.0.0";
  p.requested = requested;
  return p;
}

hb::RuleResult rule(std::string id, hb::Severity sv, hb::Status st, std::string tag) {
  hb::RuleResult r;
  r.meta.id = std::move(id);
  r.meta.title = "title of " + r.meta.id;
  r.meta.profile = "linux";
  r.meta.severity = sv;
  r.meta.tags = {std::move(tag)};
  r.status = st;
  r.duration_us = 1500;
  return r;
}

hb::ScanReport sample() {
  hb::ScanReport rep;
  rep.meta.version = "0.1.0";
  // Sub-millisecond times: the page must not depend on precision that JSON does not keep.
  rep.meta.started = hb::SystemTime(std::chrono::microseconds(1795903451123900LL));
  rep.meta.finished = rep.meta.started + std::chrono::microseconds(1234200);
  rep.meta.root = "/mnt/image";
  rep.meta.hostname = "web01";
  rep.meta.os = "Debian GNU/Linux 12 (bookworm)";
  rep.meta.kernel = "6.1.0-18-amd64";
  rep.meta.virtualization = "kvm";
  rep.meta.user = "root(0)";
  rep.meta.profiles = {profile("default", true), profile("linux", false)};
  auto a = rule("host.files.shadow", hb::Severity::high, hb::Status::fail, "files");
  a.evidence = {"/etc/shadow: mode 0644"};
  a.meta.references = {{"cis-debian12", "7.1.5"}, {"cve", "CVE-2024-0001"}};
  a.objects = {{"/etc/shadow", hb::Status::fail, {"mode 0644"}},
               {"/etc/gshadow", hb::Status::pass, {"mode 0640"}}};
  auto b = rule("host.ssh.root", hb::Severity::critical, hb::Status::fail, "ssh");
  auto c = rule("host.net.fwd", hb::Severity::medium, hb::Status::pass, "network");
  auto d = rule("host.net.rp", hb::Severity::low, hb::Status::error, "network");
  rep.results = {a, b, c, d};
  rep.summary = hb::compute_summary(rep.results);
  return rep;
}

std::string render(const hb::ScanReport& rep) {
  std::ostringstream out;
  hb::write_html_report(rep, out);
  return out.str();
}

using hb::test::contains;
using hb::test::lower;
using hb::test::occurrences;

// The text of <script type="application/json" id="data">.
std::string data_block(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"data\">";
  auto b = html.find(open);
  REQUIRE(b != std::string::npos);
  b += open.size();
  auto e = html.find("</script>", b);
  REQUIRE(e != std::string::npos);
  return html.substr(b, e - b);
}

const char* const k_payloads[] = {
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=\"window.__pwned=1\">",
    "]]>",
    "</script><script>window.__pwned=1</script>",
    "\"quoted\" 'single' & <!-- comment",
    "ctl\x01 esc\x1b[31m",
    "bad\xff\xfe utf8",
    "line\xE2\x80\xA8sep\xE2\x80\xA9para",
};

hb::ScanReport hostile() {
  hb::ScanReport rep = sample();
  std::string all;
  for (const char* p : k_payloads) all += p;
  rep.meta.hostname = all;
  rep.meta.os = k_payloads[0];
  rep.meta.kernel = k_payloads[1];
  rep.meta.root = k_payloads[3];
  rep.meta.user = k_payloads[6];
  for (auto& r : rep.results) {
    r.meta.title = all;
    r.meta.remediation = k_payloads[1];
    r.meta.tags = {k_payloads[0]};
    r.meta.references = {{"url", "javascript:window.__pwned=1"}, {"cve", k_payloads[1]}};
    r.evidence.assign(std::begin(k_payloads), std::end(k_payloads));
    r.objects.push_back({k_payloads[1], hb::Status::fail, {k_payloads[0], k_payloads[7]}});
  }
  rep.summary = hb::compute_summary(rep.results);
  return rep;
}

}  // namespace

TEST_CASE("html report: the summary counts, the CSP meta, the host facts") {
  std::string html = render(sample());
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(contains(html,
                 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                 "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
                 "connect-src 'none'; form-action 'none'; base-uri 'none'\">"));
  CHECK(contains(html, "data-count=\"total\">4<"));
  CHECK(contains(html, "data-count=\"fail\">2<"));
  CHECK(contains(html, "data-count=\"pass\">1<"));
  CHECK(contains(html, "data-count=\"error\">1<"));
  CHECK(contains(html, "data-count=\"critical\">1<"));
  CHECK(contains(html, "data-count=\"high\">1<"));
  CHECK(contains(html, "data-count=\"score\">"));
  CHECK(contains(html, ">web01<"));
  CHECK(contains(html, ">kvm<"));
  CHECK(contains(html, ">/mnt/image<"));
  CHECK(contains(html, ">default 1.0.0 (extending linux 1.0.0)<"));
  CHECK(contains(html, ">2026-11-28T22:04:11.123Z<"));
  // From the millisecond times JSON keeps (.123 to .358), so a re-render from JSON agrees.
  CHECK(contains(html, ">1.235 s<"));
  CHECK(contains(html, "<svg"));
}

TEST_CASE("html report: nothing is loaded from anywhere") {
  std::string html = lower(render(sample()));
  for (const char* bad : {"src=", "<link", "url(", "@import", "fetch(", "xmlhttprequest",
                          "sendbeacon", "websocket", "eventsource", "importscripts", "<iframe",
                          "<object", "<embed", "href=\"http", "href='http", "http://"})
    CHECK_MESSAGE(!contains(html, bad), bad);
  // The only https:// strings are the reference links the script may build on a click.
  std::size_t https = occurrences(html, "https://");
  CHECK(https == occurrences(lower(std::string(hb::k_html_js)), "https://"));
}

TEST_CASE("html report: the script builds the DOM without markup from data") {
  std::string js(hb::k_html_js);
  for (const char* bad : {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                          "new Function", "</script", "<!--"})
    CHECK_MESSAGE(!contains(js, bad), bad);
  CHECK(!contains(std::string(hb::k_html_css), "</style"));
}

TEST_CASE("html report: the embedded data is the JSON results") {
  hb::ScanReport rep = sample();
  std::ostringstream json;
  hb::write_json_report(rep, json);
  auto want = nlohmann::ordered_json::parse(json.str());
  auto got = nlohmann::ordered_json::parse(data_block(render(rep)));
  CHECK(got["scan"]["duration_ms"] == 1235);
  got["scan"]["duration_ms"] = want["scan"]["duration_ms"];
  CHECK(got == want);
}

TEST_CASE("html report: hostile host text stays inert") {
  std::string html = render(hostile());
  CHECK(!contains(html, "<script>window.__pwned"));
  CHECK(!contains(html, "<img src=x"));
  CHECK(!contains(html, "<img"));
  CHECK(!contains(html, "]]>"));
  CHECK(!contains(html, "<!-- comment"));
  CHECK(!contains(data_block(html), "\xE2\x80\xA8"));  // escaped in the JSON block
  CHECK(!contains(data_block(html), "\xE2\x80\xA9"));
  CHECK(contains(data_block(html), "line\\u2028sep\\u2029para"));
  CHECK(!contains(html, "\x1b"));
  CHECK(!contains(html, "\x01"));
  CHECK(hb::sanitize_utf8(html) == html);  // valid UTF-8
  // Exactly the page's own two script elements, opened and closed.
  CHECK(occurrences(lower(html), "<script") == 2);
  CHECK(occurrences(lower(html), "</script") == 2);
  // The header shows the text, escaped.
  CHECK(contains(html, "&lt;script&gt;window.__pwned=1&lt;/script&gt;"));
  CHECK(contains(html, "bad\xEF\xBF\xBD\xEF\xBF\xBD utf8"));
  // The data block still carries every payload, intact once parsed.
  auto data = nlohmann::json::parse(data_block(html));
  const auto& r = data["results"][0];
  CHECK(r["evidence"][0] == k_payloads[0]);
  CHECK(r["evidence"][1] == k_payloads[1]);
  CHECK(r["evidence"][3] == k_payloads[3]);
  CHECK(r["evidence"][6] == "bad\xEF\xBF\xBD\xEF\xBF\xBD utf8");
  CHECK(r["evidence"][7] == k_payloads[7]);
  CHECK(r["objects"].back()["id"] == k_payloads[1]);
  CHECK(data["scan"]["os"] == k_payloads[0]);
}

TEST_CASE("html report: the same report gives the same bytes, also from its JSON") {
  hb::ScanReport rep = hostile();
  std::string first = render(rep);
  CHECK(render(rep) == first);
  std::ostringstream json;
  hb::write_json_report(rep, json);
  auto back = hb::read_json_report(json.str());
  REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.message()));
  CHECK(render(*back) == first);
  hb::ScanReport plain = sample();
  std::ostringstream json2;
  hb::write_json_report(plain, json2);
  auto back2 = hb::read_json_report(json2.str());
  REQUIRE(back2.ok());
  CHECK(render(*back2) == render(plain));
}

TEST_CASE("html report: an empty scan still renders") {
  hb::ScanReport rep;
  rep.summary = hb::compute_summary(rep.results);
  std::string html = render(rep);
  CHECK(contains(html, "data-count=\"total\">0<"));
  CHECK(contains(html, "</html>\n"));
}
