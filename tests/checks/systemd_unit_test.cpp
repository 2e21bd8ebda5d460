#include "checks/systemd_unit.hpp"

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

using hb::LoadedUnit;
using hb::UnitDirective;
using hb::test::contains;
using hb::test::lines;
using hb::test::TempTree;

namespace {

using V = std::vector<std::string>;

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// "KEY=VALUE@FILE:LINE" per directive, for compact comparisons.
V shown(const std::vector<UnitDirective>& ds) {
  V out;
  for (const auto& d : ds) out.push_back(d.key + "=" + d.value + "@" + d.where());
  return out;
}

LoadedUnit load(const TempTree& t, const std::string& name, std::size_t max_read = 0) {
  auto view = max_read ? t.view(max_read) : t.view();
  return hb::load_unit(*view, name);
}

}  // namespace

TEST_CASE("systemd_unit: the search path, highest priority first") {
  CHECK(V(std::begin(hb::k_unit_search_path), std::end(hb::k_unit_search_path)) ==
        V{"/etc/systemd/system", "/run/systemd/system", "/usr/local/lib/systemd/system",
          "/usr/lib/systemd/system", "/lib/systemd/system"});
}

TEST_CASE("systemd_unit: sections, comments, continuations and line numbers") {
  const auto ds = hb::parse_unit_file(
      "Top=before any section\n"
      "[Unit]\n"
      "Description = a unit  \n"
      "# Commented=out\n"
      "; Also=out\n"
      "\n"
      "[Service]\n"
      "ExecStart=/bin/x \\\n"
      "# a comment inside the continuation\n"
      "; another\n"
      "  --flag \\\n"
      "  last\n"
      "NoEquals\n"
      "Empty=\n"
      "[Broken\n"
      "Lost=1\n"
      "[Service]\n"
      "Tail=a \\",
      "/u");
  REQUIRE(ds.size() == 6);
  CHECK(ds[0].section.empty());
  CHECK(ds[0].key == "Top");
  CHECK(ds[1].section == "Unit");
  CHECK(ds[1].key == "Description");
  CHECK(ds[1].value == "a unit");
  CHECK(ds[1].file == "/u");
  CHECK(ds[1].line == 3);
  CHECK(ds[1].where() == "/u:3");
  CHECK(ds[2].section == "Service");
  CHECK(ds[2].value == "/bin/x  --flag  last");
  CHECK(ds[2].line == 8);
  CHECK(ds[3].key == "Empty");
  CHECK(ds[3].value.empty());
  CHECK(ds[3].line == 14);
  CHECK(ds[4].section.empty());  // "[Broken" is no header: what follows is in no section
  CHECK(ds[4].key == "Lost");
  CHECK(ds[5].section == "Service");
  CHECK(ds[5].value == "a \\");  // a backslash on the last line continues nothing
  CHECK(ds[5].line == 18);

  // A continuation that ends in comments, then the file: the comment is not the value.
  const auto tail = hb::parse_unit_file("[S]\nA=1 \\\n# c\n", "/t");
  REQUIRE(tail.size() == 1);
  CHECK(tail[0].value == "1");
  CHECK(tail[0].line == 2);
}

