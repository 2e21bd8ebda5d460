#include "reports/fleet_html.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "engine/text.hpp"
#include "reports/escape.hpp"
#include "reports/fleet_html_assets.hpp"
#include "reports/html_assets.hpp"
#include "tests/support/page_text.hpp"

namespace {

using Json = nlohmann::json;

constexpr std::uint8_t P = static_cast<std::uint8_t>(hb::Status::pass);
constexpr std::uint8_t F = static_cast<std::uint8_t>(hb::Status::fail);
constexpr std::uint8_t E = static_cast<std::uint8_t>(hb::Status::error);
constexpr std::uint8_t NA = static_cast<std::uint8_t>(hb::Status::notapplicable);
constexpr std::uint8_t W = static_cast<std::uint8_t>(hb::Status::waived);
constexpr std::uint8_t X = hb::k_not_scanned;

hb::FleetRule rule(std::string id, hb::Severity sv, std::string title = "") {
  hb::FleetRule r;
  r.id = std::move(id);
  r.title = title.empty() ? "title of " + r.id : std::move(title);
  r.profile = "linux";
  r.severity = sv;
  return r;
}

// A host whose summary is counted from its row (as the merge recomputes it).
hb::FleetHost host(std::string name, std::vector<std::uint8_t> row,
                   const std::vector<hb::FleetRule>& rules) {
  hb::FleetHost h;
  h.hostname = name;
  h.file = "results/" + name + ".json";
  h.started = "2026-11-28T22:04:11Z";
  h.started_epoch = 1795903451;
  h.age_hours = 3.25;
  h.tool_version = "0.1.0";
  h.profiles = {"linux"};
  h.status = std::move(row);
  for (std::size_t r = 0; r < h.status.size(); ++r) {
    if (h.status[r] == X) continue;
    ++h.summary.total;
    ++h.summary.counts[h.status[r]];
    if (h.status[r] == F && r < rules.size())
      ++h.summary.by_severity_failed[static_cast<int>(rules[r].severity)];
  }
  const int judged = h.summary.count(hb::Status::pass) + h.summary.count(hb::Status::fail);
  h.summary.score = judged ? 100.0 * h.summary.count(hb::Status::pass) / judged : 100.0;
  h.report_html = name + ".html";
  return h;
}

void count_rules(hb::Fleet& f) {
  for (auto& r : f.rules) std::fill(std::begin(r.hosts), std::end(r.hosts), 0);
  for (const auto& h : f.hosts)
    for (std::size_t r = 0; r < f.rules.size() && r < h.status.size(); ++r)
      if (h.status[r] < 7) ++f.rules[r].hosts[h.status[r]];
}

// Three hosts × four rules: fails, errors, waived, n/a and not scanned; one stale, one without a
// scan time; a skipped file and a warning.
hb::Fleet sample() {
  hb::Fleet f;
  f.generated = "2026-11-29T01:00:00Z";
  f.max_age_hours = 24;
  f.files_given = 4;
  f.rules = {rule("linux.ssh.root", hb::Severity::critical),
             rule("linux.fs.tmp", hb::Severity::high), rule("linux.net.fwd", hb::Severity::medium),
             rule("docker.icc", hb::Severity::low)};
  f.rules[2].severity_differs = true;
  f.rules[3].profile = "docker";
  f.hosts = {host("web01", {F, F, E, X}, f.rules), host("db01", {F, P, W, NA}, f.rules),
             host("mail", {P, P, P, X}, f.rules)};
  f.hosts[1].stale = true;
  f.hosts[1].age_hours = 50.5;
  f.hosts[1].profiles = {"linux", "docker"};
  f.hosts[2].started.clear();
  f.hosts[2].started_epoch.reset();
  f.hosts[2].age_hours.reset();
  f.hosts[2].stale = true;
  f.hosts[2].report_html.clear();
  count_rules(f);
  f.problems = {{"results/bad.json", "line 3:17: expected a value", true},
                {"results/db01.json", "scan.started is in the future", false}};
  return f;
}

std::string render(const hb::Fleet& f) {
  std::ostringstream out;
  hb::write_fleet_html(f, out);
  return out.str();
}

using hb::test::contains;
using hb::test::lower;
using hb::test::occurrences;

constexpr std::string_view k_data_open = "<script type=\"application/json\" id=\"data\">";

// The text of the data block, as a browser's parser would see it (up to the first </script).
std::string data_text(const std::string& page) {
  auto start = page.find(k_data_open);
  REQUIRE(start != std::string::npos);
  start += k_data_open.size();
  auto end = page.find("</script", start);
  REQUIRE(end != std::string::npos);
  return page.substr(start, end - start);
}

Json data_of(const std::string& page) {
  Json doc = Json::parse(data_text(page), nullptr, false);
  REQUIRE_FALSE(doc.is_discarded());
  return doc;
}

// The page's markup outside the data block and the script: what the HTML parser renders.
std::string markup_of(const std::string& page) {
  auto start = page.find(k_data_open);
  REQUIRE(start != std::string::npos);
  return page.substr(0, start);
}

std::string between(const std::string& page, std::string_view open, std::string_view close,
                    std::size_t from = 0) {
  auto start = page.find(open, from);
  REQUIRE(start != std::string::npos);
  start += open.size();
  auto end = page.find(close, start);
  REQUIRE(end != std::string::npos);
  return page.substr(start, end - start);
}

// Checks the data block against the model, field by field.
void check_round_trip(const hb::Fleet& f, const Json& d) {
  CHECK(d["schema"] == "hostbench-fleet-page/1");
  CHECK(d["generated"] == hb::sanitize_utf8(f.generated));
  CHECK(d["max_age_hours"].get<double>() == f.max_age_hours);
  CHECK(d["files_given"] == f.files_given);
  const std::string codes = d["status_codes"];
  REQUIRE(codes.size() == 8);
  const Json& h = d["hosts"];
  REQUIRE(h["hostname"].size() == f.hosts.size());
  for (std::size_t i = 0; i < f.hosts.size(); ++i) {
    const auto& m = f.hosts[i];
    CAPTURE(i);
    CHECK(h["hostname"][i] == hb::sanitize_utf8(m.hostname));
    CHECK(h["file"][i] == hb::sanitize_utf8(m.file));
    CHECK(h["started"][i] == hb::sanitize_utf8(m.started));
    if (m.age_hours)
      CHECK(h["age_hours"][i].get<double>() == *m.age_hours);
    else
      CHECK(h["age_hours"][i].is_null());
    CHECK(h["stale"][i] == m.stale);
    CHECK(h["tool_version"][i] == hb::sanitize_utf8(m.tool_version));
    REQUIRE(h["profiles"][i].size() == m.profiles.size());
    for (std::size_t p = 0; p < m.profiles.size(); ++p)
      CHECK(h["profiles"][i][p] == hb::sanitize_utf8(m.profiles[p]));
    CHECK(h["score"][i].get<double>() == m.summary.score);
    CHECK(h["total"][i] == m.summary.total);
    for (int s = 0; s < 7; ++s) CHECK(h["counts"][i][s] == m.summary.counts[s]);
    for (int s = 0; s < 5; ++s)
      CHECK(h["failed_by_severity"][i][s] == m.summary.by_severity_failed[s]);
    CHECK(h["report"][i] == hb::sanitize_utf8(m.report_html));
    CHECK(h["report_href"][i] == hb::fleet_report_href(m.report_html));
    const std::string row = h["status"][i];
    REQUIRE(row.size() == f.rules.size());
    for (std::size_t r = 0; r < f.rules.size(); ++r) {
      std::uint8_t v = r < m.status.size() ? m.status[r] : X;
      std::size_t want = v == X ? 7 : v < 7 ? v : static_cast<std::size_t>(hb::Status::error);
      CHECK(codes.find(row[r]) == want);
    }
  }
  const Json& r = d["rules"];
  REQUIRE(r["id"].size() == f.rules.size());
  for (std::size_t i = 0; i < f.rules.size(); ++i) {
    const auto& m = f.rules[i];
    CAPTURE(i);
    CHECK(r["id"][i] == hb::sanitize_utf8(m.id));
    CHECK(r["title"][i] == hb::sanitize_utf8(m.title));
    CHECK(r["profile"][i] == hb::sanitize_utf8(m.profile));
    CHECK(r["severity"][i] == std::string(hb::to_string(m.severity)));
    CHECK(r["severity_differs"][i] == m.severity_differs);
    for (int s = 0; s < 7; ++s) CHECK(r["hosts"][i][s] == m.hosts[s]);
  }
  REQUIRE(d["problems"].size() == f.problems.size());
  for (std::size_t i = 0; i < f.problems.size(); ++i) {
    CHECK(d["problems"][i]["file"] == hb::sanitize_utf8(f.problems[i].file));
    CHECK(d["problems"][i]["message"] == hb::sanitize_utf8(f.problems[i].message));
    CHECK(d["problems"][i]["skipped"] == f.problems[i].skipped);
  }
}

const std::vector<std::string> k_payloads = {
    "<script>window.__pwned=1</script>",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=\"window.__pwned=1\">",
    "\"double\" 'single' & <!-- comment -->",
    "ctl\x01 esc\x1b[31m red\x7f",
    "bidi \xE2\x80\xAE"
    "evil\xE2\x80\xAC",
    "line\xE2\x80\xA8sep\xE2\x80\xA9para",
    "bad \xff\xfe utf8 \xC0\xAF",
};

std::string all_payloads() {
  std::string s;
  for (const auto& p : k_payloads) s += p + " ";
  return s;
}

}  // namespace

