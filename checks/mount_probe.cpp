#include "checks/mount_probe.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "checks/fstab.hpp"
#include "checks/mountinfo.hpp"
#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

// Filesystems systemd (mount-setup.c, systemd 252) mounts itself early at boot, with or without
// an fstab line; an fstab line for them only changes their options.
struct ApiMount {
  std::string_view path, fs_type, options;
};
constexpr ApiMount k_api_mounts[] = {
    {"/dev/shm", "tmpfs", "nosuid,nodev,strictatime,mode=1777"},
    {"/dev", "devtmpfs", "nosuid,strictatime,mode=755"},
    {"/run", "tmpfs", "nosuid,nodev,strictatime,mode=755"},
    {"/proc", "proc", "nosuid,nodev,noexec"},
    {"/sys", "sysfs", "nosuid,nodev,noexec"},
};

std::string join(const std::vector<std::string>& words, std::string_view sep = ", ") {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : std::string(sep)) + w;
  return out;
}

class MountProbe final : public Probe {
 public:
  MountProbe(std::string path, bool separate, std::vector<std::string> options)
      : path_(std::move(path)), separate_(separate), options_(std::move(options)) {}

  Outcome evaluate(const ProbeContext& ctx) const override {
    auto mi = load_mountinfo(ctx.host, ctx.facts);
    if (!mi->ok())
      return Outcome::make(Status::error,
                           "cannot read the mount table: " + printable(mi->message(), 400));
    if (mi->value().present) return judge_running(mi->value());
    auto fstab = load_fstab(ctx.host, ctx.facts);
    if (!fstab->ok())
      return Outcome::make(Status::error, "no " + std::string(k_mountinfo_path) +
                                              " in the root, and /etc/fstab is unreadable: " +
                                              printable(fstab->message(), 400));
    if (!fstab->value().present)
      return Outcome::make(Status::notapplicable, "no mount table: neither " +
                                                      std::string(k_mountinfo_path) +
                                                      " nor /etc/fstab in the root");
    return judge_fstab(fstab->value());
  }

 private:
  // The verdict once the mount (or its absence) is known. `has` tells whether an option is set.
  template <class Has>
  Outcome verdict(std::string seen, const Has& has) const {
    std::vector<std::string> missing, present;
    for (const auto& o : options_) (has(o) ? present : missing).push_back(o);
    if (!missing.empty())
      return Outcome::make(Status::fail, std::move(seen) + "; missing " + join(missing));
    if (!options_.empty()) seen += "; has " + join(present);
    return Outcome::make(Status::pass, std::move(seen));
  }

  // `where` says what the path is part of instead ("it is on / (...)").
  Outcome not_separate(const std::string& where) const {
    if (separate_) return Outcome::make(Status::fail, path_ + " is not a separate mount: " + where);
    return Outcome::make(Status::notapplicable,
                         path_ + " is not a separate mount: " + where +
                             "; it has no mount options of its own to judge (the rule requiring "
                             "a separate " +
                             path_ + " fails instead)");
  }

  Outcome judge_running(const MountInfo& mi) const {
    const MountEntry* m = find_mount(mi.mounts, path_);
    if (!m) {
      const MountEntry* on = covering_mount(mi.mounts, path_);
      std::string where = on ? "it is on " + printable(on->mount_point) + " (" +
                                   printable(on->fs_type) + " " + printable(on->source) + ", " +
                                   mi.path + ":" + std::to_string(on->line) + ")"
                             : "no mount in " + mi.path + " covers it";
      return not_separate(where);
    }
    std::set<std::string> opts;
    for (auto& o : split_options(m->mount_options)) opts.insert(o);
    for (auto& o : split_options(m->super_options)) opts.insert(o);
    std::string seen = path_ + " is a separate mount: " + printable(m->fs_type) + " " +
                       printable(m->source) + " at " + mi.path + ":" + std::to_string(m->line) +
                       ", options " + printable(m->mount_options) + " (superblock " +
                       printable(m->super_options) + ")";
    return verdict(std::move(seen), [&](const std::string& o) { return opts.count(o) > 0; });
  }

