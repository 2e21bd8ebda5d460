#include "checks/service_probe.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "checks/systemd_unit.hpp"
#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

// Where `systemctl enable` writes (the only places an alias link is made).
constexpr std::string_view k_config_dirs[] = {"/etc/systemd/system", "/run/systemd/system"};
constexpr std::string_view k_dependency_suffixes[] = {".wants", ".requires", ".upholds"};
constexpr std::string_view k_rc_dirs[] = {"/etc/rc2.d", "/etc/rc3.d", "/etc/rc4.d", "/etc/rc5.d"};
constexpr std::string_view k_unit_types[] = {"service", "socket",    "target", "device",
                                             "mount",   "automount", "swap",   "timer",
                                             "path",    "slice",     "scope"};

struct Link {
  std::string path;    // the link itself
  std::string name;    // its name
  std::string target;  // as stored ("" for a plain file, which systemd also honours by name)
};

struct UnitIndex {
  bool any_dir = false;                                             // some unit directory exists
  std::vector<std::pair<std::string, std::set<std::string>>> dirs;  // search path order
  std::vector<Link> dependency_links;                               // entries of *.wants/ ...
  std::vector<Link> alias_links;        // symlinks at the top of config dirs
  std::vector<std::string> rc_entries;  // names in /etc/rc[2-5].d
};

Expected<UnitIndex> load_unit_index(const HostView& host) {
  UnitIndex idx;
  std::set<std::pair<std::uint64_t, std::uint64_t>> seen;  // (device, inode) of each directory
  for (std::string_view dir_view : k_unit_search_path) {
    const std::string dir(dir_view);
    // With merged /usr, /lib/systemd/system is /usr/lib/systemd/system: read it once.
    if (auto st = host.stat(dir); st && !seen.insert({st->device, st->inode}).second) continue;
    auto entries = host.list_dir(dir);
    if (!entries) {
      if (entries.kind() == ErrorKind::not_found) continue;
      return make_error(entries.kind(), "cannot list " + dir + ": " + entries.message());
    }
    idx.any_dir = true;
    std::set<std::string> names;
    const bool config = std::find(std::begin(k_config_dirs), std::end(k_config_dirs), dir_view) !=
                        std::end(k_config_dirs);
    for (const auto& e : *entries) {
      names.insert(e.name);
      const std::string path = join_path(dir, e.name);
      const bool dependency_dir =
          std::any_of(std::begin(k_dependency_suffixes), std::end(k_dependency_suffixes),
                      [&](std::string_view s) { return e.name.ends_with(s); });
      if (dependency_dir) {
        auto st = host.stat(path);
        if (!st || st->type != FileType::directory) continue;
        auto links = host.list_dir(path);
        if (!links) return make_error(links.kind(), "cannot list " + path + ": " + links.message());
        for (const auto& l : *links) {
          Link link{join_path(path, l.name), l.name, ""};
          if (auto target = host.read_link(link.path)) link.target = *target;
          idx.dependency_links.push_back(std::move(link));
        }
      } else if (config && e.type != FileType::directory && e.type != FileType::regular) {
        if (auto target = host.read_link(path)) idx.alias_links.push_back({path, e.name, *target});
      }
    }
    idx.dirs.emplace_back(dir, std::move(names));
  }
  for (std::string_view rc : k_rc_dirs) {
    auto entries = host.list_dir(rc);
    if (!entries) {
      if (entries.kind() == ErrorKind::not_found) continue;
      return make_error(entries.kind(),
                        "cannot list " + std::string(rc) + ": " + entries.message());
    }
    for (const auto& e : *entries) idx.rc_entries.push_back(join_path(rc, e.name));
  }
  return idx;
}

// What the files say about one unit.
struct UnitState {
  enum class Kind { not_installed, masked, installed } kind = Kind::not_installed;
  std::string file;  // the unit file, the mask, or the SysV script
  bool sysv = false;
  std::vector<std::string> enabled_by;  // the links (or rc entries) that enable it
  bool enabled() const { return kind == Kind::installed && !enabled_by.empty(); }
};

// The template of an instance name: "getty@tty1.service" -> "getty@.service".
std::optional<std::string> template_of(const std::string& unit) {
  auto at = unit.find('@'), dot = unit.rfind('.');
  if (at == std::string::npos || dot == std::string::npos || dot <= at + 1) return std::nullopt;
  return unit.substr(0, at + 1) + unit.substr(dot);
}

