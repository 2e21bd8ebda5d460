#include "checks/pam_probe.hpp"

#include <doctest/doctest.h>

#include "engine/facts.hpp"
#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

using hb::Status;
using hb::test::all_evidence;
using hb::test::contains;
using hb::test::TempTree;

namespace {

hb::Outcome run(const std::string& yaml, const TempTree& t, hb::Facts* facts = nullptr) {
  auto v = t.view();
  return hb::test::run_probe(&hb::parse_pam_probe, yaml, *v, facts);
}

// sshd's service file as Debian ships it (abridged), reaching common-* through @include.
TempTree debian_host() {
  auto t = TempTree::from_fixture("weak");  // Debian 12's common-* files as installed
  t.write("/etc/pam.d/sshd",
          "# PAM configuration for the Secure Shell service\n"
          "\n"
          "# Standard Un*x authentication.\n"
          "@include common-auth\n"
          "\n"
          "# Disallow non-root logins when /etc/nologin exists.\n"
          "account    required     pam_nologin.so\n"
          "\n"
          "# Standard Un*x authorization.\n"
          "@include common-account\n"
          "session [success=ok ignore=ignore module_unknown=ignore default=bad]        "
          "pam_selinux.so close\n"
          "@include common-session\n"
          "@include common-password\n");
  return t;
}

const std::string k_pwquality =
    "service: common-password\ntype: password\nmodule: pam_pwquality.so\nexpect: { present: true }\n";

}  // namespace

TEST_CASE("pam probe: a module in the stack passes present: true") {
  auto t = TempTree::from_fixture("hardened");
  auto o = run(k_pwquality, t);
  CHECK(o.status == Status::pass);
  CHECK(all_evidence(o) ==
        "/etc/pam.d/common-password:25: password requisite pam_pwquality.so retry=3\n");
}

TEST_CASE("pam probe: a module missing from the stack fails present: true") {
  auto t = debian_host();
  auto o = run(k_pwquality, t);
  CHECK(o.status == Status::fail);
  CHECK(all_evidence(o) ==
        "no password line for pam_pwquality.so in the common-password stack (read "
        "/etc/pam.d/common-password)\n");
}

TEST_CASE("pam probe: includes are followed from a service file") {
  auto t = debian_host();
  auto o = run("service: sshd\ntype: auth\nmodule: pam_unix.so\nargs_present: [nullok]\n"
               "expect: { present: false }\n",
               t);
  CHECK(o.status == Status::fail);
  REQUIRE(o.objects.size() == 1);
  CHECK(o.objects[0].id == "/etc/pam.d/common-auth:17");
  CHECK(o.objects[0].evidence[0] ==
        "/etc/pam.d/common-auth:17: auth [success=1 default=ignore] pam_unix.so nullok: expected no "
        "auth line for pam_unix.so with nullok");
  auto hardened = TempTree::from_fixture("hardened");
  auto ok = run("service: common-auth\ntype: auth\nmodule: pam_unix.so\nargs_present: [nullok]\n"
                "expect: { present: false }\n",
                hardened);
  CHECK(ok.status == Status::pass);
  CHECK(all_evidence(ok) ==
        "no auth line for pam_unix.so with nullok in the common-auth stack (read "
        "/etc/pam.d/common-auth)\n");
}

TEST_CASE("pam probe: TYPE include takes only that type's lines, substack too") {
  auto t = debian_host();
  t.write("/etc/pam.d/login", "auth include common-auth\naccount substack common-account\n");
  CHECK(run("service: login\ntype: auth\nmodule: pam_unix.so\nexpect: { present: true }\n", t)
            .status == Status::pass);
  CHECK(run("service: login\ntype: account\nmodule: pam_unix.so\nexpect: { present: true }\n", t)
            .status == Status::pass);
  // common-password is not included at all, common-session not for session.
  CHECK(run("service: login\ntype: password\nmodule: pam_unix.so\nexpect: { present: true }\n", t)
            .status == Status::fail);
  t.write("/etc/pam.d/login", "session include common-auth\n");
  CHECK(run("service: login\nmodule: pam_unix.so\nexpect: { present: true }\n", t).status ==
        Status::fail);
}

