// Debian's package data (deb822): dpkg's status database, apt's Packages lists and Release
// files, and sources.list in both styles, each parser on the whole text; then the chain a scan
// runs over an in-memory host whose parts (separated by "\0\0") are /var/lib/dpkg/status, an
// InRelease, its plain Packages list and a journal entry: pairing, streaming in odd chunk sizes,
// Debian version parsing and comparison.
#include <cstddef>
#include <cstdint>
#include <map>

#include "checks/apt_lists.hpp"
#include "checks/apt_sources.hpp"
#include "checks/deb_version.hpp"
#include "checks/dpkg_status.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = hb::fuzz::as_text(data, size);
  if (auto entries = hb::parse_dpkg_status(text)) {
    auto db = hb::build_dpkg_status({*entries}, {"status"});
    for (const auto& p : db.packages) (void)db.display_name(p);
  }
  auto stream = hb::fuzz::chunked_stream(text, 1 + size % 7);
  (void)hb::read_dpkg_status(*stream, "/fuzz/status");
  std::size_t budget = 64;
  (void)hb::parse_packages(text, "/fuzz/Packages",
                           [&](std::string_view, std::string_view, std::string_view version) {
                             if (budget == 0) return;
                             --budget;
                             auto v = hb::parse_deb_version(version);
                             if (v) (void)hb::compare_deb_versions(*v, *v);
                           });
  if (auto rel = hb::parse_release(text, "/fuzz/InRelease")) {
    (void)rel->security();
    (void)rel->display();
    if (rel->date) (void)hb::format_rfc2822_date(*rel->date);
  }
  (void)hb::parse_rfc2822_date(text.substr(0, 64));
  for (const auto& s : hb::parse_sources_list(text, "/fuzz/sources.list")) (void)s.insecure_options();
  (void)hb::parse_sources_deb822(text, "/fuzz/debian.sources");

  const auto parts = hb::fuzz::split_parts(data, size, 4);
  if (parts.size() < 2) return 0;
  const std::string lists = "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm";
  const char* names[] = {"/var/lib/dpkg/status", "_InRelease", "_main_binary-amd64_Packages",
                         "/var/lib/dpkg/updates/0001"};
  std::map<std::string, std::string> files;
  for (std::size_t i = 0; i < parts.size(); ++i)
    files[(i == 1 || i == 2 ? lists : std::string()) + names[i]] = std::string(parts[i]);
  const hb::fuzz::MemoryHost host(std::move(files));
  auto db = hb::load_dpkg_status(host);
  auto index = hb::load_apt_index(host);
  if (db && index) {
    auto apt = hb::load_apt_candidates(host, *index, *db);
    for (const auto& p : db->packages) (void)apt.find(p);
  }
  return 0;
}
