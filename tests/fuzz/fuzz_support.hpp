// Helpers shared by the libFuzzer targets of tests/fuzz (built with HOSTBENCH_FUZZ=ON; run by
// tests/fuzz/run.sh). Nothing here touches the disk: several files travel in one fuzz input, and
// a HostView serves them from memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/host_view.hpp"

namespace hb::fuzz {

// One input, several files: the parts between the separators "\0\0" (tests/fuzz/make_seeds.sh
// writes seeds the same way). At most max_parts parts; the last one keeps any further separators.
inline constexpr std::string_view k_separator{"\0\0", 2};
std::vector<std::string_view> split_parts(const std::uint8_t* data, std::size_t size,
                                          std::size_t max_parts);

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Words of a text: the parts between newlines (blank ones kept), for argument lists.
std::vector<std::string> split_lines(std::string_view text);

// A FileStream that returns at most `chunk` bytes per read: the refill paths of a streaming
// parser see every boundary.
std::unique_ptr<FileStream> chunked_stream(std::string_view data, std::size_t chunk);

// A host of regular files held in memory (paths as the host sees them, "/etc/fstab"); the
// directories are the files' ancestors. Files are 0644 root:root, directories 0755; there are no
// symlinks; open_directory is refused (io), as for a filesystem that cannot be walked.
class MemoryHost final : public HostView {
 public:
  explicit MemoryHost(std::map<std::string, std::string> files, bool live = false);

  const std::string& root() const override { return root_; }
  bool is_live() const override { return live_; }
  std::size_t max_read() const override { return k_default_max_read; }
  Expected<std::string> read_file(std::string_view path,
                                  std::optional<std::size_t> max_bytes = {}) const override;
  Expected<std::unique_ptr<FileStream>> open_read(std::string_view path,
                                                  std::uint64_t max_bytes) const override;
  Expected<FileStat> stat(std::string_view path) const override;
  Expected<FileStat> lstat(std::string_view path) const override { return stat(path); }
  Expected<std::vector<DirEntry>> list_dir(std::string_view path) const override;
  Expected<std::string> read_link(std::string_view path) const override;
  Expected<UniqueFd> open_directory(std::string_view path) const override;

 private:
  const std::string* file(std::string_view path) const;
  bool is_dir(const std::string& normal) const;

  std::string root_ = "/";
  bool live_;
  std::map<std::string, std::string> files_;  // by normal path
};

}  // namespace hb::fuzz
