// Query validation alone: any bytes as an encoded query string, read with
// every getter and cap the handlers use. Only HttpError(400) may come out.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/common.hpp"
#include "server/query_params.hpp"

using namespace coroserve;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Inside a larger buffer on purpose, as the query is in the session: a read
  // past the view's end would run into the canary, and ASan sees the rest.
  std::string buffer(reinterpret_cast<const char*>(data), size);
  buffer += " HTTP/1.1\r\n";
  const std::string_view query(buffer.data(), size);
  try {
    auto q = QueryParams::parse(query);
    for (const char* name : {"n", "split", "rounds", "size", "w", "h", "iter", "ms"}) {
      const auto v = q.get_uint(name, 7, 1, 1'000'000);
      if (v < 1 || v > 1'000'000) fuzz::fail("get_uint returned a value outside its range");
      q.has(name);
    }
    q.get_uint("big", 0, 0, UINT64_MAX);
    const auto w = q.get_choice("where", "pool", {"pool", "loop"});
    if (w != "pool" && w != "loop") fuzz::fail("get_choice returned something not offered");
    q.allow_only({"n", "split", "rounds", "size", "w", "h", "iter", "ms", "big", "where"});
    q.allow_only({});
  } catch (const HttpError& e) {
    if (e.status() != http::status::bad_request) fuzz::fail("query error is not 400");
    fuzz::check_error_response(e.status(), e.error(), e.what());
  }
  return 0;
}
