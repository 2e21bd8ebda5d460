#include "engine/fleet.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "engine/cli.hpp"
#include "reports/fleet_json.hpp"
#include "reports/json_report.hpp"
#include "tests/support/fleet_gen.hpp"
#include "tests/support/sample_report.hpp"
#include "tests/support/temp_tree.hpp"

namespace {

using hb::Status;

std::string json_of(const hb::ScanReport& r) {
  std::ostringstream out;
  hb::write_json_report(r, out);
  return out.str();
}

// The skim must agree with the scanner's own full reader on everything it keeps.
void check_same_as_full_reader(const std::string& text) {
  auto full = hb::read_json_report(text);
  REQUIRE(full.ok());
  auto skim = hb::skim_results(text);
  REQUIRE_MESSAGE(skim.ok(), skim.message());
  CHECK(skim->hostname == full->meta.hostname);
  CHECK(skim->tool_version == full->meta.version);
  REQUIRE(skim->profiles.size() == full->meta.profiles.size());
  for (std::size_t i = 0; i < skim->profiles.size(); ++i)
    CHECK(skim->profiles[i] == full->meta.profiles[i].id);
  REQUIRE(skim->results.size() == full->results.size());
  for (std::size_t i = 0; i < skim->results.size(); ++i) {
    const auto& s = skim->results[i];
    const auto& f = full->results[i];
    CHECK(s.id == f.meta.id);
    CHECK(s.title == f.meta.title);
    CHECK(s.profile == f.meta.profile);
    CHECK(s.severity == f.meta.severity);
    CHECK(s.status == f.status);
  }
  CHECK(hb::parse_time(skim->started) == full->meta.started);
}

std::string write_file(const std::string& dir, const std::string& name, const std::string& text) {
  std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string error_of(std::string_view text) {
  auto r = hb::skim_results(text);
  REQUIRE_FALSE(r.ok());
  return r.message();
}

}  // namespace

TEST_CASE("skim_results: agrees with the full reader on generated, sample and hostile results") {
  hb::test::FleetGenOptions opt;
  opt.rules = 90;
  for (unsigned host : {0u, 1u, 7u}) check_same_as_full_reader(hb::test::synthetic_results(opt, host));
  check_same_as_full_reader(json_of(hb::test::sample_report()));
  check_same_as_full_reader(json_of(hb::test::hostile_report()));
}

TEST_CASE("skim_results: escapes decode like a JSON parser, invalid UTF-8 becomes U+FFFD, lone surrogates are refused") {
  std::string doc =
      R"({"schema":"hostbench-results/1","scan":{"hostname":"a\"b\\c\/d\n\u00e9\ud83d\ude00\u00bdx"},)"
      R"("results":[{"id":"r\u002e1","title":"\u003cb\u003e","severity":"h\u0069gh","status":"fail"}]})";
  auto r = hb::skim_results(doc);
  REQUIRE_MESSAGE(r.ok(), r.message());
  CHECK(r->hostname == "a\"b\\c/d\n\xC3\xA9\xF0\x9F\x98\x80\xC2\xBDx");
  REQUIRE(r->results.size() == 1);
  CHECK(r->results[0].id == "r.1");
  CHECK(r->results[0].title == "<b>");
  CHECK(r->results[0].severity == hb::Severity::high);
  auto bad = hb::skim_results("{\"schema\":\"hostbench-results/1\",\"scan\":{\"hostname\":\"\xff\xfe\"},\"results\":[]}");
  REQUIRE(bad.ok());
  CHECK(bad->hostname == "\xEF\xBF\xBD\xEF\xBF\xBD");
  // nlohmann (every other reader of results) refuses lone surrogates; so does the skim.
  for (const char* lone : {R"("\ud800x")", R"("\udc00")", R"("\ud800\u0041")", R"("\ud800")"}) {
    std::string text = std::string("{\"schema\":\"hostbench-results/1\",\"x\":") + lone + "}";
    CHECK_FALSE(nlohmann::json::accept(text));
    CHECK(error_of(text).find("lone surrogate") != std::string::npos);
  }
}

