// Request IDs: which incoming ones are kept, and the ones the server makes.
#include "server/request_id.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace coroserve {
namespace {

TEST(RequestId, KeepsOnlySaneIncomingIds) {
  EXPECT_TRUE(is_valid_request_id("trace-42.abc"));
  EXPECT_TRUE(is_valid_request_id("a:b/c+d=e_f"));
  EXPECT_TRUE(is_valid_request_id(std::string(128, 'x')));
  EXPECT_FALSE(is_valid_request_id(""));
  EXPECT_FALSE(is_valid_request_id(std::string(129, 'x')));
  EXPECT_FALSE(is_valid_request_id("bad id"));
  EXPECT_FALSE(is_valid_request_id("quote\"d"));
  EXPECT_FALSE(is_valid_request_id(std::string("nul\0byte", 8)));
}

TEST(RequestId, MadeIdsAreSixteenHexDigitsAndUnique) {
  std::set<std::string> seen;
  std::string id;
  for (int i = 0; i < 1000; ++i) {
    make_request_id(id);
    ASSERT_EQ(id.size(), 16u) << id;
    ASSERT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    ASSERT_TRUE(is_valid_request_id(id)) << id;
    ASSERT_TRUE(seen.insert(id).second) << "made twice: " << id;
  }
}

// The ID is written into the string the connection keeps, so that making
// one costs no allocation once the string has room for it.
TEST(RequestId, IsWrittenIntoTheStorageGiven) {
  std::string id;
  id.reserve(64);
  const char* storage = id.data();
  make_request_id(id);
  EXPECT_EQ(id.data(), storage);
  EXPECT_EQ(id.size(), 16u);
  const std::string first = id;
  make_request_id(id);
  EXPECT_EQ(id.data(), storage);
  EXPECT_NE(id, first);
}

}  // namespace
}  // namespace coroserve
