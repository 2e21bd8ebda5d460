// Decompress: streamed decompression of the files apt keeps under /var/lib/apt/lists. apt stores
// a list plain or compressed, and the file name's extension says how (".gz", ".xz", ".zst",
// ".lz4"), so the format is chosen by extension, as apt's FileFd does.
//
// decompress_stream() wraps the FileStream of a (compressed) file and gives the decompressed
// bytes through the same FileStream interface, holding fixed buffers only (64 KiB of input plus
// what the format needs: an lz4 block of at most 4 MiB, a zstd window of at most 128 MiB, an xz
// dictionary within k_max_decoder_memory). The input is hostile:
//   - corrupt data, a truncated stream, or an empty file where a compressed stream is expected is
//     an Error (ErrorKind::parse) naming the file, never a shorter result taken for the whole;
//   - more than max_output decompressed bytes (a decompression bomb) is ErrorKind::too_large;
//   - a stream that needs more decoder memory than the limits above is an Error.
// Errors are sticky: every read() after a failure repeats it. Concatenated streams (several gzip
// members, xz streams, zstd or lz4 frames) decode as one, as gzip -dc, xz -dc, zstd -dc and
// lz4 -dc do; after a gzip member, bytes that do not start another member are ignored (gzip's and
// zlib's gzread behaviour for trailing garbage).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/expected.hpp"
#include "engine/host_view.hpp"

namespace hb {

enum class Compression { none, gzip, xz, zstd, lz4 };
std::string_view to_string(Compression c);

// By the file name: ".gz" gzip, ".xz" xz, ".zst" zstd, ".lz4" lz4, and none for a name without a
// compression extension. nullopt for compressions apt knows but hostbench does not read (".bz2",
// ".lzma"), so a caller can say so instead of parsing compressed bytes as text.
std::optional<Compression> compression_of(std::string_view file_name);

// The default cap on decompressed bytes: Debian's full main list is about 50 MB plain.
inline constexpr std::uint64_t k_max_decompressed = std::uint64_t{1} << 30;
// The most memory an xz stream may ask for (xz -9 needs 65 MiB to decompress).
inline constexpr std::uint64_t k_max_decoder_memory = std::uint64_t{256} << 20;

// A stream of the decompressed content of `in`; `name` (a host path) prefixes error messages.
std::unique_ptr<FileStream> decompress_stream(std::unique_ptr<FileStream> in, Compression c,
                                              std::string name,
                                              std::uint64_t max_output = k_max_decompressed);

// A FileStream over a buffer, which must outlive the stream.
std::unique_ptr<FileStream> memory_stream(std::string_view data);

// Reads `in` ahead on a thread of its own, at most `depth` pieces of `piece` bytes ahead of the
// reader, so that reading and decompressing a list overlaps the parsing of it (on this machine
// the lz4 decoding of Debian's main list is half the work). The bytes come out as `in` gives
// them; an Error of `in` comes out after the bytes before it, and again on every later read.
// The stream must be read from one thread at a time. Destroying it stops the thread (after the
// read in progress). Memory: depth * piece bytes. When no thread can be started, `in` itself
// is returned.
std::unique_ptr<FileStream> read_ahead_stream(std::unique_ptr<FileStream> in,
                                              std::size_t piece = 128 * 1024,
                                              std::size_t depth = 3);

// The whole decompressed content of a buffer (tests, fuzzing).
Expected<std::string> decompress_buffer(std::string_view data, Compression c,
                                        std::uint64_t max_output = k_max_decompressed);

}  // namespace hb