TEST_CASE("skim_results: a member given twice counts with its last value, as JSON parsers read it") {
  std::string doc =
      R"({"schema":"hostbench-results/1","scan":{"hostname":"old","profiles":[{"id":"a"}]},)"
      R"("results":[{"id":"x","severity":"low","status":"fail"}],"scan":{"hostname":"new"},"tool":7,)"
      R"("results":[{"id":"y","severity":"high","status":"pass","status":"error"}]})";
  auto r = hb::skim_results(doc);
  REQUIRE_MESSAGE(r.ok(), r.message());
  auto j = nlohmann::json::parse(doc);
  CHECK(r->hostname == j["scan"]["hostname"]);
  CHECK(r->profiles.empty());
  REQUIRE(r->results.size() == 1);
  CHECK(r->results[0].id == "y");
  CHECK(r->results[0].status == Status::error);
}

TEST_CASE("skim_results: malformed documents are errors with a line and column") {
  CHECK(error_of("").find("not a JSON object") != std::string::npos);
  CHECK(error_of("[]").find("1:1: the document is not a JSON object") != std::string::npos);
  CHECK(error_of("{\"schema\":\"hostbench-drift/1\"}").find("schema 'hostbench-drift/1'") != std::string::npos);
  CHECK(error_of("{\"results\":[]}").find("no \"schema\"") != std::string::npos);
  const std::string head = "{\"schema\":\"hostbench-results/1\",\n\"results\":[";
  CHECK(error_of(head + "{\"id\":\"a\",\"severity\":\"low\"}]}").find("2:12: a result lacks an id, a severity or a status") != std::string::npos);
  CHECK(error_of(head + "{\"id\":\"a\",\"severity\":\"low\",\"status\":\"passed\"}]}").find("unknown status 'passed'") != std::string::npos);
  CHECK(error_of(head + "{\"id\":\"a\",\"severity\":\"severe\",\"status\":\"pass\"}]}").find("unknown severity") != std::string::npos);
  CHECK(error_of(head + "3]}").find("a result is not an object") != std::string::npos);
  CHECK(error_of(head + "]} x").find("text after the document") != std::string::npos);
  CHECK(error_of(head + "]").find("expected ',' or '}'") != std::string::npos);
  CHECK(error_of("{\"schema\":\"a\tb\"}").find("control character") != std::string::npos);
  CHECK(error_of("{\"schema\":\"\\x\"}").find("invalid escape") != std::string::npos);
  CHECK(error_of("{\"schema\":\"\\u12\"}").find("four hex digits") != std::string::npos);
  CHECK(error_of("{\"a\":01}").find("text after") == std::string::npos);  // an error, whichever
  CHECK(error_of("{\"a\":-}").find("invalid number") != std::string::npos);
  CHECK(error_of("{\"a\":tru}").find("invalid value") != std::string::npos);
  CHECK(error_of("{\"a\":1.}").find("invalid number") != std::string::npos);
  CHECK(error_of("{\"schema\":\"hostbench-results/1\",\"results\":[]").find("1:45: expected ',' or '}'") != std::string::npos);
  // Nesting a parser would recurse into: refused at the depth limit, not a stack overflow.
  std::string deep = "{\"x\":" + std::string(200000, '[') + std::string(200000, ']') + "}";
  CHECK(error_of(deep).find("nested deeper than 512 levels") != std::string::npos);
  std::string deep_obj = "{\"schema\":\"hostbench-results/1\",\"x\":";
  for (int i = 0; i < 100000; ++i) deep_obj += "{\"k\":";
  CHECK(error_of(deep_obj).find("nested deeper") != std::string::npos);
}