TEST_CASE("fleet html: the data block round-trips to the model") {
  const hb::Fleet f = sample();
  const std::string page = render(f);
  const Json d = data_of(page);
  check_round_trip(f, d);
  // The status rows as the page's script reads them.
  CHECK(d["hosts"]["status"][0] == "ffe-");
  CHECK(d["hosts"]["status"][1] == "fpwn");
  CHECK(d["hosts"]["status"][2] == "ppp-");
}

TEST_CASE("fleet html: the header and summary give the fleet's numbers without the script") {
  const std::string page = render(sample());
  const std::string markup = markup_of(page);
  auto count = [&](std::string_view key) {
    return between(markup, std::string("data-count=\"") + std::string(key) + "\">", "<");
  };
  CHECK(count("files") == "4");
  CHECK(count("hosts") == "3");
  CHECK(count("failing") == "2");  // web01 and db01 fail rules
  CHECK(count("stale") == "2");    // db01 (old) and mail (no scan time)
  CHECK(count("skipped") == "1");
  CHECK(count("warnings") == "1");
  CHECK(count("rules") == "4");
  CHECK(count("failing_rules") == "2");
  CHECK(between(markup, "data-fact=\"generated\">", "</dd>") ==
        "<time class=\"mono\">2026-11-29T01:00:00Z</time>");
  CHECK(between(markup, "data-fact=\"max_age\">", "</dd>") == "24 h");
  // The problems, server-rendered, each in its table.
  CHECK(contains(between(markup, "id=\"skipped\"", "</table>"), "line 3:17: expected a value"));
  CHECK(contains(between(markup, "id=\"warnings\"", "</table>"), "scan.started is in the future"));
  // The worst hosts and most failed rules, in the model's order.
  const std::string top_hosts = between(markup, "id=\"top-hosts\"", "</ol>");
  REQUIRE(contains(top_hosts, "web01"));
  CHECK(top_hosts.find("web01") < top_hosts.find("db01"));
  CHECK_FALSE(contains(top_hosts, "mail"));  // fails nothing
  CHECK(contains(between(markup, "id=\"top-rules\"", "</ol>"), "linux.ssh.root"));
  CHECK(contains(markup, "<noscript>"));
  CHECK(contains(markup, "<div id=\"app\" hidden>"));
}

