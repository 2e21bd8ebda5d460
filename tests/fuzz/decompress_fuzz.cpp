// The decompressors of apt's lists: gzip, xz, zstd and lz4 on the same bytes, whole and
// streamed in small reads, with a small output cap (bombs end in too_large).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "checks/decompress.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = hb::fuzz::as_text(data, size);
  constexpr std::uint64_t k_cap = 1 << 20;
  for (auto c : {hb::Compression::gzip, hb::Compression::xz, hb::Compression::zstd,
                 hb::Compression::lz4, hb::Compression::none}) {
    auto whole = hb::decompress_buffer(bytes, c, k_cap);
    auto stream = hb::decompress_stream(hb::fuzz::chunked_stream(bytes, 1 + size % 13), c,
                                        "/fuzz/list", k_cap);
    std::string out;
    std::vector<char> buf(1 + size % 4099);
    for (;;) {
      auto got = stream->read(buf.data(), buf.size());
      if (!got) {
        if (whole) __builtin_trap();  // the two readings disagree
        break;
      }
      if (*got == 0) {
        if (!whole || *whole != out) __builtin_trap();
        break;
      }
      out.append(buf.data(), *got);
    }
  }
  return 0;
}
