// Router::find, the lookup every request pays: a hit, a HEAD served by GET, a
// known path with the wrong method (405) and an unknown path (404), on the
// server's own endpoint table (the handlers are never called).
#include <benchmark/benchmark.h>

#include <string_view>

#include "server/router.hpp"

namespace {

using coroserve::http::verb;

void run_find(benchmark::State& state, verb method, std::string_view path,
              coroserve::Router::Outcome expected) {
  const coroserve::Router router(coroserve::endpoints());
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
