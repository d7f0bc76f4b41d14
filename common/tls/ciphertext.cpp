#include "common/tls/ciphertext.hpp"

#include <openssl/bio.h>

#include <algorithm>
#include <cstring>
#include <new>

namespace coroserve::tls {

const BIO_METHOD* Ciphertext::method() {
  static BIO_METHOD* const made = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "ciphertext");
    if (m == nullptr || BIO_meth_set_read_ex(m, &Ciphertext::read) != 1 ||
        BIO_meth_set_write_ex(m, &Ciphertext::write) != 1 ||
        BIO_meth_set_ctrl(m, &Ciphertext::control) != 1) {
      throw std::bad_alloc();
    }
    return m;
  }();
  return made;
}

bio_st* Ciphertext::make_bio() {
  BIO* bio = BIO_new(method());
  if (bio == nullptr) throw std::bad_alloc();
  BIO_set_data(bio, this);
  BIO_set_init(bio, 1);
  return bio;
}

char* Ciphertext::Buffer::room(std::size_t& size) {
  if (!data) data.reset(new char[capacity]);
  if (begin == end) {
    begin = end = 0;
  } else if (begin != 0 && end == capacity) {
    std::memmove(data.get(), data.get() + begin, held());
    end = held();
    begin = 0;
  }
  size = capacity - end;
  return data.get() + end;
}

boost::asio::mutable_buffer Ciphertext::input_space() {
  std::size_t size = 0;
  char* at = input_.room(size);
  return {at, size};
}

boost::asio::const_buffer Ciphertext::output() const {
  if (output_.held() == 0) return {};
  return {output_.data.get() + output_.begin, output_.held()};
}

void Ciphertext::release() {
  if (input_.held() != 0 || output_.held() != 0) return;
  input_.data.reset();
  output_.data.reset();
}

// OpenSSL wants ciphertext: what is held, or "try again" (WANT_READ).
int Ciphertext::read(bio_st* bio, char* out, std::size_t size, std::size_t* n) {
  auto& in = static_cast<Ciphertext*>(BIO_get_data(bio))->input_;
  BIO_clear_retry_flags(bio);
  *n = std::min(size, in.held());
  if (*n == 0) {
    BIO_set_retry_read(bio);
    return 0;
  }
  std::memcpy(out, in.data.get() + in.begin, *n);
  in.begin += *n;
  return 1;
}

// OpenSSL has records to send: as much as there is room for, or "try
// again" (WANT_WRITE) once the buffer is full.
int Ciphertext::write(bio_st* bio, const char* in, std::size_t size, std::size_t* n) {
  auto& out = static_cast<Ciphertext*>(BIO_get_data(bio))->output_;
  BIO_clear_retry_flags(bio);
  std::size_t room = 0;
  char* at = out.room(room);
  *n = std::min(size, room);
  if (*n == 0) {
    BIO_set_retry_write(bio);
    return 0;
  }
  std::memcpy(at, in, *n);
  out.end += *n;
  return 1;
}

// Of BIO's controls OpenSSL asks this one for flushes (nothing to do: the
// loop sends what is held) and for how much each buffer holds; every other
// one (kTLS, peeking at the socket) is answered "not here".
long Ciphertext::control(bio_st* bio, int cmd, long, void*) {
  const auto* self = static_cast<const Ciphertext*>(BIO_get_data(bio));
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_PENDING:
      return static_cast<long>(self->input_.held());
    case BIO_CTRL_WPENDING:
      return static_cast<long>(self->output_.held());
    default:
      return 0;
  }
}

}  // namespace coroserve::tls
