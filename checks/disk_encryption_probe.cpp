#include "checks/disk_encryption_probe.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "checks/block_chain.hpp"
#include "checks/mountinfo.hpp"
#include "engine/facts.hpp"
#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {

namespace {

const std::vector<std::string> k_default_mounts = {"/", "/var", "/home", "/var/lib/docker"};

// Filesystems that have no block device on this host: in memory, layered, or remote.
bool is_not_block(std::string_view fs_type) {
  static constexpr std::string_view k_types[] = {
      "tmpfs", "ramfs", "overlay", "aufs",      "virtiofs", "9p",       "nfs",   "nfs4",
      "cifs",  "smb3",  "ceph",    "glusterfs", "rootfs",   "devtmpfs", "sshfs", "afs"};
  if (starts_with(fs_type, "fuse")) return true;
  return std::find(std::begin(k_types), std::end(k_types), fs_type) != std::end(k_types);
}

// The kernel name of a device node the root's /dev names ("/dev/mapper/root" -> "dm-0"),
// following at most 8 symlinks inside the root; the last component when /dev cannot say.
std::string device_name(const HostView& host, const std::string& source) {
  std::string p = source;
  for (int i = 0; i < 8; ++i) {
    auto st = host.lstat(p);
    if (!st || st->type != FileType::symlink) break;
    auto target = host.read_link(p);
    if (!target) break;
    p = normal_path(join_path(dir_name(p), *target));
  }
  return base_name(p);
}

class DiskEncryptionProbe final : public Probe {
 public:
  explicit DiskEncryptionProbe(std::vector<std::string> mounts) : mounts_(std::move(mounts)) {}

  Outcome evaluate(const ProbeContext& ctx) const override {
    auto mi = load_mountinfo(ctx.host, ctx.facts);
    if (!mi->ok())
      return Outcome::make(Status::error,
                           "cannot read the mount table: " + printable(mi->message(), 400));
    if (!mi->value().present)
      return Outcome::make(Status::notapplicable,
                           "no mount table: no " + std::string(k_mountinfo_path) +
                               " in the root (an offline image), so the devices behind its "
                               "filesystems cannot be observed");
    const MountInfo& table = mi->value();
    Outcome out;
    out.status = Status::notapplicable;
    std::vector<std::string> skipped;
    for (const auto& path : mounts_) {
      const MountEntry* m = find_mount(table.mounts, path);
      if (!m) {
        if (path == "/")
          out.add_object(
              ObjectResult{"/", Status::error, {"nothing is mounted at / in " + table.path}});
        else
          skipped.push_back(path);
        continue;
      }
      out.add_object(judge(ctx.host, table, *m));
    }
    if (!skipped.empty()) {
      std::string s;
      for (const auto& p : skipped) s += (s.empty() ? "" : ", ") + p;
      out.evidence.push_back("not separate mounts, so covered by the filesystem they are on: " + s);
    }
    return out;
  }

 private:
  static ObjectResult judge(const HostView& host, const MountInfo& table, const MountEntry& m) {
    const std::string id = m.mount_point;
    const std::string where = printable(m.mount_point) + " (" + printable(m.fs_type) + " " +
                              printable(m.source) + ", " + table.path + ":" +
                              std::to_string(m.line) + ")";
    DeviceTrace t;
    std::string on = printable(m.mount_point) + " on " + std::to_string(m.major) + ":" +
                     std::to_string(m.minor) + " ";
    if (m.major == 0) {
      // No device number: tmpfs, overlay, network filesystems, or btrfs/zfs (anonymous st_dev).
      if (is_not_block(m.fs_type))
        return ObjectResult{id,
                            Status::fail,
                            {where + ": " + printable(m.fs_type) +
                             " has no block device, so nothing on this host encrypts it"}};
      if (!starts_with(m.source, "/dev/"))
        return ObjectResult{id,
                            Status::error,
                            {where + ": its source names no block device, so it cannot be "
                                     "traced to dm-crypt"}};
      std::string name = device_name(host, m.source);
      t = trace_encryption_by_name(host, name);
      on = printable(m.mount_point) + " on " + printable(m.source) + " ";
    } else {
      t = trace_encryption(host, m.major, m.minor);
    }
    switch (t.verdict) {
      case Encryption::encrypted:
        return ObjectResult{id, Status::pass, {on + t.chain + ": on dm-crypt"}};
      case Encryption::not_encrypted:
        return ObjectResult{
            id, Status::fail, {on + t.chain + ": no dm-crypt device below " + where}};
      case Encryption::unknown:
        break;
    }
    return ObjectResult{id,
                        Status::error,
                        {on + (t.chain.empty() ? "" : t.chain + ": ") +
                         "cannot tell whether it is encrypted: " + t.why}};
  }

  std::vector<std::string> mounts_;  // "/" first, no duplicates
};

}  // namespace

std::unique_ptr<Probe> parse_disk_encryption_probe(const Params& params) {
  std::vector<std::string> given = k_default_mounts;
  if (auto m = params.opt_strings("mounts")) given = *m;
  std::vector<std::string> mounts = {"/"};
  for (const auto& p : given) {
    bool canonical = !p.empty() && p.front() == '/' && (p.size() == 1 || p.back() != '/') &&
                     p.find("//") == std::string::npos && !has_glob(p);
    for (std::string_view c : split(p, '/'))
      if (c == "." || c == "..") canonical = false;
    if (!canonical)
      params.fail("mounts", "'" + p + "' is not a canonical absolute path (/var, /home)");
    if (std::find(mounts.begin(), mounts.end(), p) == mounts.end()) mounts.push_back(p);
  }
  return std::make_unique<DiskEncryptionProbe>(std::move(mounts));
}

}  // namespace hb
