// Regex: the regular expressions of profiles (ECMAScript syntax, searched). Built on Boost.Regex,
// whose matcher keeps its backtracking state on the heap and gives up on runaway backtracking
// with an error: libstdc++'s std::regex recurses once per character, and a long line from a
// hostile host file could overflow a scanner thread's stack.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/expected.hpp"

namespace hb {

class Regex {
 public:
  // An invalid pattern is an Error saying why.
  static Expected<Regex> compile(const std::string& pattern, bool ignore_case = false);

  // Whether some part of `text` matches; an Error when the match was too costly to finish.
  Expected<bool> search(std::string_view text) const;
  const std::string& source() const { return source_; }

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;  // immutable, shared by copies, safe across threads
  std::string source_;
};

}  // namespace hb
