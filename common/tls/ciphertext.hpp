#pragma once
// The ciphertext between one connection's socket and OpenSSL: what came from
// the peer and OpenSSL has not read yet, and the records OpenSSL wrote that
// have not gone out yet. OpenSSL reaches the two buffers through a BIO of
// this file's own type, whose calls only copy bytes in and out; the event
// loop reaches them as Asio buffers, so that the socket reads into one and
// writes from the other without a copy.
//
// Each buffer is allocated when first needed and can be freed while empty
// (release), so that an idle connection holds none.
#include <boost/asio/buffer.hpp>

#include <cstddef>
#include <memory>

struct bio_st;
struct bio_method_st;

namespace coroserve::tls {

class Ciphertext {
 public:
  Ciphertext(std::size_t input_bytes, std::size_t output_bytes)
      : input_(input_bytes), output_(output_bytes) {}
  Ciphertext(const Ciphertext&) = delete;
  Ciphertext& operator=(const Ciphertext&) = delete;

  // A BIO that reads `input` and writes `output`, for SSL_set_bio (which
  // takes it). It points at this object, which must outlive it.
  bio_st* make_bio();

  // From the peer: room after what is held (empty when full), and how many
  // bytes the socket put there.
  boost::asio::mutable_buffer input_space();
  void commit_input(std::size_t n) { input_.end += n; }
  std::size_t input_held() const { return input_.held(); }

  // Towards the peer: the records held, and how many bytes of them went out.
  boost::asio::const_buffer output() const;
  void consume_output(std::size_t n) { output_.begin += n; }
  std::size_t output_held() const { return output_.held(); }

  // Frees both buffers when both are empty.
  void release();

 private:
  // Bytes [begin, end) of `data` are held; the rest is free. Emptied, it
  // starts again at 0; held bytes move to the front only when room is
  // short, which a bounded buffer keeps cheap.
  struct Buffer {
    explicit Buffer(std::size_t capacity) : capacity(capacity) {}
    std::size_t held() const { return end - begin; }
    // Room after the held bytes, made as large as it can be.
    char* room(std::size_t& size);

    std::unique_ptr<char[]> data;
    std::size_t capacity;
    std::size_t begin = 0, end = 0;
  };

  // The BIO's type, made once, and its calls (OpenSSL's read_ex, write_ex
  // and ctrl).
  static const bio_method_st* method();
  static int read(bio_st* bio, char* out, std::size_t size, std::size_t* n);
  static int write(bio_st* bio, const char* in, std::size_t size, std::size_t* n);
  static long control(bio_st* bio, int cmd, long num, void* ptr);

  Buffer input_;
  Buffer output_;
};

}  // namespace coroserve::tls
