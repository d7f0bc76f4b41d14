#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "client/errors.hpp"
#include "client/mix.hpp"

namespace {

using corobench::parse_mix;
using corobench::parse_target;
using corobench::UsageError;
using ::testing::HasSubstr;

const corobench::Target kBase = parse_target("http://127.0.0.1:8080/");

std::string error_of(std::string_view text) {
  try {
    parse_mix(text, "mix.txt", kBase);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ClientMix, ParsesWeightsMethodsUrlsAndBodies) {
  const auto lines = parse_mix(
      "# a comment\n"
      "\n"
      "3 GET /plaintext\n"
      "  1\tPOST /echo {\"a\": 1, \"b\": [1, 2]}  \r\n"
      "2 GET http://127.0.0.1:8080/io/sleep?ms=10\n",
      "mix.txt", kBase);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].weight, 3u);
  EXPECT_EQ(lines[0].method, "GET");
  EXPECT_EQ(lines[0].target.target, "/plaintext");
  EXPECT_EQ(lines[0].target.host_header, "127.0.0.1:8080");
  EXPECT_EQ(lines[0].line_no, 3u);
  EXPECT_EQ(lines[1].method, "POST");
  EXPECT_EQ(lines[1].body, "{\"a\": 1, \"b\": [1, 2]}");
  EXPECT_EQ(lines[2].target.target, "/io/sleep?ms=10");
  EXPECT_EQ(lines[2].line_no, 5u);
}

TEST(ClientMix, BadLinesGetFileLineAndReason) {
  EXPECT_THAT(error_of("3 GET /a\nx GET /b\n"), HasSubstr("mix.txt:2: weight must be an integer"));
  EXPECT_THAT(error_of("0 GET /a\n"), HasSubstr("mix.txt:1: weight must be an integer from 1"));
  EXPECT_THAT(error_of("-1 GET /a\n"), HasSubstr("mix.txt:1: weight"));
  EXPECT_THAT(error_of("1.5 GET /a\n"), HasSubstr("got '1.5'"));
  EXPECT_THAT(error_of("99999999 GET /a\n"), HasSubstr("mix.txt:1: weight"));
  EXPECT_THAT(error_of("3\n"), HasSubstr("mix.txt:1: missing method and url"));
  EXPECT_THAT(error_of("3 GET\n"), HasSubstr("mix.txt:1: missing url after method 'GET'"));
  EXPECT_THAT(error_of("3 G(T /a\n"), HasSubstr("mix.txt:1: invalid method 'G(T'"));
  EXPECT_THAT(error_of("1 GET /ok\n3 GET http://other.example/x\n"),
              HasSubstr("mix.txt:2: URL 'http://other.example/x' names another server"));
  EXPECT_THAT(error_of("1 GET https://127.0.0.1:8080/x\n"),
              HasSubstr("mix.txt:1: URL 'https://127.0.0.1:8080/x' names another server"));
  EXPECT_THAT(error_of("1 GET /a b\n"), "no error");  // "b" is the body
}

TEST(ClientMix, EmptyMixIsAnError) {
  EXPECT_THAT(error_of(""), HasSubstr("mix.txt: no request lines"));
  EXPECT_THAT(error_of("# only a comment\n\n"), HasSubstr("no request lines"));
}

TEST(ClientMix, MissingFileIsAClearError) {
  try {
    corobench::load_mix_file("/nonexistent/mix.txt", kBase);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot read mix file '/nonexistent/mix.txt'"));
  }
}

TEST(ClientMix, PickerFollowsWeightsExactlyAndEvenly) {
  corobench::WeightedPicker p({3, 1, 2});
  std::map<std::size_t, int> counts;
  for (int i = 0; i < 600; ++i) ++counts[p.next()];
  EXPECT_EQ(counts[0], 300);
  EXPECT_EQ(counts[1], 100);
  EXPECT_EQ(counts[2], 200);
  // Spread out, not in runs: no index comes more than twice in a row here.
  corobench::WeightedPicker q({3, 1});
  std::vector<std::size_t> seq;
  for (int i = 0; i < 8; ++i) seq.push_back(q.next());
  EXPECT_EQ(seq, (std::vector<std::size_t>{0, 0, 1, 0, 0, 0, 1, 0}));
}

TEST(ClientMix, PickerWithOneLine) {
  corobench::WeightedPicker p({5});
  for (int i = 0; i < 10; ++i) EXPECT_EQ(p.next(), 0u);
}

}  // namespace
