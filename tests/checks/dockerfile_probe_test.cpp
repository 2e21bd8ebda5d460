#include "checks/dockerfile_probe.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "engine/facts.hpp"
#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

using hb::Outcome;
using hb::Status;
using hb::test::all_evidence;
using hb::test::contains;
using hb::test::TempTree;

namespace {

std::string fx(const std::string& name) {
  return std::string(HB_FIXTURES_DIR) + "/dockerfiles/" + name + ".Dockerfile";
}

// Evaluates `check: CHECK` (plus extra YAML) on the given Dockerfiles, as a scan with
// --dockerfile would.
Outcome run(const std::string& check, std::vector<std::string> files, const std::string& extra = "",
            hb::Facts* facts = nullptr) {
  YAML::Node node = YAML::Load("check: " + check + "\n" + extra);
  hb::Params params(node, "test.yaml", nullptr);
  auto probe = hb::parse_dockerfile_probe(params);
  params.finish();
  TempTree root;
  auto view = root.view();
  hb::Facts local;
  hb::ProbeContext ctx{*view, facts ? *facts : local, nullptr};
  ctx.dockerfiles = &files;
  return probe->evaluate(ctx);
}

// The status and evidence of the one object of a run on one file.
struct One {
  Status status;
  std::string evidence;
};
One one(const std::string& check, const std::string& file, const std::string& extra = "") {
  Outcome o = run(check, {file}, extra);
  REQUIRE(o.objects.size() == 1);
  CHECK(o.objects[0].id == file);
  CHECK(o.status == o.objects[0].status);
  return {o.objects[0].status, all_evidence(o)};
}

std::string parse_error(const std::string& yaml) {
  return hb::test::parse_error(&hb::parse_dockerfile_probe, yaml);
}

}  // namespace

TEST_CASE("dockerfile probe: user_nonroot") {
  const auto good = fx("good/user_nonroot"), bad = fx("bad/user_nonroot");
  One g = one("user_nonroot", good);
  CHECK(g.status == Status::pass);
  // USER ${APP_UID}:${APP_UID} resolves through the stage's ARG to 10001.
  CHECK(contains(g.evidence, good + ":6: USER ${APP_UID}:${APP_UID} is the last USER"));
  One b = one("user_nonroot", bad);
  CHECK(b.status == Status::fail);
  CHECK(contains(b.evidence, bad + ":5: USER root is the last USER of the final stage"));

  TempTree t;
  auto file = [&](const std::string& name, const std::string& text) {
    t.write("/" + name, text);
    return t.real("/" + name);
  };
  One none = one("user_nonroot", file("none", "FROM debian:12\nRUN true\n"));
  CHECK(none.status == Status::fail);
  CHECK(contains(none.evidence, ":1: the final stage (FROM debian:12) sets no USER"));
  CHECK(one("user_nonroot", file("zero", "FROM x:1\nUSER 0:0\n")).status == Status::fail);
  CHECK(one("user_nonroot", file("rootgrp", "FROM x:1\nUSER root:app\n")).status == Status::fail);
  CHECK(one("user_nonroot", file("nobody0", "FROM x:1\nUSER nobody:0\n")).status == Status::pass);
  // The final stage inherits USER from the stage it builds on.
  One inh =
      one("user_nonroot", file("inh", "FROM x:1 AS base\nUSER app\nFROM base\nCMD [\"a\"]\n"));
  CHECK(inh.status == Status::pass);
  CHECK(contains(inh.evidence, ":2: USER app (stage 'base', which the final stage builds on)"));
  // A step that needs root after the switch only works through sudo and the like.
  One sudo =
      one("user_nonroot", file("sudo", "FROM x:1\nUSER app\nRUN sudo apt-get install -y vim\n"));
  CHECK(sudo.status == Status::fail);
  CHECK(contains(sudo.evidence, ":3: RUN sudo needs root after USER app (line 2)"));
  // A user from an ARG without a default cannot be told.
  One arg = one("user_nonroot", file("arg", "FROM x:1\nARG UID\nUSER $UID\n"));
  CHECK(arg.status == Status::error);
  CHECK(contains(arg.evidence, ":3: USER $UID: the user cannot be told: UID is an ARG"));
}