TEST_CASE("systemd_unit: the unit file, its drop-ins and sections") {
  TempTree t;
  t.write("/lib/systemd/system/x.service",
          "[Unit]\nDescription=lib\n[Service]\nExecStart=/bin/lib\nEnvironment=A=1\n");
  t.write("/lib/systemd/system/x.service.d/10-a.conf", "[Service]\nEnvironment=B=lib\n");
  t.write("/lib/systemd/system/x.service.d/30-c.conf", "[Service]\nEnvironment=C=lib\n");
  t.write("/lib/systemd/system/x.service.d/notes.txt", "[Service]\nEnvironment=D=1\n");
  t.write("/lib/systemd/system/x.service.d/old.noconf", "[Service]\nEnvironment=E=1\n");
  t.write("/usr/lib/systemd/system/x.service.d/20-b.conf", "[Service]\nExecStart=\n");
  t.write("/etc/systemd/system/x.service.d/30-c.conf", "[Service]\nExecStart=/bin/etc\n");

  LoadedUnit u = load(t, "x.service");
  CHECK(u.name == "x.service");
  CHECK(u.main == "/lib/systemd/system/x.service");
  CHECK(u.masked.empty());
  CHECK(u.notes.empty());
  CHECK(u.files == V{"/lib/systemd/system/x.service", "/lib/systemd/system/x.service.d/10-a.conf",
                     "/usr/lib/systemd/system/x.service.d/20-b.conf",
                     "/etc/systemd/system/x.service.d/30-c.conf"});
  CHECK(shown(u.section("Unit")) == V{"Description=lib@/lib/systemd/system/x.service:2"});
  CHECK(shown(u.section("Service")) ==
        V{"ExecStart=/bin/lib@/lib/systemd/system/x.service:4",
          "Environment=A=1@/lib/systemd/system/x.service:5",
          "Environment=B=lib@/lib/systemd/system/x.service.d/10-a.conf:2",
          "ExecStart=@/usr/lib/systemd/system/x.service.d/20-b.conf:2",
          "ExecStart=/bin/etc@/etc/systemd/system/x.service.d/30-c.conf:2"});
  CHECK(u.directives.size() == 6);
  CHECK(u.section("Install").empty());
  // A list setting: the empty ExecStart= in 20-b.conf dropped the unit's own.
  CHECK(shown(u.list("Service", "ExecStart")) ==
        V{"ExecStart=/bin/etc@/etc/systemd/system/x.service.d/30-c.conf:2"});
  CHECK(shown(u.list("Service", "Environment")) ==
        V{"Environment=A=1@/lib/systemd/system/x.service:5",
          "Environment=B=lib@/lib/systemd/system/x.service.d/10-a.conf:2"});
  CHECK(u.list("Unit", "ExecStart").empty());

  // A unit file higher on the path wins; drop-ins still come from everywhere.
  t.write("/run/systemd/system/x.service", "[Service]\nExecStart=/bin/run\n");
  t.write("/usr/local/lib/systemd/system/x.service", "[Service]\nExecStart=/bin/local\n");
  u = load(t, "x.service");
  CHECK(u.main == "/run/systemd/system/x.service");
  CHECK(u.files.size() == 4);
  CHECK(shown(u.list("Service", "ExecStart")) ==
        V{"ExecStart=/bin/etc@/etc/systemd/system/x.service.d/30-c.conf:2"});
  t.write("/etc/systemd/system/x.service", "[Service]\nExecStart=/bin/etc-unit\n");
  CHECK(load(t, "x.service").main == "/etc/systemd/system/x.service");

  // Not installed: drop-ins alone are no unit.
  LoadedUnit none = load(t, "y.service");
  t.write("/etc/systemd/system/z.service.d/a.conf", "[Service]\nExecStart=/bin/z\n");
  LoadedUnit z = load(t, "z.service");
  for (const LoadedUnit* n : {&none, &z}) {
    CHECK(n->main.empty());
    CHECK(n->masked.empty());
    CHECK(n->files.empty());
    CHECK(n->directives.empty());
    CHECK(n->notes.empty());
  }
}

TEST_CASE("systemd_unit: masked units") {
  TempTree t;
  t.write("/lib/systemd/system/a.service", "[Service]\nExecStart=/bin/a\n");
  t.write("/lib/systemd/system/a.service.d/x.conf", "[Service]\nExecStart=/bin/b\n");
  t.symlink("/dev/null", "/etc/systemd/system/a.service");
  LoadedUnit a = load(t, "a.service");
  CHECK(a.masked == "/etc/systemd/system/a.service -> /dev/null");
  CHECK(a.main.empty());
  CHECK(a.files.empty());
  CHECK(a.directives.empty());

  t.write("/run/systemd/system/b.service", "");
  t.write("/lib/systemd/system/b.service", "[Service]\nExecStart=/bin/b\n");
  LoadedUnit b = load(t, "b.service");
  CHECK(b.masked == "/run/systemd/system/b.service (empty)");
  CHECK(b.files.empty());

  // A mask below the unit that applies does not mask it.
  t.write("/etc/systemd/system/c.service", "[Service]\nExecStart=/bin/c\n");
  t.write("/lib/systemd/system/c.service", "");
  LoadedUnit c = load(t, "c.service");
  CHECK(c.masked.empty());
  CHECK(c.main == "/etc/systemd/system/c.service");

  // A directory in the unit's place is neither the unit nor a mask: the next one applies.
  t.mkdir("/etc/systemd/system/d.service");
  t.write("/lib/systemd/system/d.service", "[Service]\nExecStart=/bin/d\n");
  LoadedUnit d = load(t, "d.service");
  CHECK(d.masked.empty());
  CHECK(d.main == "/lib/systemd/system/d.service");
}

