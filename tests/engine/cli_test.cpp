#include "engine/cli.hpp"

#include <doctest/doctest.h>

namespace {
constexpr hb::OptionSpec k_specs[] = {
    {"profile", 'p', true, "NAME", "profile"},
    {"quiet", 'q', false, "", "quiet"},
};
hb::Expected<hb::Args> parse(std::vector<std::string> argv) { return hb::parse_args(argv, k_specs); }
}  // namespace

TEST_CASE("cli: options in long, --name=value and short forms, repeatable, with positionals") {
  auto a = parse({"--profile", "linux", "-p", "docker", "--profile=default", "-q", "file.yaml", "-"});
  REQUIRE(a.ok());
  CHECK(a->all("profile") == std::vector<std::string>{"linux", "docker", "default"});
  CHECK(a->get("profile") == "default");
  CHECK(a->has("quiet"));
  CHECK(a->positional() == std::vector<std::string>{"file.yaml", "-"});
  auto dd = parse({"--", "--profile"});
  REQUIRE(dd.ok());
  CHECK(dd->positional() == std::vector<std::string>{"--profile"});
}

TEST_CASE("cli: unknown options, missing values and values on flags are usage errors") {
  CHECK(parse({"--proflie", "x"}).message() == "unknown option '--proflie'");
  CHECK(parse({"--profile"}).message() == "--profile needs a value (NAME)");
  CHECK(parse({"--quiet=yes"}).message() == "--quiet takes no value");
  CHECK_FALSE(parse({"-x"}).ok());
}

TEST_CASE("cli: help text lists every option") {
  auto h = hb::options_help(k_specs);
  CHECK(h.find("-p, --profile NAME") != std::string::npos);
  CHECK(h.find("-q, --quiet") != std::string::npos);
}