TEST_CASE("dockerfile probe: minimal_final_stage") {
  const auto good = fx("good/minimal_final_stage"), bad = fx("bad/minimal_final_stage");
  One g = one("minimal_final_stage", good);
  CHECK(g.status == Status::pass);
  CHECK(contains(g.evidence, good + ":7: the final stage's FROM gcr.io/distroless/static-debian12:"
                                    "nonroot is minimal and only copies artefacts"));
  One b = one("minimal_final_stage", bad);
  CHECK(b.status == Status::informational);
  CHECK(contains(b.evidence, bad + ":6: the final stage's FROM debian:12-slim is not one of the "
                                   "minimal bases (scratch, gcr.io/distroless/*, "
                                   "cgr.dev/chainguard/*)"));
  // With debian allowed, the RUN in the final stage is what keeps it informational.
  One allowed = one("minimal_final_stage", bad, "allowed: [debian]");
  CHECK(allowed.status == Status::informational);
  CHECK(
      contains(allowed.evidence, bad + ":8: the final stage (FROM debian:12-slim) runs commands"));
  One single = one("minimal_final_stage", fx("good/user_nonroot"));
  CHECK(single.status == Status::informational);
  CHECK(contains(single.evidence, ":1: single-stage build (FROM debian:12-slim)"));
}

TEST_CASE("dockerfile probe: base_pinned") {
  const auto good = fx("good/base_pinned"), bad = fx("bad/base_pinned");
  One g = one("base_pinned", good);
  CHECK(g.status == Status::pass);
  CHECK(contains(g.evidence, good + ":2: FROM python:${PYTHON}-slim (= python:3.12.3-slim): tag "
                                    "3.12.3-slim (a digest @sha256:... is best"));
  CHECK(contains(g.evidence, good + ":4: FROM python@sha256:"));
  CHECK(contains(g.evidence, ": pinned by digest"));
  CHECK_FALSE(contains(g.evidence, ":5:"));  // FROM build: a stage
  CHECK_FALSE(contains(g.evidence, ":6:"));  // FROM scratch
  One b = one("base_pinned", bad);
  CHECK(b.status == Status::fail);
  CHECK(contains(b.evidence, bad + ":1: FROM ubuntu: no tag: Docker pulls :latest"));
  CHECK(contains(b.evidence, bad + ":2: FROM node:latest: the tag latest"));
  CHECK(contains(b.evidence, bad + ":3: FROM registry.example.com:5000/team/app: no tag"));
  CHECK(contains(b.evidence, bad + ":4: FROM node:20.12-alpine: tag 20.12-alpine"));
  One arg = one("base_pinned", fx("syntax/argfrom"));
  CHECK(arg.status == Status::fail);
  CHECK(contains(arg.evidence,
                 ":9: FROM python:${VARIANT} (= python:): the image depends on a "
                 "build argument (VARIANT is an ARG without a default)"));
}

TEST_CASE("dockerfile probe: copy_not_add and no_add_url") {
  One g = one("copy_not_add", fx("good/copy_not_add"));
  CHECK(g.status == Status::pass);
  CHECK(contains(g.evidence, ":1: no ADD instruction"));
  const auto bad = fx("bad/copy_not_add");
  One b = one("copy_not_add", bad);
  CHECK(b.status == Status::fail);
  CHECK(contains(b.evidence, bad + ":2: ADD rootfs.tar.xz /: use COPY"));
  CHECK(contains(b.evidence, bad + ":3: ADD of a URL (https://example.com/releases/tool-1.2.tar.gz)"
                                   ", severe"));
  // no_add_url tolerates a local ADD, and names URLs without their credentials.
  One lg = one("no_add_url", fx("good/no_add_url"));
  CHECK(lg.status == Status::pass);
  CHECK(contains(lg.evidence, ":1: no ADD of a URL"));
  const auto url = fx("bad/no_add_url");
  One u = one("no_add_url", url);
  CHECK(u.status == Status::fail);
  CHECK(contains(u.evidence, url + ":2: ADD of a URL (https://***@downloads.example.com/tool)"));
  CHECK_FALSE(contains(u.evidence, "s3cr3t"));
  CHECK(contains(u.evidence, url + ":3: ADD of a URL (git@github.com:example/repo.git)"));
  CHECK_FALSE(contains(u.evidence, ":4:"));
  // A download BuildKit verifies passes no_add_url, but is still an ADD.
  TempTree t;
  t.write("/sum", "FROM x:1\nADD --checksum=sha256:0123 https://example.com/a.tgz /a.tgz\n");
  One sum = one("no_add_url", t.real("/sum"));
  CHECK(sum.status == Status::pass);
  CHECK(contains(sum.evidence,
                 ":2: ADD of a URL (https://example.com/a.tgz) with --checksum: its "
                 "content is verified"));
  CHECK(one("copy_not_add", t.real("/sum")).status == Status::fail);
}

