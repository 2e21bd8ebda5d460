#include "reports/history.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <map>
#include <set>

#include "reports/report_file.hpp"

namespace hb {

namespace {

std::string errno_text(const std::string& what, int err) { return what + ": " + std::strerror(err); }

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "20261129T031500Z" -> the time point; nullopt unless exactly that shape.
std::optional<SystemTime> parse_stamp(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z' || !digits(s.substr(0, 8)) ||
      !digits(s.substr(9, 6)))
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = std::stoi(std::string(s.substr(0, 4))) - 1900;
  tm.tm_mon = std::stoi(std::string(s.substr(4, 2))) - 1;
  tm.tm_mday = std::stoi(std::string(s.substr(6, 2)));
  tm.tm_hour = std::stoi(std::string(s.substr(9, 2)));
  tm.tm_min = std::stoi(std::string(s.substr(11, 2)));
  tm.tm_sec = std::stoi(std::string(s.substr(13, 2)));
  std::time_t t = timegm(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(t);
}

constexpr const char* k_suffixes[] = {".junit.xml", ".json", ".html", ".xml"};

// "HOST-20261129T031500Z-2.junit.xml" of `host` -> {"20261129T031500Z-2", time}; else nullopt.
struct StemInfo {
  std::string stem;  // without the suffix
  SystemTime time;
};
std::optional<StemInfo> parse_history_name(const std::string& name, const std::string& host) {
  if (name.size() <= host.size() + 1 || name.compare(0, host.size(), host) != 0 || name[host.size()] != '-')
    return std::nullopt;
  std::string rest = name.substr(host.size() + 1);
  std::string stem_rest;
  for (const char* suffix : k_suffixes) {
    std::string_view sv(suffix);
    if (rest.size() > sv.size() && rest.compare(rest.size() - sv.size(), sv.size(), sv) == 0) {
      stem_rest = rest.substr(0, rest.size() - sv.size());
      break;
    }
  }
  if (stem_rest.size() < 16) return std::nullopt;
  auto t = parse_stamp(std::string_view(stem_rest).substr(0, 16));
  if (!t) return std::nullopt;
  if (stem_rest.size() > 16 && (stem_rest[16] != '-' || !digits(std::string_view(stem_rest).substr(17))))
    return std::nullopt;
  return StemInfo{host + "-" + stem_rest, *t};
}

}  // namespace

Expected<DirLock> lock_output_dir(const std::string& dir) {
  if (dir.empty()) return make_error(ErrorKind::invalid, "empty output directory");
  if (::mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST)
    return make_error(ErrorKind::io, errno_text("cannot create " + dir, errno));
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return make_error(ErrorKind::io, errno_text(dir, errno));
  if (!S_ISDIR(st.st_mode)) return make_error(ErrorKind::invalid, dir + ": not a directory");
  const std::string path = dir + "/.hostbench.lock";
  DirLock lock;
  lock.fd = UniqueFd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!lock.fd.valid()) return make_error(ErrorKind::io, errno_text(path, errno));
  if (::flock(lock.fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) return make_error(ErrorKind::io, errno_text("cannot lock " + path, errno));
    lock.busy = true;
    char buf[32] = {};
    ssize_t n = ::pread(lock.fd.get(), buf, sizeof buf - 1, 0);
    std::string pid = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    if (digits(pid)) lock.holder = "pid " + pid;
    return lock;
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(lock.fd.get(), 0) == 0) {
    ssize_t n = ::pwrite(lock.fd.get(), pid.data(), pid.size(), 0);
    (void)n;  // the pid is a courtesy for the message of a second scan, not the lock itself
  }
  return lock;
}

std::string history_host(const std::string& hostname) {
  std::string out;
  for (char c : hostname) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    out += ok ? c : '_';
  }
  if (out.empty() || out == "." || out == "..") out = "host";
  if (out.size() > 128) out.resize(128);
  return out;
}

std::string history_stem(const std::string& hostname, SystemTime started) {
  std::time_t t = std::chrono::system_clock::to_time_t(started);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return history_host(hostname) + "-" + buf;
}

Expected<std::vector<std::string>> write_history(const std::string& dir, const std::string& stem,
                                                 const std::vector<HistoryFile>& files) {
  // A stem is free when none of its files exists.
  std::string chosen = stem;
  for (int n = 2;; ++n) {
    bool taken = false;
    for (const auto& f : files) {
      struct stat st {};
      if (::lstat((dir + "/" + chosen + f.suffix).c_str(), &st) == 0) taken = true;
    }
    if (!taken) break;
    if (n > 1000) return make_error(ErrorKind::io, dir + ": too many scans named " + stem);
    chosen = stem + "-" + std::to_string(n);
  }
  std::vector<std::string> written;
  for (const auto& f : files) {
    const std::string name = chosen + f.suffix;
    const std::string path = dir + "/" + name;
    if (auto w = write_report_file(path, f.content); !w) return w.error();
    written.push_back(path);
    // latest.SUFFIX -> NAME: a new link under a temporary name, renamed over the old one.
    const std::string link = dir + "/latest" + f.suffix;
    const std::string tmp = dir + "/.latest" + f.suffix + ".tmp-" + std::to_string(::getpid());
    ::unlink(tmp.c_str());
    if (::symlink(name.c_str(), tmp.c_str()) != 0)
      return make_error(ErrorKind::io, errno_text(link, errno));
    if (::rename(tmp.c_str(), link.c_str()) != 0) {
      int err = errno;
      ::unlink(tmp.c_str());
      return make_error(ErrorKind::io, errno_text(link, err));
    }
  }
  return written;
}

Expected<std::vector<std::string>> prune_history(const std::string& dir, const std::string& host,
                                                 const Retention& retention, SystemTime now) {
  std::vector<std::string> removed;
  if (!retention.keep && !retention.keep_days) return removed;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return make_error(ErrorKind::io, errno_text(dir, errno));
  std::map<std::string, std::pair<SystemTime, std::vector<std::string>>> scans;  // stem -> files
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (auto info = parse_history_name(name, host)) {
      auto& entry = scans[info->stem];
      entry.first = info->time;
      entry.second.push_back(name);
    }
  }
  ::closedir(d);
  // Newest first: by time, then by stem (a "-2" scan of the same second is newer).
  std::vector<std::pair<std::string, SystemTime>> order;
  for (const auto& [stem, v] : scans) order.emplace_back(stem, v.first);
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    if (a.first.size() != b.first.size()) return a.first.size() > b.first.size();
    return a.first > b.first;
  });
  for (std::size_t i = 1; i < order.size(); ++i) {  // i = 0, the newest, always stays
    bool drop = retention.keep && static_cast<long>(i) >= *retention.keep;
    if (retention.keep_days && now - order[i].second > std::chrono::hours(24) * *retention.keep_days)
      drop = true;
    if (!drop) continue;
    for (const auto& name : scans[order[i].first].second) {
      const std::string path = dir + "/" + name;
      if (::unlink(path.c_str()) != 0 && errno != ENOENT)
        return make_error(ErrorKind::io, errno_text("cannot remove " + path, errno));
      removed.push_back(path);
    }
  }
  return removed;
}

}  // namespace hb