TEST_CASE("pam probe: argument values are tested, the last occurrence counts") {
  auto t = TempTree::from_fixture("hardened");
  const std::string base = "service: common-password\ntype: password\nmodule: pam_pwhistory.so\n";
  CHECK(run(base + "args: { remember: { ge: 24 } }\nexpect: { present: true }\n", t).status ==
        Status::pass);
  CHECK(run(base + "args: { remember: 24 }\nargs_present: [use_authtok, enforce_for_root]\n"
                   "expect: { present: true }\n",
            t)
            .status == Status::pass);
  t.write("/etc/pam.d/common-password",
          "password requisite pam_pwhistory.so remember=24 use_authtok remember=5\n");
  auto o = run(base + "args: { remember: { ge: 24 } }\nexpect: { present: true }\n", t);
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o),
                 "/etc/pam.d/common-password:1: password requisite pam_pwhistory.so remember=24 "
                 "use_authtok remember=5: remember=5, expected >= 24"));
  t.write("/etc/pam.d/common-password", "password requisite pam_pwhistory.so use_authtok\n");
  auto unset = run(base + "args: { remember: { ge: 24 } }\nexpect: { present: true }\n", t);
  CHECK(contains(all_evidence(unset), "no remember= argument (the module's default applies)"));
  auto flag = run(base + "args_present: [enforce_for_root]\nexpect: { present: true }\n", t);
  CHECK(contains(all_evidence(flag), ": no enforce_for_root"));
}

TEST_CASE("pam probe: module paths compare by file name") {
  auto t = debian_host();
  t.write("/etc/pam.d/common-password",
          "password requisite /lib/x86_64-linux-gnu/security/pam_pwquality.so retry=3\n");
  CHECK(run(k_pwquality, t).status == Status::pass);
  CHECK(run("service: common-password\nmodule: /usr/lib/security/pam_pwquality.so\n"
            "expect: { present: true }\n",
            t)
            .status == Status::pass);
}

TEST_CASE("pam probe: broken stacks are errors, never verdicts") {
  auto t = debian_host();
  t.write("/etc/pam.d/sshd", "@include common-auth\n@include common-missing\n");
  auto missing = run("service: sshd\ntype: auth\nmodule: pam_unix.so\nexpect: { present: true }\n", t);
  CHECK(missing.status == Status::error);
  CHECK(all_evidence(missing) ==
        "/etc/pam.d/sshd:2: /etc/pam.d/common-missing is included but does not exist; PAM fails "
        "the stack\n");
  t.write("/etc/pam.d/loop-a", "@include loop-b\n");
  t.write("/etc/pam.d/loop-b", "@include loop-a\n");
  auto loop = run("service: loop-a\nmodule: pam_unix.so\nexpect: { present: false }\n", t);
  CHECK(loop.status == Status::error);
  CHECK(contains(all_evidence(loop), "includes nested deeper than 16 levels"));
  std::string fan;
  for (int i = 0; i < 200; ++i) fan += "@include fan\n";
  t.write("/etc/pam.d/fan", fan);  // 200^16 includes if nothing stopped it
  auto wide = run("service: fan\nmodule: pam_unix.so\nexpect: { present: false }\n", t);
  CHECK(wide.status == Status::error);
  t.write("/etc/pam.d/leaf", "");
  std::string wide_leaf;
  for (int i = 0; i < 200; ++i) wide_leaf += "@include wide2\n";
  t.write("/etc/pam.d/wide1", wide_leaf);
  std::string wide2;
  for (int i = 0; i < 200; ++i) wide2 += "@include leaf\n";
  t.write("/etc/pam.d/wide2", wide2);  // 40,000 includes, no lines, no loop
  auto budget = run("service: wide1\nmodule: pam_unix.so\nexpect: { present: false }\n", t);
  CHECK(budget.status == Status::error);
  CHECK(contains(all_evidence(budget), "more than 10000 includes in one stack"));
  t.write("/etc/pam.d/typo", "auht required pam_unix.so\n");
  auto typo = run("service: typo\ntype: auth\nmodule: pam_unix.so\nexpect: { present: false }\n", t);
  CHECK(typo.status == Status::error);
  CHECK(all_evidence(typo) ==
        "/etc/pam.d/typo:1: unknown module type 'auht'; PAM rejects the line and fails the whole "
        "stack\n");
  t.mkfifo("/etc/pam.d/fifo");
  CHECK(run("service: fifo\nmodule: pam_unix.so\nexpect: { present: true }\n", t).status ==
        Status::error);
}