TEST_CASE("skim_results: every prefix and many byte flips of a real document end in a result or an error") {
  hb::test::FleetGenOptions opt;
  opt.rules = 6;
  opt.padding = 60;
  const std::string doc = hb::test::synthetic_results(opt, 2);
  REQUIRE(hb::skim_results(doc).ok());
  for (std::size_t n = 0; n + 1 < doc.size(); ++n) {
    // A proper prefix is never a complete document (the trailing newline aside).
    auto r = hb::skim_results(std::string_view(doc).substr(0, n));
    CHECK_FALSE(r.ok());
  }
  std::uint64_t x = 12345;
  int accepted = 0;
  for (int i = 0; i < 3000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    std::string m = doc;
    m[(x >> 33) % m.size()] = static_cast<char>((x >> 11) & 0x7F);  // ASCII: nlohmann checks UTF-8
    auto r = hb::skim_results(m);
    if (r.ok()) {
      ++accepted;
      // Whatever is accepted is also valid JSON to nlohmann (no laxer than the grammar).
      CHECK(nlohmann::json::accept(m));
    }
  }
  CHECK(accepted > 0);  // flips inside text are harmless
}

TEST_CASE("merge_results: generated hosts with different profiles, statuses checked against the generator") {
  hb::test::TempTree tree;
  hb::test::FleetGenOptions opt;
  opt.rules = 60;
  opt.padding = 120;
  const unsigned hosts = 40;
  std::vector<std::string> files;
  for (unsigned h = 0; h < hosts; ++h)
    files.push_back(write_file(tree.root(), "host" + std::to_string(h) + ".json", hb::test::synthetic_results(opt, h)));
  hb::MergeOptions mo;
  mo.now_epoch = opt.now_epoch;
  mo.jobs = 3;
  hb::Fleet fleet = hb::merge_results(files, mo);
  CHECK(fleet.files_given == 40);
  CHECK(fleet.problems.empty());
  REQUIRE(fleet.hosts.size() == hosts);
  REQUIRE(fleet.rules.size() == opt.rules);

  std::map<std::string, unsigned> rule_index;
  for (unsigned r = 0; r < opt.rules; ++r) rule_index[hb::test::synthetic_rule_id(r)] = r;
  std::vector<int> fails(opt.rules);
  for (const auto& h : fleet.hosts) {
    unsigned host = static_cast<unsigned>(std::stoul(h.hostname.substr(5)));
    CHECK(h.file == files[host]);
    CHECK(h.profiles == (host % 2 ? std::vector<std::string>{"linux"} : std::vector<std::string>{"linux", "docker"}));
    REQUIRE(h.status.size() == fleet.rules.size());
    hb::SummaryTally tally;
    for (std::size_t i = 0; i < fleet.rules.size(); ++i) {
      unsigned r = rule_index.at(fleet.rules[i].id);
      auto want = hb::test::synthetic_status(opt, host, r);
      if (!want) {
        CHECK(h.status[i] == hb::k_not_scanned);
        continue;
      }
      CHECK(h.status[i] == static_cast<std::uint8_t>(*want));
      tally.add(hb::test::synthetic_severity(r), *want);
      if (*want == Status::fail) ++fails[r];
    }
    CHECK(h.summary.score == doctest::Approx(tally.done().score));
    CHECK(h.summary.count(Status::fail) == tally.done().count(Status::fail));
    // Host i was scanned i % 97 hours before the merge's clock.
    REQUIRE(h.age_hours);
    CHECK(*h.age_hours == doctest::Approx(host % 97));
    CHECK(h.stale == (host % 97 > 48));
    CHECK(h.report_html.empty());
  }
  for (const auto& r : fleet.rules) {
    CHECK(r.count(Status::fail) == fails[rule_index.at(r.id)]);
    CHECK(r.title.find("\"setting\" is \xC2\xAB" "safe\xC2\xBB") != std::string::npos);
    CHECK(r.profile == (rule_index.at(r.id) < 40 ? "linux" : "docker"));
    CHECK_FALSE(r.severity_differs);
  }
  // Most failed rules first; worst hosts first.
  for (std::size_t i = 1; i < fleet.rules.size(); ++i)
    CHECK(fleet.rules[i - 1].count(Status::fail) >= fleet.rules[i].count(Status::fail));
  auto weight = [](const hb::FleetHost& h) {
    int w = 0;
    for (auto s : hb::k_all_severities) w += hb::severity_weight(s) * h.summary.by_severity_failed[static_cast<int>(s)];
    return w;
  };
  for (std::size_t i = 1; i < fleet.hosts.size(); ++i) CHECK(weight(fleet.hosts[i - 1]) >= weight(fleet.hosts[i]));
  CHECK(fleet.hosts_stale() == static_cast<int>(std::count_if(fleet.hosts.begin(), fleet.hosts.end(), [](auto& h) { return h.stale; })));

  // One thread or many: the same fleet.
  mo.jobs = 1;
  hb::Fleet one = hb::merge_results(files, mo);
  std::ostringstream a, b;
  hb::write_fleet_json(fleet, a);
  hb::write_fleet_json(one, b);
  CHECK(a.str() == b.str());
}

