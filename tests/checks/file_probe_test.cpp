#include "checks/file_probe.hpp"

#include <doctest/doctest.h>

#include <string>

#include "engine/facts.hpp"
#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

using hb::Outcome;
using hb::Status;
using hb::test::all_evidence;
using hb::test::contains;
using hb::test::TempTree;

namespace {

Outcome run(const TempTree& t, const std::string& yaml,
            std::size_t max_read = hb::k_default_max_read) {
  auto view = t.view(max_read);
  return hb::test::run_probe(&hb::parse_file_probe, yaml, *view);
}

std::string parse_error(const std::string& yaml) {
  return hb::test::parse_error(&hb::parse_file_probe, yaml);
}

// A root with its own accounts, deliberately different from the machine running the tests.
void write_accounts(TempTree& t) {
  t.write("/etc/passwd",
          "root:x:0:0:root:/root:/bin/bash\n"
          "alice:x:1500:1500::/home/alice:/bin/sh\n"
          "mallory:x:1600:1600::/home/mallory:/bin/sh\n");
  t.write("/etc/group",
          "root:x:0:\n"
          "shadow:x:42:\n"
          "alice:x:1500:\n"
          "mallory:x:1600:\n");
}

}  // namespace

TEST_CASE("file probe: mode stricter than the limit passes") {
  TempTree t;
  t.write("/etc/shadow", "root:*:1::::::\n", 0600);
  Outcome o = run(t, "path: /etc/shadow\nexpect: { mode: '0640' }");
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "/etc/shadow: mode 0600"));
}

TEST_CASE("file probe: mode is a bit mask, so 0604 fails 0660") {
  TempTree t;
  t.write("/etc/x", "", 0604);
  Outcome o = run(t, "path: /etc/x\nexpect: { mode: '0660' }");
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "/etc/x: mode 0604 allows 0004 beyond 0660"));
}

TEST_CASE("file probe: world-readable mode fails 0640 and names the excess bits") {
  TempTree t;
  t.write("/etc/shadow", "", 0644);
  Outcome o = run(t, "path: /etc/shadow\nexpect: { mode: '0640' }");
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "/etc/shadow: mode 0644 allows 0004 beyond 0640"));
}

TEST_CASE("file probe: group-writable mode fails") {
  TempTree t;
  t.write("/etc/crontab", "", 0664);
  Outcome o = run(t, "path: /etc/crontab\nexpect: { mode: 600 }");
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "allows 0064 beyond 0600"));
}

TEST_CASE("file probe: setuid bit counts as excess") {
  TempTree t;
  t.write("/usr/bin/tool", "", 04755);
  Outcome o = run(t, "path: /usr/bin/tool\nexpect: { mode: '0755' }");
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "mode 4755 allows 4000 beyond 0755"));
}

TEST_CASE("file probe: mode_has requires the sticky bit") {
  TempTree t;
  t.mkdir("/tmp", 01777);
  t.mkdir("/var/tmp", 0777);
  Outcome ok = run(t, "path: /tmp\nexpect: { type: directory, mode_has: '1000' }");
  CHECK(ok.status == Status::pass);
  Outcome bad = run(t, "path: /var/tmp\nexpect: { mode_has: '1000' }");
  CHECK(bad.status == Status::fail);
  CHECK(contains(all_evidence(bad), "/var/tmp: mode 0777 lacks 1000"));
}

TEST_CASE("file probe: owner and group by name through the root's own accounts") {
  TempTree t;
  write_accounts(t);
  t.write("/etc/shadow", "", 0640);
  // Files made by the test runner belong to it; only root can give them to the fixture's users.
  if (!hb::test::running_as_root()) {
    MESSAGE("skipped: chown to fixture uids needs root");
    return;
  }
  t.chown("/etc/shadow", 0, 42);
  Outcome ok = run(t, "path: /etc/shadow\nexpect: { owner: root, group: [root, shadow] }");
  CHECK(ok.status == Status::pass);
  CHECK(contains(all_evidence(ok), "group shadow(42)"));

  t.chown("/etc/shadow", 1600, 1600);
  Outcome bad = run(t, "path: /etc/shadow\nexpect: { owner: [root, alice], group: shadow }");
  CHECK(bad.status == Status::fail);
  CHECK(contains(all_evidence(bad), "owner mallory(1600); expected root or alice"));
  CHECK(contains(all_evidence(bad), "group mallory(1600); expected shadow"));

  // alice is 1500 in the fixture, whatever she is on the machine running the tests.
  t.chown("/etc/shadow", 1500, 0);
  CHECK(run(t, "path: /etc/shadow\nexpect: { owner: alice }").status == Status::pass);
}

