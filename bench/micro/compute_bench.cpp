// Single-thread throughput of the compute kernels. Compare SHA-256 bytes_per_second with
// `openssl speed -seconds 1 sha256` (same library, minus the EVP call overhead per hash).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "server/compute/mandelbrot.hpp"
#include "server/compute/png_encode.hpp"
#include "server/compute/primes.hpp"
#include "server/compute/sha256_chain.hpp"

namespace cc = coroserve::compute;

namespace {

// items_per_second = numbers sieved per second.
void BM_CountPrimes(benchmark::State& state) {
  const auto n = static_cast<std::uint64_t>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(cc::count_primes(n));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_CountPrimes)->Arg(10'000'000)->Arg(100'000'000)->Unit(benchmark::kMillisecond);

// The same amount of work high up, near the cap, where there are more base primes.
void BM_CountPrimesNearCap(benchmark::State& state) {
  const auto len = static_cast<std::uint64_t>(state.range(0));
  const std::uint64_t lo = cc::kMaxPrimesN - len + 1;
  for (auto _ : state) benchmark::DoNotOptimize(cc::count_primes_in_range(lo, cc::kMaxPrimesN));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(len));
}
BENCHMARK(BM_CountPrimesNearCap)->Arg(100'000'000)->Unit(benchmark::kMillisecond);

void BM_Sha256(benchmark::State& state) {
  const std::vector<unsigned char> data(static_cast<std::size_t>(state.range(0)), 0x5a);
  for (auto _ : state) benchmark::DoNotOptimize(cc::sha256(data));
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Sha256)->Arg(64)->Arg(1024)->Arg(16 * 1024);

// items_per_second = chain rounds per second (each hashes 32 bytes).
void BM_Sha256Chain(benchmark::State& state) {
  const auto rounds = static_cast<std::uint64_t>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(cc::sha256_chain(64, rounds));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(rounds));
}
BENCHMARK(BM_Sha256Chain)->Arg(100'000);

cc::MandelbrotParams deep_view() {
  cc::MandelbrotParams p;
  p.center_x = -0.743643887037151;
  p.center_y = 0.13182590420533;
  p.span_x = 0.005;
  p.max_iter = 1000;
  return p;
}

// items_per_second = pixels per second.
void BM_Mandelbrot(benchmark::State& state) {
  const cc::MandelbrotParams p = state.range(0) == 0 ? cc::MandelbrotParams{} : deep_view();
  for (auto _ : state) benchmark::DoNotOptimize(cc::render_mandelbrot_rows(p, 0, p.height));
  state.SetItemsProcessed(state.iterations() * p.width * p.height);
  state.SetLabel(state.range(0) == 0 ? "default 512x512 it=256" : "seahorse 512x512 it=1000");
}
BENCHMARK(BM_Mandelbrot)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// bytes_per_second = raw RGB bytes in per second.
void BM_PngEncode(benchmark::State& state) {
  const cc::MandelbrotParams p = state.range(0) == 0 ? cc::MandelbrotParams{} : deep_view();
  const std::vector<std::uint8_t> rgb = cc::render_mandelbrot_rows(p, 0, p.height);
  std::size_t out_size = 0;
  for (auto _ : state) {
    const auto png = cc::encode_png_rgb(p.width, p.height, rgb);
    out_size = png.size();
    benchmark::DoNotOptimize(png.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(rgb.size()));
  state.counters["png_bytes"] = static_cast<double>(out_size);
}
BENCHMARK(BM_PngEncode)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
