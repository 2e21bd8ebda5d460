#include "tests/fuzz/fuzz_support.hpp"

#include <algorithm>
#include <cstring>
#include <set>

namespace hb::fuzz {

std::vector<std::string_view> split_parts(const std::uint8_t* data, std::size_t size,
                                          std::size_t max_parts) {
  std::vector<std::string_view> parts;
  std::string_view rest = as_text(data, size);
  while (parts.size() + 1 < max_parts) {
    const auto at = rest.find(k_separator);
    if (at == std::string_view::npos) break;
    parts.push_back(rest.substr(0, at));
    rest.remove_prefix(at + k_separator.size());
  }
  parts.push_back(rest);
  return parts;
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto nl = text.find('\n', start);
    out.emplace_back(text.substr(start, nl == std::string_view::npos ? nl : nl - start));
    if (nl == std::string_view::npos) return out;
    start = nl + 1;
  }
}

namespace {

class ChunkedStream final : public FileStream {
 public:
  ChunkedStream(std::string_view data, std::size_t chunk, std::uint64_t cap)
      : data_(data), chunk_(std::max<std::size_t>(chunk, 1)), cap_(cap) {}
  Expected<std::size_t> read(char* buf, std::size_t n) override {
    if (pos_ >= cap_ && pos_ < data_.size())
      return make_error(ErrorKind::too_large, "memory stream: past the cap");
    const std::size_t take = std::min({n, chunk_, data_.size() - pos_});
    if (take > 0) std::memcpy(buf, data_.data() + pos_, take);
    pos_ += take;
    return take;
  }

 private:
  std::string_view data_;
  std::size_t chunk_;
  std::uint64_t cap_;
  std::size_t pos_ = 0;
};

std::string normal(std::string_view path) { return normal_path(path); }

}  // namespace

std::unique_ptr<FileStream> chunked_stream(std::string_view data, std::size_t chunk) {
  return std::make_unique<ChunkedStream>(data, chunk, UINT64_MAX);
}

MemoryHost::MemoryHost(std::map<std::string, std::string> files, bool live) : live_(live) {
  for (auto& [path, text] : files) files_[normal(path)] = std::move(text);
}

const std::string* MemoryHost::file(std::string_view path) const {
  auto it = files_.find(normal(path));
  return it == files_.end() ? nullptr : &it->second;
}

bool MemoryHost::is_dir(const std::string& p) const {
  if (p == "/") return true;
  const std::string prefix = p + "/";
  auto it = files_.lower_bound(prefix);
  return it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

Expected<std::string> MemoryHost::read_file(std::string_view path,
                                            std::optional<std::size_t> max_bytes) const {
  const std::string p = normal(path);
  const std::string* f = file(p);
  if (!f) {
    if (is_dir(p)) return make_error(ErrorKind::not_regular, p + ": a directory");
    return make_error(ErrorKind::not_found, p + ": no such file");
  }
  if (f->size() > max_bytes.value_or(max_read()))
    return make_error(ErrorKind::too_large, p + ": larger than the read cap");
  return *f;
}

Expected<std::unique_ptr<FileStream>> MemoryHost::open_read(std::string_view path,
                                                            std::uint64_t max_bytes) const {
  const std::string p = normal(path);
  const std::string* f = file(p);
  if (!f) {
    if (is_dir(p)) return make_error(ErrorKind::not_regular, p + ": a directory");
    return make_error(ErrorKind::not_found, p + ": no such file");
  }
  if (f->size() > max_bytes) return make_error(ErrorKind::too_large, p + ": larger than the cap");
  // Odd chunk sizes, so that streamed parsers refill at every kind of boundary.
  return std::unique_ptr<FileStream>(
      std::make_unique<ChunkedStream>(*f, 1 + f->size() % 61, max_bytes));
}

Expected<FileStat> MemoryHost::stat(std::string_view path) const {
  const std::string p = normal(path);
  FileStat st;
  if (const std::string* f = file(p)) {
    st.type = FileType::regular;
    st.mode = 0644;
    st.size = f->size();
    st.inode = std::hash<std::string>{}(p);
    return st;
  }
  if (is_dir(p)) {
    st.type = FileType::directory;
    st.mode = 0755;
    st.inode = std::hash<std::string>{}(p);
    return st;
  }
  return make_error(ErrorKind::not_found, p + ": no such file or directory");
}

Expected<std::vector<DirEntry>> MemoryHost::list_dir(std::string_view path) const {
  const std::string p = normal(path);
  if (file(p)) return make_error(ErrorKind::not_regular, p + ": not a directory");
  if (!is_dir(p)) return make_error(ErrorKind::not_found, p + ": no such directory");
  const std::string prefix = p == "/" ? "/" : p + "/";
  std::map<std::string, FileType> names;
  for (auto it = files_.lower_bound(prefix);
       it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    const std::string rest = it->first.substr(prefix.size());
    const auto slash = rest.find('/');
    if (slash == std::string::npos)
      names[rest] = FileType::regular;
    else
      names[rest.substr(0, slash)] = FileType::directory;
  }
  std::vector<DirEntry> out;
  for (auto& [name, type] : names)
    if (!name.empty()) out.push_back(DirEntry{name, type});
  return out;
}

Expected<std::string> MemoryHost::read_link(std::string_view path) const {
  return make_error(ErrorKind::invalid, std::string(path) + ": not a symlink");
}

Expected<UniqueFd> MemoryHost::open_directory(std::string_view path) const {
  return make_error(ErrorKind::io, std::string(path) + ": cannot be walked in memory");
}

}  // namespace hb::fuzz