TEST_CASE("merge_results: malformed, missing, special and oversized files are left out with a reason") {
  hb::test::TempTree tree;
  hb::test::FleetGenOptions opt;
  opt.rules = 12;
  opt.padding = 30;
  std::vector<std::string> files;
  files.push_back(write_file(tree.root(), "good0.json", hb::test::synthetic_results(opt, 0)));
  std::string truncated = hb::test::synthetic_results(opt, 1);
  truncated.resize(truncated.size() / 2);
  files.push_back(write_file(tree.root(), "truncated.json", truncated));
  files.push_back(write_file(tree.root(), "drift.json", "{\"schema\":\"hostbench-drift/1\"}"));
  files.push_back(write_file(tree.root(), "garbage.json", std::string("\x00\x01\xff{", 4)));
  files.push_back(tree.root() + "/missing.json");
  ::mkfifo((tree.root() + "/fifo.json").c_str(), 0600);
  files.push_back(tree.root() + "/fifo.json");
  files.push_back(tree.root());  // a directory given as a file
  files.push_back(write_file(tree.root(), "big.json", hb::test::synthetic_results(opt, 4) + std::string(1000, ' ')));
  files.push_back(write_file(tree.root(), "good2.json", hb::test::synthetic_results(opt, 2)));
  hb::MergeOptions mo;
  mo.now_epoch = opt.now_epoch;
  mo.max_file_bytes = std::max(hb::test::synthetic_results(opt, 0).size(),
                               hb::test::synthetic_results(opt, 2).size()) + 10;  // big.json is larger
  REQUIRE(hb::test::synthetic_results(opt, 4).size() + 1000 > mo.max_file_bytes);
  hb::Fleet fleet = hb::merge_results(files, mo);
  REQUIRE(fleet.hosts.size() == 2);
  std::map<std::string, std::string> why;
  for (const auto& p : fleet.problems) {
    CHECK(p.skipped);
    why[p.file.substr(tree.root().size())] = p.message;
  }
  REQUIRE(why.size() == 7);
  CHECK(why["/truncated.json"].find("not valid JSON: ") == 0);
  CHECK(why["/drift.json"] == "not hostbench results (schema 'hostbench-drift/1', expected 'hostbench-results/1')");
  CHECK(why["/garbage.json"].find("1:1: the document is not a JSON object") != std::string::npos);
  CHECK(why["/missing.json"] == "No such file or directory");
  CHECK(why["/fifo.json"] == "not a regular file");
  CHECK(why[""] == "not a regular file");
  CHECK(why["/big.json"].find("larger than") == 0);
  // Problems keep the order the files were given in.
  CHECK(fleet.problems.front().file == files[1]);
}

