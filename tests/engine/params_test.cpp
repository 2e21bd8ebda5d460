#include "engine/params.hpp"

#include <doctest/doctest.h>

using hb::Params;
using hb::ProfileError;

namespace {
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ProfileError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("params: YAML 1.2 core typing of scalars") {
  auto j = hb::yaml_to_json(YAML::Load("[true, false, 'false', no, 5, -3, 1.5, '5', ~, 0640]"));
  CHECK(j[0] == true);
  CHECK(j[1] == false);
  CHECK(j[2] == "false");
  CHECK(j[3] == "no");  // YAML 1.1 would make this a boolean; sshd values need the string
  CHECK(j[4] == 5);
  CHECK(j[5] == -3);
  CHECK(j[6] == 1.5);
  CHECK(j[7] == "5");
  CHECK(j[8].is_null());
  CHECK(j[9] == 640);
}

TEST_CASE("params: a key no getter read is an unknown key with file:line:col") {
  YAML::Node n = YAML::Load("path: /etc/x\nexpct: 1\n");
  Params p(n, "prof.yaml", nullptr);
  CHECK(p.string("path") == "/etc/x");
  auto e = error_of([&] { p.finish(); });
  CHECK(e == "prof.yaml:2:1: unknown key 'expct'");
}

TEST_CASE("params: a duplicate key is an error") {
  YAML::Node n = YAML::Load("a: 1\na: 2\n");
  Params p(n, "f.yaml", nullptr);
  (void)p.opt_string("a");
  CHECK(error_of([&] { p.finish(); }).find("duplicate key 'a'") != std::string::npos);
}

TEST_CASE("params: modes are octal text, anything else is an error at its line") {
  YAML::Node n = YAML::Load("a: \"0640\"\nb: 600\nc: \"0968\"\nd: rw-r--r--\ne: \"17777\"\n");
  Params p(n, "f.yaml", nullptr);
  CHECK(*p.opt_mode("a") == 0640);
  CHECK(*p.opt_mode("b") == 0600);
  CHECK(error_of([&] { (void)p.opt_mode("c"); }).find("f.yaml:3:4: c: '0968' is not an octal") == 0);
  CHECK_FALSE(error_of([&] { (void)p.opt_mode("d"); }).empty());
  CHECK_FALSE(error_of([&] { (void)p.opt_mode("e"); }).empty());
}

TEST_CASE("params: wrong types are errors") {
  YAML::Node n = YAML::Load("s: [a, b]\nb: maybe\ni: 1.5\nm: x\n");
  Params p(n, "f.yaml", nullptr);
  CHECK_FALSE(error_of([&] { (void)p.string("s"); }).empty());
  CHECK(error_of([&] { (void)p.boolean("b", false); }).find("expected true or false") != std::string::npos);
  CHECK(error_of([&] { (void)p.opt_int("i"); }).find("whole number") != std::string::npos);
  CHECK(error_of([&] { (void)p.map("m"); }).find("expected a mapping") != std::string::npos);
  CHECK(error_of([&] { (void)p.string("missing"); }).find("missing required key 'missing'") != std::string::npos);
  CHECK(error_of([&] { (void)p.choice("m", {"a", "b"}, "a"); }).find("'x' is not one of: a, b") != std::string::npos);
}

TEST_CASE("params: ${var} stands for a variable's value, typed, and interpolates in strings") {
  hb::Vars vars;
  vars["ports"] = YAML::Load("[22, 443]");
  vars["days"] = YAML::Load("365");
  YAML::Node n = YAML::Load("a: ${ports}\nb: ${days}\nc: 'max ${days} days'\nd: ${nope}\ne: 'x ${ports}'\n");
  Params p(n, "f.yaml", &vars);
  auto a = p.opt_value("a");
  REQUIRE(a);
  CHECK(*a == hb::Json::array({22, 443}));
  CHECK(*p.opt_value("b") == 365);
  CHECK(p.string("c") == "max 365 days");
  CHECK(error_of([&] { (void)p.opt_value("d"); }).find("f.yaml:4:4: unknown variable 'nope'") == 0);
  CHECK(error_of([&] { (void)p.string("e"); }).find("is a list") != std::string::npos);
}

TEST_CASE("params: strings accepts a scalar or a list") {
  YAML::Node n = YAML::Load("one: root\nmany: [root, shadow]\n");
  Params p(n, "f.yaml", nullptr);
  CHECK(p.strings("one") == std::vector<std::string>{"root"});
  CHECK(p.strings("many") == std::vector<std::string>{"root", "shadow"});
}

TEST_CASE("params: a misspelt key is named, with the key it was probably meant to be") {
  YAML::Node n = YAML::Load("pth: /etc/x\n");
  Params p(n, "f.yaml", nullptr);
  CHECK(error_of([&] { (void)p.string("path"); }) == "f.yaml:1:1: unknown key 'pth' (did you mean 'path'?)");
  YAML::Node m = YAML::Load("id: x\nseverty: low\n");
  Params q(m, "f.yaml", nullptr);
  CHECK(error_of([&] { q.allow_only({"id", "severity"}); }) == "f.yaml:2:1: unknown key 'severty' (did you mean 'severity'?)");
  CHECK(error_of([&] { q.allow_only({"id", "severty"}); }).empty());
}

TEST_CASE("params: variables inside lists (and lists of lists) are substituted, plain lists stay as written") {
  hb::Vars vars;
  vars["user"] = YAML::Load("alice");
  vars["days"] = YAML::Load("30");
  YAML::Node n = YAML::Load(
      "plain: [a, b, c]\nmixed: [root, '${user}']\nnested: [[x, '${days}']]\ntext: ['max ${days} days']\n");
  Params p(n, "f.yaml", &vars);
  CHECK(p.strings("plain") == std::vector<std::string>{"a", "b", "c"});
  CHECK(p.strings("mixed") == std::vector<std::string>{"root", "alice"});
  auto nested = p.opt_value("nested");
  REQUIRE(nested);
  CHECK(nested->dump() == R"([["x",30]])");
  CHECK(p.strings("text") == std::vector<std::string>{"max 30 days"});
}
