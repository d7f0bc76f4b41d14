#pragma once
// The TLS stream's asynchronous operations, as Asio composed operations so
// that any completion token works (coroutines, Beast's parser operations):
// read some plaintext, write some plaintext, and a handshake. They
// wait on the socket only for ciphertext, into and out of its buffers, and
// never complete inside the call that starts them (a result ready at once
// is posted to the loop).
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include <cstddef>
#include <optional>
#include <utility>

#include "common/tls/tls_stream.hpp"

namespace coroserve::tls {

namespace detail {

// A record at a time is enough for read_some and write_some.
template <class Buffer, class Sequence>
Buffer first_nonempty(const Sequence& buffers) {
  for (auto it = boost::asio::buffer_sequence_begin(buffers);
       it != boost::asio::buffer_sequence_end(buffers); ++it) {
    Buffer b(*it);
    if (b.size() != 0) return b;
  }
  return Buffer();
}

// What both operations share: where they are, and a result kept for the
// post that delivers it when it was ready at once.
class OpBase {
 protected:
  enum class Stage { starting, waiting, finishing };

  OpBase(TlsStream& tls, boost::asio::ip::tcp::socket& socket) : tls_(tls), socket_(socket) {}

  template <class Self>
  void finish(Self& self, boost::system::error_code ec, std::size_t n = 0) {
    ec_ = ec;
    n_ = n;
    if (stage_ == Stage::waiting) return complete(self);
    stage_ = Stage::finishing;
    boost::asio::post(socket_.get_executor(), std::move(self));
  }

  // Waits until the socket takes some of the records held.
  template <class Self>
  void send_records(Self& self, boost::asio::const_buffer out) {
    stage_ = Stage::waiting;
    socket_.async_write_some(out, std::move(self));
  }

  // Waits for records from the socket, into the input buffer's room.
  template <class Self>
  void receive_records(Self& self) {
    const auto space = tls_.input_space();
    if (space.size() == 0) return finish(self, boost::asio::error::no_buffer_space);
    stage_ = Stage::waiting;
    socket_.async_read_some(space, std::move(self));
  }

  // Reads and writes report a byte count; the handshake only an error.
  template <class Self>
  void complete(Self& self) {
    if constexpr (requires { self.complete(ec_, n_); }) {
      self.complete(ec_, n_);
    } else {
      self.complete(ec_);
    }
  }

  TlsStream& tls_;
  boost::asio::ip::tcp::socket& socket_;
  Stage stage_ = Stage::starting;
  boost::system::error_code ec_;
  std::size_t n_ = 0;
};

template <class Buffers>
class ReadOp : OpBase {
 public:
  ReadOp(TlsStream& tls, boost::asio::ip::tcp::socket& socket, const Buffers& buffers)
      : OpBase(tls, socket), buffers_(buffers) {}

  template <class Self>
  void operator()(Self& self, boost::system::error_code ec = {}, std::size_t n = 0) {
    if (stage_ == Stage::finishing) return complete(self);
    if (stage_ == Stage::waiting) {
      if (ec) return self.complete(ec, 0);
      tls_.commit_input(n);
    }
    const auto out = first_nonempty<boost::asio::mutable_buffer>(buffers_);
    if (out.size() == 0) return finish(self, {}, 0);
    if (tls_.has_buffered_input()) {
      std::size_t got = 0;
      switch (tls_.read(out, got)) {
        case Io::done:
          return finish(self, {}, got);
        case Io::closed:  // close_notify: the peer is done sending
          return finish(self, boost::asio::error::eof, 0);
        case Io::failed:
          return finish(self, tls_.error(), 0);
        case Io::want_input:
        case Io::want_output:
          break;
      }
    }
    // What the read made OpenSSL say (an alert, a KeyUpdate answer) goes
    // out now if the socket takes it, else before the next write's records.
    boost::system::error_code ignored;
    tls_.push(socket_, ignored);
    receive_records(self);
  }

 private:
  Buffers buffers_;
};

template <class Buffers>
class WriteOp : OpBase {
 public:
  WriteOp(TlsStream& tls, boost::asio::ip::tcp::socket& socket, const Buffers& buffers)
      : OpBase(tls, socket), buffers_(buffers) {}

