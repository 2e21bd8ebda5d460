#include "checks/decompress.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "tests/support/probe_harness.hpp"
#include "tests/support/temp_tree.hpp"

extern char** environ;

using hb::Compression;

namespace {

// Runs a real compressor (gzip, xz, zstd, lz4) from /usr/bin on `input`: stdin and stdout are
// files, no shell. Returns "" when the tool is missing.
std::string compress_with(const std::string& tool, const std::vector<std::string>& flags,
                          const std::string& input) {
  const std::string path = "/usr/bin/" + tool;
  if (access(path.c_str(), X_OK) != 0) return "";
  hb::test::TempTree t;
  const std::string in = t.write("/in", input);
  const std::string out = t.real("/out");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> args = {tool};
  args.insert(args.end(), flags.begin(), flags.end());
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, path.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  REQUIRE(rc == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  std::ifstream f(out, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

struct Format {
  Compression c;
  std::string tool;
  std::vector<std::string> flags;
};

const std::vector<Format> k_formats = {
    {Compression::gzip, "gzip", {"-c", "-n"}},
    {Compression::xz, "xz", {"-c"}},
    {Compression::zstd, "zstd", {"-c", "-q"}},
    {Compression::lz4, "lz4", {"-c", "-q"}},
};

// A Packages-like text of about 3 MB: bigger than every internal buffer.
std::string sample_text() {
  std::string s;
  for (int i = 0; i < 20000; ++i)
    s += "Package: pkg" + std::to_string(i) + "\nVersion: 1." + std::to_string(i % 97) +
         "-1\nArchitecture: amd64\nDescription: package number " + std::to_string(i * 7919) +
         " of the sample list, with some text to compress\n\n";
  return s;
}

// Hands out at most one byte per read: every boundary inside the decoders is crossed.
class TrickleStream final : public hb::FileStream {
 public:
  explicit TrickleStream(std::string data) : data_(std::move(data)) {}
  hb::Expected<std::size_t> read(char* buf, std::size_t n) override {
    if (pos_ == data_.size() || n == 0) return std::size_t{0};
    buf[0] = data_[pos_++];
    return std::size_t{1};
  }

 private:
  std::string data_;
  std::size_t pos_ = 0;
};

std::string drain(hb::FileStream& s, std::size_t chunk, std::string* error = nullptr) {
  std::string out;
  std::vector<char> buf(chunk);
  for (;;) {
    auto got = s.read(buf.data(), buf.size());
    if (!got) {
      if (error) *error = got.message();
      return out;
    }
    if (*got == 0) return out;
    out.append(buf.data(), *got);
  }
}

}  // namespace

TEST_CASE("decompress: the compression comes from the file name as apt names them") {
  CHECK(hb::compression_of("x_Packages") == Compression::none);
  CHECK(hb::compression_of("x_Packages.gz") == Compression::gzip);
  CHECK(hb::compression_of("x_Packages.xz") == Compression::xz);
  CHECK(hb::compression_of("x_Packages.zst") == Compression::zstd);
  CHECK(hb::compression_of("x_Packages.lz4") == Compression::lz4);
  CHECK_FALSE(hb::compression_of("x_Packages.bz2").has_value());
  CHECK_FALSE(hb::compression_of("x_Packages.lzma").has_value());
}

TEST_CASE("decompress: every format written by the real tools decodes to the original") {
  const std::string text = sample_text();
  for (const auto& f : k_formats) {
    CAPTURE(f.tool);
    std::string packed = compress_with(f.tool, f.flags, text);
    if (packed.empty()) {
      MESSAGE("skipped: no /usr/bin/" << f.tool);
      continue;
    }
    auto out = hb::decompress_buffer(packed, f.c);
    REQUIRE_MESSAGE(out.ok(), (out.ok() ? "" : out.message()));
    CHECK(*out == text);
    // One byte at a time, and into a one-byte buffer: the same bytes.
    auto slow = hb::decompress_stream(std::make_unique<TrickleStream>(packed.substr(0, 4096)), f.c,
                                      "trickle");
    std::string error;
    std::string part = drain(*slow, 1, &error);
    CHECK(text.compare(0, part.size(), part) == 0);  // a prefix, then "truncated"
    CHECK(hb::test::contains(error, "truncated"));
    auto whole = hb::decompress_stream(std::make_unique<TrickleStream>(packed), f.c, "trickle");
    CHECK(drain(*whole, 7) == text);
  }
}

TEST_CASE("decompress: concatenated streams decode as one, as the -dc tools do") {
  for (const auto& f : k_formats) {
    CAPTURE(f.tool);
    std::string a = compress_with(f.tool, f.flags, "Package: a\n\n");
    std::string b = compress_with(f.tool, f.flags, "Package: b\n\n");
    if (a.empty()) continue;
    auto out = hb::decompress_buffer(a + b, f.c);
    REQUIRE(out.ok());
    CHECK(*out == "Package: a\n\nPackage: b\n\n");
  }
}

TEST_CASE("decompress: truncated, corrupt and empty input is an error, never a short result") {
  const std::string text = sample_text();
  for (const auto& f : k_formats) {
    CAPTURE(f.tool);
    std::string packed = compress_with(f.tool, f.flags, text);
    if (packed.empty()) continue;
    auto cut = hb::decompress_buffer(packed.substr(0, packed.size() / 2), f.c);
    REQUIRE_FALSE(cut.ok());
    CHECK(cut.kind() == hb::ErrorKind::parse);
    auto tail = hb::decompress_buffer(packed.substr(0, packed.size() - 1), f.c);
    CHECK_FALSE(tail.ok());
    std::string flipped = packed;
    for (std::size_t i = packed.size() / 3; i < packed.size() / 3 + 64; ++i) flipped[i] ^= 0x5a;
    auto bad = hb::decompress_buffer(flipped, f.c);
    CHECK_FALSE(bad.ok());
    auto empty = hb::decompress_buffer("", f.c);
    REQUIRE_FALSE(empty.ok());
    CHECK(hb::test::contains(empty.message(), "empty file"));
    auto garbage = hb::decompress_buffer("Package: not compressed\n", f.c);
    CHECK_FALSE(garbage.ok());
  }
  auto plain = hb::decompress_buffer("", Compression::none);
  REQUIRE(plain.ok());
  CHECK(plain->empty());
}

TEST_CASE("decompress: a decompression bomb hits the output cap") {
  const std::string zeros(8 << 20, '\0');
  for (const auto& f : k_formats) {
    CAPTURE(f.tool);
    std::string packed = compress_with(f.tool, f.flags, zeros);
    if (packed.empty()) continue;
    CHECK(packed.size() < (1u << 20));
    auto out = hb::decompress_buffer(packed, f.c, 1 << 20);
    REQUIRE_FALSE(out.ok());
    CHECK(out.kind() == hb::ErrorKind::too_large);
    CHECK(hb::test::contains(out.message(), "more than 1048576 bytes"));
  }
  auto plain = hb::decompress_buffer(zeros, Compression::none, 1 << 20);
  CHECK_FALSE(plain.ok());
}

TEST_CASE("decompress: errors are sticky and name the file") {
  auto s = hb::decompress_stream(hb::memory_stream("not gzip at all"), Compression::gzip,
                                 "/var/lib/apt/lists/x_Packages.gz");
  char buf[64];
  auto first = s->read(buf, sizeof buf);
  REQUIRE_FALSE(first.ok());
  CHECK(hb::test::contains(first.message(), "/var/lib/apt/lists/x_Packages.gz: corrupt gzip"));
  auto again = s->read(buf, sizeof buf);
  REQUIRE_FALSE(again.ok());
  CHECK(again.message() == first.message());
}

TEST_CASE("decompress: gzip ignores trailing garbage after a member, as gzip -dc does") {
  std::string packed = compress_with("gzip", {"-c", "-n"}, "Package: a\n\n");
  if (packed.empty()) return;
  auto out = hb::decompress_buffer(packed + std::string(100, '\0'), Compression::gzip);
  REQUIRE(out.ok());
  CHECK(*out == "Package: a\n\n");
}

TEST_CASE("decompress: this machine's apt lists decode (read-only sanity check)") {
  auto host = hb::open_host_view("/");
  REQUIRE(host.ok());
  auto entries = (*host)->list_dir("/var/lib/apt/lists");
  if (!entries) {
    MESSAGE("skipped: no /var/lib/apt/lists here");
    return;
  }
  int decoded = 0;
  for (const auto& e : *entries) {
    if (e.name.find("_Packages") == std::string::npos) continue;
    auto c = hb::compression_of(e.name);
    if (!c) continue;
    const std::string path = "/var/lib/apt/lists/" + e.name;
    auto file = (*host)->open_read(path, std::uint64_t{1} << 30);
    REQUIRE(file.ok());
    auto s = hb::decompress_stream(std::move(*file), *c, path);
    std::string error;
    std::vector<char> buf(1 << 16);
    std::uint64_t bytes = 0;
    for (;;) {
      auto got = s->read(buf.data(), buf.size());
      REQUIRE_MESSAGE(got.ok(), (got.ok() ? "" : got.message()));
      if (*got == 0) break;
      bytes += *got;
    }
    CHECK(bytes > 0);
    ++decoded;
  }
  MESSAGE("decoded " << decoded << " Packages lists");
}

namespace {

// Gives `data` in pieces of `chunk` bytes, then `error` (when set) instead of the end. An
// endless one hands out 'x' without end, to see that destruction stops the reading thread.
class ScriptedStream final : public hb::FileStream {
 public:
  ScriptedStream(std::string data, std::size_t chunk, std::optional<std::string> error = {},
                 bool endless = false)
      : data_(std::move(data)), chunk_(chunk), error_(std::move(error)), endless_(endless) {}
  hb::Expected<std::size_t> read(char* buf, std::size_t n) override {
    if (endless_) {
      std::size_t k = std::min(n, chunk_);
      std::fill_n(buf, k, 'x');
      return k;
    }
    if (pos_ == data_.size()) {
      if (error_) return hb::make_error(hb::ErrorKind::parse, *error_);
      return std::size_t{0};
    }
    std::size_t k = std::min({n, chunk_, data_.size() - pos_});
    std::copy_n(data_.data() + pos_, k, buf);
    pos_ += k;
    return k;
  }

 private:
  std::string data_;
  std::size_t chunk_;
  std::optional<std::string> error_;
  bool endless_;
  std::size_t pos_ = 0;
};

}  // namespace

TEST_CASE("decompress: reading ahead gives the same bytes, whatever the piece and read sizes") {
  const std::string text = sample_text();
  for (std::size_t piece : {1u, 7u, 4096u, 256u * 1024u})
    for (std::size_t depth : {1u, 2u, 4u})
      for (std::size_t chunk : {1u, 1000u, 65536u}) {
        if (piece == 1 && chunk == 1) continue;  // a byte at a time both ways: covered
        CAPTURE(piece);
        CAPTURE(depth);
        CAPTURE(chunk);
        // Tiny pieces or reads hand every few bytes between two threads: 64 KB of the text is
        // plenty (the whole 3 MB took minutes of futex wake-ups on a 2-vCPU VM).
        const std::string want = piece < 4096 || chunk == 1 ? text.substr(0, 65536) : text;
        auto s = hb::read_ahead_stream(
            std::make_unique<ScriptedStream>(want, piece == 1 ? 4096 : 3000), piece, depth);
        CHECK(drain(*s, chunk) == want);
      }
}

TEST_CASE("decompress: reading ahead over a decoder: the bytes, then its error, again and again") {
  const std::string text = sample_text();
  std::string packed = compress_with("lz4", {"-c", "-q"}, text);
  if (packed.empty()) return;
  // Whole: the same text as without reading ahead.
  auto whole = hb::read_ahead_stream(
      hb::decompress_stream(hb::memory_stream(packed), Compression::lz4, "/l.lz4"), 64 * 1024, 3);
  CHECK(drain(*whole, 8192) == text);
  // Truncated: the bytes that decoded, then the decoder's error, sticky.
  const std::string cut = packed.substr(0, packed.size() / 2);
  std::string direct_error, ahead_error;
  auto direct = hb::decompress_stream(hb::memory_stream(cut), Compression::lz4, "/l.lz4");
  const std::string direct_text = drain(*direct, 8192, &direct_error);
  auto ahead = hb::read_ahead_stream(
      hb::decompress_stream(hb::memory_stream(cut), Compression::lz4, "/l.lz4"), 4096, 2);
  CHECK(drain(*ahead, 8192, &ahead_error) == direct_text);
  CHECK_FALSE(direct_error.empty());
  CHECK(ahead_error == direct_error);
  char buf[16];
  auto again = ahead->read(buf, sizeof buf);
  REQUIRE_FALSE(again.ok());
  CHECK(again.message() == direct_error);
}

TEST_CASE("decompress: an error of the stream read ahead comes after the bytes before it") {
  auto s = hb::read_ahead_stream(std::make_unique<ScriptedStream>("abcdefgh", 3, "disk on fire"),
                                 2, 2);
  std::string error;
  CHECK(drain(*s, 5, &error) == "abcdefgh");
  CHECK(error == "disk on fire");
  char c;
  CHECK(s->read(&c, 0).value() == 0);  // a zero-byte read is no read
}

TEST_CASE("decompress: a stream read ahead can be dropped half-read, its thread stops") {
  for (int i = 0; i < 20; ++i) {
    auto s = hb::read_ahead_stream(std::make_unique<ScriptedStream>("", 4096, std::nullopt, true),
                                   4096, 3);
    char buf[100];
    auto got = s->read(buf, sizeof buf);
    REQUIRE(got.ok());
    CHECK(*got == 100);
    CHECK(buf[99] == 'x');
  }  // each destructor joins a thread that is blocked on a full ring or reading
}
