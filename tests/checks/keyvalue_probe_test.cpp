#include "checks/keyvalue_probe.hpp"

#include <doctest/doctest.h>

#include <thread>

#include "engine/facts.hpp"
#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

using hb::Status;
using hb::test::all_evidence;
using hb::test::contains;
using hb::test::TempTree;

namespace {

// Debian 12's /etc/ssh/sshd_config (openssh-server 1:9.2p1-2), as shipped.
const char* const k_debian_sshd_config = R"(
#	$OpenBSD: sshd_config,v 1.104 2021/07/02 05:11:21 dtucker Exp $

# This is the sshd server system-wide configuration file.  See
# sshd_config(5) for more information.

# This sshd was compiled with PATH=/usr/local/bin:/usr/bin:/bin:/usr/games

# The strategy used for options in the default sshd_config shipped with
# OpenSSH is to specify options with their default value where
# possible, but leave them commented.  Uncommented options override the
# default value.

Include /etc/ssh/sshd_config.d/*.conf

#Port 22
#AddressFamily any
#ListenAddress 0.0.0.0
#ListenAddress ::

#HostKey /etc/ssh/ssh_host_rsa_key
#HostKey /etc/ssh/ssh_host_ecdsa_key
#HostKey /etc/ssh/ssh_host_ed25519_key

# Ciphers and keying
#RekeyLimit default none

# Logging
#SyslogFacility AUTH
#LogLevel INFO

# Authentication:

#LoginGraceTime 2m
#PermitRootLogin prohibit-password
#StrictModes yes
#MaxAuthTries 6
#MaxSessions 10

#PubkeyAuthentication yes

# Expect .ssh/authorized_keys2 to be disregarded by default in future.
#AuthorizedKeysFile	.ssh/authorized_keys .ssh/authorized_keys2

#AuthorizedPrincipalsFile none

# To disable tunneled clear text passwords, change to no here!
#PasswordAuthentication yes
#PermitEmptyPasswords no

# Change to yes to enable challenge-response passwords (beware issues with
# some PAM modules and threads)
KbdInteractiveAuthentication no

UsePAM yes

#AllowAgentForwarding yes
#AllowTcpForwarding yes
#GatewayPorts no
X11Forwarding yes
#X11DisplayOffset 10
#X11UseLocalhost yes
#PermitTTY yes
PrintMotd no

# Allow client to pass locale environment variables
AcceptEnv LANG LC_*

# override default of no subsystems
Subsystem	sftp	/usr/lib/openssh/sftp-server

# Example of overriding settings on a per-user basis
#Match User anoncvs
#	X11Forwarding no
#	AllowTcpForwarding no
#	PermitTTY no
#	ForceCommand cvs server
)";

// Line numbers in the text above (it starts with a newline, so line 1 is empty).
constexpr int k_include_line = 14;
constexpr int k_x11_line = 60;

// An excerpt of Debian 12's /etc/login.defs (login 1:4.13+dfsg1-1), comments included.
const char* const k_debian_login_defs = R"(#
# /etc/login.defs - Configuration control definitions for the login package.
#
# Comment lines (lines beginning with "#") and blank lines are ignored.
#
MAIL_DIR        /var/mail
FAILLOG_ENAB		yes
ENV_SUPATH	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV_PATH	PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games
UMASK		022
#HOME_MODE	0700

#
# Password aging controls:
#
#	PASS_MAX_DAYS	Maximum number of days a password may be used.
#	PASS_MIN_DAYS	Minimum number of days allowed between password changes.
#	PASS_WARN_AGE	Number of days warning given before a password expires.
#
PASS_MAX_DAYS	99999
PASS_MIN_DAYS	0
PASS_WARN_AGE	7
UID_MIN			 1000
UID_MAX			60000
ENCRYPT_METHOD SHA512
)";

TempTree debian_ssh_host() {
  TempTree t;
  t.write("/etc/ssh/sshd_config", k_debian_sshd_config);
  t.mkdir("/etc/ssh/sshd_config.d");
  return t;
}

hb::Outcome run(const std::string& yaml, const TempTree& t, hb::Facts* facts = nullptr) {
  auto v = t.view();
  return hb::test::run_probe(&hb::parse_keyvalue_probe, yaml, *v, facts);
}

const std::string k_root_login =
    "path: /etc/ssh/sshd_config\n"
    "dialect: sshd\n"
    "key: PermitRootLogin\n"
    "default: prohibit-password\n"
    "expect: { equals: \"no\", ignore_case: true }\n";

}  // namespace

TEST_CASE("keyvalue probe: sshd default applies when the Debian config leaves the key unset") {
  auto t = debian_ssh_host();
  auto o = run(k_root_login, t);
  CHECK(o.status == Status::fail);
  CHECK(all_evidence(o) ==
        "PermitRootLogin not set in /etc/ssh/sshd_config (sshd default: prohibit-password); "
        "expected 'no' (ignoring case)\n");

  auto ok =
      run("path: /etc/ssh/sshd_config\ndialect: sshd\nkey: PermitRootLogin\n"
          "default: prohibit-password\nexpect: { one_of: [\"no\", prohibit-password] }\n",
          t);
  CHECK(ok.status == Status::pass);
}

TEST_CASE("keyvalue probe: sshd first value wins") {
  TempTree t;
  t.write("/etc/ssh/sshd_config", "PermitRootLogin no\nPermitRootLogin yes\n");
  auto o = run(k_root_login, t);
  CHECK(o.status == Status::pass);
  CHECK(all_evidence(o) == "PermitRootLogin no at /etc/ssh/sshd_config:1\n");
}

TEST_CASE("keyvalue probe: sshd drop-in included before the main file's own line wins") {
  auto t = debian_ssh_host();
  t.write("/etc/ssh/sshd_config.d/50-cloud-init.conf", "PasswordAuthentication yes\n");
  t.write("/etc/ssh/sshd_config",
          std::string(k_debian_sshd_config) + "PasswordAuthentication no\nPermitRootLogin no\n");
  auto o =
      run("path: /etc/ssh/sshd_config\ndialect: sshd\nkey: PasswordAuthentication\n"
          "expect: { equals: \"no\" }\n",
          t);
  CHECK(o.status == Status::fail);
  CHECK(all_evidence(o) ==
        "PasswordAuthentication yes at /etc/ssh/sshd_config.d/50-cloud-init.conf:1; "
        "expected 'no'\n");
  // A line of the main file before the Include beats the drop-in.
  t.write("/etc/ssh/sshd_config",
          "PasswordAuthentication no\nInclude /etc/ssh/sshd_config.d/*.conf\n");
  hb::Facts fresh;
  auto before =
      run("path: /etc/ssh/sshd_config\ndialect: sshd\nkey: PasswordAuthentication\n"
          "expect: { equals: \"no\" }\n",
          t, &fresh);
  CHECK(before.status == Status::pass);
  CHECK(contains(all_evidence(before), "at /etc/ssh/sshd_config:1"));
}

TEST_CASE("keyvalue probe: sshd Include glob results are read in sorted order") {
  auto t = debian_ssh_host();
  t.write("/etc/ssh/sshd_config.d/20-late.conf", "PermitRootLogin yes\n");
  t.write("/etc/ssh/sshd_config.d/10-early.conf", "# hardening\nPermitRootLogin no\n");
  t.write("/etc/ssh/sshd_config.d/05-disabled.conf.bak", "PermitRootLogin yes\n");
  t.write("/etc/ssh/sshd_config.d/.00-hidden.conf", "PermitRootLogin yes\n");
  auto o = run(k_root_login, t);
  CHECK(o.status == Status::pass);
  CHECK(all_evidence(o) == "PermitRootLogin no at /etc/ssh/sshd_config.d/10-early.conf:2\n");
}

TEST_CASE("keyvalue probe: sshd relative Include resolves under /etc/ssh") {
  TempTree t;
  t.write("/etc/ssh/sshd_config", "Include hardening/*.conf local.conf\nPermitRootLogin yes\n");
  t.write("/etc/ssh/hardening/root.conf", "PermitRootLogin no\n");
  t.write("/etc/ssh/local.conf", "MaxAuthTries 3\n");
  auto o = run(k_root_login, t);
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "/etc/ssh/hardening/root.conf:1"));
  auto tries =
      run("path: /etc/ssh/sshd_config\ndialect: sshd\nkey: MaxAuthTries\nexpect: { le: 4 }\n", t);
  CHECK(tries.status == Status::pass);
  CHECK(contains(all_evidence(tries), "MaxAuthTries 3 at /etc/ssh/local.conf:1"));
}

TEST_CASE("keyvalue probe: sshd Include of a missing literal file is ignored, as sshd does") {
  TempTree t;
  t.write("/etc/ssh/sshd_config", "Include /etc/ssh/absent.conf\nPermitRootLogin no\n");
  CHECK(run(k_root_login, t).status == Status::pass);
}

TEST_CASE("keyvalue probe: sshd Match block never sets the global value") {
  auto t = debian_ssh_host();
  t.write("/etc/ssh/sshd_config",
          std::string(k_debian_sshd_config) +
              "Match User backup\n\tPermitRootLogin yes\n\tX11Forwarding no\n");
  auto o = run(k_root_login, t);
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o),
                 "not set in /etc/ssh/sshd_config (sshd default: "
                 "prohibit-password)"));
  auto x11 = run(
      "path: /etc/ssh/sshd_config\ndialect: sshd\nkey: X11Forwarding\nexpect: { equals: \"no\" }\n",
      t);
  CHECK(x11.status == Status::fail);
  CHECK(contains(all_evidence(x11),
                 "X11Forwarding yes at /etc/ssh/sshd_config:" + std::to_string(k_x11_line)));
}

TEST_CASE("keyvalue probe: sshd 'Match all' makes later lines global again") {
  TempTree t;
  t.write("/etc/ssh/sshd_config",
          "Match Address 10.0.0.0/8\n  PermitRootLogin yes\nMatch all\nPermitRootLogin no\n");
  auto o = run(k_root_login, t);
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "at /etc/ssh/sshd_config:4"));
}

TEST_CASE("keyvalue probe: sshd Match in an included file ends at the end of that file") {
  auto t = debian_ssh_host();
  t.write("/etc/ssh/sshd_config.d/10-sftp.conf",
          "Match Group sftponly\n  ChrootDirectory %h\n  PermitRootLogin yes\n");
  t.write("/etc/ssh/sshd_config", std::string(k_debian_sshd_config) + "PermitRootLogin no\n");
  auto o = run(k_root_login, t);
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "PermitRootLogin no at /etc/ssh/sshd_config:"));
}

TEST_CASE("keyvalue probe: sshd Include inside a Match block is conditional too") {
  TempTree t;
  t.write("/etc/ssh/sshd_config",
          "Match User admin\n  Include /etc/ssh/admin.conf\nMatch all\nPermitRootLogin no\n");
  t.write("/etc/ssh/admin.conf", "Match all\nPermitRootLogin yes\n");
  auto o = run(k_root_login, t);
  CHECK(o.status == Status::pass);
  CHECK(contains(all_evidence(o), "at /etc/ssh/sshd_config:4"));
}

TEST_CASE("keyvalue probe: sshd keywords are case-insensitive, Key=value accepted") {
  TempTree t;
  t.write("/etc/ssh/sshd_config", "permitrootlogin=No\nMAXAUTHTRIES = 4\n");
  auto o = run(k_root_login, t);
  CHECK(o.status == Status::pass);
  CHECK(all_evidence(o) == "permitrootlogin No at /etc/ssh/sshd_config:1\n");
  auto strict =
      run("path: /etc/ssh/sshd_config\ndialect: sshd\nkey: PermitRootLogin\nexpect: { equals: "
          "\"no\" }\n",
          t);
  CHECK(strict.status == Status::fail);  // the value keeps its case
  auto tries =
      run("path: /etc/ssh/sshd_config\ndialect: sshd\nkey: MaxAuthTries\nexpect: { le: 3 }\n", t);
  CHECK(tries.status == Status::fail);
  CHECK(contains(all_evidence(tries), "MAXAUTHTRIES 4 at /etc/ssh/sshd_config:2; expected <= 3"));
}

TEST_CASE("keyvalue probe: sshd quoted and multi-word values") {
  TempTree t;
  t.write("/etc/ssh/sshd_config",
          "Banner \"/etc/issue.net\"\n"
          "Ciphers   aes256-gcm@openssh.com,chacha20-poly1305@openssh.com  # modern only\n"
          "AllowUsers  alice\tbob\n"
          "AllowUsers carol\n");
  auto banner =
      run("path: /etc/ssh/sshd_config\ndialect: sshd\nkey: Banner\nexpect: { equals: "
          "/etc/issue.net }\n",
          t);
  CHECK(banner.status == Status::pass);
  auto ciphers =
      run("path: /etc/ssh/sshd_config\ndialect: sshd\nkey: Ciphers\n"
          "expect: { equals: \"aes256-gcm@openssh.com,chacha20-poly1305@openssh.com\" }\n",
          t);
  CHECK(ciphers.status == Status::pass);
  auto users =
      run("path: /etc/ssh/sshd_config\ndialect: sshd\nkey: AllowUsers\n"
          "expect: { equals: \"alice bob carol\" }\n",
          t);
  CHECK(users.status == Status::pass);
  CHECK(all_evidence(users) ==
        "AllowUsers alice bob carol at /etc/ssh/sshd_config:3, /etc/ssh/sshd_config:4\n");
}

TEST_CASE("keyvalue probe: sshd Include loop is an error, 16 levels are not") {
  TempTree t;
  t.write("/etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\n");
  t.write("/etc/ssh/sshd_config.d/loop.conf", "Include /etc/ssh/sshd_config.d/loop.conf\n");
  auto o = run(k_root_login, t);
  CHECK(o.status == Status::error);
  CHECK(contains(all_evidence(o),
                 "/etc/ssh/sshd_config.d/loop.conf:1: Include nested more than "
                 "16 levels deep"));

  TempTree deep;
  deep.write("/etc/ssh/sshd_config", "Include /etc/ssh/d1.conf\n");
  for (int i = 1; i <= 16; ++i)
    deep.write("/etc/ssh/d" + std::to_string(i) + ".conf",
               i < 16 ? "Include /etc/ssh/d" + std::to_string(i + 1) + ".conf\n"
                      : std::string("PermitRootLogin no\n"));
  auto ok = run(k_root_login, deep);
  CHECK(ok.status == Status::pass);
  CHECK(contains(all_evidence(ok), "/etc/ssh/d16.conf:1"));
  deep.write("/etc/ssh/d16.conf", "Include /etc/ssh/d17.conf\n");
  deep.write("/etc/ssh/d17.conf", "PermitRootLogin no\n");
  hb::Facts fresh;
  CHECK(run(k_root_login, deep, &fresh).status == Status::error);
}

TEST_CASE("keyvalue probe: sshd syntax error is an error naming file and line") {
  auto t = debian_ssh_host();
  t.write("/etc/ssh/sshd_config.d/bad.conf", "Banner \"/etc/issue\n");
  auto o = run(k_root_login, t);
  CHECK(o.status == Status::error);
  CHECK(contains(all_evidence(o), "/etc/ssh/sshd_config.d/bad.conf:1: invalid quotes"));
}

TEST_CASE("keyvalue probe: sshd unreadable included file is an error naming the Include") {
  auto t = debian_ssh_host();
  t.write("/etc/ssh/sshd_config.d/big.conf", std::string(8000, '#') + "\n");
  auto v = t.view(4096);
  auto o = hb::test::run_probe(&hb::parse_keyvalue_probe, k_root_login, *v);
  CHECK(o.status == Status::error);
  CHECK(contains(all_evidence(o), "/etc/ssh/sshd_config:" + std::to_string(k_include_line) +
                                      ": Include: /etc/ssh/sshd_config.d/big.conf"));
}

TEST_CASE("keyvalue probe: login_defs last value wins, keys are case-sensitive") {
  TempTree t;
  t.write("/etc/login.defs", std::string(k_debian_login_defs) +
                                 "pass_max_days 30\n"
                                 "PASS_MAX_DAYS\t365\n"
                                 "ENCRYPT_METHOD \"YESCRYPT\"\n");
  auto o = run(
      "path: /etc/login.defs\ndialect: login_defs\nkey: PASS_MAX_DAYS\nexpect: { le: 365 }\n", t);
  CHECK(o.status == Status::pass);
  CHECK(all_evidence(o) == "PASS_MAX_DAYS 365 at /etc/login.defs:27\n");
  auto m =
      run("path: /etc/login.defs\ndialect: login_defs\nkey: ENCRYPT_METHOD\n"
          "expect: { one_of: [SHA512, YESCRYPT] }\n",
          t);
  CHECK(m.status == Status::pass);
  CHECK(contains(all_evidence(m), "ENCRYPT_METHOD YESCRYPT at /etc/login.defs:28"));
  auto lower = run(
      "path: /etc/login.defs\ndialect: login_defs\nkey: pass_max_days\nexpect: { equals: 30 }\n",
      t);
  CHECK(lower.status == Status::pass);
  auto debian =
      run("path: /etc/login.defs\ndialect: login_defs\nkey: PASS_MIN_DAYS\nexpect: { ge: 1 }\n", t);
  CHECK(debian.status == Status::fail);
  CHECK(all_evidence(debian) == "PASS_MIN_DAYS 0 at /etc/login.defs:21; expected >= 1\n");
}

TEST_CASE("keyvalue probe: equals dialect with ',' comments, last value wins") {
  TempTree t;
  t.write("/etc/systemd/coredump.conf",
          "#  This file is part of systemd.\n"
          "[Coredump]\n"
          ";Storage=external\n"
          "Storage=external\n"
          "Storage = none\n"
          "#ProcessSizeMax=2G\n"
          "ProcessSizeMax=0\n");
  auto o = run(
      "path: /etc/systemd/coredump.conf\ndialect: equals\nkey: Storage\nexpect: { equals: none }\n",
      t);
  CHECK(o.status == Status::pass);
  CHECK(all_evidence(o) == "Storage none at /etc/systemd/coredump.conf:5\n");
  auto sized = run(
      "path: /etc/systemd/coredump.conf\ndialect: equals\nkey: ProcessSizeMax\nsection: Coredump\n"
      "expect: { equals: 0 }\n",
      t);
  CHECK(sized.status == Status::pass);
  auto other =
      run("path: /etc/systemd/coredump.conf\ndialect: equals\nkey: Storage\nsection: Journal\n"
          "expect: { equals: none }\n",
          t);
  CHECK(other.status == Status::fail);
  CHECK(all_evidence(other) ==
        "Storage not set in section [Journal] of /etc/systemd/coredump.conf; expected 'none'\n");
}

TEST_CASE("keyvalue probe: whitespace dialect is the default") {
  TempTree t;
  t.write("/etc/security/faillock.conf", "# deny = 3\ndeny 3\ndeny   5\n");
  auto o = run("path: /etc/security/faillock.conf\nkey: deny\nexpect: { le: 4 }\n", t);
  CHECK(o.status == Status::fail);
  CHECK(all_evidence(o) == "deny 5 at /etc/security/faillock.conf:3; expected <= 4\n");
}

TEST_CASE("keyvalue probe: a missing file follows if_missing") {
  TempTree t;
  const std::string base =
      "path: /etc/ssh/sshd_config\ndialect: sshd\nkey: PermitRootLogin\n"
      "expect: { equals: \"no\" }\n";
  auto absent = run(base, t);
  CHECK(absent.status == Status::fail);
  CHECK(all_evidence(absent) ==
        "PermitRootLogin not set: /etc/ssh/sshd_config does not exist; expected 'no'\n");
  auto absent_default = run(base + "default: \"no\"\n", t);
  CHECK(absent_default.status == Status::pass);
  CHECK(contains(all_evidence(absent_default), "(sshd default: no)"));
  CHECK(run(base + "if_missing: pass\n", t).status == Status::pass);
  auto fail = run(base + "if_missing: fail\n", t);
  CHECK(fail.status == Status::fail);
  CHECK(all_evidence(fail) == "/etc/ssh/sshd_config does not exist\n");
  CHECK(run(base + "if_missing: notapplicable\n", t).status == Status::notapplicable);
  auto err = run(base + "if_missing: error\n", t);
  CHECK(err.status == Status::error);
  CHECK(contains(all_evidence(err), "does not exist"));
  auto unset =
      run("path: /etc/ssh/sshd_config\ndialect: sshd\nkey: PermitRootLogin\nif_missing: absent\n"
          "expect: { exists: false }\n",
          t);
  CHECK(unset.status == Status::pass);
}

TEST_CASE("keyvalue probe: a file too big, a FIFO or a directory is an error") {
  TempTree t;
  t.write("/etc/login.defs", k_debian_login_defs);
  const std::string yaml =
      "path: /etc/login.defs\ndialect: login_defs\nkey: UMASK\nif_missing: pass\n"
      "expect: { equals: \"027\" }\n";
  auto v = t.view(64);
  auto big = hb::test::run_probe(&hb::parse_keyvalue_probe, yaml, *v);
  CHECK(big.status == Status::error);
  CHECK(contains(all_evidence(big), "read cap"));

  TempTree f;
  f.mkfifo("/etc/login.defs");
  auto fifo = run(yaml, f);
  CHECK(fifo.status == Status::error);
  CHECK(contains(all_evidence(fifo), "not a regular file"));

  TempTree d;
  d.mkdir("/etc/login.defs");
  CHECK(run(yaml, d).status == Status::error);
}

TEST_CASE("keyvalue probe: control bytes in host text are escaped in evidence") {
  TempTree t;
  t.write("/etc/default/app", "MODE=\x1b[31mred\n");
  auto o = run("path: /etc/default/app\ndialect: equals\nkey: MODE\nexpect: { equals: blue }\n", t);
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "MODE \\x1b[31mred at /etc/default/app:1"));
}

TEST_CASE("keyvalue probe: one parse per file per scan, shared across threads") {
  auto t = debian_ssh_host();
  t.write("/etc/ssh/sshd_config.d/10-hardening.conf", "PermitRootLogin no\nX11Forwarding no\n");
  auto v = t.view();
  hb::Facts facts;
  std::vector<Status> results(8, Status::error);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      const char* key = i % 2 ? "X11Forwarding" : "PermitRootLogin";
      results[i] =
          hb::test::run_probe(&hb::parse_keyvalue_probe,
                              std::string("path: /etc/ssh/sshd_config\ndialect: sshd\nkey: ") +
                                  key + "\nexpect: { equals: \"no\" }\n",
                              *v, &facts)
              .status;
    });
  }
  for (auto& th : threads) th.join();
  for (auto s : results) CHECK(s == Status::pass);
  auto counts = facts.parse_counts();
  CHECK(counts.size() == 1);
  CHECK(counts["keyvalue:sshd:/etc/ssh/sshd_config"] == 1);
}

TEST_CASE("keyvalue probe: parameter errors name test.yaml and the line") {
  using hb::test::parse_error;
  auto p = &hb::parse_keyvalue_probe;
  CHECK(contains(parse_error(p, "path: /x\ndialect: ini\nkey: a\nexpect: { equals: 1 }\n"),
                 "test.yaml:2:10: dialect: 'ini' is not one of: sshd, login_defs, equals, "
                 "whitespace"));
  CHECK(contains(parse_error(p, "path: etc/x\nkey: a\nexpect: { equals: 1 }\n"),
                 "test.yaml:1:7: path: 'etc/x' is not an absolute path"));
  CHECK(contains(parse_error(p, "path: /x\nkey: a\nif_missing: skip\nexpect: { equals: 1 }\n"),
                 "test.yaml:3:13: if_missing:"));
  CHECK(contains(parse_error(p, "path: /x\nkey: a\nsection: S\nexpect: { equals: 1 }\n"),
                 "test.yaml:3:10: section: only the equals dialect"));
  CHECK(contains(parse_error(p, "path: /x\nkey: a b\nexpect: { equals: 1 }\n"), "test.yaml:2:6:"));
  CHECK(contains(parse_error(p, "path: /x\nkey: a\n"), "missing required key 'expect'"));
  CHECK(contains(parse_error(p, "path: /x\nkey: a\nexpect: { equal: 1 }\n"),
                 "test.yaml:3:11: unknown key 'equal'"));
  CHECK(parse_error(p, "path: /x\nkey: a\nexpect: { equals: 1 }\n") == "");
}

TEST_CASE("keyvalue probe: value_type duration reads sshd's time format as seconds") {
  hb::test::TempTree t;
  t.write("/etc/ssh/sshd_config", "LoginGraceTime 1m\nClientAliveInterval 1h30s\nMaxStartups 2x\n");
  auto v = t.view();
  auto o = hb::test::run_probe(hb::parse_keyvalue_probe,
                               "{path: /etc/ssh/sshd_config, dialect: sshd, key: LoginGraceTime, "
                               "value_type: duration, expect: {ge: 1, le: 60}}",
                               *v);
  CHECK(o.status == hb::Status::pass);
  CHECK(hb::test::contains(hb::test::all_evidence(o), "LoginGraceTime 1m (60 s) at"));
  auto long_one = hb::test::run_probe(hb::parse_keyvalue_probe,
                                      "{path: /etc/ssh/sshd_config, dialect: sshd, key: ClientAliveInterval, "
                                      "value_type: duration, expect: {le: 300}}",
                                      *v);
  CHECK(long_one.status == hb::Status::fail);
  CHECK(hb::test::contains(hb::test::all_evidence(long_one), "(3630 s)"));
  auto bad = hb::test::run_probe(hb::parse_keyvalue_probe,
                                 "{path: /etc/ssh/sshd_config, dialect: sshd, key: MaxStartups, "
                                 "value_type: duration, expect: {le: 300}}",
                                 *v);
  CHECK(bad.status == hb::Status::fail);
  CHECK(hb::test::contains(hb::test::all_evidence(bad), "not a valid duration"));
  auto dflt = hb::test::run_probe(hb::parse_keyvalue_probe,
                                  "{path: /etc/ssh/sshd_config, dialect: sshd, key: Unset, "
                                  "value_type: duration, default: 2m, expect: {le: 60}}",
                                  *v);
  CHECK(dflt.status == hb::Status::fail);
  CHECK(hb::test::parse_error(hb::parse_keyvalue_probe,
                              "{path: /x, key: k, value_type: duration, default: soon, expect: {le: 1}}")
            .find("is not a duration") != std::string::npos);
  CHECK(hb::test::parse_error(hb::parse_keyvalue_probe,
                              "{path: /x, key: k, value_type: seconds, expect: {le: 1}}")
            .find("value_type") != std::string::npos);
}

// Found in the fuzzing review (UBSan): sixteen "2^40 weeks" overflowed the signed sum. sshd's
// convtime() refuses INT_MAX seconds or more, and so does the probe now.
TEST_CASE("keyvalue probe: a duration sshd would refuse as too long is not a valid duration") {
  hb::test::TempTree t;
  std::string huge;
  for (int i = 0; i < 16; ++i) huge += "1099511627776w";
  t.write("/etc/ssh/sshd_config", "LoginGraceTime " + huge + "\nClientAliveInterval 2147483647\n" +
                                      "MaxAuthTries 24855d3h14m6s\nMaxSessions 24855d3h14m7s\n");
  auto v = t.view();
  auto run = [&](const std::string& key) {
    return hb::test::run_probe(hb::parse_keyvalue_probe,
                               "{path: /etc/ssh/sshd_config, dialect: sshd, key: " + key +
                                   ", value_type: duration, expect: {ge: 0}}",
                               *v);
  };
  for (std::string key : {"LoginGraceTime", "ClientAliveInterval", "MaxSessions"}) {
    CAPTURE(key);
    CHECK(hb::test::contains(hb::test::all_evidence(run(key)), "(not a valid duration)"));
  }
  auto largest = run("MaxAuthTries");  // INT_MAX - 1 seconds: still one sshd takes
  CHECK(largest.status == hb::Status::pass);
  CHECK(hb::test::contains(hb::test::all_evidence(largest), "24855d3h14m6s (2147483646 s)"));
}
