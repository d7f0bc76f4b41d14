#pragma once
// One step of a server handshake: SSL_do_handshake until it is done, fails,
// or wants bytes the BIO pair does not hold yet. It runs on whichever
// thread it is given to (a worker, or the loop) and touches only the SSL and
// its BIO pair; what it reports is a value, copied back.
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

// The same, for a step that waited in the pool's queue: first one look at
// the raw socket `fd`, and client_gone without any public-key work when the
// client has closed it. A client sends nothing between its flight and the
// server's, so what is there is EOF or a reset; an HTTP client that dialled
// a connection it then did not need (Go's, for one) closes it at once, and
// a burst of those must not hold the workers. The look only peeks: the
// loop still moves every byte.
StepResult queued_handshake_step(ssl_st* ssl, int fd);

// True once the server has sent its Finished. What a server handshake has
// left after that is symmetric: the client's Finished to check and, in TLS
// 1.3, session tickets to seal. All public-key work (the key exchange, the
// signature) comes before the server's Finished: in TLS 1.3 and in a
// resumption that Finished ends the server's first flight; in a TLS 1.2 full
// handshake it comes last, after the client's key exchange.
bool sent_finished(const ssl_st* ssl);

}  // namespace coroserve::tls