TEST_CASE("systemd_unit: merged /usr is read once, unreadable parts are notes") {
  TempTree t;
  t.symlink("usr/lib", "/lib");
  t.write("/usr/lib/systemd/system/m.service", "[Service]\nExecStart=/bin/m\n");
  t.write("/usr/lib/systemd/system/m.service.d/a.conf", "[Service]\nEnvironment=A=1\n");
  LoadedUnit m = load(t, "m.service");
  CHECK(m.main == "/usr/lib/systemd/system/m.service");
  CHECK(m.files ==
        V{"/usr/lib/systemd/system/m.service", "/usr/lib/systemd/system/m.service.d/a.conf"});
  CHECK(m.directives.size() == 2);

  // A drop-in that is no regular file is skipped silently; one too large to read is a note.
  t.mkfifo("/usr/lib/systemd/system/m.service.d/b.conf");
  t.write("/usr/lib/systemd/system/m.service.d/c.conf",
          "[Service]\nEnvironment=C=" + std::string(200, 'c') + "\n");
  m = load(t, "m.service", 100);
  CHECK(m.files.size() == 4);
  CHECK(m.directives.size() == 2);
  REQUIRE(m.notes.size() == 1);
  CHECK(contains(m.notes[0], "cannot read /usr/lib/systemd/system/m.service.d/c.conf: "));

  // A drop-in directory that is a file is as good as none; one that cannot be listed is a note.
  t.write("/run/systemd/system/m.service.d", "not a directory\n");
  t.symlink("m.service.d", "/etc/systemd/system/m.service.d");  // a loop: ELOOP
  m = load(t, "m.service");
  CHECK(m.main == "/usr/lib/systemd/system/m.service");
  CHECK(m.files.size() == 4);
  REQUIRE(m.notes.size() == 1);
  CHECK(starts_with(m.notes[0], "cannot list /etc/systemd/system/m.service.d: "));

  // Merged /usr: /lib/systemd/system is not listed again (one note, not two).
  t.write("/usr/lib/systemd/system/n.service", "[Service]\nExecStart=/bin/n\n");
  t.symlink("n.service.d", "/usr/lib/systemd/system/n.service.d");
  LoadedUnit n = load(t, "n.service");
  CHECK(n.files == V{"/usr/lib/systemd/system/n.service"});
  REQUIRE(n.notes.size() == 1);
  CHECK(starts_with(n.notes[0], "cannot list /usr/lib/systemd/system/n.service.d: "));
}

TEST_CASE("systemd_unit: a service's environment") {
  TempTree t;
  t.write("/lib/systemd/system/e.service",
          "[Service]\nEnvironment=A=unit \"B=two words\" bad=x 9X=1 noequals\n"
          "EnvironmentFile=-/etc/default/e\nEnvironmentFile=-/etc/default/missing\n"
          "EnvironmentFile=/etc/default/required\n"
          "[Install]\nEnvironment=Z=not-service\n");
  t.write("/etc/default/e", "B=file\nexport X=1\n");
  LoadedUnit u = load(t, "e.service");
  std::vector<std::string> notes, loaded;
  auto env = hb::unit_environment(*t.view(), u, notes, &loaded);
  REQUIRE(env.size() == 3);
  CHECK(env.at("A").value == "unit");
  CHECK(env.at("A").origin == "/lib/systemd/system/e.service:2 Environment A");
  CHECK(env.at("B").value == "file");  // EnvironmentFile= overrides Environment=
  CHECK(env.at("B").origin == "/etc/default/e:1 B");
  CHECK(env.at("bad").value == "x");
  CHECK(env.count("Z") == 0);
  CHECK(loaded == V{"/etc/default/e"});
  const std::string all = lines(notes);
  CHECK(contains(
      all, "/lib/systemd/system/e.service:2: invalid Environment= assignment '9X=1' ignored"));
  CHECK(contains(all, "invalid Environment= assignment 'noequals' ignored"));
  CHECK(contains(all, "/etc/default/e: line 2: 'export X' is not a variable name"));
  CHECK_FALSE(contains(all, "missing"));  // optional and absent: nothing to say
  CHECK(
      contains(all, "/lib/systemd/system/e.service:5: EnvironmentFile '/etc/default/required': "));
  CHECK(contains(all, "(not optional: systemd does not start e.service)"));
  CHECK(notes.size() == 4);

  // Empty assignments reset: Environment= the assignments so far, EnvironmentFile= the files.
  t.write("/etc/systemd/system/e.service.d/reset.conf",
          "[Service]\nEnvironment=\nEnvironment=C=dropin\nEnvironmentFile=\n");
  u = load(t, "e.service");
  notes.clear();
  env = hb::unit_environment(*t.view(), u, notes);  // `loaded` is optional
  REQUIRE(env.size() == 1);
  CHECK(env.at("C").value == "dropin");
  CHECK(env.at("C").origin == "/etc/systemd/system/e.service.d/reset.conf:3 Environment C");
  CHECK(notes.size() == 2);  // the invalid words before the reset were still seen
}