TEST_CASE("fleet html: hostile hostnames, ids, titles, file names and messages stay text") {
  hb::Fleet f = sample();
  const std::string all = all_payloads();
  f.generated = k_payloads[0];
  f.hosts[0].hostname = all;
  f.hosts[0].file = k_payloads[1] + ".json";
  f.hosts[0].tool_version = k_payloads[2];
  f.hosts[0].profiles = {k_payloads[3], k_payloads[7]};
  f.hosts[0].started = k_payloads[4];
  f.hosts[1].hostname = k_payloads[5];
  f.rules[0].id = all;
  f.rules[0].title = all;
  f.rules[1].profile = k_payloads[1];
  f.problems = {{all, all, true}, {k_payloads[1], k_payloads[5], false}};
  const std::string page = render(f);

  // Exactly the page's own two script elements, however the text tries to open or close one.
  CHECK(occurrences(lower(page), "<script") == 2);
  CHECK(occurrences(lower(page), "</script") == 2);
  CHECK(occurrences(lower(page), "<!--") == 0);
  const std::string markup = lower(markup_of(page));
  CHECK_FALSE(contains(markup, "<img"));
  CHECK_FALSE(contains(markup, "onerror=\""));
  // Valid UTF-8, no raw control characters, no raw bidi overrides in what is rendered.
  CHECK(hb::sanitize_utf8(page) == page);
  auto control = [](bool del) {
    return [del](char c) {
      auto u = static_cast<unsigned char>(c);
      return (u < 0x20 && u != '\n' && u != '\t') || (del && u == 0x7f);
    };
  };
  const std::string shown = markup_of(page), data = data_text(page);
  CHECK(std::none_of(shown.begin(), shown.end(), control(true)));
  CHECK(std::none_of(data.begin(), data.end(), control(false)));  // JSON escapes all but DEL
  CHECK_FALSE(contains(markup_of(page), "\xE2\x80\xAE"));
  CHECK_FALSE(contains(data_text(page), "\xE2\x80\xA8"));  // U+2028 only as \u2028 in the data
  // Shown as text in the server-rendered parts.
  CHECK(contains(markup_of(page), "ctl\\x01 esc\\x1b[31m red\\x7f"));
  CHECK(contains(markup_of(page), "bidi &lt;U+202E&gt;evil&lt;U+202C&gt;"));
  CHECK(contains(markup_of(page), "&lt;script&gt;window.__pwned=1&lt;/script&gt;"));
  // And the data block still carries every string exactly (invalid UTF-8 as U+FFFD).
  const Json d = data_of(page);
  check_round_trip(f, d);
  CHECK(d["hosts"]["hostname"][0] == hb::sanitize_utf8(all));
  CHECK(
      contains(d["hosts"]["hostname"][0].get<std::string>(), "</script><script>alert(1)</script>"));
}

