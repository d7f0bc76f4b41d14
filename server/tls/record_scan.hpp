#pragma once
// Where the TLS records end in the ciphertext a client sends during its
// handshake, so that a handshake step runs only once a whole record is
// here (a ClientHello sent a byte at a time costs no step per byte); and
// what the very first byte says: a TLS handshake record, a plain HTTP
// request sent to the HTTPS port, or neither.
#include <cstddef>

namespace coroserve::tls {

class RecordScan {
 public:
  enum class Start { tls, plain_http, garbage };
  // 0x16 opens a handshake record; an HTTP method starts with a letter.
  static Start classify(unsigned char first) {
    if (first == 0x16) return Start::tls;
    if (first >= 'A' && first <= 'Z') return Start::plain_http;
    return Start::garbage;
  }

  // Follows `n` more bytes of the stream; returns how many records ended in them.
  std::size_t feed(const unsigned char* bytes, std::size_t n);

 private:
  static constexpr std::size_t kHeaderBytes = 5;  // type, version (2), length (2)
  unsigned char header_[kHeaderBytes] = {};
  std::size_t header_seen_ = 0;
  std::size_t body_left_ = 0;
};

}  // namespace coroserve::tls
