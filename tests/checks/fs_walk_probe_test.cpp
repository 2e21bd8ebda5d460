#include "checks/fs_walk_probe.hpp"

#include <doctest/doctest.h>
#include <grp.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "engine/facts.hpp"
#include "engine/status.hpp"
#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

using hb::Status;
using hb::test::all_evidence;
using hb::test::contains;
using hb::test::running_as_root;
using hb::test::TempTree;

namespace {

hb::Outcome run(const std::string& yaml, const TempTree& t, hb::Facts& facts) {
  YAML::Node node = YAML::Load(yaml);
  hb::Params params(node, "test.yaml", nullptr);
  auto probe = hb::parse_fs_walk_probe(params);
  params.finish();
  auto v = t.view();
  hb::ProbeContext ctx{*v, facts, nullptr, std::chrono::system_clock::now(), 2};
  return probe->evaluate(ctx);
}

hb::Outcome run(const std::string& yaml, const TempTree& t) {
  hb::Facts facts;
  return run(yaml, t, facts);
}

std::vector<std::string> ids(const hb::Outcome& o) {
  std::vector<std::string> out;
  for (const auto& obj : o.objects) out.push_back(obj.id);
  return out;
}

void accounts(TempTree& t) {
  t.write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n");
  t.write("/etc/group", "root:x:0:\nbin:x:2:\nstaff:x:50:\n");
}

// A small host with one of everything the checks look for.
void build_host(TempTree& t) {
  accounts(t);
  t.write("/srv/ww.txt", "x", 0666);
  t.mkdir("/srv/open", 0777);
  t.mkdir("/tmp", 01777);
  t.write("/usr/bin/passwd", "x", 04755);
  t.write("/usr/lib/x86_64-linux-gnu/utempter/utempter", "x", 02755);
  t.write("/usr/local/bin/backdoor", "x", 04755);
  t.write("/home/gone/file", "x", 0644);
  if (running_as_root()) {
    t.chown("/srv/ww.txt", 0, 50);
    t.chown("/home/gone/file", 4242, 4242);
  }
}

// A filesystem mounted for one test (root only), always unmounted.
class Mount {
 public:
  Mount(const std::string& path, const char* type, const char* data) : path_(path) {
    ok_ = ::mount(type, path.c_str(), type, 0, data) == 0;
  }
  ~Mount() {
    if (ok_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  Mount(const Mount&) = delete;
  Mount& operator=(const Mount&) = delete;
  bool ok() const { return ok_; }

 private:
  std::string path_;
  bool ok_ = false;
};

}  // namespace

TEST_CASE("fs_walk probe: each check on a host with one of everything, from one walk") {
  TempTree t;
  build_host(t);
  hb::Facts facts;

  auto ww = run("check: world_writable_files\n", t, facts);
  CHECK(ww.status == Status::fail);
  CHECK(ids(ww) == std::vector<std::string>{"/srv/ww.txt"});
  CHECK(ww.evidence.at(0) == "1 world-writable file");
  if (running_as_root())
    CHECK(ww.objects.at(0).evidence.at(0) == "file, mode 0666, owner root, group staff");
  CHECK(contains(ww.evidence.at(1), "on the filesystem of /"));

  auto dirs = run("check: world_writable_dirs_without_sticky\n", t, facts);
  CHECK(dirs.status == Status::fail);
  CHECK(ids(dirs) == std::vector<std::string>{"/srv/open"});  // not /tmp: it has the sticky bit
  CHECK(contains(dirs.objects.at(0).evidence.at(0), "directory, mode 0777"));

  auto suid = run("check: setuid\nallowed: [/usr/bin/passwd]\n", t, facts);
  CHECK(suid.status == Status::fail);
  CHECK(ids(suid) == std::vector<std::string>{"/usr/local/bin/backdoor"});
  CHECK(suid.evidence.at(1) == "1 on the allowed list: /usr/bin/passwd");

  auto sgid = run("check: setgid\nallowed: ['/usr/lib/*/utempter/utempter']\n", t, facts);
  CHECK(sgid.status == Status::pass);
  CHECK(sgid.evidence.at(0) == "no setgid file outside the allowed list");
  CHECK(sgid.evidence.at(1) ==
        "1 on the allowed list: /usr/lib/x86_64-linux-gnu/utempter/utempter");
  CHECK(run("check: setgid\n", t, facts).status == Status::fail);  // nothing allowed

  auto path = run("check: world_writable_in_path\n", t, facts);
  CHECK(path.status == Status::pass);
  CHECK(path.evidence.at(0) == "nothing world-writable in the PATH directories");
  CHECK(path.evidence.at(1) ==
        "walked: /usr/bin, /usr/local/bin; absent: /bin, /sbin, /usr/local/sbin, /usr/sbin");

  auto unowned = run("check: unowned\n", t, facts);
  auto ungrouped = run("check: ungrouped\n", t, facts);
  if (running_as_root()) {
    CHECK(unowned.status == Status::fail);
    CHECK(ids(unowned) == std::vector<std::string>{"/home/gone/file"});
    CHECK(unowned.objects.at(0).evidence.at(0) == "file, mode 0644, owner 4242, group 4242");
    CHECK(unowned.evidence.at(0) ==
          "1 file or directory whose owner is not a user in /etc/passwd (2 users)");
    CHECK(ungrouped.status == Status::fail);
    CHECK(ids(ungrouped) == std::vector<std::string>{"/home/gone/file"});
  } else {
    MESSAGE("not root: the files belong to the test user, whom the root's passwd lacks");
    CHECK(unowned.status == Status::fail);
  }
  // Seven rules, one walk.
  CHECK(facts.parse_counts().at("fs.walk") == 1);
}

TEST_CASE("fs_walk probe: objects are capped at max_objects and the total is kept") {
  TempTree t;
  accounts(t);
  for (int i = 10; i < 22; ++i) t.write("/data/f" + std::to_string(i), "", 0666);
  auto o = run("check: world_writable_files\nmax_objects: 5\n", t);
  CHECK(o.status == Status::fail);
  CHECK(o.evidence.at(0) == "12 world-writable files; the first 5 are listed");
  CHECK(ids(o) ==
        std::vector<std::string>{"/data/f10", "/data/f11", "/data/f12", "/data/f13", "/data/f14"});
}

TEST_CASE("fs_walk probe: an empty root passes nothing") {
  TempTree empty;
  for (const char* c : {"world_writable_files", "world_writable_dirs_without_sticky", "setuid",
                        "setgid", "world_writable_in_path"}) {
    CAPTURE(c);
    auto o = run(std::string("check: ") + c + "\n", empty);
    CHECK(o.status == Status::notapplicable);
  }
  auto u = run("check: unowned\n", empty);
  CHECK(u.status == Status::error);
  CHECK(contains(all_evidence(u), "no readable /etc/passwd"));
  auto g = run("check: ungrouped\n", empty);
  CHECK(g.status == Status::error);
  CHECK(contains(all_evidence(g), "no readable /etc/group"));
}

TEST_CASE("fs_walk probe: without /etc/passwd owners cannot be judged, the rest can") {
  TempTree t;
  t.write("/srv/file", "x", 0644);
  CHECK(run("check: unowned\n", t).status == Status::error);
  CHECK(run("check: ungrouped\n", t).status == Status::error);
  CHECK(run("check: world_writable_files\n", t).status == Status::pass);
}

TEST_CASE("fs_walk probe: symlinks are never followed, not even to a world-writable file") {
  TempTree outside;
  outside.write("/ww", "x", 0666);
  TempTree t;
  accounts(t);
  t.symlink(outside.real("/ww"), "/srv/link");
  t.symlink("/srv", "/srv/loop");
  auto o = run("check: world_writable_files\n", t);
  CHECK(o.status == Status::pass);
  CHECK(contains(o.evidence.at(1), "2 symlinks, never followed"));
}

TEST_CASE("fs_walk probe: the walk key follows the walk parameters") {
  TempTree t;
  accounts(t);
  t.mkdir("/mnt/data");
  hb::Facts facts;
  (void)run("check: setuid\n", t, facts);
  (void)run(
      "check: world_writable_files\ndirs: [/bin, /sbin, /usr/bin, /usr/local/bin, "
      "/usr/local/sbin, /usr/sbin]\n",
      t, facts);  // the default, in another order
  (void)run("check: world_writable_files\nmounts: [/mnt/data]\n", t, facts);
  (void)run("check: world_writable_in_path\ndirs: [/opt/bin]\n", t, facts);
  auto counts = facts.parse_counts();
  CHECK(counts.at("fs.walk") == 1);
  CHECK(counts.at("fs.walk mounts=/mnt/data") == 1);
  CHECK(counts.at("fs.walk dirs=/opt/bin") == 1);
}

TEST_CASE("fs_walk probe: an unreadable directory turns a pass into error, a fail stays") {
  TempTree t;
  accounts(t);
  t.write("/srv/secret/hidden", "x", 0666);
  t.chmod("/srv/secret", 0000);
  auto statuses = [&](bool with_offender) {
    if (with_offender) t.write("/srv/open/ww", "x", 0666);
    // As root everything is readable: the probe runs in a child that gave up root.
    return hb::test::output_without_root([&] {
      auto o = run("check: world_writable_files\n", t);
      return std::string(hb::to_string(o.status)) + "\n" + all_evidence(o);
    });
  };
  auto blind = statuses(false);
  CHECK(blind.rfind("error\nno world-writable regular file\n", 0) == 0);
  CHECK(contains(blind, "1 entries could not be read: /srv/secret (Permission denied)"));
  auto found = statuses(true);
  CHECK(found.rfind("fail\n1 world-writable file\n", 0) == 0);
  CHECK(contains(found, "/srv/secret (Permission denied)"));
}

TEST_CASE("fs_walk probe: walk_mounts decides whether another filesystem is judged") {
  if (!running_as_root()) {
    MESSAGE("skipped: mounting needs root");
    return;
  }
  TempTree t;
  accounts(t);
  t.mkdir("/mnt/extra");
  t.mkdir("/usr/local/bin");
  Mount extra(t.real("/mnt/extra"), "tmpfs", "size=1m,mode=0755");
  if (!extra.ok()) {
    MESSAGE("skipped: cannot mount a tmpfs here: " << std::strerror(errno));
    return;
  }
  Mount proc(t.real("/usr/local/bin"), "proc", nullptr);
  REQUIRE(proc.ok());
  t.write("/mnt/extra/ww", "x", 0666);
  auto by_default = run("check: world_writable_files\n", t);
  CHECK(by_default.status == Status::pass);
  CHECK(contains(by_default.evidence.at(1), "not entered: /mnt/extra, /usr/local/bin"));
  auto listed = run("check: world_writable_files\nmounts: [/mnt/extra, /usr/local/bin]\n", t);
  CHECK(listed.status == Status::fail);
  CHECK(ids(listed) == std::vector<std::string>{"/mnt/extra/ww"});
  CHECK(contains(listed.evidence.at(1),
                 "and the mounts /mnt/extra; not entered: /usr/local/bin "
                 "(listed in mounts, but proc is a pseudo"));
  // A PATH directory on a filesystem that is never walked: not observed, so error.
  auto path = run("check: world_writable_in_path\ndirs: [/usr/local/bin]\n", t);
  CHECK(path.status == Status::error);
  CHECK(contains(all_evidence(path), "not walked: /usr/local/bin (proc is a pseudo"));
}

TEST_CASE("fs_walk probe: parameters are checked when the profile loads") {
  using hb::test::parse_error;
  auto p = &hb::parse_fs_walk_probe;
  CHECK(parse_error(p, "check: setuid\nallowed: [/usr/bin/su, '/usr/lib/*/x']\n") == "");
  CHECK(contains(parse_error(p, "dirs: [/usr/bin]\n"), "'check' is required"));
  CHECK(contains(parse_error(p, "check: sticky\n"), "check"));
  CHECK(contains(parse_error(p, "check: world_writable_files\nallowed: [/usr/bin/su]\n"),
                 "applies to check: setuid and setgid only"));
  CHECK(contains(parse_error(p, "check: setuid\nallowed: [usr/bin/su]\n"),
                 "not a canonical absolute path"));
  CHECK(contains(parse_error(p, "check: unowned\ndirs: ['/usr/*']\n"), "is a glob"));
  CHECK(contains(parse_error(p, "check: unowned\ndirs: [/usr/bin/]\n"), "canonical"));
  CHECK(contains(parse_error(p, "check: unowned\nmounts: [/]\n"), "'/' is always walked"));
  CHECK(contains(parse_error(p, "check: unowned\nmax_objects: 0\n"), "from 1 to 100000"));
  CHECK(contains(parse_error(p, "check: unowned\nmax_object: 5\n"), "max_object"));
}