TEST_CASE("fleet html: a report_html with a scheme or an absolute path is not linked") {
  for (const char* bad :
       {"javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:x",
        "data:text/html,<script>alert(1)</script>", "https://evil.example/r.html",
        "//evil.example/r.html", "/etc/passwd", "\\\\evil\\share\\r.html", "\\r.html",
        "C:\\reports\\r.html", "host:8080/r.html", "vbscript:msgbox", ""}) {
    CAPTURE(bad);
    CHECK(hb::fleet_report_href(bad).empty());
  }
  CHECK(hb::fleet_report_href("web01.html") == "web01.html");
  CHECK(hb::fleet_report_href("results/web-01_a~.html") == "results/web-01_a~.html");
  CHECK(hb::fleet_report_href("../out/web01.html") == "../out/web01.html");
  // Characters the URL parser would act on are percent-encoded: no query, fragment or scheme.
  CHECK(hb::fleet_report_href("a b#1?.html") == "a%20b%231%3F.html");
  CHECK(hb::fleet_report_href("dir/x:y.html") == "dir/x%3Ay.html");
  CHECK(hb::fleet_report_href("a\\b\".html") == "a%5Cb%22.html");
  CHECK(hb::fleet_report_href("100%.html") == "100%25.html");
  CHECK(hb::fleet_report_href("caf\xC3\xA9\xff.html") == "caf%C3%A9%FF.html");

  hb::Fleet f = sample();
  f.hosts[0].report_html = "javascript:window.__pwned=1//.html";
  f.hosts[1].report_html = "/var/lib/hostbench/db01.html";
  f.hosts[2].report_html = "mail reports/mail#1.html";
  const std::string page = render(f);
  const Json d = data_of(page);
  CHECK(d["hosts"]["report_href"][0] == "");
  CHECK(d["hosts"]["report_href"][1] == "");
  CHECK(d["hosts"]["report_href"][2] == "mail%20reports/mail%231.html");
  CHECK(d["hosts"]["report"][0] == "javascript:window.__pwned=1//.html");  // kept, to be shown
  // The page itself holds no href to any of them: links are made by the script from report_href.
  CHECK_FALSE(contains(lower(markup_of(page)), "javascript:"));
  CHECK_FALSE(contains(markup_of(page), "/var/lib/hostbench"));
}