TEST_CASE("merge_results: warnings for duplicate hostnames, clocks ahead and missing scan times, and sibling reports") {
  hb::test::TempTree tree;
  auto report = hb::test::sample_report();
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(report.meta.started.time_since_epoch()).count();
  std::vector<std::string> files;
  files.push_back(write_file(tree.root(), "a.json", json_of(report)));
  write_file(tree.root(), "a.html", "<html></html>");
  files.push_back(write_file(tree.root(), "b.json", json_of(report)));  // same hostname
  ::mkdir((tree.root() + "/b.html").c_str(), 0755);                 // not a regular file
  auto ahead = report;
  ahead.meta.hostname = "ahead";
  ahead.meta.started += std::chrono::hours(5);
  files.push_back(write_file(tree.root(), "c.json", json_of(ahead)));
  std::string no_time = json_of(report);
  auto at = no_time.find("\"started\":");
  REQUIRE(at != std::string::npos);
  no_time.replace(at, 10, "\"begun\":");
  files.push_back(write_file(tree.root(), "d.json", no_time));
  hb::MergeOptions mo;
  mo.now_epoch = now;
  hb::Fleet fleet = hb::merge_results(files, mo);
  REQUIRE(fleet.hosts.size() == 4);
  std::vector<std::string> warnings;
  for (const auto& p : fleet.problems) {
    CHECK_FALSE(p.skipped);
    warnings.push_back(p.file.substr(tree.root().size()) + ": " + p.message);
  }
  REQUIRE(warnings.size() == 4);
  CHECK(warnings[0].find("/b.json: the same hostname") == 0);
  CHECK(warnings[0].find("as " + files[0]) != std::string::npos);
  CHECK(warnings[1].find("/c.json: scanned 5.0 hours in the future") == 0);
  CHECK(warnings[2].find("/d.json: no scan time (scan.started): counted as stale") == 0);
  CHECK(warnings[3].find("/d.json: the same hostname") == 0);
  for (const auto& h : fleet.hosts) {
    CHECK(h.stale == (h.file == files[3]));
    CHECK(h.report_html == (h.file == files[0] ? tree.root() + "/a.html" : ""));
  }
}

TEST_CASE("merge_results: a rule's severity disagreeing between hosts is flagged, the first host's kept") {
  hb::test::TempTree tree;
  auto r1 = hb::test::sample_report();
  auto r2 = r1;
  r2.meta.hostname = "other";
  REQUIRE(r2.results[0].meta.severity != hb::Severity::critical);
  const auto first = r1.results[0].meta.severity;
  r2.results[0].meta.severity = hb::Severity::critical;
  std::vector<std::string> files{write_file(tree.root(), "1.json", json_of(r1)), write_file(tree.root(), "2.json", json_of(r2))};
  hb::Fleet fleet = hb::merge_results(files, {});
  bool seen = false;
  for (const auto& r : fleet.rules)
    if (r.id == r1.results[0].meta.id) {
      seen = true;
      CHECK(r.severity_differs);
      CHECK(r.severity == first);
    } else {
      CHECK_FALSE(r.severity_differs);
    }
  CHECK(seen);
  // A rule twice in one file is a malformed file.
  auto dup = r1;
  dup.results.push_back(dup.results[0]);
  files.push_back(write_file(tree.root(), "3.json", json_of(dup)));
  fleet = hb::merge_results(files, {});
  REQUIRE(fleet.problems.size() == 1);  // 3.json is left out, so its hostname is no duplicate
  CHECK(fleet.problems[0].skipped);
  CHECK(fleet.problems[0].message.find("appears twice") != std::string::npos);
}

