#pragma once
// One connection's TLS record layer, for the server and for corobench: the
// SSL object and the buffers that hold the ciphertext between it and the
// socket (ciphertext.hpp). The event loop moves ciphertext between the
// socket and those buffers without copying (the socket reads into one and
// writes from the other); OpenSSL reads and writes them through its BIO,
// and plaintext goes in and out through read() and write().
//
// One thread at a time: the loop's, except while the server runs a
// handshake step on a worker; then the SSL and the buffers are that
// worker's alone until the step returns.
//
// The buffers are bounded: kInputBytes of ciphertext from the peer, and one
// full record towards it. An idle connection gives them back, and OpenSSL's
// record buffers with them (release_idle).
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>

#include "common/tls/ciphertext.hpp"

struct ssl_ctx_st;
struct ssl_st;

namespace coroserve::tls {

// How a call into OpenSSL ended.
enum class Io { done, want_input, want_output, closed, failed };

class TlsStream {
 public:
  static constexpr std::size_t kInputBytes = 8 * 1024;
  static constexpr std::size_t kOutputBytes = 17 * 1024;  // a 16 KiB record and its overhead

  // Which end of the handshake this side plays.
  enum class Role { server, client };

  // A new SSL from `ctx` (which it keeps a reference to): a server waits
  // for a ClientHello, a client sends one when the handshake starts.
  TlsStream(ssl_ctx_st* ctx, Role role);
  ~TlsStream();
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  ssl_st* ssl() const { return ssl_; }

  // Ciphertext from the peer: room for it (empty when full), and how many
  // bytes were put there.
  boost::asio::mutable_buffer input_space() { return ciphertext_.input_space(); }
  void commit_input(std::size_t n) { ciphertext_.commit_input(n); }
  // Ciphertext for the peer, and how many bytes of it went out.
  boost::asio::const_buffer output() const { return ciphertext_.output(); }
  void consume_output(std::size_t n) { ciphertext_.consume_output(n); }
  bool has_output() const;

  // Plaintext. read() and write() need a non-empty buffer; write() takes a
  // record's worth (16 KiB) at most, and after want_output the same bytes
  // must be offered again.
  Io read(boost::asio::mutable_buffer out, std::size_t& n);
  Io write(boost::asio::const_buffer in, std::size_t& n);
  // Processes the ciphertext held without taking any plaintext: done when
  // plaintext is there, closed on close_notify, want_input otherwise.
  Io peek();
  // One handshake step: done, or what it waits for (the records it made
  // are in output()).
  Io handshake();
  // Whether OpenSSL holds ciphertext or plaintext not read yet. When not, a
  // read needs the socket first, and trying SSL_read before would only fail.
  bool has_buffered_input() const;

  // Non-blocking moves between the socket (in non-blocking mode) and the
  // ciphertext buffers. pull() reads what the socket holds now; push() sends
  // the records held and returns true when none is left. `ec` is the
  // socket's error (would_block when it has nothing or takes nothing more).
  std::size_t pull(boost::asio::ip::tcp::socket& socket, boost::system::error_code& ec);
  bool push(boost::asio::ip::tcp::socket& socket, boost::system::error_code& ec);

  // Encrypts one record of `b` into the output buffer; when that is full,
  // sends it first. Returns the plaintext bytes taken: 0 with `ec`
  // would_block when the socket takes no more, or with the failure.
  std::size_t encrypt_now(boost::asio::ip::tcp::socket& socket, boost::asio::const_buffer b,
                          boost::system::error_code& ec);

  // Queues close_notify, once, on a connection whose handshake finished
  // and that has not failed.
  void close_notify();

  // Frees the ciphertext buffers and OpenSSL's record buffers when nothing
  // is in them; they are made again when needed.
  void release_idle();
  // Under SSL_MODE_RELEASE_BUFFERS OpenSSL frees its record buffers (about
  // 17 KiB each way) after every record and allocates them again for the
  // next: a busy connection can keep them instead, until release_idle().
  void keep_record_buffers(bool keep);

  // Why the last call that returned Io::failed failed.
  boost::system::error_code error() const { return error_; }

 private:
  // The BIO OpenSSL reaches the ciphertext through: made when a call into
  // OpenSSL needs it, freed while the connection is idle.
  void attach_bio();
  Io classify(int ret);

  ssl_st* ssl_ = nullptr;
  Ciphertext ciphertext_;
  boost::system::error_code error_;
};

// TLS failures as error codes; the value is OpenSSL's reason code.
const boost::system::error_category& tls_category();

}  // namespace coroserve::tls