TEST_CASE("fleet html: an empty fleet (no hosts, only problems) renders") {
  hb::Fleet f;
  f.generated = "2026-11-29T01:00:00Z";
  f.files_given = 2;
  f.problems = {{"a.json", "not hostbench results (schema \"x\")", true},
                {"b.json", "line 1:1: expected a value", true}};
  const std::string page = render(f);
  const std::string markup = markup_of(page);
  CHECK(contains(markup, "data-count=\"hosts\">0<"));
  CHECK(contains(markup, "data-count=\"skipped\">2<"));
  CHECK(contains(markup, "data-count=\"mean_score\">&#8211;<"));
  CHECK(contains(markup, "not hostbench results (schema &quot;x&quot;)"));
  CHECK_FALSE(contains(markup, "id=\"top-hosts\""));
  CHECK(contains(markup, "<title>hostbench fleet report: 0 hosts</title>"));
  CHECK(contains(page, "</html>\n"));
  const Json d = data_of(page);
  check_round_trip(f, d);
  CHECK(d["hosts"]["status"].empty());
  CHECK(d["rules"]["id"].empty());
}

TEST_CASE("fleet html: status values that are not statuses, and short rows") {
  hb::Fleet f = sample();
  f.hosts[0].status = {F, 9};           // 9 is no Status; the row is two rules short
  f.hosts[1].status = {P, P, P, P, P};  // one more than there are rules
  const Json d = data_of(render(f));
  CHECK(d["hosts"]["status"][0] == "fe--");
  CHECK(d["hosts"]["status"][1] == "pppp");
}

TEST_CASE("fleet html: problems past the first rows are left to the data block") {
  hb::Fleet f = sample();
  f.problems.clear();
  for (int i = 0; i < 600; ++i)
    f.problems.push_back({"bad" + std::to_string(i) + ".json", "line 1:1: expected a value", true});
  f.problems.push_back({"w.json", "a warning", false});
  const std::string page = render(f);
  const std::string markup = markup_of(page);
  const std::string table = between(markup, "id=\"skipped\"", "</table>");
  CHECK(occurrences(table, "<tr>") == hb::k_fleet_problem_rows + 1);  // with the header row
  CHECK(contains(markup, "data-kind=\"skipped\" data-shown=\"500\">100 more not listed here"));
  CHECK(contains(markup, "data-count=\"skipped\">600<"));
  // Warnings have rows of their own.
  CHECK(contains(between(markup, "id=\"warnings\"", "</table>"), "a warning"));
  CHECK_FALSE(contains(markup, "data-kind=\"warnings\""));
  CHECK(data_of(page)["problems"].size() == 601);
}

