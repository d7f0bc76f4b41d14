#include "server/compute/mandelbrot.hpp"

#include <array>
#include <cmath>
#include <stdexcept>

namespace coroserve::compute {
namespace {

struct Rgb {
  double r, g, b;
};

// The classic "Ultra Fractal" gradient: deep blue through white to orange and near-black.
// Cyclic, so colour bands repeat smoothly however deep the zoom.
constexpr std::array<std::pair<double, Rgb>, 6> kStops = {{
    {0.0, {0, 7, 100}},
    {0.16, {32, 107, 203}},
    {0.42, {237, 255, 255}},
    {0.6425, {255, 170, 0}},
    {0.8575, {0, 2, 0}},
    {1.0, {0, 7, 100}},
}};

constexpr std::size_t kPaletteSize = 2048;
// Iterations per trip round the palette: short enough to show structure near the set's edge,
// long enough that the outside is not striped noise.
constexpr double kIterationsPerCycle = 64.0;

using Palette = std::array<std::array<std::uint8_t, 3>, kPaletteSize>;

Palette make_palette() {
  Palette pal{};
  for (std::size_t i = 0; i < kPaletteSize; ++i) {
    const double t = static_cast<double>(i) / kPaletteSize;
    std::size_t s = 0;
    while (kStops[s + 1].first < t) ++s;
    const auto& [t0, c0] = kStops[s];
    const auto& [t1, c1] = kStops[s + 1];
    // Smoothstep between stops hides the kinks that linear interpolation shows as bands.
    double u = (t - t0) / (t1 - t0);
    u = u * u * (3 - 2 * u);
    pal[i] = {static_cast<std::uint8_t>(std::lround(c0.r + (c1.r - c0.r) * u)),
              static_cast<std::uint8_t>(std::lround(c0.g + (c1.g - c0.g) * u)),
              static_cast<std::uint8_t>(std::lround(c0.b + (c1.b - c0.b) * u))};
  }
  return pal;
}

// Built when the program starts, before any worker thread exists, and only
// read after that: the workers share it without a lock or a guard.
const Palette kPalette = make_palette();

// Large bailout radius so the smooth (continuous) iteration count is accurate.
constexpr double kBailoutSquared = 256.0 * 256.0;

// Returns the smooth iteration count (>= 0), or -1 for points taken to be in the set.
double smooth_iterations(double cx, double cy, unsigned max_iter) {
  // Main cardioid and period-2 bulb: most of the set's area in typical views, and the most
  // expensive points (they run all max_iter iterations).
  const double xq = cx - 0.25;
  const double q = xq * xq + cy * cy;
  if (q * (q + xq) <= 0.25 * cy * cy) return -1.0;
  if ((cx + 1.0) * (cx + 1.0) + cy * cy <= 0.0625) return -1.0;

  double zx = 0.0, zy = 0.0, zx2 = 0.0, zy2 = 0.0;
  unsigned n = 0;
  while (n < max_iter && zx2 + zy2 <= kBailoutSquared) {
    zy = 2.0 * zx * zy + cy;
    zx = zx2 - zy2 + cx;
    zx2 = zx * zx;
    zy2 = zy * zy;
    ++n;
  }
  if (n >= max_iter && zx2 + zy2 <= kBailoutSquared) return -1.0;
  // n + 1 - log2(log|z|): continuous in c, so colours blend instead of banding.
  const double log_abs_z = 0.5 * std::log(zx2 + zy2);
  const double mu = static_cast<double>(n) + 1.0 - std::log2(log_abs_z);
  // Far outside (|c| beyond the bailout) the formula dips below zero; written so NaN maps to 0.
  return mu > 0.0 ? mu : 0.0;
}

}  // namespace

std::vector<std::uint8_t> render_mandelbrot_rows(const MandelbrotParams& p, unsigned row_begin,
                                                 unsigned row_end) {
  if (row_begin > row_end || row_end > p.height) {
    throw std::invalid_argument("render_mandelbrot_rows: need row_begin <= row_end <= height");
  }
  if (!std::isfinite(p.center_x) || !std::isfinite(p.center_y) || !std::isfinite(p.span_x) ||
      !(p.span_x > 0.0)) {
    throw std::invalid_argument("render_mandelbrot_rows: center must be finite, span_x > 0");
  }
  const Palette& pal = kPalette;
  const std::size_t row_bytes = std::size_t{3} * p.width;
  std::vector<std::uint8_t> out(row_bytes * (row_end - row_begin));
  if (out.empty()) return out;

  const double scale = p.span_x / p.width;
  const double half_w = 0.5 * p.width;
  const double half_h = 0.5 * p.height;
  std::uint8_t* px = out.data();
  for (unsigned y = row_begin; y < row_end; ++y) {
    // Computed from y, never accumulated, so a row's pixels don't depend on where a stripe
    // starts.
    const double cy = p.center_y - (y + 0.5 - half_h) * scale;
    for (unsigned x = 0; x < p.width; ++x, px += 3) {
      const double cx = p.center_x + (x + 0.5 - half_w) * scale;
      const double mu = smooth_iterations(cx, cy, p.max_iter);
      if (mu < 0.0) {
        px[0] = px[1] = px[2] = 0;
        continue;
      }
      double phase = std::fmod(mu / kIterationsPerCycle, 1.0);
      if (phase < 0.0) phase += 1.0;
      const auto idx = static_cast<std::size_t>(phase * kPaletteSize) % kPaletteSize;
      px[0] = pal[idx][0];
      px[1] = pal[idx][1];
      px[2] = pal[idx][2];
    }
  }
  return out;
}

std::vector<std::pair<unsigned, unsigned>> split_rows(unsigned height, unsigned k) {
  if (k == 0) throw std::invalid_argument("split_rows: k must be at least 1");
  const unsigned pieces = height < k ? height : k;
  std::vector<std::pair<unsigned, unsigned>> stripes;
  stripes.reserve(pieces);
  unsigned begin = 0;
  for (unsigned i = 0; i < pieces; ++i) {
    const unsigned len = height / pieces + (i < height % pieces ? 1 : 0);
    stripes.emplace_back(begin, begin + len);
    begin += len;
  }
  return stripes;
}

}  // namespace coroserve::compute
