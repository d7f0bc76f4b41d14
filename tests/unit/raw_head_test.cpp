// The checks made on a request head's raw bytes, before Beast parses them.
#include "server/raw_head.hpp"

#include <gtest/gtest.h>

#include <string>

namespace coroserve {
namespace {

TEST(RawHead, ScansForTheEndOfTheHeader) {
  EXPECT_EQ(scan_header("GET / HTTP/1.1\r\nHost: a\r\n\r\n", 0, 8192), HeaderScan::complete);
  EXPECT_EQ(scan_header("GET / HTTP/1.1\r\nHost: a\r\n", 0, 8192), HeaderScan::incomplete);
  // The end found across the boundary of what was scanned before.
  const std::string split = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  EXPECT_EQ(scan_header(split, split.size() - 2, 8192), HeaderScan::complete);
}

TEST(RawHead, LeavesBareLineFeedsAndOversizedHeadsToTheParser) {
  EXPECT_EQ(scan_header("GET / HTTP/1.1\nHost: a\n", 0, 8192), HeaderScan::for_the_parser);
  EXPECT_EQ(scan_header("GET / HTTP/1.1\r\nX: " + std::string(100, 'a'), 0, 64),
            HeaderScan::for_the_parser);
}

TEST(RawHead, CountsTheEmptyLinesBeforeARequestLine) {
  EXPECT_EQ(leading_empty_lines("GET / HTTP/1.1\r\n"), 0u);
  EXPECT_EQ(leading_empty_lines("\r\nGET / HTTP/1.1\r\n"), 2u);
  EXPECT_EQ(leading_empty_lines("\r\n\r\n\r\nGET"), 6u);
  EXPECT_EQ(leading_empty_lines("\r\n"), 2u);
  // Half a CRLF waits for its other half; a bare LF or CR is not an empty line.
  EXPECT_EQ(leading_empty_lines("\r\n\r"), 2u);
  EXPECT_EQ(leading_empty_lines("\nGET"), 0u);
  EXPECT_EQ(leading_empty_lines("\rGET"), 0u);
  EXPECT_EQ(leading_empty_lines(""), 0u);
}

TEST(RawHead, FindsObsFoldInsideTheHeaderOnly) {
  EXPECT_TRUE(has_obs_fold("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n"));
  EXPECT_TRUE(has_obs_fold("GET / HTTP/1.1\r\nX: a\r\n\tb\r\n\r\n"));
  EXPECT_FALSE(has_obs_fold("GET / HTTP/1.1\r\nX: a b\r\n\r\n"));
  EXPECT_FALSE(has_obs_fold("GET / HTTP/1.1\r\nX: a\r\n"));  // incomplete: nothing to say yet
  EXPECT_FALSE(has_obs_fold("POST / HTTP/1.1\r\nX: a\r\n\r\n body"));  // the body is not the header
}

TEST(RawHead, TellsALongRequestLineFromLongFields) {
  EXPECT_TRUE(request_line_too_long("GET /" + std::string(5000, 'a'), 4096));
  EXPECT_FALSE(request_line_too_long("GET / HTTP/1.1\r\nX: " + std::string(9000, 'a'), 4096));
}

TEST(RawHead, TellsAnotherHttpVersionFromGarbage) {
  EXPECT_TRUE(names_other_http_version("GET / HTTP/2.0\r\nHost: a\r\n\r\n"));
  EXPECT_TRUE(names_other_http_version("GET / HTTP/0.9\r\n"));
  EXPECT_FALSE(names_other_http_version("GET / HTTX/1.1\r\n"));
  EXPECT_FALSE(names_other_http_version("GET /  HTTP/2.0\r\n"));  // two spaces: garbage
  EXPECT_FALSE(names_other_http_version("GET / HTTP/2\r\n"));
  EXPECT_FALSE(names_other_http_version(""));
}

}  // namespace
}  // namespace coroserve
