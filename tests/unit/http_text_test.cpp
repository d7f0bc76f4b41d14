#include "common/http_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace coroserve {
namespace {

TEST(HttpText, TokenCharactersAreRfc9110s) {
  for (const char c : std::string("azAZ09!#$%&'*+-.^_`|~")) EXPECT_TRUE(is_token_char(c)) << c;
  for (const char c : std::string(" \t\r\n\"(),/:;<=>?@[\\]{}\x7f\x80\xff"))
    EXPECT_FALSE(is_token_char(c)) << static_cast<int>(static_cast<unsigned char>(c));
  EXPECT_FALSE(is_token_char('\0'));
}

TEST(HttpText, ClientBytesKeepPrintableAsciiAndQuoteTheRest) {
  EXPECT_EQ(quote_client_bytes("/a?b=1&c=~"), "/a?b=1&c=~");
  EXPECT_EQ(quote_client_bytes(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(quote_client_bytes("q\"s'b\\"), "q\\x22s\\x27b\\x5C");
  EXPECT_EQ(quote_client_bytes("\r\n\x7f\xc3\xa9"), "\\x0D\\x0A\\x7F\\xC3\\xA9");
}

TEST(HttpText, LongClientBytesAreCutAndSaySo) {
  const std::string long_text(100, 'x');
  EXPECT_EQ(quote_client_bytes(long_text), std::string(64, 'x') + "...");
  EXPECT_EQ(quote_client_bytes(long_text, 3), "xxx...");
  EXPECT_EQ(quote_client_bytes("xxx", 3), "xxx");
}

TEST(HttpText, WholeQuotingCopiesOnlyWhenAByteNeedsIt) {
  std::string storage;
  const std::string_view plain = "/plaintext";
  const auto same = quote_client_bytes(plain, storage);
  EXPECT_EQ(same.data(), plain.data());
  EXPECT_TRUE(storage.empty());
  const std::string long_text = std::string(100, 'y') + "\"";
  EXPECT_EQ(quote_client_bytes(long_text, storage), std::string(100, 'y') + "\\x22");
}

}  // namespace
}  // namespace coroserve