  Outcome judge_fstab(const Fstab& fstab) const {
    const std::string note = " (judged from /etc/fstab: no " + std::string(k_mountinfo_path) +
                             " in the root, so the running mounts are not observable)";
    std::string bad;
    if (!fstab.bad_lines.empty()) {
      bad = "; malformed lines skipped:";
      for (std::size_t i = 0; i < fstab.bad_lines.size() && i < 10; ++i)
        bad += " " + std::to_string(fstab.bad_lines[i]);
      if (fstab.bad_lines.size() > 10) bad += " ...";
    }
    const FstabEntry* e = find_fstab_entry(fstab, path_);
    if (e && fstab_option_in_effect(e->options, "noauto")) {
      return not_separate("its line, " + fstab.path + ":" + std::to_string(e->line) +
                          ", has noauto, so it is not mounted at boot" + note + bad);
    }
    if (e) {
      std::string seen = path_ + " is a separate mount at boot: " + fstab.path + ":" +
                         std::to_string(e->line) + " mounts " + printable(e->spec) + " (" +
                         printable(e->vfstype) + ") with options " + printable(e->options) + note +
                         bad;
      const std::string options = e->options;
      return verdict(std::move(seen),
                     [&](const std::string& o) { return fstab_option_in_effect(options, o); });
    }
    for (const auto& api : k_api_mounts) {
      if (api.path != path_) continue;
      std::string seen = path_ +
                         " is a separate mount at boot: not in /etc/fstab, so systemd "
                         "mounts it itself (" +
                         std::string(api.fs_type) + ", " + std::string(api.options) + ")" + note +
                         bad;
      return verdict(std::move(seen),
                     [&](const std::string& o) { return fstab_option_in_effect(api.options, o); });
    }
    return not_separate("no line in /etc/fstab mounts it" + note + bad);
  }

  std::string path_;
  bool separate_;
  std::vector<std::string> options_;
};

bool valid_option_word(const std::string& o) {
  if (o.empty() || o.size() > 64) return false;
  return std::all_of(o.begin(), o.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '=' ||
           c == '.';
  });
}

}  // namespace

std::unique_ptr<Probe> parse_mount_probe(const Params& params) {
  std::string path = params.string("path");
  if (path.empty() || path.front() != '/')
    params.fail("path", "'" + path + "' is not an absolute path");
  if (has_glob(path)) params.fail("path", "'" + path + "' is a glob; name one mount point");
  if (path.size() > 1 && path.back() == '/')
    params.fail("path", "'" + path + "' has a trailing '/'; write it as findmnt shows it");
  for (std::string_view comp : split(path, '/'))
    if (comp == "." || comp == "..") params.fail("path", "'" + path + "' must be canonical");
  if (path.find("//") != std::string::npos) params.fail("path", "'" + path + "' must be canonical");

  Params expect = params.map("expect");
  bool separate = false;
  if (expect.has("separate")) {
    separate = expect.boolean("separate", false);
    if (!separate)
      expect.fail("separate", "only 'separate: true' is a test (leave it out otherwise)");
  }
  std::vector<std::string> options;
  if (auto words = expect.opt_strings("options")) {
    if (words->empty()) expect.fail("options", "expected at least one mount option");
    for (const auto& w : *words) {
      if (!valid_option_word(w)) expect.fail("options", "'" + w + "' is not a mount option");
      if (std::find(options.begin(), options.end(), w) == options.end()) options.push_back(w);
    }
  }
  if (!separate && options.empty())
    expect.fail("expected 'separate: true' or 'options: [...]' (or both)");
  expect.finish();
  return std::make_unique<MountProbe>(std::move(path), separate, std::move(options));
}

}  // namespace hb