TEST_CASE("dockerfile probe: exec_form") {
  One g = one("exec_form", fx("good/exec_form"));
  CHECK(g.status == Status::pass);
  CHECK(contains(g.evidence, ":3: ENTRYPOINT in exec (JSON) form"));
  CHECK(contains(g.evidence, ":4: CMD in exec (JSON) form"));
  const auto bad = fx("bad/exec_form");
  One b = one("exec_form", bad);
  CHECK(b.status == Status::fail);
  // Single quotes are not JSON: shell form, as Docker reads it.
  CHECK(contains(b.evidence, bad + ":3: ENTRYPOINT ['node', '/app/server.js'] is in shell form"));
  CHECK(contains(b.evidence, bad + ":4: CMD node /app/server.js --port 8080 is in shell form"));
  One none = one("exec_form", fx("good/copy_not_add"));
  CHECK(none.status == Status::notapplicable);
}

TEST_CASE("dockerfile probe: healthcheck") {
  One g = one("healthcheck", fx("good/healthcheck"));
  CHECK(g.status == Status::pass);
  CHECK(contains(g.evidence, ":2: HEALTHCHECK CMD [\"curl\""));
  const auto bad = fx("bad/healthcheck");
  One b = one("healthcheck", bad);
  CHECK(b.status == Status::fail);  // the final stage says NONE; the first stage's does not count
  CHECK(contains(b.evidence, bad + ":4: HEALTHCHECK NONE disables the health check (CIS 4.6)"));
  One none = one("healthcheck", fx("good/exec_form"));
  CHECK(none.status == Status::fail);
  CHECK(contains(none.evidence, ":1: the final stage has no HEALTHCHECK (CIS 4.6)"));
}

TEST_CASE("dockerfile probe: no_update_alone") {
  One g = one("no_update_alone", fx("good/no_update_alone"));
  CHECK(g.status == Status::pass);
  CHECK(contains(g.evidence, "no RUN updates package lists without installing"));
  const auto bad = fx("bad/no_update_alone");
  One b = one("no_update_alone", bad);
  CHECK(b.status == Status::fail);
  CHECK(contains(b.evidence, bad + ":2: RUN apt-get update without an install in the same RUN"));
  CHECK_FALSE(contains(b.evidence, ":3:"));
  CHECK(contains(b.evidence, bad + ":5: RUN apk update without"));
  CHECK(contains(b.evidence, bad + ":8: RUN yum makecache without"));  // sh -c in exec form
}

TEST_CASE("dockerfile probe: apt_hygiene") {
  const auto good = fx("good/apt_hygiene"), bad = fx("bad/apt_hygiene");
  One g = one("apt_hygiene", good);
  CHECK(g.status == Status::pass);
  CHECK(contains(g.evidence, good + ":2: apt-get install with --no-install-recommends"));
  CHECK(contains(g.evidence, good + ":5: apt-get install with"));  // cache mount, -o option
  One b = one("apt_hygiene", bad);
  CHECK(b.status == Status::fail);
  CHECK(contains(b.evidence, bad + ":2: RUN apt-get install without --no-install-recommends and "
                                   "without removing /var/lib/apt/lists in the same RUN"));
  CHECK(contains(b.evidence, bad + ":3: RUN apt-get install without removing /var/lib/apt/lists"));
  CHECK(contains(b.evidence, bad + ":5: apt-get install with --no-install-recommends, lists "
                                   "removed"));
  CHECK(one("apt_hygiene", fx("good/copy_not_add")).status == Status::notapplicable);
  // Heredoc bodies are scripts too.
  CHECK(one("apt_hygiene", fx("syntax/heredocs")).status == Status::pass);
}

TEST_CASE("dockerfile probe: no_secrets never prints a value") {
  One g = one("no_secrets", fx("good/no_secrets"));
  CHECK(g.status == Status::pass);
  CHECK(contains(g.evidence, "no ARG or ENV with a secret-like name has a literal value"));
  const auto bad = fx("bad/no_secrets");
  One b = one("no_secrets", bad);
  CHECK(b.status == Status::fail);
  CHECK(contains(b.evidence, bad + ":1: ARG REGISTRY_TOKEN has a literal value (not shown)"));
  CHECK(contains(b.evidence, bad + ":3: ENV DB_PASSWORD has a literal value"));
  CHECK_FALSE(contains(b.evidence, "LOG_LEVEL"));
  CHECK(contains(b.evidence, bad + ":4: ARG NPM_TOKEN has"));
  CHECK(contains(b.evidence, bad + ":5: ENV AWS_SECRET_ACCESS_KEY has"));
  CHECK(contains(b.evidence, bad + ":6: ENV private-key has"));  // a literal default
  CHECK_FALSE(contains(b.evidence, "leaked"));
  CHECK_FALSE(contains(b.evidence, "hunter2"));
}