TEST_CASE("file probe: numeric owner ids need no account file") {
  TempTree t;
  t.write("/etc/motd", "hi\n");
  if (!hb::test::running_as_root()) {
    MESSAGE("skipped: chown to fixture uids needs root");
    return;
  }
  t.chown("/etc/motd", 1234, 4321);
  CHECK(run(t, "path: /etc/motd\nexpect: { owner: 1234, group: '4321' }").status == Status::pass);
  Outcome bad = run(t, "path: /etc/motd\nexpect: { owner: 0 }");
  CHECK(bad.status == Status::fail);
  CHECK(contains(all_evidence(bad), "owner 1234; expected 0"));
}

TEST_CASE("file probe: an owner name unknown in the root's passwd fails") {
  TempTree t;
  write_accounts(t);
  t.write("/etc/app.conf", "");
  Outcome o = run(t, "path: /etc/app.conf\nexpect: { owner: nosuchuser }");
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "'nosuchuser' is unknown in /etc/passwd"));
  Outcome g = run(t, "path: /etc/app.conf\nexpect: { group: nosuchgroup }");
  CHECK(g.status == Status::fail);
  CHECK(contains(all_evidence(g), "'nosuchgroup' is unknown in /etc/group"));
}

TEST_CASE("file probe: owner names without a readable passwd are an error") {
  TempTree t;  // no /etc/passwd in this root
  t.write("/etc/app.conf", "");
  Outcome o = run(t, "path: /etc/app.conf\nexpect: { owner: root }");
  CHECK(o.status == Status::error);
  CHECK(contains(all_evidence(o), "/etc/passwd of the root is unreadable"));
}

TEST_CASE("file probe: exists true and false") {
  TempTree t;
  t.write("/etc/present", "");
  CHECK(run(t, "path: /etc/present\nexpect: { exists: true }").status == Status::pass);
  Outcome gone = run(t, "path: /etc/absent\nexpect: { exists: true }");
  CHECK(gone.status == Status::fail);
  CHECK(contains(all_evidence(gone), "/etc/absent: does not exist"));
  CHECK(run(t, "path: /etc/absent\nexpect: { exists: false }").status == Status::pass);
  Outcome there = run(t, "path: /etc/present\nexpect: { exists: false }");
  CHECK(there.status == Status::fail);
  CHECK(contains(all_evidence(there), "/etc/present: exists (file); expected it absent"));
}

TEST_CASE("file probe: if_missing decides a missing path") {
  TempTree t;
  const std::string base = "path: /etc/none\nexpect: { mode: '0600' }\n";
  CHECK(run(t, base).status == Status::notapplicable);
  CHECK(run(t, base + "if_missing: pass").status == Status::pass);
  CHECK(run(t, base + "if_missing: fail").status == Status::fail);
  CHECK(run(t, base + "if_missing: error").status == Status::error);
  CHECK(parse_error(base + "if_missing: maybe") != "");
  CHECK(
      contains(parse_error("path: /x\nif_missing: pass\nexpect: { exists: true }"), "if_missing"));
}

TEST_CASE("file probe: type mismatch fails") {
  TempTree t;
  t.mkdir("/etc/ssh");
  t.write("/etc/ssh/sshd_config", "");
  CHECK(run(t, "path: /etc/ssh\nexpect: { type: directory }").status == Status::pass);
  Outcome o = run(t, "path: /etc/ssh\nexpect: { type: file }");
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "/etc/ssh: is a directory; expected file"));
  CHECK(contains(parse_error("path: /x\nexpect: { type: pipe }"), "type"));
}

TEST_CASE("file probe: follow false sees the symlink itself") {
  TempTree t;
  t.write("/etc/target", "x", 0600);
  t.symlink("target", "/etc/link");
  CHECK(run(t, "path: /etc/link\nfollow: false\nexpect: { type: symlink }").status == Status::pass);
  Outcome followed = run(t, "path: /etc/link\nexpect: { type: file, mode: '0600' }");
  CHECK(followed.status == Status::pass);
  CHECK(contains(parse_error("path: /etc/link\nexpect: { type: symlink }"), "follow: false"));
}

TEST_CASE("file probe: an absolute symlink resolves inside the root") {
  TempTree t;
  t.write("/etc/target", "PermitRootLogin no\n", 0600);
  t.symlink("/etc/target", "/etc/link");  // on the real host this would be /etc/target
  Outcome o =
      run(t, "path: /etc/link\nexpect: { mode: '0600', content_matches: 'PermitRootLogin no' }");
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "/etc/link:1: matches"));
}

