#include "checks/block_chain.hpp"

#include <algorithm>
#include <vector>

#include "engine/host_view.hpp"
#include "engine/text.hpp"

namespace hb {


namespace {

// More slaves than this under one device is not a real stack (md arrays stop far below it).
constexpr std::size_t k_max_slaves = 64;

bool is_encryption(std::string_view uuid) {
  if (!starts_with(uuid, "CRYPT-")) return false;
  return !starts_with(uuid, "CRYPT-VERITY-") && !starts_with(uuid, "CRYPT-INTEGRITY-") &&
         !starts_with(uuid, "CRYPT-SUBDEV-");
}

struct Node {
  Encryption verdict = Encryption::unknown;
  std::string text;
};

class Walker {
 public:
  explicit Walker(const HostView& host) : host_(host) {}

  Expected<std::string> resolve_link(const std::string& link) const {
    auto target = host_.read_link(link);
    if (!target) return target.error();
    return normal_path(join_path(dir_name(link), *target));
  }

  Node visit(const std::string& dir, int depth) {
    const std::string name = printable(base_name(dir), 64);
    if (depth > k_max_chain_depth)
      return unknown(name, "the chain is deeper than " + std::to_string(k_max_chain_depth));
    if (++devices_ > k_max_chain_devices)
      return unknown(name, "more than " + std::to_string(k_max_chain_devices) + " devices");
    if (std::find(path_.begin(), path_.end(), dir) != path_.end())
      return unknown(name, "cycle: " + name + " is below itself in slaves");
    auto st = host_.stat(dir);
    if (!st || st->type != FileType::directory)
      return unknown(name, "cannot read " + printable(dir) +
                               (st ? ": not a directory" : ": " + printable(st.message())));

    std::string uuid;
    auto u = host_.read_file(dir + "/dm/uuid", 4096);
    if (u)
      uuid = std::string(trim(*u));
    else if (u.kind() != ErrorKind::not_found)
      return unknown(name, "cannot read " + printable(dir) + "/dm/uuid: " + printable(u.message()));
    std::string label = name + (uuid.empty() ? "" : " (" + printable(uuid, 24) + ")");
    if (is_encryption(uuid)) return Node{Encryption::encrypted, std::move(label)};

    std::vector<std::string> children;
    auto slaves = host_.list_dir(dir + "/slaves");
    if (slaves) {
      if (slaves->size() > k_max_slaves)
        return unknown(name, "more than " + std::to_string(k_max_slaves) + " slaves");
      for (const auto& e : *slaves) {
        auto target = resolve_link(dir + "/slaves/" + e.name);
        if (!target)
          return unknown(name, "cannot resolve slave " + printable(e.name) + ": " +
                                   printable(target.message()));
        children.push_back(*target);
      }
    } else if (slaves.kind() != ErrorKind::not_found) {
      return unknown(name,
                     "cannot list " + printable(dir) + "/slaves: " + printable(slaves.message()));
    }
    if (children.empty()) {
      auto part = host_.lstat(dir + "/partition");
      if (part)
        children.push_back(dir_name(dir));  // a partition: its disk is the parent directory
      else if (part.kind() != ErrorKind::not_found)
        return unknown(name, "cannot read " + printable(dir) + "/partition");
    }
    if (children.empty()) return Node{Encryption::not_encrypted, std::move(label)};

    path_.push_back(dir);
    std::vector<Node> kids;
    for (const auto& c : children) kids.push_back(visit(c, depth + 1));
    path_.pop_back();

    Node out;
    out.verdict = Encryption::encrypted;
    for (const auto& k : kids) {
      if (k.verdict == Encryption::not_encrypted) out.verdict = Encryption::not_encrypted;
      if (k.verdict == Encryption::unknown && out.verdict == Encryption::encrypted)
        out.verdict = Encryption::unknown;
    }
    out.text = label + " <- ";
    if (kids.size() == 1) {
      out.text += kids[0].text;
    } else {
      out.text += "[";
      for (std::size_t i = 0; i < kids.size(); ++i) out.text += (i ? ", " : "") + kids[i].text;
      out.text += "]";
    }
    return out;
  }

  const std::string& why() const { return why_; }

 private:
  Node unknown(const std::string& name, std::string why) {
    if (why_.empty()) why_ = std::move(why);
    return Node{Encryption::unknown, name + " (?)"};
  }

  const HostView& host_;
  int devices_ = 0;
  std::vector<std::string> path_;  // the device directories above the one being visited
  std::string why_;
};

DeviceTrace trace_from_link(const HostView& host, const std::string& link) {
  DeviceTrace out;
  Walker w(host);
  std::string dir = link;
  auto st = host.lstat(link);
  if (!st) {
    out.why = "no " + printable(link) +
              (st.kind() == ErrorKind::not_found ? " in the root" : ": " + printable(st.message()));
    return out;
  }
  if (st->type == FileType::symlink) {
    auto target = w.resolve_link(link);
    if (!target) {
      out.why = "cannot resolve " + printable(link) + ": " + printable(target.message());
      return out;
    }
    dir = *target;
  }
  Node n = w.visit(dir, 1);
  out.verdict = n.verdict;
  out.chain = std::move(n.text);
  out.why = w.why();
  return out;
}

}  // namespace

DeviceTrace trace_encryption(const HostView& host, unsigned major, unsigned minor) {
  return trace_from_link(host,
                         "/sys/dev/block/" + std::to_string(major) + ":" + std::to_string(minor));
}

DeviceTrace trace_encryption_by_name(const HostView& host, std::string_view name) {
  if (name.empty() || name.find('/') != std::string_view::npos || name == "." || name == "..") {
    DeviceTrace out;
    out.why = "'" + printable(name, 64) + "' is not a block device name";
    return out;
  }
  return trace_from_link(host, "/sys/class/block/" + std::string(name));
}

}  // namespace hb
