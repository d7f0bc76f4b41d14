// What a client is told when its request could not be read.
#include "server/read_errors.hpp"

#include <gtest/gtest.h>
#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>

namespace coroserve {
namespace {

unsigned status_for(const ReadFailure& f) {
  const auto answer = answer_read_failure(f, RequestLimits{});
  return answer ? static_cast<unsigned>(answer->status()) : 0;
}

ReadFailure failure(http::error e) {
  return {make_error_code(e), false, false, false, {}};
}

TEST(ReadErrors, ATimeoutIs408WhateverTheReadSaid) {
  ReadFailure f{boost::asio::error::operation_aborted, true, false, false, {}};
  const auto header = answer_read_failure(f, {});
  ASSERT_TRUE(header);
  EXPECT_EQ(header->status(), http::status::request_timeout);
  EXPECT_NE(header->detail().find("--header-timeout-ms"), std::string::npos);
  f.in_body = true;
  EXPECT_NE(answer_read_failure(f, {})->detail().find("--body-timeout-ms"), std::string::npos);
}

TEST(ReadErrors, LimitsMapToTheirStatus) {
  EXPECT_EQ(status_for(failure(http::error::header_limit)), 431u);
  EXPECT_EQ(status_for(failure(http::error::buffer_overflow)), 431u);
  auto line = failure(http::error::header_limit);
  line.request_line_too_long = true;
  EXPECT_EQ(status_for(line), 414u);
  EXPECT_EQ(status_for(failure(http::error::body_limit)), 413u);
  // In a body, what overflows the buffer is a chunk's size line.
  auto chunk_line = failure(http::error::buffer_overflow);
  chunk_line.in_body = true;
  EXPECT_EQ(status_for(chunk_line), 400u);
}

TEST(ReadErrors, NamesTheLimitInTheDetail) {
  RequestLimits limits;
  limits.max_header_bytes = 1234;
  const auto answer = answer_read_failure(failure(http::error::header_limit), limits);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->detail(), "the request header is larger than --max-header-bytes (1234)");
}

TEST(ReadErrors, AnotherVersionIs505AndGarbageIs400) {
  auto version = failure(http::error::bad_version);
  version.received = "GET / HTTP/2.0\r\n";
  EXPECT_EQ(status_for(version), 505u);
  version.received = "GET / HTTX/1.1\r\n";
  EXPECT_EQ(status_for(version), 400u);
  EXPECT_EQ(status_for(failure(http::error::bad_method)), 400u);
  EXPECT_EQ(status_for(failure(http::error::bad_field)), 400u);
}

TEST(ReadErrors, ABareLineFeedIsNamedAsTheCause) {
  auto bare = failure(http::error::bad_version);
  bare.received = "GET / HTTP/1.1\nHost: t\n\n";
  const auto answer = answer_read_failure(bare, {});
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status(), http::status::bad_request);
  EXPECT_NE(answer->detail().find("bare LF"), std::string::npos) << answer->detail();
  // A bare LF after the head (in a body) is not the head's fault.
  bare.received = "GET / HTTP/1.1\r\nHost: t\r\n\r\nbody\n";
  EXPECT_EQ(answer_read_failure(bare, {})->detail().find("bare LF"), std::string::npos);
}

TEST(ReadErrors, AChunkLineWithoutCrlfIsNamedAsTheCause) {
  auto line = failure(http::error::bad_line_ending);
  line.in_body = true;
  const auto answer = answer_read_failure(line, {});
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status(), http::status::bad_request);
  EXPECT_NE(answer->detail().find("chunked body does not end in CRLF"), std::string::npos)
      << answer->detail();
}

TEST(ReadErrors, NobodyToAnswerWhenTheClientLeftOrTheSocketFailed) {
  EXPECT_EQ(status_for(failure(http::error::end_of_stream)), 0u);
  EXPECT_EQ(status_for(failure(http::error::partial_message)), 0u);
  EXPECT_EQ(status_for({boost::asio::error::connection_reset, false, false, false, {}}), 0u);
  EXPECT_EQ(status_for({boost::asio::error::operation_aborted, false, false, false, {}}), 0u);
}

}  // namespace
}  // namespace coroserve
