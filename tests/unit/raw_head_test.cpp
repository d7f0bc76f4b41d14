// The checks made on a request head's raw bytes, before Beast parses them.
#include "server/raw_head.hpp"

#include <gtest/gtest.h>

#include <string>

namespace coroserve {
namespace {

HeaderScan state_of(std::string_view received, std::size_t scanned = 0,
                    std::size_t max_header_bytes = 8192) {
  return scan_header(received, scanned, max_header_bytes).state;
}

TEST(RawHead, ScansForTheEndOfTheHeader) {
  EXPECT_EQ(state_of("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), HeaderScan::complete);
  EXPECT_EQ(state_of("GET / HTTP/1.1\r\nHost: a\r\n"), HeaderScan::incomplete);
  EXPECT_EQ(state_of("GET / HTTP/1.1\r\nHost: a\r\n\r"), HeaderScan::incomplete);
  // The end found across the boundary of what was scanned before, wherever
  // that boundary falls in the last four bytes.
  const std::string split = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  for (std::size_t back = 1; back <= 4; ++back) {
    EXPECT_EQ(state_of(split, split.size() - back), HeaderScan::complete) << back;
  }
}

TEST(RawHead, LeavesBareLineFeedsAndOversizedHeadsToTheParser) {
  EXPECT_EQ(state_of("GET / HTTP/1.1\nHost: a\n"), HeaderScan::for_the_parser);
  EXPECT_EQ(state_of("GET / HTTP/1.1\r\nX: " + std::string(100, 'a'), 0, 64),
            HeaderScan::for_the_parser);
  // A whole header with a bare LF in it goes to the parser all the same.
  EXPECT_EQ(state_of("GET / HTTP/1.1\nHost: a\r\n\r\n"), HeaderScan::complete);
}

bool bare_lf(std::string_view received) {
  return scan_header(received, 0, received.size()).bare_lf;
}

TEST(RawHead, FindsABareLineFeedInTheHeadOnly) {
  EXPECT_TRUE(bare_lf("GET / HTTP/1.1\nHost: a\r\n\r\n"));
  EXPECT_TRUE(bare_lf("GET / HTTP/1.1\r\nHost: a\n"));
  EXPECT_TRUE(bare_lf("\n"));
  EXPECT_FALSE(bare_lf("GET / HTTP/1.1\r\nHost: a\r\n\r\nbody\n"));
  EXPECT_FALSE(bare_lf("GET / HTTP/1.1\r\nHost: a\r"));
}

// A chunked body's lines, looked at from `from` on (what came before was
// looked at already): an LF whose CR came in an earlier read still counts.
TEST(RawHead, FindsABareLineFeedFromAnOffset) {
  EXPECT_TRUE(has_bare_lf("5\nhello", 0));
  EXPECT_TRUE(has_bare_lf("\n", 0));
  EXPECT_FALSE(has_bare_lf("5\r\nhello\r\n", 0));
  EXPECT_FALSE(has_bare_lf("\r\n5\r", 0));
  EXPECT_FALSE(has_bare_lf("5\r\n", 2));  // its CR is before `from`
  EXPECT_TRUE(has_bare_lf("5\n0\r\n", 1));
  EXPECT_FALSE(has_bare_lf("5\n0\r\n", 2));  // the bare one was looked at before
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

bool folded(std::string_view received, std::size_t scanned = 0) {
  return scan_header(received, scanned, 8192).obs_fold;
}

TEST(RawHead, FindsObsFoldInsideTheHeaderOnly) {
  EXPECT_TRUE(folded("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n"));
  EXPECT_TRUE(folded("GET / HTTP/1.1\r\nX: a\r\n\tb\r\n\r\n"));
  EXPECT_FALSE(folded("GET / HTTP/1.1\r\nX: a b\r\n\r\n"));
  EXPECT_FALSE(folded("GET / HTTP/1.1\r\nX: a\r\n"));            // the next line has not come yet
  EXPECT_FALSE(folded("POST / HTTP/1.1\r\nX: a\r\n\r\n body"));  // the body is not the header
  // A fold whose space arrives after the scan that saw its CRLF.
  const std::string fold = "GET / HTTP/1.1\r\nX: a\r\n b";
  EXPECT_TRUE(folded(fold, fold.size() - 1));
  EXPECT_FALSE(folded(fold, fold.size()));  // only what is new is looked at
}

TEST(RawHead, TellsALongRequestLineFromLongFields) {
  EXPECT_TRUE(request_line_too_long("GET /" + std::string(5000, 'a'), 4096));
  EXPECT_FALSE(request_line_too_long("GET / HTTP/1.1\r\nX: " + std::string(9000, 'a'), 4096));
}

std::string served_as(std::string head) {
  serve_higher_minor_as_11(head.data(), head.size());
  return head;
}

TEST(RawHead, ServesAHigherMinorVersionAsHttp11) {
  EXPECT_EQ(served_as("GET / HTTP/1.2\r\nHost: a\r\n\r\n"), "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(served_as("GET / HTTP/1.9\r\n"), "GET / HTTP/1.1\r\n");
  for (const std::string same : {"GET / HTTP/1.0\r\n", "GET / HTTP/2.0\r\n", "GET / HTTP/1.2",
                                 "GET / HTTP/1.10\r\n", "GET /HTTP/1.2\r\n", "HTTP/1.2\r\n"}) {
    EXPECT_EQ(served_as(same), same);
  }
}

TEST(RawHead, TellsAnotherHttpVersionFromGarbage) {
  EXPECT_TRUE(names_other_http_version("GET / HTTP/2.0\r\nHost: a\r\n\r\n"));
  EXPECT_TRUE(names_other_http_version("GET / HTTP/0.9\r\n"));
  EXPECT_FALSE(names_other_http_version("GET / HTTX/1.1\r\n"));
  EXPECT_FALSE(names_other_http_version("GET /  HTTP/2.0\r\n"));  // two spaces: garbage
  EXPECT_FALSE(names_other_http_version("GET / HTTP/2\r\n"));
  EXPECT_FALSE(names_other_http_version(""));
  // A bare CR after a version the server speaks breaks the line: a 400.
  EXPECT_FALSE(names_other_http_version("GET / HTTP/1.1\rGET /admin HTTP/1.1\r\n"));
  EXPECT_FALSE(names_other_http_version("GET / HTTP/1.1\rHost: x\r\n\r\n"));
  EXPECT_FALSE(names_other_http_version("GET / HTTP/1.0\r\r\n"));
  EXPECT_FALSE(names_other_http_version("GET / HTTP/2.0\r"));
}

TEST(RawHead, TellsAtOnceWhatCannotBeginARequest) {
  const HeadScan tls = scan_header("\x16\x03\x01\x02\x00\x01", 0, 8192);  // a ClientHello
  EXPECT_TRUE(tls.not_http);
  EXPECT_EQ(tls.state, HeaderScan::for_the_parser);
  EXPECT_TRUE(scan_header(" GET / HTTP/1.1", 0, 8192).not_http);
  EXPECT_FALSE(scan_header("GE", 0, 8192).not_http);
  EXPECT_EQ(scan_header("GE", 0, 8192).state, HeaderScan::incomplete);
  EXPECT_FALSE(scan_header("M-SEARCH * HTTP/1.1\r\n", 0, 8192).not_http);
}

TEST(RawHead, CountsTheFieldBytesFromTheEndOfTheRequestLine) {
  const HeadScan s = scan_header("GET /aaaa HTTP/1.1\r\nHost: x\r\nA: b\r\n\r\n", 0, 8192);
  ASSERT_EQ(s.state, HeaderScan::complete);
  EXPECT_EQ(field_bytes("GET /aaaa HTTP/1.1\r\nHost: x\r\nA: b\r\n\r\n", s.head_bytes),
            std::string_view("Host: x\r\nA: b\r\n\r\n").size());
}

}  // namespace
}  // namespace coroserve
