#include "engine/accounts.hpp"

#include <charconv>

#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {
std::optional<std::uint32_t> parse_id(std::string_view s) {
  std::uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}
}  // namespace

std::vector<UserEntry> parse_passwd(std::string_view text,
                                    std::vector<std::string_view>* password_fields) {
  std::vector<UserEntry> out;
  std::uint32_t n = 0;
  for (auto line : split_lines(text)) {
    ++n;
    if (line.empty() || line.front() == '#') continue;
    auto f = split(line, ':');
    if (f.size() != 7 || f[0].empty()) continue;
    auto uid = parse_id(f[2]), gid = parse_id(f[3]);
    if (!uid || !gid) continue;
    out.push_back(
        UserEntry{std::string(f[0]), *uid, *gid, std::string(f[5]), std::string(f[6]), n});
    if (password_fields) password_fields->push_back(f[1]);
  }
  return out;
}

std::vector<GroupEntry> parse_group(std::string_view text) {
  std::vector<GroupEntry> out;
  std::uint32_t n = 0;
  for (auto line : split_lines(text)) {
    ++n;
    if (line.empty() || line.front() == '#') continue;
    auto f = split(line, ':');
    if (f.size() != 4 || f[0].empty()) continue;
    auto gid = parse_id(f[2]);
    if (!gid) continue;
    GroupEntry g{std::string(f[0]), *gid, {}, n};
    if (!f[3].empty())
      for (auto m : split(f[3], ',')) {
        auto t = trim(m);
        if (!t.empty()) g.members.emplace_back(t);
      }
    out.push_back(std::move(g));
  }
  return out;
}

std::optional<std::string> Accounts::user_name(std::uint32_t uid) const {
  for (const auto& u : users)
    if (u.uid == uid) return u.name;
  return std::nullopt;
}

std::optional<std::string> Accounts::group_name(std::uint32_t gid) const {
  for (const auto& g : groups)
    if (g.gid == gid) return g.name;
  return std::nullopt;
}

std::optional<std::uint32_t> Accounts::uid_of(std::string_view name) const {
  for (const auto& u : users)
    if (u.name == name) return u.uid;
  return std::nullopt;
}

std::optional<std::uint32_t> Accounts::gid_of(std::string_view name) const {
  for (const auto& g : groups)
    if (g.name == name) return g.gid;
  return std::nullopt;
}

std::string Accounts::describe_user(std::uint32_t uid) const {
  auto n = user_name(uid);
  return n ? *n + "(" + std::to_string(uid) + ")" : std::to_string(uid);
}

std::string Accounts::describe_group(std::uint32_t gid) const {
  auto n = group_name(gid);
  return n ? *n + "(" + std::to_string(gid) + ")" : std::to_string(gid);
}

std::shared_ptr<const Expected<std::string>> account_file(const HostView& host, Facts& facts,
                                                          const std::string& path) {
  return facts.get<std::string>("file:" + path, [&] { return host.read_file(path); });
}

std::shared_ptr<const Accounts> load_accounts(const HostView& host, Facts& facts) {
  auto r = facts.get<Accounts>("accounts", [&]() -> Expected<Accounts> {
    Accounts a;
    auto passwd = account_file(host, facts, "/etc/passwd");
    // A file without a single valid line (garbage, a truncated copy, a directory's listing) is
    // not taken for a host without accounts: every real passwd has root, every group file has
    // root's group. Without this, every file would be "unowned" and root "unknown".
    if (passwd->ok()) {
      a.users = parse_passwd(passwd->value());
      a.have_passwd = !a.users.empty();
    }
    auto group = account_file(host, facts, "/etc/group");
    if (group->ok()) {
      a.groups = parse_group(group->value());
      a.have_group = !a.groups.empty();
    }
    return a;
  });
  // The lambda never fails, so the value is always there.
  return std::shared_ptr<const Accounts>(r, &r->value());
}

}  // namespace hb