TEST_CASE("fleet html: the CSP allows exactly the page's own script and stylesheet") {
  const std::string page = render(sample());
  const std::string csp =
      between(page, "<meta http-equiv=\"Content-Security-Policy\" content=\"", "\"");
  CHECK(hb::starts_with(csp, "default-src 'none';"));
  CHECK_FALSE(contains(csp, "unsafe"));
  CHECK_FALSE(contains(csp, "http"));
  const std::string script = between(page, "<script>", "</script>");
  const std::string style = between(page, "<style>", "</style>");
  CHECK(script == std::string(hb::k_fleet_js));
  CHECK(style == std::string(hb::k_html_css) + std::string(hb::k_fleet_css));
  CHECK(contains(csp, "script-src " + hb::csp_hash_source(script) + ";"));
  CHECK(contains(csp, "style-src " + hb::csp_hash_source(style) + ";"));
  // The script builds with textContent, never with markup from data.
  CHECK_FALSE(contains(script, "innerHTML"));
  CHECK_FALSE(contains(script, "outerHTML"));
  CHECK_FALSE(contains(script, "insertAdjacentHTML"));
  CHECK_FALSE(contains(script, "document.write"));
  CHECK_FALSE(contains(script, "eval("));
  CHECK_FALSE(contains(script, "setAttribute('style'"));
}

TEST_CASE("fleet html: SHA-256 matches the FIPS 180-4 examples and the padding boundaries") {
  CHECK(hb::sha256_base64("") == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  CHECK(hb::sha256_base64("abc") == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
  CHECK(hb::sha256_base64("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "JI1qYdIGOLjlwCaTDD5gOaM85Flk/yFn9uzt1BnbBsE=");
  CHECK(hb::sha256_base64(std::string(55, 'a')) == "n0OQ+NMMLdkuyfCVtl4rmumwqSWlJY4kHJ8ekQ9zQxg=");
  CHECK(hb::sha256_base64(std::string(56, 'a')) == "s1Q5pKxvCUi21vnjxq8PX1kM4g8b3nCQ73lwaG7Gc4o=");
  CHECK(hb::sha256_base64(std::string(63, 'a')) == "fT50oF19sVvOStnsBljqmOPwbu7PFrTG//LaRX3cLzQ=");
  CHECK(hb::sha256_base64(std::string(64, 'a')) == "/+BU/nrgy23GXDr5th1SCfQ5hR20PQulmXM33xVGaOs=");
  CHECK(hb::sha256_base64(std::string(65, 'a')) == "Y1NhxIu56rFBmOduqKt/GkFoXWrWKqkUbTAdTxfrCuA=");
  CHECK(hb::sha256_base64(std::string(1000000, 'a')) ==
        "zcduXJkU+5KBocfihNc+Z/GAmkiklyAOBG05zMcRLNA=");
  CHECK(hb::csp_hash_source("abc") == "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='");
}

TEST_CASE("escape: html_text shows control and bidi characters, script_safe_json_text keeps JSON") {
  CHECK(hb::html_text("a\x01<b>\xE2\x80\xAEz\xff") == "a\\x01&lt;b&gt;&lt;U+202E&gt;z\xEF\xBF\xBD");
  CHECK(hb::html_text("tab\tnl\n") == "tab\tnl\n");
  const std::string json = R"({"s":"</script><!-- & \u2028)"
                           "\xE2\x80\xA8"
                           R"("})";
  const std::string safe = hb::script_safe_json_text(json);
  CHECK_FALSE(contains(safe, "<"));
  CHECK_FALSE(contains(safe, ">"));
  CHECK_FALSE(contains(safe, "&"));
  CHECK_FALSE(contains(safe, "\xE2\x80\xA8"));
  CHECK(Json::parse(safe) == Json::parse(json));
}
