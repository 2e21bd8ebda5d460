// What Docker holds, read both ways from the same input parts (separated by "\0\0"):
//   API   parts 0, 1, 2 answer GET /info, /containers/json?all=1, /images/json; the inspect
//         requests that follow get parts 3, 4, 5 ... in turn;
//   disk  under /var/lib/docker: part 3 is containers/ID/config.v2.json, 4 its hostconfig.json,
//         5 image/overlay2/repositories.json, 6 an image config blob, 7 its metadata parent.
#include <cstddef>
#include <cstdint>
#include <map>

#include "checks/docker_inventory.hpp"
#include "engine/json_text.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

constexpr const char* k_container = "b18d246fd250e68cde13f4fc03c151209513d6958c0579656d5f434babe3cf99";
constexpr const char* k_image = "d4b9f9529441d7ac5b9c5fce5cdead1a33adf536397027bf3bb6127e3674943c";

void touch(const hb::DockerInventory& inv) {
  for (const auto& c : inv.containers) (void)c.label();
  for (const auto& i : inv.images) (void)i.label();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = hb::fuzz::split_parts(data, size, 16);
  auto part = [&](std::size_t i) { return i < parts.size() ? parts[i] : std::string_view(); };

  std::size_t next = 3, requests = 0;
  hb::ApiFetch fetch = [&](const std::string& target) -> hb::Expected<hb::Json> {
    if (++requests > 64) return hb::make_error(hb::ErrorKind::io, "too many requests");
    std::string_view body;
    if (target == "/info")
      body = part(0);
    else if (target == "/containers/json?all=1")
      body = part(1);
    else if (target == "/images/json")
      body = part(2);
    else if (next < parts.size())
      body = parts[next++];
    else
      return hb::make_error(hb::ErrorKind::not_found, target + ": 404");
    return hb::parse_json_text("GET " + target, body);
  };
  if (auto inv = hb::inventory_from_api(fetch, "fuzz")) touch(*inv);

  const std::string root = "/var/lib/docker";
  const std::string c = root + "/containers/" + k_container;
  const std::string img = root + "/image/overlay2";
  std::map<std::string, std::string> files;
  const std::string paths[] = {c + "/config.v2.json", c + "/hostconfig.json",
                               img + "/repositories.json",
                               img + "/imagedb/content/sha256/" + k_image,
                               img + "/imagedb/metadata/sha256/" + k_image + "/parent"};
  for (std::size_t i = 0; i < std::size(paths); ++i)
    if (3 + i < parts.size()) files[paths[i]] = std::string(parts[3 + i]);
  const hb::fuzz::MemoryHost host(std::move(files));
  if (auto inv = hb::inventory_from_disk(host, root)) touch(*inv);
  return 0;
}
