// Deb822: streamed reading of Debian control-format files (deb822(5)): dpkg's status database,
// apt's Packages lists and Release files, .sources files.
//
// A file is a sequence of stanzas separated by blank lines (a line of only spaces and tabs is
// blank). A stanza is fields "Name: value"; a line starting with a space or tab continues the
// previous field. Field names compare case-insensitively, as dpkg and apt compare them.
//
// LineReader gives the lines of a FileStream through one buffer that grows to at most max_line
// bytes: a longer line is returned cut to max_line with truncated() set, and its rest is skipped,
// so no input can make memory grow past the cap. StanzaReader keeps only the fields it was asked
// for (the Packages parser wants 3 of ~15), each value with its line number. Malformed input is an
// Error "NAME:LINE: why": a line that is neither a field, a continuation, a comment (when allowed)
// nor blank; a continuation before any field; a wanted field twice in one stanza; a wanted field
// longer than max_line.
//
// A filter (StanzaReader::keep_only) lets a reader pass over the stanzas it does not want without
// parsing them: apt's Packages lists hold ~65,000 stanzas of which a host has ~1,000 installed.
// Once the filtered field has been read and the filter rejects its value, the rest of the stanza
// is skipped line by line up to the next blank line (LineReader::skip_stanza), counting lines so
// that later line numbers stay right, but not checking them: a malformed line after the rejected
// field is not an error. Lines before it are checked as usual.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expected.hpp"
#include "engine/host_view.hpp"

namespace hb {

inline constexpr std::size_t k_max_line = 1 << 20;

class LineReader {
 public:
  explicit LineReader(FileStream& in, std::size_t max_line = k_max_line);

  // The next line without its terminator ("\n", or "\r\n"); false at the end of the stream. The
  // view is valid until the next call. A final line without "\n" counts.
  Expected<bool> next(std::string_view& line);
  // The 1-based number of the line last returned.
  std::uint64_t line_number() const { return line_no_; }
  // The line last returned was longer than max_line and has been cut.
  bool truncated() const { return truncated_; }
  // Passes over lines up to and including the next blank line (empty or only spaces and tabs,
  // as next() gives it), without returning them, and counts them into line_number(). Continues
  // from where next() stopped (the rest of a cut line is dropped first). False when the stream
  // ended before a blank line. Line by line with memchr; a whole line is looked at only when it
  // starts with a space, tab or CR. Memory stays within max_line as with next().
  Expected<bool> skip_stanza();

 private:
  Expected<bool> fill();  // reads more input after end_; false at the end of the stream

  FileStream& in_;
  std::size_t max_line_;
  std::vector<char> buf_;
  std::size_t start_ = 0, end_ = 0;
  bool eof_ = false;
  bool skipping_ = false;  // discarding the rest of a cut line
  bool truncated_ = false;
  std::uint64_t line_no_ = 0;
};

class StanzaReader {
 public:
  static constexpr std::size_t k_max_fields = 16;

  // `name` prefixes error messages (a host path); `fields` are the names to keep. With
  // `comments`, lines starting with '#' are skipped (allowed in .sources files, not in dpkg's).
  StanzaReader(LineReader& lines, std::string name, std::initializer_list<std::string_view> fields,
               bool comments = false);

  // Reads the next stanza; false at the end of the input.
  Expected<bool> next();
  // From now on, a stanza whose fields[i] has a value (trimmed) for which `keep` returns false is
  // skipped unparsed from that field to its end (see the file comment), and next() goes on to the
  // following stanza. Stanzas without fields[i] are kept.
  void keep_only(std::size_t i, std::function<bool(std::string_view value)> keep);
  // The stanzas skipped by the filter so far.
  std::uint64_t skipped() const { return skipped_; }
  // Whether fields[i] was present in the current stanza, and its value (trimmed; continuation
  // lines are not kept) and line.
  bool has(std::size_t i) const { return present_[i]; }
  const std::string& value(std::size_t i) const { return values_[i]; }
  std::uint64_t line(std::size_t i) const { return lines_[i]; }
  // The line of the stanza's first field.
  std::uint64_t first_line() const { return first_line_; }
  const std::string& name() const { return name_; }

 private:
  Error error_at(std::uint64_t line, const std::string& why) const;

  LineReader& lines_in_;
  std::string name_;
  std::vector<std::string> fields_;  // lower-case
  bool comments_;
  std::array<bool, k_max_fields> present_{};
  std::array<std::string, k_max_fields> values_;
  std::array<std::uint64_t, k_max_fields> lines_{};
  std::uint64_t first_line_ = 0;
  std::size_t filter_field_ = k_max_fields;  // none
  std::function<bool(std::string_view)> keep_;
  std::uint64_t skipped_ = 0;
};

}  // namespace hb