TEST_CASE("file probe: a symlink climbing with .. stays inside the root") {
  TempTree t;
  t.write("/etc/passwd", "fixture-sentinel:x:0:0::/:/bin/sh\n");
  t.symlink("../../../../../../../../etc/passwd", "/var/lib/app/link");
  Outcome o = run(t, "path: /var/lib/app/link\nexpect: { content_matches: '^fixture-sentinel:' }");
  CHECK(o.status == Status::pass);
  // The real /etc/passwd has no such line, so a pass proves the fixture's file was read.
  CHECK(contains(all_evidence(o), "fixture-sentinel"));
}

TEST_CASE("file probe: a glob yields one object per path and the worst status") {
  TempTree t;
  t.write("/etc/ssh/ssh_host_rsa_key", "", 0600);
  t.write("/etc/ssh/ssh_host_ed25519_key", "", 0644);
  t.write("/etc/ssh/ssh_host_rsa_key.pub", "", 0644);  // not matched by the pattern
  Outcome o = run(t, "path: /etc/ssh/ssh_host_*_key\nexpect: { mode: '0600' }");
  CHECK(o.status == Status::fail);
  REQUIRE(o.objects.size() == 2);
  CHECK(o.objects[0].id == "/etc/ssh/ssh_host_ed25519_key");
  CHECK(o.objects[0].status == Status::fail);
  CHECK(o.objects[1].id == "/etc/ssh/ssh_host_rsa_key");
  CHECK(o.objects[1].status == Status::pass);
  CHECK(contains(all_evidence(o), "ssh_host_ed25519_key: mode 0644 allows 0044 beyond 0600"));
}

TEST_CASE("file probe: a glob in a middle component and dotfiles") {
  TempTree t;
  t.write("/home/alice/.ssh/authorized_keys", "", 0600);
  t.write("/home/bob/.ssh/authorized_keys", "", 0600);
  t.write("/home/.hidden/.ssh/authorized_keys", "", 0666);
  Outcome o = run(t, "path: /home/*/.ssh/authorized_keys\nexpect: { mode: '0600' }");
  CHECK(o.status == Status::pass);
  CHECK(o.objects.size() == 2);  // /home/.hidden is not matched by '*'
  Outcome dots = run(t, "path: /home/.*/.ssh/authorized_keys\nexpect: { mode: '0600' }");
  CHECK(dots.status == Status::fail);
  REQUIRE(dots.objects.size() == 1);
  CHECK(dots.objects[0].id == "/home/.hidden/.ssh/authorized_keys");
}

TEST_CASE("file probe: a glob that matches nothing is missing") {
  TempTree t;
  t.mkdir("/etc/ssh");
  CHECK(run(t, "path: /etc/ssh/*_key\nexpect: { mode: '0600' }").status == Status::notapplicable);
  Outcome o = run(t, "path: /etc/ssh/*_key\nexpect: { exists: true }");
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "no path matches"));
  CHECK(run(t, "path: /nodir/*/x\nexpect: { exists: false }").status == Status::pass);
}

TEST_CASE("file probe: content_matches passes when some line matches") {
  TempTree t;
  t.write("/etc/ssh/sshd_config", "# PermitRootLogin yes\nPort 22\n  PermitRootLogin   no\n");
  Outcome o = run(t, R"(path: /etc/ssh/sshd_config
expect: { content_matches: '^\s*PermitRootLogin\s+no\b' })");
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "/etc/ssh/sshd_config:3: matches"));
  Outcome bad = run(t, "path: /etc/ssh/sshd_config\nexpect: { content_matches: '^Banner ' }");
  CHECK(bad.status == Status::fail);
  CHECK(contains(all_evidence(bad), "/etc/ssh/sshd_config: no line matches /^Banner /"));
}

TEST_CASE("file probe: content_not_matches names file:line and the line") {
  TempTree t;
  t.write("/etc/pam.d/su", "auth sufficient pam_rootok.so\nauth\tsufficient pam_wheel.so trust\n");
  Outcome o = run(t, "path: /etc/pam.d/su\nexpect: { content_not_matches: 'pam_wheel.*trust' }");
  CHECK(o.status == Status::fail);
  // The tab is shown escaped, as every host byte in evidence.
  CHECK(contains(all_evidence(o),
                 "/etc/pam.d/su:2: matches /pam_wheel.*trust/: auth\\x09sufficient"));
  CHECK(run(t, "path: /etc/pam.d/su\nexpect: { content_not_matches: 'nullok' }").status ==
        Status::pass);
}

TEST_CASE("file probe: a very long line is matched without crashing") {
  TempTree t;
  t.write("/etc/long", std::string(16 * 1024, 'a') + "\nend\n");
  Outcome o = run(t, "path: /etc/long\nexpect: { content_matches: '^(a|b)+$' }");
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "/etc/long:1: matches"));
  // A line the matcher gives up on is an error naming the line, never a pass or a fail.
  t.write("/etc/huge", "end\n" + std::string(1 << 20, 'a') + "\n");
  Outcome h = run(t, "path: /etc/huge\nexpect: { content_not_matches: '^(a|b)+$' }");
  CHECK(h.status == Status::error);
  CHECK(contains(all_evidence(h), "/etc/huge:2: "));
}

