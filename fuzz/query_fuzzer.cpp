// Query validation alone: any bytes as an encoded query string, read with
// the parameter table of every endpoint of the server, and with the raw
// getters at their extremes. Only HttpError(400) may come out.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/common.hpp"
#include "server/dispatch.hpp"
#include "server/endpoints.hpp"
#include "server/query_params.hpp"

using namespace coroserve;

namespace {

template <class F>
void expect_400_or_nothing(F&& read) {
  try {
    read();
  } catch (const HttpError& e) {
    if (e.status() != http::status::bad_request) fuzz::fail("query error is not 400");
    fuzz::check_error_response(e.status(), e.error(), e.detail());
  }
}

// Every value read through a table is within that parameter's range.
void check_in_range(const Params& p, ParamTable table) {
  for (const auto& param : table) {
    if (!param.choices.empty()) continue;
    const auto v = p.number_or(param.name, param.min);
    if (v < param.min || v > param.max) fuzz::fail("a parameter outside its table's range");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Inside a larger buffer on purpose, as the query is in the session: a read
  // past the view's end would run into the canary, and ASan sees the rest.
  std::string buffer(reinterpret_cast<const char*>(data), size);
  buffer += " HTTP/1.1\r\n";
  const std::string_view query(buffer.data(), size);
  for (const auto& e : endpoints()) {
    expect_400_or_nothing([&] { check_in_range(read_params(e, query), e.params); });
  }
  expect_400_or_nothing([&] {
    auto q = QueryParams::parse(query);
    const auto v = q.get_uint("n", 7, 1, 1'000'000);
    if (v < 1 || v > 1'000'000) fuzz::fail("get_uint returned a value outside its range");
    q.get_uint("big", 0, 0, UINT64_MAX);
  });
  return 0;
}
