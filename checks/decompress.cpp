#include "checks/decompress.hpp"

#include <lz4frame.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace hb {

std::string_view to_string(Compression c) {
  switch (c) {
    case Compression::none:
      return "plain";
    case Compression::gzip:
      return "gzip";
    case Compression::xz:
      return "xz";
    case Compression::zstd:
      return "zstd";
    case Compression::lz4:
      return "lz4";
  }
  return "?";
}

std::optional<Compression> compression_of(std::string_view file_name) {
  auto ends = [&](std::string_view ext) {
    return file_name.size() > ext.size() && file_name.ends_with(ext);
  };
  if (ends(".gz")) return Compression::gzip;
  if (ends(".xz")) return Compression::xz;
  if (ends(".zst")) return Compression::zstd;
  if (ends(".lz4")) return Compression::lz4;
  if (ends(".bz2") || ends(".lzma")) return std::nullopt;
  return Compression::none;
}

namespace {

class MemoryStream final : public FileStream {
 public:
  explicit MemoryStream(std::string_view data) : data_(data) {}
  Expected<std::size_t> read(char* buf, std::size_t n) override {
    std::size_t k = std::min(n, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

// What one call into a decoder did.
struct Step {
  std::size_t consumed = 0;
  std::size_t produced = 0;
  std::optional<std::string> error;  // the library's reason
};

// The loop shared by every format: feed input in 64 KiB chunks, count the output against the
// cap, tell a clean end (between frames) from a truncated stream, and keep the first error.
class Decoder : public FileStream {
 public:
  Decoder(std::unique_ptr<FileStream> in, std::string name, std::uint64_t max_output)
      : in_(std::move(in)), name_(std::move(name)), max_output_(max_output), buf_(64 * 1024) {}

  Expected<std::size_t> read(char* out, std::size_t n) final {
    if (error_) return *error_;
    if (n == 0) return std::size_t{0};
    for (;;) {
      if (pos_ == len_ && !eof_) {
        auto got = in_->read(buf_.data(), buf_.size());
        if (!got) return fail(got.error());
        pos_ = 0;
        len_ = *got;
        eof_ = *got == 0;
        continue;
      }
      const bool input_left = pos_ < len_;
      if (!input_left && !saw_frame_ && consumed_ == 0)
        return fail(
            make_error(ErrorKind::parse, name_ + ": empty file, not " + format_name() + " data"));
      if (!input_left && !mid_frame_) return std::size_t{0};
      Step s = step(buf_.data() + pos_, len_ - pos_, out, n);
      if (s.error)
        return fail(make_error(ErrorKind::parse,
                               name_ + ": corrupt " + format_name() + " data (" + *s.error + ")"));
      pos_ += s.consumed;
      consumed_ += s.consumed;
      if (s.produced > 0) {
        produced_ += s.produced;
        if (produced_ > max_output_)
          return fail(make_error(ErrorKind::too_large, name_ + ": decompresses to more than " +
                                                           std::to_string(max_output_) + " bytes"));
        return s.produced;
      }
      if (s.consumed > 0) continue;
      if (input_left)
        return fail(make_error(ErrorKind::parse,
                               name_ + ": " + format_name() + " decoder made no progress"));
      if (mid_frame_)
        return fail(make_error(ErrorKind::parse, name_ + ": truncated " + format_name() + " data"));
      // The last frame ended just now: the next round sees the clean end.
    }
  }

 protected:
  // Decodes from `in` into `out`; keeps mid_frame_ (inside a frame, or output pending) and
  // saw_frame_ (a whole frame was decoded) up to date.
  virtual Step step(const char* in, std::size_t in_len, char* out, std::size_t out_len) = 0;
  virtual std::string format_name() const = 0;

  bool eof_ = false;  // the input has no more bytes beyond buf_
  bool mid_frame_ = false;
  bool saw_frame_ = false;

 private:
  Expected<std::size_t> fail(Error e) {
    error_ = std::move(e);
    return *error_;
  }

  std::unique_ptr<FileStream> in_;
  std::string name_;
  std::uint64_t max_output_;
  std::uint64_t produced_ = 0;
  std::uint64_t consumed_ = 0;
  std::vector<char> buf_;
  std::size_t pos_ = 0, len_ = 0;
  std::optional<Error> error_;
};

class PlainDecoder final : public Decoder {
 public:
  PlainDecoder(std::unique_ptr<FileStream> in, std::string name, std::uint64_t max_output)
      : Decoder(std::move(in), std::move(name), max_output) {
    saw_frame_ = true;  // an empty plain file is an empty list
  }

 protected:
  Step step(const char* in, std::size_t in_len, char* out, std::size_t out_len) override {
    std::size_t k = std::min(in_len, out_len);
    std::memcpy(out, in, k);
    return Step{k, k, std::nullopt};
  }
  std::string format_name() const override { return "plain"; }
};

class GzipDecoder final : public Decoder {
 public:
  GzipDecoder(std::unique_ptr<FileStream> in, std::string name, std::uint64_t max_output)
      : Decoder(std::move(in), std::move(name), max_output) {
    ok_ = inflateInit2(&z_, 15 + 16) == Z_OK;  // gzip wrapper only
  }
  ~GzipDecoder() override {
    if (ok_) inflateEnd(&z_);
  }

 protected:
  Step step(const char* in, std::size_t in_len, char* out, std::size_t out_len) override {
    if (!ok_) return Step{0, 0, "cannot initialise zlib"};
    if (skip_rest_) return Step{in_len, 0, std::nullopt};
    if (member_ended_) {
      // Another member follows only if it starts with gzip's magic byte; anything else is
      // trailing garbage, which gzip -dc and gzread ignore.
      if (static_cast<unsigned char>(in[0]) != 0x1f) {
        skip_rest_ = true;
        return Step{in_len, 0, std::nullopt};
      }
      inflateReset(&z_);
      member_ended_ = false;
    }
    const std::size_t in_chunk = std::min<std::size_t>(in_len, 1u << 30);
    const std::size_t out_chunk = std::min<std::size_t>(out_len, 1u << 30);
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in));
    z_.avail_in = static_cast<uInt>(in_chunk);
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = static_cast<uInt>(out_chunk);
    int rc = inflate(&z_, Z_NO_FLUSH);
    Step s{in_chunk - z_.avail_in, out_chunk - z_.avail_out, std::nullopt};
    if (rc == Z_STREAM_END) {
      mid_frame_ = false;
      saw_frame_ = true;
      member_ended_ = true;
    } else if (rc == Z_OK || rc == Z_BUF_ERROR) {
      if (s.consumed > 0 || s.produced > 0) mid_frame_ = true;
    } else {
      s.error = z_.msg ? z_.msg : "zlib error " + std::to_string(rc);
    }
    return s;
  }
  std::string format_name() const override { return "gzip"; }

 private:
  z_stream z_{};
  bool ok_ = false;
  bool member_ended_ = false;
  bool skip_rest_ = false;
};

class XzDecoder final : public Decoder {
 public:
  XzDecoder(std::unique_ptr<FileStream> in, std::string name, std::uint64_t max_output)
      : Decoder(std::move(in), std::move(name), max_output) {
    ok_ = lzma_stream_decoder(&s_, k_max_decoder_memory, LZMA_CONCATENATED) == LZMA_OK;
    mid_frame_ = true;  // with LZMA_CONCATENATED only LZMA_STREAM_END ends the input
  }
  ~XzDecoder() override { lzma_end(&s_); }