  template <class Self>
  void operator()(Self& self, boost::system::error_code ec = {}, std::size_t n = 0) {
    if (stage_ == Stage::finishing) return complete(self);
    if (stage_ == Stage::waiting) {
      if (ec) return self.complete(ec, taken_);
      tls_.consume_output(n);
    }
    for (;;) {
      if (const auto out = tls_.output(); out.size() != 0) {  // earlier records first, in order
        return send_records(self, out);
      }
      if (taken_ != 0) return finish(self, {}, taken_);
      const auto in = first_nonempty<boost::asio::const_buffer>(buffers_);
      if (in.size() == 0) return finish(self, {}, 0);  // a flush
      switch (tls_.write(in, taken_)) {
        case Io::done:
          break;
        case Io::want_output:  // the buffer is full: send it, then the same bytes again
          if (tls_.has_output()) break;
          [[fallthrough]];
        default:
          return finish(self, tls_.error() ? tls_.error() : boost::asio::error::broken_pipe, 0);
      }
    }
  }

 private:
  Buffers buffers_;
  std::size_t taken_ = 0;
};

// A handshake, to its end: sends what OpenSSL writes, waits for what it
// asks for, and sends the last flight (a client's Finished, or the alert of
// a failure) before it completes.
class HandshakeOp : OpBase {
 public:
  HandshakeOp(TlsStream& tls, boost::asio::ip::tcp::socket& socket) : OpBase(tls, socket) {}

  template <class Self>
  void operator()(Self& self, boost::system::error_code ec = {}, std::size_t n = 0) {
    if (stage_ == Stage::finishing) return complete(self);
    if (stage_ == Stage::waiting) {
      if (ec) return self.complete(end_ && *end_ ? *end_ : ec);
      if (reading_) {
        tls_.commit_input(n);
        wants_input_ = false;
      } else {
        tls_.consume_output(n);
      }
    }
    for (;;) {  // what OpenSSL wrote goes out before anything is waited for
      if (const auto out = tls_.output(); out.size() != 0) {
        reading_ = false;
        return send_records(self, out);
      }
      if (end_) return finish(self, *end_);
      if (wants_input_) {
        reading_ = true;
        return receive_records(self);
      }
      const Io io = tls_.handshake();
      if (io == Io::want_input) {
        wants_input_ = true;
      } else if (io == Io::done) {
        end_.emplace();
      } else if (io != Io::want_output || !tls_.has_output()) {
        end_ = failure();
      }
    }
  }

 private:
  boost::system::error_code failure() const {
    return tls_.error() ? tls_.error() : boost::asio::error::connection_aborted;
  }

  bool reading_ = false;                          // what the wait in progress is for
  bool wants_input_ = false;                      // OpenSSL asked for more records
  std::optional<boost::system::error_code> end_;  // set once the handshake is over
};

}  // namespace detail

// Reads some plaintext: what OpenSSL has decrypted, or waits for records.
template <class MutableBuffers, class Token>
auto async_read_some(TlsStream& tls, boost::asio::ip::tcp::socket& socket,
                     const MutableBuffers& buffers, Token&& token) {
  return boost::asio::async_compose<Token, void(boost::system::error_code, std::size_t)>(
      detail::ReadOp<MutableBuffers>(tls, socket, buffers), token, socket);
}

// Writes some plaintext (a record at most) and sends every record pending,
// before completing; with no plaintext it only sends what is pending.
template <class ConstBuffers, class Token>
auto async_write_some(TlsStream& tls, boost::asio::ip::tcp::socket& socket,
                      const ConstBuffers& buffers, Token&& token) {
  return boost::asio::async_compose<Token, void(boost::system::error_code, std::size_t)>(
      detail::WriteOp<ConstBuffers>(tls, socket, buffers), token, socket);
}

// Encrypts `buffers` and sends what the socket takes now, without waiting
// (the socket must be in non-blocking mode). Returns how many plaintext
// bytes were taken; `ec` is would_block when anything remains to be sent,
// plaintext or records, and an async_write of the rest sends it (even of
// an empty rest: its first write sends the records still waiting).
template <class ConstBuffers>
std::size_t write_now(TlsStream& tls, boost::asio::ip::tcp::socket& socket,
                      const ConstBuffers& buffers, boost::system::error_code& ec) {
  std::size_t taken = 0;
  for (auto it = boost::asio::buffer_sequence_begin(buffers);
       it != boost::asio::buffer_sequence_end(buffers); ++it) {
    boost::asio::const_buffer b(*it);
    while (b.size() != 0) {
      const std::size_t n = tls.encrypt_now(socket, b, ec);
      taken += n;
      b += n;
      if (ec) return taken;
    }
  }
  tls.push(socket, ec);
  return taken;
}

// Runs a handshake to its end, for either role. corobench's connections
// use it; the server runs its own steps instead, so that it can choose the
// thread each step runs on.
template <class Token>
auto async_handshake(TlsStream& tls, boost::asio::ip::tcp::socket& socket, Token&& token) {
  return boost::asio::async_compose<Token, void(boost::system::error_code)>(
      detail::HandshakeOp(tls, socket), token, socket);
}

}  // namespace coroserve::tls