Expected<UnitState> unit_state(const HostView& host, const UnitIndex& idx,
                               const std::string& unit) {
  UnitState st;
  std::vector<std::string> candidates = {unit};
  if (auto t = template_of(unit)) candidates.push_back(*t);
  for (const auto& name : candidates) {
    for (const auto& [dir, names] : idx.dirs) {
      if (!names.count(name)) continue;
      const std::string path = join_path(dir, name);
      auto l = host.lstat(path);
      if (!l) return make_error(l.kind(), path + ": " + l.message());
      st.file = path;
      if (l->type == FileType::symlink) {
        auto target = host.read_link(path);
        if (!target) return make_error(target.kind(), path + ": " + target.message());
        if (*target == "/dev/null") {
          st.kind = UnitState::Kind::masked;
          st.file = path + " -> /dev/null";
          return st;
        }
      }
      auto s = host.stat(path);
      // systemd's null_or_empty(): an empty file, or a link that resolves to /dev/null.
      if (s && s->type == FileType::char_device) {
        st.kind = UnitState::Kind::masked;
        st.file = path + " (a link to the null device)";
        return st;
      }
      if (s && s->type == FileType::regular && s->size == 0) {
        st.kind = UnitState::Kind::masked;
        st.file = path + " (empty)";
        return st;
      }
      if (!s) continue;  // a dangling link: systemd looks further along the path
      st.kind = UnitState::Kind::installed;
      break;
    }
    if (st.kind == UnitState::Kind::installed) break;
  }
  if (st.kind == UnitState::Kind::not_installed && unit.ends_with(".service")) {
    const std::string stem = unit.substr(0, unit.size() - 8);
    const std::string script = "/etc/init.d/" + stem;
    if (auto s = host.stat(script); s && s->type == FileType::regular) {
      st.kind = UnitState::Kind::installed;
      st.sysv = true;
      st.file = script;
      for (const auto& entry : idx.rc_entries) {
        const std::string name = base_name(entry);
        if (name.size() == stem.size() + 3 && name[0] == 'S' &&
            std::isdigit(static_cast<unsigned char>(name[1])) &&
            std::isdigit(static_cast<unsigned char>(name[2])) && name.substr(3) == stem)
          st.enabled_by.push_back(entry);
      }
      return st;
    }
  }
  if (st.kind != UnitState::Kind::installed) return st;
  for (const auto& l : idx.dependency_links)
    if (l.name == unit || (!l.target.empty() && base_name(l.target) == unit))
      st.enabled_by.push_back(l.path + (l.target.empty() ? "" : " -> " + l.target));
  for (const auto& l : idx.alias_links)
    if (l.name != unit && base_name(l.target) == unit)
      st.enabled_by.push_back(l.path + " -> " + l.target + " (alias)");
  return st;
}

enum class Want { enabled, disabled, masked, unmasked };

class ServiceProbe final : public Probe {
 public:
  ServiceProbe(std::vector<std::string> units, Want want) : units_(std::move(units)), want_(want) {}

  Outcome evaluate(const ProbeContext& ctx) const override {
    auto idx = ctx.facts.get<UnitIndex>("systemd.units", [&] { return load_unit_index(ctx.host); });
    if (!idx->ok())
      return Outcome::make(Status::error, "cannot read the systemd unit directories: " +
                                              printable(idx->message(), 400));
    if (!idx->value().any_dir)
      return Outcome::make(Status::notapplicable,
                           "no systemd unit directory in the root (/etc/systemd/system, "
                           "/usr/lib/systemd/system, /lib/systemd/system ...)");
    // enabled: true with several units: any one will do (chrony or systemd-timesyncd); every
    // other expectation holds for each unit.
    const bool any_mode = want_ == Want::enabled;
    Outcome out;
    out.status = any_mode ? Status::fail : Status::pass;
    std::vector<std::string> failing;
    for (const auto& unit : units_) {
      auto st = unit_state(ctx.host, idx->value(), unit);
      if (!st) {
        ObjectResult obj{unit, Status::error, {"cannot read: " + printable(st.message(), 400)}};
        if (any_mode) {
          if (out.status != Status::pass) out.status = Status::error;
          out.objects.push_back(std::move(obj));
        } else {
          out.add_object(std::move(obj));
        }
        continue;
      }
      const bool ok = holds(*st);
      std::string text = describe(unit, *st);
      if (any_mode) {
        out.evidence.push_back(std::move(text));
        if (ok) out.status = Status::pass;
      } else if (ok) {
        out.evidence.push_back(std::move(text));
      } else {
        out.add_object(
            ObjectResult{unit, Status::fail, {std::move(text) + "; expected " + wanted()}});
      }
    }
    if (any_mode && out.status != Status::pass)
      out.evidence.push_back(units_.size() == 1 ? "expected " + wanted()
                                                : "expected at least one of them " + wanted());
    return out;
  }

