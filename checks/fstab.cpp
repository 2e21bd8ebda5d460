#include "checks/fstab.hpp"

#include <charconv>
#include <optional>

#include "checks/mountinfo.hpp"
#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

std::optional<int> parse_int(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string strip_trailing_slashes(std::string s) {
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

bool one_of(std::string_view w, std::initializer_list<std::string_view> words) {
  for (auto x : words)
    if (w == x) return true;
  return false;
}

}  // namespace

Fstab parse_fstab(std::string_view text) {
  Fstab out;
  out.present = true;
  out.path = std::string(k_fstab_path);
  int lineno = 0;
  for (std::string_view raw : split_lines(text)) {
    ++lineno;
    std::string_view s = trim(raw);
    if (s.empty() || s.front() == '#') continue;
    if (out.entries.size() + out.bad_lines.size() >= k_max_fstab_entries) break;
    std::vector<std::string_view> f = split_ws(s);
    // As libmount: three fields at least; anything after the sixth is ignored.
    if (f.size() < 3) {
      out.bad_lines.push_back(lineno);
      continue;
    }
    FstabEntry e;
    e.line = lineno;
    e.spec = unescape_octal(f[0]);
    e.file = strip_trailing_slashes(unescape_octal(f[1]));
    e.vfstype = unescape_octal(f[2]);
    e.options = f.size() > 3 ? unescape_octal(f[3]) : "defaults";
    if (f.size() > 4) {
      auto freq = parse_int(f[4]);
      if (!freq) {
        out.bad_lines.push_back(lineno);
        continue;
      }
      e.freq = *freq;
    }
    if (f.size() > 5) {
      auto passno = parse_int(f[5]);
      if (!passno) {
        out.bad_lines.push_back(lineno);
        continue;
      }
      e.passno = *passno;
    }
    out.entries.push_back(std::move(e));
  }
  return out;
}

std::shared_ptr<const Expected<Fstab>> load_fstab(const HostView& host, Facts& facts) {
  return facts.get<Fstab>("fstab", [&]() -> Expected<Fstab> {
    auto text = host.read_file(k_fstab_path);
    if (!text) {
      if (text.kind() == ErrorKind::not_found) {
        Fstab none;
        none.path = std::string(k_fstab_path);
        return none;
      }
      return text.error();
    }
    return parse_fstab(*text);
  });
}

const FstabEntry* find_fstab_entry(const Fstab& fstab, std::string_view mount_point) {
  const FstabEntry* found = nullptr;
  for (const auto& e : fstab.entries)
    if (e.file == mount_point && e.vfstype != "swap") found = &e;
  return found;
}

bool fstab_option_in_effect(std::string_view options, std::string_view flag) {
  const bool negative = flag.size() > 2 && flag.substr(0, 2) == "no";
  const std::string_view positive = negative ? flag.substr(2) : flag;
  std::optional<bool> state;
  for (const std::string& word : split_options(options)) {
    if (flag == "ro" || flag == "rw") {
      if (word == "ro") state = flag == "ro";
      if (word == "rw" || word == "defaults") state = flag == "rw";
      continue;
    }
    if (word == flag) {
      state = true;
    } else if (negative && word == positive) {
      state = false;
    } else if (!negative && word == "no" + std::string(flag)) {
      state = false;
    } else if (word == "defaults") {
      if (negative && one_of(positive, {"dev", "suid", "exec", "user", "auto"})) state = false;
      if (one_of(flag, {"dev", "suid", "exec", "auto", "async"})) state = true;
    } else if (word == "user" || word == "users") {
      if (one_of(flag, {"noexec", "nosuid", "nodev"})) state = true;
      if (one_of(flag, {"exec", "suid", "dev"})) state = false;
    } else if (word == "owner" || word == "group") {
      if (one_of(flag, {"nosuid", "nodev"})) state = true;
      if (one_of(flag, {"suid", "dev"})) state = false;
    }
  }
  if (state) return *state;
  // Unset: mount(8)'s defaults (rw, suid, dev, exec) are in effect, their negations are not.
  return one_of(flag, {"rw", "suid", "dev", "exec", "auto", "async"});
}

}  // namespace hb