TEST_CASE("systemd_unit: ExecStart= prefixes") {
  CHECK(hb::exec_command_words("/bin/x -a 'b c'") == V{"/bin/x", "-a", "b c"});
  CHECK(hb::exec_command_words("-+!/bin/x -a") == V{"/bin/x", "-a"});
  CHECK(hb::exec_command_words("!!:|/bin/x") == V{"/bin/x"});
  CHECK(hb::exec_command_words("@/usr/bin/x argv0 -a") == V{"argv0", "-a"});
  CHECK(hb::exec_command_words("-@/usr/bin/x argv0") == V{"argv0"});
  CHECK(hb::exec_command_words("@").empty());
  CHECK(hb::exec_command_words("").empty());
  CHECK(hb::exec_command_words("/bin/x -@") == V{"/bin/x", "-@"});
}

TEST_CASE("systemd_unit: word splitting and variable expansion") {
  using V = std::vector<std::string>;
  CHECK(hb::split_unit_words(R"(a "b c" 'd e' f"g h"i \"q\"\s\t 100%%)") ==
        V{"a", "b c", "d e", "fg hi", "\"q\" \t", "100%"});
  CHECK(hb::split_unit_words("  ").empty());
  CHECK(hb::split_unit_words(R"(a\nb)") == V{"a\nb"});
  std::string words;
  for (int i = 0; i < 5000; ++i) words += "w ";
  CHECK(hb::split_unit_words(words).size() == 4096);  // a cap on hostile units
  // A variable's value has its quotes and backslashes, but no C escapes or %% (not unit syntax).
  CHECK(hb::expand_exec_words({"$V"}, {{"V", R"(a\nb 100%% "c d")"}}) == V{"anb", "100%%", "c d"});
  const std::map<std::string, std::string> env = {
      {"OPTS", "--a 'b c'  --d"}, {"E", ""}, {"X", "1 2"}};
  std::vector<std::string> used;
  CHECK(hb::expand_exec_words({"$OPTS", "${X}", "pre${X}post", "$NOPE", "$$OPTS", "${NOPE}", "$E"},
                              env,
                              &used) == V{"--a", "b c", "--d", "1 2", "pre1 2post", "$OPTS", ""});
  CHECK(used == V{"OPTS", "X", "X", "NOPE", "NOPE", "E"});
}

TEST_CASE("systemd_unit: EnvironmentFile syntax") {
  std::vector<std::string> notes;
  auto env = hb::parse_environment_file(
      "# comment\n; also a comment\nA=plain value   \nB=\"dq \\\"x\\\" \\$y \\n\"\nC='sq \\n'\n"
      "D=one\\\ntwo\nexport E=1\nF = spaced\nG=\nA=again\n",
      notes);
  CHECK(env.at("A").value == "again");
  CHECK(env.at("A").line == 11);
  CHECK(env.at("B").value == "dq \"x\" $y \\n");
  CHECK(env.at("C").value == "sq \\n");
  CHECK(env.at("D").value == "onetwo");
  CHECK(env.at("F").value == "spaced");
  CHECK(env.at("G").value == "");
  CHECK(env.count("E") == 0);
  CHECK(env.count("export E") == 0);
  CHECK(contains(lines(notes), "'export E' is not a variable name"));

  notes.clear();
  env = hb::parse_environment_file("H=\"a\\\nb\"\r\nI='x\ny' \"z\"\nJ=1\r\nK=2", notes);
  CHECK(env.at("H").value == "ab");
  CHECK(env.at("I").value == "x\nyz");
  CHECK(env.at("J").value == "1");
  CHECK(env.at("K").value == "2");
  CHECK(env.at("K").line == 6);  // H and I each span two lines
  CHECK(notes.empty());
}