TEST_CASE("dockerfile probe: no_world_writable_or_setuid") {
  One g = one("no_world_writable_or_setuid", fx("good/no_world_writable_or_setuid"));
  CHECK(g.status == Status::pass);
  const auto bad = fx("bad/no_world_writable_or_setuid");
  One b = one("no_world_writable_or_setuid", bad);
  CHECK(b.status == Status::fail);
  CHECK(contains(b.evidence, bad + ":2: RUN chmod 777: world-writable (CIS 4.8)"));
  CHECK(contains(b.evidence, bad + ":3: RUN chmod a+w,u+s: world-writable and setuid"));
  CHECK(contains(b.evidence, bad + ":4: COPY --chmod=4755: setuid"));
  CHECK(contains(b.evidence, bad + ":5: RUN chmod g+s: setgid"));
  CHECK(contains(b.evidence, bad + ":6: RUN install 2755: setgid"));
  CHECK(contains(b.evidence, bad + ":7: RUN chmod o+w: world-writable"));
}

TEST_CASE("dockerfile probe: no files, unreadable files, parse errors") {
  Outcome none = run("user_nonroot", {});
  CHECK(none.status == Status::notapplicable);
  CHECK(contains(all_evidence(none), "no --dockerfile given"));

  TempTree t;
  t.write("/broken", "FROM x:1\nRUN <<EOF\necho\n");
  t.mkfifo("/fifo");
  const std::string missing = t.real("/missing");
  Outcome o =
      run("healthcheck", {t.real("/broken"), t.real("/fifo"), missing, fx("good/healthcheck")});
  CHECK(o.status == Status::error);
  REQUIRE(o.objects.size() == 4);
  CHECK(o.objects[0].status == Status::error);
  CHECK(contains(all_evidence(o), t.real("/broken") + ":2: unterminated heredoc <<EOF"));
  CHECK(o.objects[1].status == Status::error);  // a FIFO is never opened for reading
  CHECK(o.objects[2].status == Status::error);
  CHECK(o.objects[3].status == Status::pass);
  CHECK(contains(all_evidence(o), "4 Dockerfile(s) from --dockerfile"));
}

TEST_CASE("dockerfile probe: each file is parsed once per scan") {
  hb::Facts facts;
  const auto file = fx("good/user_nonroot");
  CHECK(run("user_nonroot", {file}, "", &facts).status == Status::pass);
  CHECK(run("healthcheck", {file}, "", &facts).status == Status::fail);
  CHECK(facts.parse_counts().at("dockerfile:" + file) == 1);
}

TEST_CASE("dockerfile probe: parameters") {
  CHECK(parse_error("check: user_nonroot") == "");
  CHECK(contains(parse_error("check: bogus"), "'bogus' is not one of: user_nonroot,"));
  CHECK(contains(parse_error("{}"), "check"));
  CHECK(contains(parse_error("check: healthcheck\nallowed: [scratch]"),
                 "only check: minimal_final_stage takes 'allowed'"));
  CHECK(contains(parse_error("check: healthcheck\npath: /x"), "path"));
}

TEST_CASE("dockerfile probe: hostile files give results fast") {
  TempTree t;
  std::string chain = "FROM x:1 AS s0\nUSER app\n";  // 9,999 stages, each on the one before
  for (int i = 1; i < 9'999; ++i)                    // with the USER, 10,000 instructions: the cap
    chain += "FROM s" + std::to_string(i - 1) + " AS s" + std::to_string(i) + "\n";
  t.write("/chain", chain);
  std::string wide = "FROM x:1\nRUN ";  // one RUN line of 1.2 MB
  for (int i = 0; i < 40'000; ++i) wide += "chmod 777 /x; apt-get update; ";
  t.write("/wide", wide);
  const auto t0 = std::chrono::steady_clock::now();
  for (const char* check : {"user_nonroot", "minimal_final_stage", "base_pinned", "copy_not_add",
                            "no_add_url", "exec_form", "healthcheck", "no_update_alone",
                            "apt_hygiene", "no_secrets", "no_world_writable_or_setuid"}) {
    CAPTURE(check);
    Outcome o = run(check, {t.real("/chain"), t.real("/wide")});
    REQUIRE(o.objects.size() == 2);
    CHECK(o.objects[0].evidence.size() < 10);
    CHECK(o.objects[1].evidence.size() < 10);
  }
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));
  One chained = one("user_nonroot", t.real("/chain"));
  CHECK(chained.status == Status::pass);
  CHECK(contains(chained.evidence, ":2: USER app (stage 's0', which the final stage builds on)"));
  One wide_modes = one("no_world_writable_or_setuid", t.real("/wide"));
  CHECK(wide_modes.status == Status::fail);
  CHECK(contains(wide_modes.evidence,
                 ":2: RUN chmod 777: world-writable, chmod 777: "
                 "world-writable, chmod 777: world-writable and 39997 more"));
}
