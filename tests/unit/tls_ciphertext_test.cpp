// The ciphertext buffers of the TLS record layer, through the BIO OpenSSL
// uses and the Asio buffers the loop uses, without a socket or an SSL.
#include "common/tls/ciphertext.hpp"

#include <gtest/gtest.h>
#include <openssl/bio.h>

#include <cstring>
#include <memory>
#include <string>

namespace coroserve::tls {
namespace {

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

// Puts `bytes` where the socket would, as far as there is room.
std::size_t receive(Ciphertext& c, std::string_view bytes) {
  const auto space = c.input_space();
  const std::size_t n = std::min(space.size(), bytes.size());
  std::memcpy(space.data(), bytes.data(), n);
  c.commit_input(n);
  return n;
}

// What OpenSSL reads through the BIO, `n` bytes at most ("" when it is
// told to try again).
std::string taken(BIO* bio, int n) {
  std::string s(static_cast<std::size_t>(n), '\0');
  const int got = BIO_read(bio, s.data(), n);
  s.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
  return s;
}

std::string sent(Ciphertext& c) {
  const auto out = c.output();
  std::string s(static_cast<const char*>(out.data()), out.size());
  c.consume_output(out.size());
  return s;
}

TEST(TlsCiphertext, OpenSslReadsWhatCameAndIsToldToWaitForMore) {
  Ciphertext c(16, 16);
  BioPtr bio(c.make_bio(), &BIO_free);
  EXPECT_EQ(taken(bio.get(), 8), "");
  EXPECT_TRUE(BIO_should_read(bio.get())) << "an empty buffer must ask for a retry";
  EXPECT_EQ(receive(c, "hello world"), 11u);
  EXPECT_EQ(BIO_ctrl_pending(bio.get()), 11u);
  EXPECT_EQ(taken(bio.get(), 5), "hello");
  EXPECT_EQ(c.input_held(), 6u);
  EXPECT_EQ(taken(bio.get(), 8), " world");
  EXPECT_FALSE(BIO_should_retry(bio.get()));
}

TEST(TlsCiphertext, OpenSslWritesUntilFullThenIsToldToWait) {
  Ciphertext c(16, 10);
  BioPtr bio(c.make_bio(), &BIO_free);
  EXPECT_EQ(c.output().size(), 0u);
  EXPECT_EQ(BIO_write(bio.get(), "0123456789abc", 13), 10) << "a write takes what fits";
  EXPECT_EQ(BIO_ctrl_wpending(bio.get()), 10u);
  EXPECT_LE(BIO_write(bio.get(), "abc", 3), 0);
  EXPECT_TRUE(BIO_should_write(bio.get())) << "a full buffer must ask for a retry";
  EXPECT_EQ(BIO_flush(bio.get()), 1);
  EXPECT_EQ(sent(c), "0123456789");
  ASSERT_EQ(BIO_write(bio.get(), "abc", 3), 3);
  EXPECT_EQ(sent(c), "abc");
}

TEST(TlsCiphertext, HeldBytesMoveToTheFrontWhenTheEndIsReached) {
  Ciphertext c(8, 8);
  BioPtr bio(c.make_bio(), &BIO_free);
  ASSERT_EQ(receive(c, "abcdefgh"), 8u);
  EXPECT_EQ(taken(bio.get(), 6), "abcdef");
  // Two bytes held at the end: the room is made at the front, in order.
  EXPECT_EQ(c.input_space().size(), 6u);
  ASSERT_EQ(receive(c, "ijklmn"), 6u);
  EXPECT_EQ(taken(bio.get(), 8), "ghijklmn");
  // Output the same way: a partly sent buffer takes more once its end is used.
  ASSERT_EQ(BIO_write(bio.get(), "01234567", 8), 8);
  c.consume_output(5);
  ASSERT_EQ(BIO_write(bio.get(), "89abc", 5), 5);
  EXPECT_EQ(sent(c), "56789abc");
}

TEST(TlsCiphertext, ReleaseFreesOnlyEmptyBuffersAndTheyComeBack) {
  Ciphertext c(8, 8);
  BioPtr bio(c.make_bio(), &BIO_free);
  ASSERT_EQ(receive(c, "ab"), 2u);
  c.release();  // held bytes: nothing is freed
  EXPECT_EQ(taken(bio.get(), 2), "ab");
  c.release();
  EXPECT_EQ(c.input_held(), 0u);
  EXPECT_EQ(c.output().size(), 0u);
  ASSERT_EQ(receive(c, "cd"), 2u);
  ASSERT_EQ(BIO_write(bio.get(), "ef", 2), 2);
  EXPECT_EQ(taken(bio.get(), 2), "cd");
  EXPECT_EQ(sent(c), "ef");
}

}  // namespace
}  // namespace coroserve::tls
