#include "tests/integration/client_run.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "tests/support/files.hpp"

namespace corobench::test {

namespace json = boost::json;
using coroserve::test::read_file;
using coroserve::test::TempDir;

Bench corobench(std::vector<std::string> args, std::chrono::milliseconds timeout) {
  TempDir dir("corobench-run");
  const std::string json_path = dir.file("result.json");
  std::vector<std::string> argv = {"--no-progress", "--json", json_path};
  argv.insert(argv.end(), args.begin(), args.end());
  Bench b;
  b.run = corobench_raw(argv, timeout);
  const std::string text = read_file(json_path);
  if (!text.empty()) b.result = json::parse(text).as_object();
  return b;
}

coroserve::test::RunOutput corobench_raw(std::vector<std::string> args,
                                         std::chrono::milliseconds timeout) {
  std::vector<std::string> argv{std::string(COROBENCH_BINARY)};
  for (auto& a : args) argv.push_back(std::move(a));
  return coroserve::test::run_capture(argv, timeout);
}

std::uint64_t u(const json::value& v) {
  return v.to_number<std::uint64_t>();
}

double d(const json::value& v) {
  return v.to_number<double>();
}

void expect_counts_add_up(const json::object& r) {
  const auto& e = r.at("errors").as_object();
  std::uint64_t kinds = 0;
  for (const char* k :
       {"connect", "refused", "read", "write", "timeout", "malformed", "tls", "stopped"}) {
    kinds += u(e.at(k));
  }
  EXPECT_EQ(kinds, u(e.at("total")));
  EXPECT_EQ(u(r.at("requests")), u(r.at("responses")) + u(e.at("total")));
  std::uint64_t statuses = 0;
  for (const auto& kv : r.at("status").as_object()) statuses += u(kv.value());
  EXPECT_EQ(statuses, u(r.at("responses")));
  std::uint64_t answers = u(r.at("latency_us").at("count"));
  std::uint64_t errors = 0;
  for (const auto& kv : r.at("latency_by_outcome_us").as_object()) {
    (kv.key() == "errors" ? errors : answers) += u(kv.value().at("count"));
  }
  EXPECT_EQ(answers, u(r.at("responses")));
  EXPECT_EQ(errors, u(e.at("total")));
}

std::string why(const coroserve::test::RunOutput& r) {
  return r.status.describe() + "\nstdout:\n" + r.out + "\nstderr:\n" + r.err;
}

std::string why(const Bench& b) {
  return why(b.run);
}

}  // namespace corobench::test