TEST_CASE("write_fleet_json: counts, failing hosts and rule lists agree with the fleet, and hostile text stays valid") {
  hb::test::TempTree tree;
  hb::test::FleetGenOptions opt;
  opt.rules = 30;
  opt.padding = 30;
  std::vector<std::string> files;
  for (unsigned h = 0; h < 6; ++h)
    files.push_back(write_file(tree.root(), "h" + std::to_string(h) + ".json", hb::test::synthetic_results(opt, h)));
  files.push_back(write_file(tree.root(), "hostile\n\xff.json", json_of(hb::test::hostile_report())));
  files.push_back(write_file(tree.root(), "bad.json", "{"));
  hb::MergeOptions mo;
  mo.now_epoch = opt.now_epoch;
  hb::Fleet fleet = hb::merge_results(files, mo);
  std::ostringstream out;
  hb::write_fleet_json(fleet, out);
  auto j = nlohmann::json::parse(out.str());  // throws on invalid JSON or UTF-8
  CHECK(j["schema"] == "hostbench-fleet/1");
  CHECK(j["summary"]["files"] == 8);
  CHECK(j["summary"]["hosts"] == 7);
  CHECK(j["summary"]["skipped"] == 1);
  CHECK(j["summary"]["hosts_failing"] == fleet.hosts_failing());
  REQUIRE(j["hosts"].size() == 7);
  for (std::size_t i = 0; i < fleet.hosts.size(); ++i) {
    const auto& h = fleet.hosts[i];
    CHECK(j["hosts"][i]["failed"].size() == static_cast<std::size_t>(h.summary.count(Status::fail)));
    CHECK(j["hosts"][i]["summary"]["fail"] == h.summary.count(Status::fail));
    CHECK(j["hosts"][i]["hostname"] == h.hostname);
  }
  for (std::size_t r = 0; r < fleet.rules.size(); ++r) {
    const auto& jr = j["rules"][r];
    CHECK(jr["id"] == fleet.rules[r].id);
    CHECK(jr["failing"].size() == static_cast<std::size_t>(fleet.rules[r].count(Status::fail)));
    int total = jr["hosts"]["not_scanned"].get<int>();
    for (auto s : hb::k_all_statuses) total += jr["hosts"][std::string(hb::to_string(s))].get<int>();
    CHECK(total == 7);
  }
  CHECK(j["problems"][0]["file"] == files.back());
  CHECK(out.str().find(hb::test::k_hostile) == std::string::npos);
}

namespace {
int merge(const std::vector<std::string>& args) { return hb::cmd_merge(args); }
}  // namespace

TEST_CASE("cli merge: exit codes, directories, its own output left out, option errors") {
  hb::test::TempTree tree;
  hb::test::FleetGenOptions opt;
  opt.rules = 20;
  opt.padding = 30;
  opt.now_epoch = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string dir = tree.root() + "/results";
  ::mkdir(dir.c_str(), 0755);
  for (unsigned h = 0; h < 3; ++h) write_file(dir, "host" + std::to_string(h) + ".json", hb::test::synthetic_results(opt, h));
  write_file(dir, ".partial.json", "{");   // hidden: left alone
  write_file(dir, "notes.txt", "hello");   // not *.json
  const std::string out_json = dir + "/fleet.json";
  const std::string out_html = tree.root() + "/fleet.html";
  CHECK(merge({dir, "--json", out_json, "--html", out_html, "-q"}) == 0);
  auto j = nlohmann::json::parse(hb::test::slurp(out_json));
  CHECK(j["summary"]["hosts"] == 3);
  CHECK(j["summary"]["files"] == 3);
  CHECK(hb::test::slurp(out_html).find("<!DOCTYPE html>") == 0);
  // Again: fleet.json is in the directory now, and is not merged as a host.
  CHECK(merge({dir, "--json", out_json, "-q"}) == 0);
  CHECK(nlohmann::json::parse(hb::test::slurp(out_json))["summary"]["files"] == 3);
  // A malformed file: exit 3, the reports still written.
  write_file(dir, "broken.json", "{\"schema\":");
  CHECK(merge({dir, "--json", out_json, "-q"}) == 3);
  j = nlohmann::json::parse(hb::test::slurp(out_json));
  CHECK(j["summary"]["skipped"] == 1);
  CHECK(j["problems"][0]["file"] == dir + "/broken.json");
  // Nothing usable: exit 2 (the JSON still says why).
  CHECK(merge({dir + "/broken.json", "--json", out_json, "-q"}) == 2);
  CHECK(nlohmann::json::parse(hb::test::slurp(out_json))["summary"]["hosts"] == 0);
  CHECK(merge({}) == 2);
  CHECK(merge({"-"}) == 2);
  CHECK(merge({dir, "--max-age-hours", "soon"}) == 2);
  CHECK(merge({dir, "--max-age-hours", "-4"}) == 2);
  CHECK(merge({dir, "--jobs", "0"}) == 2);
  CHECK(merge({dir, "--html", "-"}) == 2);
  CHECK(merge({tree.root() + "/empty-dir-does-not-exist"}) == 2);
  CHECK(merge({dir, "--json", tree.root() + "/no/such/dir/fleet.json", "-q"}) == 2);
}