 private:
  bool holds(const UnitState& st) const {
    switch (want_) {
      case Want::enabled:
        return st.enabled();
      case Want::disabled:
        return !st.enabled();
      case Want::masked:
        return st.kind == UnitState::Kind::masked;
      case Want::unmasked:
        return st.kind != UnitState::Kind::masked;
    }
    return false;
  }

  std::string wanted() const {
    switch (want_) {
      case Want::enabled:
        return "enabled";
      case Want::disabled:
        return "not enabled";
      case Want::masked:
        return "masked";
      case Want::unmasked:
        return "not masked";
    }
    return "";
  }

  static std::string describe(const std::string& unit, const UnitState& st) {
    std::string out = printable(unit) + ": ";
    switch (st.kind) {
      case UnitState::Kind::masked:
        return out + "masked (" + printable(st.file) + ")";
      case UnitState::Kind::not_installed:
        return out + "not installed (no unit file in the systemd search path)";
      case UnitState::Kind::installed:
        break;
    }
    std::string file =
        st.sysv ? "SysV script " + printable(st.file) : "unit file " + printable(st.file);
    if (st.enabled_by.empty())
      return out + "not enabled (" + file + "; no " +
             (st.sysv ? "S?? link in /etc/rc2.d ... /etc/rc5.d"
                      : "link in any *.wants/ or *.requires/ directory") +
             ")";
    out += "enabled by ";
    for (std::size_t i = 0; i < st.enabled_by.size() && i < 5; ++i)
      out += (i ? ", " : "") + printable(st.enabled_by[i]);
    if (st.enabled_by.size() > 5)
      out += " and " + std::to_string(st.enabled_by.size() - 5) + " more";
    return out + " (" + file + ")";
  }

  std::vector<std::string> units_;
  Want want_;
};

bool valid_unit_name(const std::string& name) {
  if (name.empty() || name.size() > 255) return false;
  for (unsigned char c : name)
    if (!std::isalnum(c) &&
        std::string_view(":_.\\@-").find(static_cast<char>(c)) == std::string_view::npos)
      return false;
  auto dot = name.rfind('.');
  if (dot == std::string::npos || dot == 0) return false;
  const std::string_view type = std::string_view(name).substr(dot + 1);
  return std::find(std::begin(k_unit_types), std::end(k_unit_types), type) !=
         std::end(k_unit_types);
}

}  // namespace

std::unique_ptr<Probe> parse_service_probe(const Params& params) {
  const bool has_unit = params.has("unit"), has_units = params.has("units");
  if (has_unit == has_units)
    params.fail("give exactly one of 'unit: NAME' and 'units: [NAME, ...]'");
  std::vector<std::string> units;
  if (has_unit)
    units.push_back(params.string("unit"));
  else
    units = params.strings("units");
  const std::string key = has_unit ? "unit" : "units";
  if (units.empty()) params.fail(key, "expected at least one unit name");
  for (const auto& u : units)
    if (!valid_unit_name(u))
      params.fail(
          key,
          "'" + u + "' is not a systemd unit name (NAME.service, NAME.socket, NAME.timer ...)");

  Params expect = params.map("expect");
  const bool has_enabled = expect.has("enabled"), has_masked = expect.has("masked");
  if (has_enabled == has_masked)
    expect.fail("expected exactly one of 'enabled: true|false' and 'masked: true|false'");
  Want want = has_enabled ? (expect.boolean("enabled", false) ? Want::enabled : Want::disabled)
                          : (expect.boolean("masked", false) ? Want::masked : Want::unmasked);
  expect.finish();
  return std::make_unique<ServiceProbe>(std::move(units), want);
}

}  // namespace hb
