// Router::find, the lookup every request pays: a hit, a HEAD served by GET, a
// known path with the wrong method (405) and an unknown path (404). The table
// is coroserve's own route list (server/handlers/*.cpp); the handlers are
// never called.
#include <benchmark/benchmark.h>

#include <boost/asio/awaitable.hpp>

#include <string_view>
#include <utility>

#include "server/request_context.hpp"
#include "server/router.hpp"

namespace {

using coroserve::http::verb;

coroserve::Router make_router() {
  coroserve::Router router;
  auto handler = [](coroserve::RequestContext&) -> boost::asio::awaitable<coroserve::Response> {
    co_return coroserve::Response{};
  };
  const std::pair<verb, const char*> routes[] = {
      {verb::get, "/"},
      {verb::get, "/healthz"},
      {verb::get, "/readyz"},
      {verb::get, "/metrics"},
      {verb::get, "/stats"},
      {verb::get, "/dashboard"},
      {verb::get, "/plaintext"},
      {verb::get, "/io/sleep"},
      {verb::get, "/io/fanout"},
      {verb::post, "/echo"},
      {verb::get, "/cpu/primes"},
      {verb::get, "/cpu/hash"},
      {verb::get, "/cpu/mandelbrot"},
  };
  for (const auto& [method, path] : routes) router.add(method, path, handler, "");
  return router;
}

void run_find(benchmark::State& state, verb method, std::string_view path,
              coroserve::Router::Outcome expected) {
  const coroserve::Router router = make_router();
  if (router.find(method, path).outcome != expected) {
    state.SkipWithError("unexpected outcome");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(path);
    auto match = router.find(method, path);
    benchmark::DoNotOptimize(match);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_RouterFindHit(benchmark::State& state) {
  run_find(state, verb::get, "/plaintext", coroserve::Router::Outcome::found);
}
BENCHMARK(BM_RouterFindHit);

void BM_RouterFindHitLongPath(benchmark::State& state) {
  run_find(state, verb::get, "/cpu/mandelbrot", coroserve::Router::Outcome::found);
}
BENCHMARK(BM_RouterFindHitLongPath);

void BM_RouterFindHead(benchmark::State& state) {
  run_find(state, verb::head, "/plaintext", coroserve::Router::Outcome::found);
}
BENCHMARK(BM_RouterFindHead);

void BM_RouterFind405(benchmark::State& state) {
  run_find(state, verb::delete_, "/echo", coroserve::Router::Outcome::method_not_allowed);
}
BENCHMARK(BM_RouterFind405);

void BM_RouterFindMiss(benchmark::State& state) {
  run_find(state, verb::get, "/no/such/path", coroserve::Router::Outcome::not_found);
}
BENCHMARK(BM_RouterFindMiss);

}  // namespace
