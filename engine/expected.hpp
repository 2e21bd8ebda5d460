// Errors as values (leveldb's Status, ccache's expected). A function that can fail returns
// Expected<T>: either a T or an Error saying what went wrong, with the file and line when the
// error is about input. Third-party exceptions are caught where the library is called and turned
// into an Error there; nothing above that layer throws for bad input.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace hb {

enum class ErrorKind {
  not_found,    // the path or key does not exist
  not_regular,  // a regular file was expected (FIFO, device, directory, socket ...)
  too_large,    // a read cap was hit
  io,           // the OS refused (permission, loop, I/O error)
  parse,        // the input is malformed
  invalid,      // a caller asked for something meaningless (bad argument, bad profile)
  timeout,      // a deadline passed
};

struct Error {
  ErrorKind kind = ErrorKind::invalid;
  std::string message;
};

inline Error make_error(ErrorKind kind, std::string message) { return Error{kind, std::move(message)}; }

template <class T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Expected(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(v_); }
  ErrorKind kind() const { return error().kind; }
  const std::string& message() const { return error().message; }

 private:
  std::variant<T, Error> v_;
};

// For functions that return nothing but may fail.
struct Unit {};
inline Expected<Unit> ok_unit() { return Unit{}; }

}  // namespace hb
