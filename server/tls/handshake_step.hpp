#pragma once
// One step of a server handshake: SSL_do_handshake until it is done, fails,
// or wants bytes the BIO pair does not hold yet. It runs on whichever
// thread it is given to (a worker, or the loop) and touches only the SSL and
// its BIO pair; what it reports is a value, copied back.
struct ssl_st;

namespace coroserve::tls {

struct StepResult {
  enum class Status { done, want_input, want_output, failed };
  Status status = Status::failed;
  // OpenSSL's error when failed, read on the thread that ran the step
  // (OpenSSL's error queue is per thread).
  unsigned long error = 0;
};

StepResult handshake_step(ssl_st* ssl);

}  // namespace coroserve::tls