 protected:
  Step step(const char* in, std::size_t in_len, char* out, std::size_t out_len) override {
    if (!ok_) return Step{0, 0, "cannot initialise liblzma"};
    s_.next_in = reinterpret_cast<const std::uint8_t*>(in);
    s_.avail_in = in_len;
    s_.next_out = reinterpret_cast<std::uint8_t*>(out);
    s_.avail_out = out_len;
    // LZMA_FINISH is allowed once the rest of the input is in the buffer.
    lzma_ret rc = lzma_code(&s_, eof_ ? LZMA_FINISH : LZMA_RUN);
    Step st{in_len - s_.avail_in, out_len - s_.avail_out, std::nullopt};
    switch (rc) {
      case LZMA_OK:
        break;
      case LZMA_STREAM_END:
        mid_frame_ = false;
        saw_frame_ = true;
        break;
      case LZMA_BUF_ERROR:
        if (eof_) st.error = "unexpected end of input";
        break;
      case LZMA_MEMLIMIT_ERROR:
        st.error = "needs more than " + std::to_string(k_max_decoder_memory >> 20) +
                   " MiB of decoder memory";
        break;
      case LZMA_FORMAT_ERROR:
        st.error = "not in the .xz format";
        break;
      case LZMA_OPTIONS_ERROR:
        st.error = "unsupported options";
        break;
      case LZMA_DATA_ERROR:
        st.error = "data is corrupt";
        break;
      default:
        st.error = "liblzma error " + std::to_string(static_cast<int>(rc));
        break;
    }
    return st;
  }
  std::string format_name() const override { return "xz"; }

