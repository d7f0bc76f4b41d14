// An endpoint's parameter table: how a query is read and checked against
// it, and how it is described to people (GET / and the README).
#include "server/params.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/http_types.hpp"

namespace coroserve {
namespace {

using ::testing::HasSubstr;

constexpr Param kTable[] = {
    {.name = "n", .max = 100, .fallback = 10, .help = "how many"},
    {.name = "split", .min = 1, .max = 8, .fallback_text = "workers", .help = "parts"},
    {.name = "where", .choices = "pool|loop", .help = "where"},
};

std::string error_of(std::string_view query) {
  try {
    Params::read(QueryParams::parse(query), kTable);
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), http::status::bad_request);
    return e.detail();
  }
  return "";
}

TEST(Params, DefaultsWhenAbsent) {
  const auto p = Params::read(QueryParams::parse(""), kTable);
  EXPECT_EQ(p.number("n"), 10u);
  EXPECT_EQ(p.number_or("split", 3), 3u);
  EXPECT_FALSE(p.given("split"));
  EXPECT_EQ(p.choice("where"), "pool");
}

TEST(Params, ReadsWhatIsGiven) {
  const auto p = Params::read(QueryParams::parse("n=42&split=2&where=loop"), kTable);
  EXPECT_EQ(p.number("n"), 42u);
  EXPECT_EQ(p.number_or("split", 3), 2u);
  EXPECT_EQ(p.given("split"), 2u);
  EXPECT_EQ(p.choice("where"), "loop");
}

TEST(Params, RefusesUnknownNamesRangesAndChoices) {
  EXPECT_THAT(error_of("spilt=2"), HasSubstr("unknown parameter 'spilt'; this endpoint takes: n, "
                                             "split, where"));
  EXPECT_THAT(error_of("n=101"), HasSubstr("out of range: 101 (allowed: 0..100)"));
  EXPECT_THAT(error_of("split=0"), HasSubstr("(allowed: 1..8)"));
  EXPECT_THAT(error_of("where=moon"), HasSubstr("must be one of: pool, loop; got 'moon'"));
  EXPECT_EQ(error_of("n=1"), "");
}

TEST(Params, AnEmptyTableTakesNone) {
  EXPECT_THROW(Params::read(QueryParams::parse("a=1"), {}), HttpError);
  EXPECT_NO_THROW(Params::read(QueryParams::parse(""), {}));
}

TEST(Params, DescribesTheTable) {
  EXPECT_EQ(usage(kTable), "?n=0..100 (10)&split=1..8 (workers)&where=pool|loop");
  EXPECT_EQ(usage({}), "");
  const auto lines = describe_params(kTable);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "`n` 0..100 (10): how many");
  EXPECT_EQ(lines[2], "`where` pool|loop (pool): where");
}

}  // namespace
}  // namespace coroserve
