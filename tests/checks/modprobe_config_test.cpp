#include "checks/modprobe_config.hpp"

#include <doctest/doctest.h>

#include "tests/support/temp_tree.hpp"

using hb::ModprobeDirective;
using hb::test::TempTree;

TEST_CASE("modprobe config: install and blacklist lines, names normalised") {
  auto d = hb::parse_modprobe_conf(
      "# CIS 1.1.1.9\n"
      "install usb-storage /bin/false\n"
      "blacklist usb-storage\n"
      "  blacklist\tcramfs  \n"
      "options snd-hda-intel power_save=1\n"
      "alias net-pf-31 off\n"
      "install\n"      // no module: kmod rejects the line
      "install hfs\n"  // no command: rejected
      "blacklist\n"
      "install udf   /bin/true   \n");
  REQUIRE(d.size() == 4);
  CHECK(d[0].kind == ModprobeDirective::Kind::install);
  CHECK(d[0].line == 2);
  CHECK(d[0].module == "usb_storage");
  CHECK(d[0].command == "/bin/false");
  CHECK(d[1].kind == ModprobeDirective::Kind::blacklist);
  CHECK(d[1].module == "usb_storage");
  CHECK(d[2].module == "cramfs");
  CHECK(d[2].line == 4);
  CHECK(d[3].module == "udf");
  CHECK(d[3].command == "/bin/true");
}

TEST_CASE("modprobe config: continued lines and comments as kmod reads them") {
  auto d = hb::parse_modprobe_conf(
      "install cramfs \\\n"
      "  /bin/false\n"
      "#blacklist hfs\n"
      " # blacklist hfsplus\n"  // not a comment to kmod, but not a directive either
      "blacklist jffs2 # trailing words are ignored\n");
  REQUIRE(d.size() == 2);
  CHECK(d[0].line == 1);
  CHECK(d[0].command == "/bin/false");
  CHECK(d[0].text == "install cramfs   /bin/false");
  CHECK(d[1].module == "jffs2");
  CHECK(d[1].line == 5);
}

TEST_CASE("modprobe config: underscores() leaves bracket expressions alone") {
  CHECK(hb::module_underscores("usb-storage") == "usb_storage");
  CHECK(hb::module_underscores("snd-[a-z]*") == "snd_[a-z]*");
  CHECK(hb::module_underscores("a-b[c-d]e-f") == "a_b[c-d]e_f");
}

TEST_CASE("modprobe config: which install command counts, and whether it disables") {
  hb::ModprobeConfig c;
  for (auto& d : hb::parse_modprobe_conf("install cram* /sbin/modprobe --ignore-install cramfs\n"
                                         "install cramfs /bin/false\n"
                                         "blacklist cramfs\nblacklist cramfs\n"))
    c.entries.push_back({"/etc/modprobe.d/x.conf", d});
  const auto* first = hb::find_install(c, "cramfs");
  REQUIRE(first);
  CHECK(first->directive.line == 1);  // the first match wins, even as a glob
  CHECK_FALSE(hb::install_disables(first->directive.command));
  CHECK(hb::find_blacklists(c, "cramfs").size() == 2);
  CHECK(hb::find_install(c, "udf") == nullptr);
  CHECK(hb::install_disables("/bin/false"));
  CHECK(hb::install_disables(" /usr/bin/true "));
  CHECK_FALSE(hb::install_disables("/bin/true; modprobe --ignore-install cramfs"));
  CHECK_FALSE(hb::install_disables("false"));
  // A hostile pattern is never handed to fnmatch.
  hb::ModprobeConfig h;
  h.entries.push_back(
      {"/x.conf",
       {ModprobeDirective::Kind::install, 1, std::string(5000, '*') + "cramfs", "/bin/false", ""}});
  CHECK(hb::find_install(h, "cramfs") == nullptr);
}

TEST_CASE("modprobe config: directories, masking and order as kmod") {
  TempTree t;
  t.write("/usr/lib/modprobe.d/aliases.conf", "blacklist from_usr_lib\n");
  t.write("/lib/modprobe.d/aliases.conf", "blacklist from_lib\n");  // hidden by /usr/lib
  t.write("/lib/modprobe.d/systemd.conf", "blacklist masked\n");
  t.symlink("/dev/null", "/etc/modprobe.d/systemd.conf");
  t.write("/etc/modprobe.d/zz-cis.conf", "install cramfs /bin/false\n");
  t.write("/run/modprobe.d/10-run.conf", "install cramfs /bin/true\n");
  t.write("/etc/modprobe.d/.hidden.conf", "blacklist hidden\n");
  t.write("/etc/modprobe.d/README", "blacklist readme\n");
  t.write("/etc/modprobe.d/old.alias", "blacklist old_alias\n");
  t.symlink("/nowhere.conf", "/etc/modprobe.d/dangling.conf");
  t.mkdir("/etc/modprobe.d/dir.conf");
  auto v = t.view();
  auto c = hb::load_modprobe_config(*v);
  REQUIRE(c.ok());
  const std::vector<std::string> want = {
      "/run/modprobe.d/10-run.conf", "/usr/lib/modprobe.d/aliases.conf",
      "/etc/modprobe.d/old.alias", "/etc/modprobe.d/zz-cis.conf"};
  CHECK(c->files == want);
  CHECK(hb::find_install(*c, "cramfs")->file == "/run/modprobe.d/10-run.conf");
  CHECK(hb::find_blacklists(*c, "from_lib").empty());
  CHECK(hb::find_blacklists(*c, "masked").empty());
  CHECK(hb::find_blacklists(*c, "hidden").empty());
  CHECK(hb::find_blacklists(*c, "readme").empty());
  CHECK(hb::find_blacklists(*c, "old_alias").size() == 1);
}

TEST_CASE("modprobe config: an empty root has none, an unreadable file is an error") {
  TempTree t;
  auto v = t.view();
  auto none = hb::load_modprobe_config(*v);
  REQUIRE(none.ok());
  CHECK(none->files.empty());
  t.mkfifo("/etc/modprobe.d/fifo.conf");
  auto fifo = hb::load_modprobe_config(*v);
  REQUIRE_FALSE(fifo.ok());
  CHECK(fifo.message().find("/etc/modprobe.d/fifo.conf") != std::string::npos);
}

TEST_CASE("modprobe config: this machine's configuration loads") {
  auto v = hb::open_host_view("/");
  REQUIRE(v.ok());
  auto c = hb::load_modprobe_config(**v);
  REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.message()));
}

TEST_CASE("modprobe config: random bytes never crash the parser") {
  const std::string alphabet = "install blacklist cramfs-_[]*\\\n\t #/bin/false";
  unsigned seed = 99;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff; };
  for (int i = 0; i < 2000; ++i) {
    std::string text;
    for (unsigned n = next() % 300; n > 0; --n) text += alphabet[next() % alphabet.size()];
    hb::ModprobeConfig c;
    for (auto& d : hb::parse_modprobe_conf(text)) {
      CHECK_FALSE(d.module.empty());
      const bool dashless = d.module.find('-') == std::string::npos;
      CHECK((dashless || d.module.find('[') != std::string::npos));
      c.entries.push_back({"/x.conf", d});
    }
    hb::find_install(c, "cramfs");
  }
}
