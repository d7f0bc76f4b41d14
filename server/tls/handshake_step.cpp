#include "server/tls/handshake_step.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace coroserve::tls {

StepResult handshake_step(ssl_st* ssl) {
  ERR_clear_error();
  const int r = SSL_do_handshake(ssl);
  StepResult out;
  if (r == 1) {
    out.status = StepResult::Status::done;
    return out;
  }
  switch (SSL_get_error(ssl, r)) {
    case SSL_ERROR_WANT_READ:
      out.status = StepResult::Status::want_input;
      break;
    case SSL_ERROR_WANT_WRITE:
      out.status = StepResult::Status::want_output;
      break;
    default:
      out.status = StepResult::Status::failed;
      out.error = ERR_peek_error();
      break;
  }
  ERR_clear_error();
  return out;
}

StepResult queued_handshake_step(ssl_st* ssl, const std::atomic<bool>& client_left) {
  if (client_left.load(std::memory_order_relaxed)) return {StepResult::Status::client_gone};
  return handshake_step(ssl);
}

bool sent_finished(const ssl_st* ssl) {
  unsigned char unused[1];
  return SSL_get_finished(ssl, unused, 0) > 0;
}

}  // namespace coroserve::tls
