#include "server/query_params.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/http_types.hpp"

namespace coroserve {
namespace {

using ::testing::HasSubstr;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), http::status::bad_request);
    return e.what();
  }
  ADD_FAILURE() << "no HttpError thrown";
  return {};
}

TEST(QueryParams, ReadsIntegersWithDefaultsAndRanges) {
  auto q = QueryParams::parse("n=42&m=0");
  EXPECT_EQ(q.get_uint("n", 1, 0, 100), 42u);
  EXPECT_EQ(q.get_uint("m", 1, 0, 100), 0u);
  EXPECT_EQ(q.get_uint("absent", 7, 0, 100), 7u);
}

TEST(QueryParams, RejectsOutOfRangeAndNonNumbers) {
  auto q = QueryParams::parse("n=101&x=12abc&neg=-1&empty=&huge=99999999999999999999999&f=1.5");
  EXPECT_THAT(error_of([&] { q.get_uint("n", 1, 0, 100); }),
              HasSubstr("'n' is out of range: 101 (allowed: 0..100)"));
  EXPECT_THAT(error_of([&] { q.get_uint("x", 1, 0, 100); }), HasSubstr("non-negative integer"));
  EXPECT_THAT(error_of([&] { q.get_uint("neg", 1, 0, 100); }), HasSubstr("non-negative integer"));
  EXPECT_THAT(error_of([&] { q.get_uint("empty", 1, 0, 100); }), HasSubstr("non-negative integer"));
  EXPECT_THAT(error_of([&] { q.get_uint("huge", 1, 0, 100); }), HasSubstr("out of range"));
  EXPECT_THAT(error_of([&] { q.get_uint("f", 1, 0, 100); }), HasSubstr("non-negative integer"));
  EXPECT_THAT(error_of([&] { q.get_uint("n", 1, 200, 300); }), HasSubstr("200..300"));
}

constexpr std::string_view kWhere[] = {"pool", "loop"};
constexpr std::string_view kNames[] = {"n", "split", "where"};
constexpr std::string_view kAB[] = {"a", "b"};

TEST(QueryParams, DecodesPercentEncoding) {
  auto q = QueryParams::parse("n=1%32&wh%65re=loop");
  EXPECT_EQ(q.get_uint("n", 0, 0, 100), 12u);
  EXPECT_EQ(q.get_choice("where", kWhere), "loop");
}

// Boost.URL 1.81's parse_query reads a query view up to a NUL: the query of a
// request sits inside the request buffer, followed by " HTTP/1.1".
TEST(QueryParams, StaysWithinTheGivenView) {
  const std::string buffer = "n=99 HTTP/1.1\r\nHost: x";
  auto q = QueryParams::parse(std::string_view(buffer.data(), 4));
  EXPECT_EQ(q.get_uint("n", 0, 0, 100), 99u);
}

TEST(QueryParams, RejectsDuplicatesUnknownNamesAndBadChoices) {
  EXPECT_THAT(error_of([] { QueryParams::parse("n=1&n=2"); }), HasSubstr("more than once"));
  EXPECT_THAT(error_of([] { QueryParams::parse("=3"); }), HasSubstr("empty name"));
  EXPECT_THAT(error_of([] { QueryParams::parse("n=%zz"); }), HasSubstr("not valid"));
  auto q = QueryParams::parse("spilt=4&where=moon");
  EXPECT_THAT(error_of([&] { q.allow_only(kNames); }),
              HasSubstr("unknown parameter 'spilt'; this endpoint takes: n, split, where"));
  EXPECT_THAT(error_of([&] { q.get_choice("where", kWhere); }),
              HasSubstr("must be one of: pool, loop; got 'moon'"));
  EXPECT_THAT(error_of([] { QueryParams::parse("a=1").allow_only({}); }), HasSubstr("takes none"));
}

TEST(QueryParams, EmptySegmentsAreHarmless) {
  auto q = QueryParams::parse("a=1&&b=2&");
  EXPECT_EQ(q.get_uint("a", 0, 0, 9), 1u);
  EXPECT_EQ(q.get_uint("b", 0, 0, 9), 2u);
  EXPECT_NO_THROW(q.allow_only(kAB));
}

}  // namespace
}  // namespace coroserve