 private:
  lzma_stream s_ = LZMA_STREAM_INIT;
  bool ok_ = false;
};

class ZstdDecoder final : public Decoder {
 public:
  ZstdDecoder(std::unique_ptr<FileStream> in, std::string name, std::uint64_t max_output)
      : Decoder(std::move(in), std::move(name), max_output), ds_(ZSTD_createDStream()) {
    // Windows up to 2^27 (128 MiB), zstd's own default limit, stated so it cannot drift.
    ok_ = ds_ && !ZSTD_isError(ZSTD_DCtx_setParameter(ds_, ZSTD_d_windowLogMax, 27));
  }
  ~ZstdDecoder() override { ZSTD_freeDStream(ds_); }

 protected:
  Step step(const char* in, std::size_t in_len, char* out, std::size_t out_len) override {
    if (!ok_) return Step{0, 0, "cannot initialise libzstd"};
    ZSTD_inBuffer ib{in, in_len, 0};
    ZSTD_outBuffer ob{out, out_len, 0};
    std::size_t rc = ZSTD_decompressStream(ds_, &ob, &ib);
    Step s{ib.pos, ob.pos, std::nullopt};
    if (ZSTD_isError(rc)) {
      s.error = ZSTD_getErrorName(rc);
    } else if (rc == 0) {
      mid_frame_ = false;  // a frame is complete and flushed
      saw_frame_ = true;
    } else if (s.consumed > 0 || s.produced > 0) {
      mid_frame_ = true;
    }
    return s;
  }
  std::string format_name() const override { return "zstd"; }

 private:
  ZSTD_DStream* ds_;
  bool ok_ = false;
};

class Lz4Decoder final : public Decoder {
 public:
  Lz4Decoder(std::unique_ptr<FileStream> in, std::string name, std::uint64_t max_output)
      : Decoder(std::move(in), std::move(name), max_output) {
    ok_ = !LZ4F_isError(LZ4F_createDecompressionContext(&ctx_, LZ4F_VERSION));
  }
  ~Lz4Decoder() override {
    if (ctx_) LZ4F_freeDecompressionContext(ctx_);
  }

 protected:
  Step step(const char* in, std::size_t in_len, char* out, std::size_t out_len) override {
    if (!ok_) return Step{0, 0, "cannot initialise liblz4"};
    std::size_t src = in_len, dst = out_len;
    std::size_t rc = LZ4F_decompress(ctx_, out, &dst, in, &src, nullptr);
    Step s{src, dst, std::nullopt};
    if (LZ4F_isError(rc)) {
      s.error = LZ4F_getErrorName(rc);
    } else if (rc == 0) {
      mid_frame_ = false;  // the frame is complete; the context is ready for another
      saw_frame_ = true;
    } else if (s.consumed > 0 || s.produced > 0) {
      mid_frame_ = true;
    }
    return s;
  }
  std::string format_name() const override { return "lz4"; }

 private:
  LZ4F_dctx* ctx_ = nullptr;
  bool ok_ = false;
};

class ReadAheadStream final : public FileStream {
 public:
  ReadAheadStream(std::unique_ptr<FileStream> in, std::size_t piece, std::size_t depth)
      : in_(std::move(in)), ring_(std::max<std::size_t>(depth, 1)) {
    for (auto& p : ring_) p.data.resize(std::max<std::size_t>(piece, 1));
  }
  ~ReadAheadStream() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  // Starts the reading thread; false (and `in` untouched) when the system refuses one.
  bool start() {
    try {
      thread_ = std::thread([this] { produce(); });
      return true;
    } catch (const std::system_error&) {
      return false;
    }
  }
  std::unique_ptr<FileStream> take_input() { return std::move(in_); }

