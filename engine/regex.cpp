#include "engine/regex.hpp"

#include <boost/regex.hpp>

namespace hb {

struct Regex::Impl {
  boost::regex re;
};

Expected<Regex> Regex::compile(const std::string& pattern, bool ignore_case) {
  try {
    boost::regex::flag_type flags = boost::regex::ECMAScript;
    if (ignore_case) flags = flags | boost::regex::icase;
    Regex r;
    r.impl_ = std::make_shared<const Impl>(Impl{boost::regex(pattern, flags)});
    r.source_ = pattern;
    return r;
  } catch (const std::exception& e) {
    return make_error(ErrorKind::invalid, std::string("invalid regular expression: ") + e.what());
  }
}

Expected<bool> Regex::search(std::string_view text) const {
  try {
    return boost::regex_search(text.begin(), text.end(), impl_->re);
  } catch (const std::exception& e) {
    // Boost's limit on backtracking, or its memory limit: the answer is unknown.
    return make_error(ErrorKind::too_large, "/" + source_ + "/ could not be matched: " + e.what());
  }
}

}  // namespace hb