TEST_CASE("pam probe: no /etc/pam.d is notapplicable, a missing service file has no lines") {
  TempTree empty;
  CHECK(run(k_pwquality, empty).status == Status::notapplicable);
  CHECK(run("service: common-auth\nmodule: pam_unix.so\nargs_present: [nullok]\n"
            "expect: { present: false }\n",
            empty)
            .status == Status::notapplicable);
  auto t = debian_host();
  auto o = run("service: vsftpd\nmodule: pam_unix.so\nexpect: { present: true }\n", t);
  CHECK(o.status == Status::fail);
  CHECK(contains(all_evidence(o), "(/etc/pam.d/vsftpd does not exist)"));
  CHECK(run("service: vsftpd\nmodule: pam_unix.so\nexpect: { present: false }\n", t).status ==
        Status::pass);
}

TEST_CASE("pam probe: each file is parsed once per scan") {
  auto t = debian_host();
  hb::Facts facts;
  run("service: sshd\ntype: auth\nmodule: pam_unix.so\nexpect: { present: true }\n", t, &facts);
  run(k_pwquality, t, &facts);
  run("service: sshd\ntype: password\nmodule: pam_unix.so\nexpect: { present: true }\n", t, &facts);
  auto counts = facts.parse_counts();
  CHECK(counts.at("pam.d:/etc/pam.d/common-password") == 1);
  CHECK(counts.at("pam.d:/etc/pam.d/sshd") == 1);
}

TEST_CASE("pam probe: bad parameters are load errors") {
  using hb::test::parse_error;
  auto p = &hb::parse_pam_probe;
  CHECK(contains(parse_error(p, "module: pam_unix.so\nexpect: { present: true }\n"), "service"));
  CHECK(contains(parse_error(p, "service: ../shadow\nmodule: pam_unix.so\nexpect: { present: true }\n"),
                 "is not a file name under /etc/pam.d"));
  CHECK(contains(parse_error(p, "service: sshd\ntype: login\nmodule: pam_unix.so\n"
                                "expect: { present: true }\n"),
                 "login"));
  CHECK(contains(parse_error(p, "service: sshd\nmodule: pam_unix.so\nexpect: {}\n"),
                 "expected 'present: true' or 'present: false'"));
  CHECK(contains(parse_error(p, "service: sshd\nmodule: pam_unix.so\nargs: { \"a=b\": 1 }\n"
                                "expect: { present: true }\n"),
                 "is not a module argument name"));
  CHECK(contains(parse_error(p, "service: sshd\nmodule: pam_unix.so\nargs: { retry: { gee: 3 } }\n"
                                "expect: { present: true }\n"),
                 "gee"));
  CHECK(contains(parse_error(p, "service: sshd\nmodule: pam_unix.so\nargs: { retry: [1, 2] }\n"
                                "expect: { present: true }\n"),
                 "expected a value"));
  CHECK(contains(parse_error(p, "service: sshd\nmodule: pam_unix.so\nargs_present: [\"a b\"]\n"
                                "expect: { present: true }\n"),
                 "is not a module argument name"));
  CHECK(contains(parse_error(p, "service: sshd\nmodule: pam_unix.so\nexpect: { present: true }\n"
                                "control: required\n"),
                 "control"));
}