  Expected<std::size_t> read(char* out, std::size_t n) override {
    if (n == 0) return std::size_t{0};
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return filled_ > 0 || done_; });
    if (filled_ == 0) {
      if (error_) return *error_;
      return std::size_t{0};
    }
    // The piece at head_ is the reader's until it gives it back: the thread fills others.
    Piece& p = ring_[head_];
    lock.unlock();
    const std::size_t k = std::min(n, p.len - pos_);
    std::memcpy(out, p.data.data() + pos_, k);
    pos_ += k;
    if (pos_ == p.len) {
      pos_ = 0;
      lock.lock();
      head_ = (head_ + 1) % ring_.size();
      --filled_;
      lock.unlock();
      cv_.notify_all();
    }
    return k;
  }

 private:
  struct Piece {
    std::vector<char> data;
    std::size_t len = 0;
  };

  void produce() {
    for (;;) {
      std::size_t at;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_ || filled_ < ring_.size(); });
        if (stop_) return;
        at = tail_;  // free: the reader does not look at it until filled_ counts it
      }
      Piece& p = ring_[at];
      Expected<std::size_t> got = std::size_t{0};
      try {
        got = in_->read(p.data.data(), p.data.size());
      } catch (const std::exception& e) {  // e.g. bad_alloc in a decoder: an error, not a crash
        got = make_error(ErrorKind::io, std::string("reading ahead: ") + e.what());
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (!got) {
          error_ = got.error();
          done_ = true;
        } else if (*got == 0) {
          done_ = true;
        } else {
          p.len = *got;
          tail_ = (tail_ + 1) % ring_.size();
          ++filled_;
        }
      }
      cv_.notify_all();
      if (!got || *got == 0) return;
    }
  }

  std::unique_ptr<FileStream> in_;  // used by the thread only, once started
  std::vector<Piece> ring_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::size_t head_ = 0, tail_ = 0, filled_ = 0;  // guarded by mu_
  bool done_ = false, stop_ = false;               // guarded by mu_
  std::optional<Error> error_;                     // guarded by mu_
  std::size_t pos_ = 0;                            // the reader's offset in ring_[head_]
  std::thread thread_;
};

}  // namespace

std::unique_ptr<FileStream> read_ahead_stream(std::unique_ptr<FileStream> in, std::size_t piece,
                                              std::size_t depth) {
  auto s = std::make_unique<ReadAheadStream>(std::move(in), piece, depth);
  if (!s->start()) return s->take_input();
  return s;
}

std::unique_ptr<FileStream> decompress_stream(std::unique_ptr<FileStream> in, Compression c,
                                              std::string name, std::uint64_t max_output) {
  switch (c) {
    case Compression::gzip:
      return std::make_unique<GzipDecoder>(std::move(in), std::move(name), max_output);
    case Compression::xz:
      return std::make_unique<XzDecoder>(std::move(in), std::move(name), max_output);
    case Compression::zstd:
      return std::make_unique<ZstdDecoder>(std::move(in), std::move(name), max_output);
    case Compression::lz4:
      return std::make_unique<Lz4Decoder>(std::move(in), std::move(name), max_output);
    case Compression::none:
      break;
  }
  return std::make_unique<PlainDecoder>(std::move(in), std::move(name), max_output);
}

std::unique_ptr<FileStream> memory_stream(std::string_view data) {
  return std::make_unique<MemoryStream>(data);
}

Expected<std::string> decompress_buffer(std::string_view data, Compression c,
                                        std::uint64_t max_output) {
  auto stream = decompress_stream(memory_stream(data), c, "buffer", max_output);
  std::string out;
  std::vector<char> chunk(64 * 1024);
  for (;;) {
    auto got = stream->read(chunk.data(), chunk.size());
    if (!got) return got.error();
    if (*got == 0) return out;
    out.append(chunk.data(), *got);
  }
}

}  // namespace hb
