#include "checks/apt_sources.hpp"

#include <array>

#include "checks/deb822.hpp"
#include "checks/decompress.hpp"
#include "engine/facts.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

constexpr std::array<std::string_view, 4> k_insecure = {"trusted", "allow-insecure", "allow-weak",
                                                        "allow-downgrade-to-insecure"};
constexpr std::string_view k_sources_list = "/etc/apt/sources.list";
constexpr std::string_view k_sources_dir = "/etc/apt/sources.list.d";

// apt reads only files whose names consist of these characters (apt-pkg/contrib/fileutl.cc).
bool apt_reads_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

bool apt_false(std::string_view v) {
  for (std::string_view w : {"no", "false", "without", "off", "disable", "0"})
    if (iequals(trim(v), w)) return true;
  return false;
}

}  // namespace

bool apt_bool(std::string_view v) {
  for (std::string_view w : {"yes", "true", "with", "on", "enable", "1"})
    if (iequals(trim(v), w)) return true;
  return false;
}

std::vector<std::string> AptSource::insecure_options() const {
  std::vector<std::string> out;
  for (std::string_view k : k_insecure) {
    auto it = options.find(std::string(k));
    if (it != options.end() && apt_bool(it->second)) out.push_back(it->first + "=" + it->second);
  }
  return out;
}

std::vector<AptSource> parse_sources_list(std::string_view text, std::string_view file) {
  std::vector<AptSource> out;
  std::uint64_t no = 0;
  for (std::string_view raw : split_lines(text)) {
    ++no;
    std::string_view line = raw.substr(0, raw.find('#'));
    line = trim(line);
    if (line.empty()) continue;
    AptSource src;
    src.file = std::string(file);
    src.line = no;
    src.text = std::string(line);
    std::size_t sp = line.find_first_of(" \t");
    src.types = std::string(line.substr(0, sp));
    std::string_view rest =
        sp == std::string_view::npos ? std::string_view() : trim(line.substr(sp));
    if (!rest.empty() && rest[0] == '[') {
      std::size_t close = rest.find(']');
      if (close == std::string_view::npos) {
        src.malformed = true;
        rest = {};
      } else {
        for (std::string_view opt : split_ws(rest.substr(1, close - 1))) {
          std::size_t eq = opt.find('=');
          if (eq == std::string_view::npos || eq == 0) {
            src.malformed = true;
            continue;
          }
          std::string_view key = opt.substr(0, eq);
          if (key.back() == '+' || key.back() == '-') key.remove_suffix(1);  // "arch+=i386"
          src.options[to_lower(key)] = std::string(opt.substr(eq + 1));
        }
        rest = trim(rest.substr(close + 1));
      }
    }
    if (split_ws(rest).size() < 2) src.malformed = true;  // URI and suite are required
    out.push_back(std::move(src));
  }
  return out;
}

Expected<std::vector<AptSource>> parse_sources_deb822(std::string_view text,
                                                      std::string_view file) {
  auto in = memory_stream(text);
  LineReader lines(*in);
  StanzaReader st(lines, std::string(file),
                  {"Types", "URIs", "Suites", "Enabled", "Trusted", "Allow-Insecure", "Allow-Weak",
                   "Allow-Downgrade-To-Insecure"},
                  /*comments=*/true);
  std::vector<AptSource> out;
  for (;;) {
    auto got = st.next();
    if (!got) return got.error();
    if (!*got) return out;
    AptSource src;
    src.file = std::string(file);
    src.line = st.first_line();
    src.types = st.value(0);
    src.text = st.value(0) + " " + st.value(1) + " " + st.value(2);
    // Only a word apt reads as false disables a stanza: an unknown word does not hide it.
    src.enabled = !st.has(3) || !apt_false(st.value(3));
    for (std::size_t i = 0; i < k_insecure.size(); ++i)
      if (st.has(4 + i)) src.options[std::string(k_insecure[i])] = st.value(4 + i);
    src.malformed = !st.has(0) || !st.has(1) || !st.has(2);
    out.push_back(std::move(src));
  }
}

Expected<AptSources> load_apt_sources(const HostView& host) {
  AptSources out;
  auto etc = host.stat("/etc/apt");
  if (!etc) {
    if (etc.kind() == ErrorKind::not_found) return out;
    return etc.error();
  }
  out.have_etc_apt = true;
  auto add = [&](const std::string& path, bool deb822) -> Expected<Unit> {
    auto text = host.read_file(path);
    if (!text) {
      if (text.kind() == ErrorKind::not_found) return ok_unit();
      return text.error();
    }
    out.files.push_back(path);
    if (!deb822) {
      auto entries = parse_sources_list(*text, path);
      out.entries.insert(out.entries.end(), entries.begin(), entries.end());
      return ok_unit();
    }
    auto entries = parse_sources_deb822(*text, path);
    if (!entries) return entries.error();
    out.entries.insert(out.entries.end(), entries->begin(), entries->end());
    return ok_unit();
  };
  if (auto r = add(std::string(k_sources_list), false); !r) return r.error();
  auto dir = host.list_dir(k_sources_dir);
  if (!dir && dir.kind() != ErrorKind::not_found) return dir.error();
  if (dir) {
    for (const auto& e : *dir) {
      if (!apt_reads_name(e.name)) continue;
      // A name that is only the extension (".list") is not read.
      const bool list = e.name.size() > 5 && e.name.ends_with(".list");
      const bool sources = e.name.size() > 8 && e.name.ends_with(".sources");
      if (!list && !sources) continue;
      if (auto r = add(join_path(k_sources_dir, e.name), sources); !r) return r.error();
    }
  }
  return out;
}

std::shared_ptr<const Expected<AptSources>> apt_sources_fact(const HostView& host, Facts& facts) {
  return facts.get<AptSources>("apt.sources", [&] { return load_apt_sources(host); });
}

}  // namespace hb