TEST_CASE("file probe: a FIFO where content is read is an error, not a hang") {
  TempTree t;
  t.mkfifo("/etc/fifo");
  Outcome o = run(t, "path: /etc/fifo\nexpect: { content_matches: x }");
  CHECK(o.status == Status::error);
  CHECK(contains(all_evidence(o), "not a regular file"));
  // Its type is still observable without reading it.
  CHECK(run(t, "path: /etc/fifo\nexpect: { type: fifo }").status == Status::pass);
}

TEST_CASE("file probe: a file larger than the read cap is an error") {
  TempTree t;
  t.write("/etc/big", std::string(4096, 'x'));
  Outcome o = run(t, "path: /etc/big\nexpect: { content_not_matches: secret }", 1024);
  CHECK(o.status == Status::error);
  CHECK(contains(all_evidence(o), "larger than the read cap"));
}

TEST_CASE("file probe: content of several rules is read once per scan") {
  TempTree t;
  t.write("/etc/login.defs", "PASS_MAX_DAYS 90\n");
  auto view = t.view();
  hb::Facts facts;
  auto a = hb::test::run_probe(&hb::parse_file_probe,
                               "path: /etc/login.defs\nexpect: { content_matches: PASS_MAX }",
                               *view, &facts);
  auto b = hb::test::run_probe(&hb::parse_file_probe,
                               "path: /etc/login.defs\nexpect: { content_not_matches: nope }",
                               *view, &facts);
  CHECK(a.status == Status::pass);
  CHECK(b.status == Status::pass);
  for (const auto& [key, n] : facts.parse_counts()) CHECK_MESSAGE(n == 1, key);
  CHECK(facts.parse_counts().size() == 1);
}

TEST_CASE("file probe: parameter errors name test.yaml:line") {
  CHECK(contains(parse_error("path: /etc/x\nexpect:\n  mode: '0600'\n  colour: red\n"),
                 "test.yaml:4:3: unknown key 'colour'"));
  CHECK(contains(parse_error("path: /etc/x\nexpect: { mode: '0968' }"), "test.yaml:2"));
  CHECK(contains(parse_error("path: /etc/x\nexpect: { mode: '0968' }"), "octal"));
  CHECK(contains(parse_error("path: etc/x\nexpect: { exists: true }"), "absolute"));
  CHECK(contains(parse_error("path: /etc/x\nexpect: {}"), "at least one"));
  CHECK(contains(parse_error("path: /etc/x"), "expect"));
  CHECK(contains(parse_error("path: /etc/x\nexpect: { exists: false, mode: '0600' }"),
                 "exists: false"));
  CHECK(contains(parse_error("path: /etc/x\nexpect: { content_matches: '(' }"),
                 "invalid regular expression"));
  CHECK(contains(parse_error("path: /etc/x\nexpect: { mode: '0600' }\nfolow: true"),
                 "unknown key 'folow'"));
  CHECK(parse_error("path: /etc/x\nexpect: { mode: '0600', owner: [root, 0] }") == "");
}

TEST_CASE("file probe: match any passes when one globbed file passes") {
  hb::test::TempTree t;
  t.write("/etc/security/limits.d/10-other.conf", "@users soft nproc 100\n");
  t.write("/etc/security/limits.d/60-core.conf", "* hard core 0\n");
  auto v = t.view();
  const std::string yaml =
      "{path: /etc/security/limits.d/*.conf, match: any, if_missing: fail, "
      "expect: {content_matches: '^\\*\\s+hard\\s+core\\s+0$'}}";
  auto o = hb::test::run_probe(hb::parse_file_probe, yaml, *v);
  CHECK(o.status == hb::Status::pass);
  CHECK(o.objects.size() == 2);
  t.remove("/etc/security/limits.d/60-core.conf");
  CHECK(hb::test::run_probe(hb::parse_file_probe, yaml, *v).status == hb::Status::fail);
  t.remove("/etc/security/limits.d/10-other.conf");
  CHECK(hb::test::run_probe(hb::parse_file_probe, yaml, *v).status == hb::Status::fail);
  auto all = hb::test::run_probe(
      hb::parse_file_probe,
      "{path: /etc/security/limits.d/*.conf, if_missing: notapplicable, expect: {content_matches: x}}", *v);
  CHECK(all.status == hb::Status::notapplicable);
  CHECK(hb::test::parse_error(hb::parse_file_probe, "{path: /etc/passwd, match: any, expect: {exists: true}}")
            .find("applies to a path with wildcards") != std::string::npos);
}
