#pragma once
// One step of a server handshake: SSL_do_handshake until it is done, fails,
// or wants bytes its ciphertext buffer does not hold yet. It runs on
// whichever thread it is given to (a worker, or the loop) and touches only
// the SSL and its ciphertext buffers; what it reports is a value, copied
// back.
#include <atomic>

struct ssl_st;

namespace coroserve::tls {

struct StepResult {
  enum class Status { done, want_input, want_output, failed, client_gone };
  Status status = Status::failed;
  // OpenSSL's error when failed, read on the thread that ran the step
  // (OpenSSL's error queue is per thread).
  unsigned long error = 0;
};

StepResult handshake_step(ssl_st* ssl);

// The same, for a step that waited for a worker: client_gone, without any
// public-key work, when `client_left` was raised meanwhile (leave_watch.hpp).
StepResult queued_handshake_step(ssl_st* ssl, const std::atomic<bool>& client_left);

// True once the server has sent its Finished. What a server handshake has
// left after that is symmetric: the client's Finished to check and, in TLS
// 1.3, session tickets to seal. All public-key work (the key exchange, the
// signature) comes before the server's Finished: in TLS 1.3 and in a
// resumption that Finished ends the server's first flight; in a TLS 1.2 full
// handshake it comes last, after the client's key exchange.
bool sent_finished(const ssl_st* ssl);

}  // namespace coroserve::tls
