#include <png.h>

#include <algorithm>
#include <cstdint>
#include <future>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "server/compute/mandelbrot.hpp"
#include "server/compute/png_encode.hpp"
#include "server/compute/primes.hpp"
#include "server/compute/sha256_chain.hpp"

namespace cc = coroserve::compute;

namespace {

bool is_prime_naive(std::uint64_t n) {
  if (n < 2) return false;
  for (std::uint64_t d = 2; d * d <= n; ++d) {
    if (n % d == 0) return false;
  }
  return true;
}

std::uint64_t count_naive(std::uint64_t lo, std::uint64_t hi) {
  std::uint64_t c = 0;
  for (std::uint64_t v = lo; v <= hi; ++v) c += is_prime_naive(v) ? 1 : 0;
  return c;
}

std::span<const unsigned char> bytes_of(std::string_view s) {
  return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

}  // namespace

// ---- primes ----

TEST(Primes, KnownValuesOfPi) {
  EXPECT_EQ(cc::count_primes(0), 0u);
  EXPECT_EQ(cc::count_primes(1), 0u);
  EXPECT_EQ(cc::count_primes(2), 1u);
  EXPECT_EQ(cc::count_primes(3), 2u);
  EXPECT_EQ(cc::count_primes(10), 4u);
  EXPECT_EQ(cc::count_primes(100), 25u);
  EXPECT_EQ(cc::count_primes(1'000'000), 78'498u);
  EXPECT_EQ(cc::count_primes(10'000'000), 664'579u);
  EXPECT_EQ(cc::count_primes(100'000'000), 5'761'455u);
}

TEST(Primes, SmallRangesMatchTrialDivision) {
  // Every [lo, hi] with hi < 200 exercises the presieved primes 3..13, 2, 1 and 0 at the edges.
  for (std::uint64_t lo = 0; lo < 200; ++lo) {
    for (std::uint64_t hi = lo; hi < 200; ++hi) {
      ASSERT_EQ(cc::count_primes_in_range(lo, hi), count_naive(lo, hi)) << lo << ".." << hi;
    }
  }
}

TEST(Primes, RangesAcrossSegmentBoundariesMatchTrialDivision) {
  // A segment holds 32768 odd numbers, i.e. spans 65536 values.
  const std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges = {
      {65'000, 67'000},
      {131'000, 132'000},
      {1'000'003, 1'200'001},
      {999'999'000, 1'000'001'000},
      {cc::kMaxPrimesN - 3000, cc::kMaxPrimesN},
  };
  for (const auto& [lo, hi] : ranges) {
    EXPECT_EQ(cc::count_primes_in_range(lo, hi), count_naive(lo, hi)) << lo << ".." << hi;
  }
  EXPECT_EQ(cc::count_primes_in_range(cc::kMaxPrimesN, cc::kMaxPrimesN), 0u);  // even
  EXPECT_EQ(cc::count_primes_in_range(1'999'999'973, 1'999'999'973), 1u);      // largest < cap
}

TEST(Primes, SplitPiecesSumToPi) {
  for (const std::uint64_t n : {0ULL, 1ULL, 2ULL, 10ULL, 100ULL, 65'537ULL, 1'000'000ULL}) {
    for (const unsigned k : {1u, 2u, 3u, 7u, 16u, 1000u}) {
      std::uint64_t sum = 0;
      for (const auto& [lo, hi] : cc::split_range(n, k)) sum += cc::count_primes_in_range(lo, hi);
      EXPECT_EQ(sum, cc::count_primes(n)) << "n=" << n << " k=" << k;
    }
  }
  std::uint64_t sum = 0;
  for (const auto& [lo, hi] : cc::split_range(10'000'000, 5)) {
    sum += cc::count_primes_in_range(lo, hi);
  }
  EXPECT_EQ(sum, 664'579u);
}

TEST(Primes, RangesCountedOnSeparateThreadsSumToPi) {
  // What the handler does: one range per worker thread, nothing shared between them.
  std::vector<std::future<std::uint64_t>> parts;
  for (const auto& [lo, hi] : cc::split_range(10'000'000, 4)) {
    parts.push_back(std::async(std::launch::async, cc::count_primes_in_range, lo, hi));
  }
  std::uint64_t sum = 0;
  for (auto& f : parts) sum += f.get();
  EXPECT_EQ(sum, 664'579u);
}

TEST(Primes, SplitRangeCoversExactlyInOrder) {
  for (const std::uint64_t n : {0ULL, 1ULL, 5ULL, 6ULL, 99ULL, 1'000'000'007ULL}) {
    for (const unsigned k : {1u, 2u, 3u, 4u, 7u, 8u, 100u}) {
      const auto ranges = cc::split_range(n, k);
      const std::uint64_t expected_pieces = std::min<std::uint64_t>(k, n + 1);
      ASSERT_EQ(ranges.size(), expected_pieces) << "n=" << n << " k=" << k;
      std::uint64_t next = 0;
      std::uint64_t min_len = UINT64_MAX, max_len = 0;
      for (const auto& [lo, hi] : ranges) {
        EXPECT_EQ(lo, next);
        ASSERT_LE(lo, hi);
        min_len = std::min(min_len, hi - lo + 1);
        max_len = std::max(max_len, hi - lo + 1);
        next = hi + 1;
      }
      EXPECT_EQ(ranges.back().second, n);
      EXPECT_LE(max_len - min_len, 1u) << "n=" << n << " k=" << k;
    }
  }
}

TEST(Primes, SplitRangeOfFullUint64DoesNotOverflow) {
  const auto ranges = cc::split_range(UINT64_MAX, 4);
  ASSERT_EQ(ranges.size(), 4u);
  EXPECT_EQ(ranges.front().first, 0u);
  EXPECT_EQ(ranges[1].first, 1ULL << 62);
  EXPECT_EQ(ranges.back().second, UINT64_MAX);
}

TEST(Primes, InvalidArgumentsThrow) {
  EXPECT_THROW(cc::count_primes_in_range(10, 9), std::invalid_argument);
  EXPECT_THROW(cc::count_primes_in_range(0, cc::kMaxPrimesN + 1), std::invalid_argument);
  EXPECT_THROW(cc::count_primes(cc::kMaxPrimesN + 1), std::invalid_argument);
  EXPECT_THROW(cc::split_range(10, 0), std::invalid_argument);
  EXPECT_NO_THROW(cc::count_primes_in_range(cc::kMaxPrimesN - 10, cc::kMaxPrimesN));
}

// ---- SHA-256 ----

TEST(Sha256, FipsTestVectors) {
  EXPECT_EQ(cc::to_hex(cc::sha256(bytes_of("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(cc::to_hex(cc::sha256(bytes_of(""))),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(
      cc::to_hex(cc::sha256(bytes_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, ChainOfOneRoundHashesTheSeed) {
  const std::vector<unsigned char> seed = {0, 1, 2};
  EXPECT_EQ(cc::sha256_chain(3, 1), cc::sha256(seed));
}

TEST(Sha256, ChainOfTwoRoundsHashesTheDigest) {
  const std::vector<unsigned char> seed = {0, 1, 2};
  const cc::Sha256Digest first = cc::sha256(seed);
  EXPECT_EQ(cc::sha256_chain(3, 2), cc::sha256(first));
}

TEST(Sha256, SeedBytesWrapAt251) {
  std::vector<unsigned char> seed(600);
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<unsigned char>(i % 251);
  EXPECT_EQ(cc::sha256_chain(600, 1), cc::sha256(seed));
  EXPECT_EQ(cc::sha256_chain(0, 1), cc::sha256({}));
}

TEST(Sha256, LongChainMatchesIteratedOneShot) {
  cc::Sha256Digest d = cc::sha256(std::vector<unsigned char>{0, 1, 2, 3});
  for (int i = 1; i < 1000; ++i) d = cc::sha256(d);
  EXPECT_EQ(cc::sha256_chain(4, 1000), d);
}

TEST(Sha256, ZeroRoundsThrows) {
  EXPECT_THROW(cc::sha256_chain(16, 0), std::invalid_argument);
}

TEST(Sha256, ToHexIsLowercaseTwoDigitsPerByte) {
  const std::vector<unsigned char> bytes = {0x00, 0x01, 0x0a, 0x7f, 0xab, 0xff};
  EXPECT_EQ(cc::to_hex(bytes), "00010a7fabff");
  EXPECT_EQ(cc::to_hex({}), "");
}

// ---- Mandelbrot ----

TEST(Mandelbrot, OutputSize) {
  cc::MandelbrotParams p;
  p.width = 37;
  p.height = 11;
  EXPECT_EQ(cc::render_mandelbrot_rows(p, 0, 11).size(), 3u * 37 * 11);
  EXPECT_EQ(cc::render_mandelbrot_rows(p, 4, 9).size(), 3u * 37 * 5);
  EXPECT_TRUE(cc::render_mandelbrot_rows(p, 5, 5).empty());
}

TEST(Mandelbrot, StripesConcatenatedEqualFullRender) {
  cc::MandelbrotParams p;
  p.width = 97;
  p.height = 61;
  p.max_iter = 500;
  p.center_x = -0.745;
  p.center_y = 0.113;
  p.span_x = 0.05;
  const std::vector<std::uint8_t> full = cc::render_mandelbrot_rows(p, 0, p.height);
  for (const unsigned k : {1u, 2u, 3u, 8u, 61u}) {
    std::vector<std::uint8_t> joined;
    for (const auto& [b, e] : cc::split_rows(p.height, k)) {
      const auto stripe = cc::render_mandelbrot_rows(p, b, e);
      joined.insert(joined.end(), stripe.begin(), stripe.end());
    }
    EXPECT_EQ(joined, full) << "k=" << k;
  }
}

TEST(Mandelbrot, StripesRenderedOnThreadsEqualFullRender) {
  const cc::MandelbrotParams p;
  std::vector<std::future<std::vector<std::uint8_t>>> parts;
  for (const auto& [b, e] : cc::split_rows(p.height, 3)) {
    parts.push_back(std::async(std::launch::async, cc::render_mandelbrot_rows, p, b, e));
  }
  std::vector<std::uint8_t> joined;
  for (auto& f : parts) {
    const auto stripe = f.get();
    joined.insert(joined.end(), stripe.begin(), stripe.end());
  }
  EXPECT_EQ(joined, cc::render_mandelbrot_rows(p, 0, p.height));
}

TEST(Mandelbrot, InsideIsBlackOutsideIsNot) {
  const cc::MandelbrotParams p;  // 512x512 over [-2, 1] x [-1.5, 1.5], 3/512 per pixel
  const auto pixels = cc::render_mandelbrot_rows(p, 0, p.height);
  auto at = [&](unsigned x, unsigned y) {
    const std::size_t i = 3 * (std::size_t{y} * p.width + x);
    return std::vector<std::uint8_t>(pixels.begin() + i, pixels.begin() + i + 3);
  };
  const std::vector<std::uint8_t> black = {0, 0, 0};
  // x = 341, y = 256 samples c = -0.5 + (341.5 - 256) * 3/512 - i (0.5 * 3/512) ~ 0.001 - 0.003i.
  EXPECT_EQ(at(341, 256), black);
  // c ~ -1.0: inside the period-2 bulb.
  EXPECT_EQ(at(170, 256), black);
  // Corners (c ~ -2 + 1.5i, 1 - 1.5i) escape at once, so they get a colour, not black.
  EXPECT_NE(at(0, 0), black);
  EXPECT_NE(at(511, 511), black);
}

TEST(Mandelbrot, ExtremeParametersStayWellDefined) {
  // max_iter 1, and a view so wide that |c| exceeds the bailout radius (where the smooth count
  // formula would go negative and must not be mistaken for "inside").
  cc::MandelbrotParams p;
  p.width = 8;
  p.height = 8;
  p.max_iter = 1;
  EXPECT_EQ(cc::render_mandelbrot_rows(p, 0, 8).size(), 3u * 64);
  p.span_x = 1e6;  // mostly |c| far beyond the bailout radius
  p.max_iter = 100;
  const auto far = cc::render_mandelbrot_rows(p, 0, 1);
  EXPECT_NE(std::vector<std::uint8_t>(far.begin(), far.begin() + 3),
            (std::vector<std::uint8_t>{0, 0, 0}));
}

TEST(Mandelbrot, InvalidArgumentsThrow) {
  cc::MandelbrotParams p;
  p.height = 10;
  EXPECT_THROW(cc::render_mandelbrot_rows(p, 5, 4), std::invalid_argument);
  EXPECT_THROW(cc::render_mandelbrot_rows(p, 0, 11), std::invalid_argument);
  p.span_x = 0.0;
  EXPECT_THROW(cc::render_mandelbrot_rows(p, 0, 1), std::invalid_argument);
  p.span_x = 3.0;
  p.center_x = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(cc::render_mandelbrot_rows(p, 0, 1), std::invalid_argument);
  EXPECT_THROW(cc::split_rows(10, 0), std::invalid_argument);
}

TEST(Mandelbrot, SplitRowsCoversAllRowsWithNonEmptyStripes) {
  for (const unsigned height : {0u, 1u, 2u, 7u, 512u, 1000u}) {
    for (const unsigned k : {1u, 2u, 3u, 8u, 2000u}) {
      const auto stripes = cc::split_rows(height, k);
      ASSERT_EQ(stripes.size(), std::min(height, k)) << height << " " << k;
      unsigned next = 0;
      for (const auto& [b, e] : stripes) {
        EXPECT_EQ(b, next);
        EXPECT_LT(b, e);
        EXPECT_LE(e - b, height / stripes.size() + 1);
        next = e;
      }
      EXPECT_EQ(next, height);
    }
  }
}

// ---- PNG ----

namespace {

std::vector<std::uint8_t> test_pattern(unsigned w, unsigned h) {
  std::vector<std::uint8_t> px(std::size_t{3} * w * h);
  for (std::size_t i = 0; i < px.size(); ++i)
    px[i] = static_cast<std::uint8_t>((i * 7 + i / 13) % 256);
  return px;
}

std::uint32_t be32(const std::string& s, std::size_t off) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[off + i]);
  return v;
}

}  // namespace

TEST(Png, SignatureAndIhdr) {
  const auto px = test_pattern(300, 7);
  const std::string png = cc::encode_png_rgb(300, 7, px);
  ASSERT_GE(png.size(), 33u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png.substr(12, 4), "IHDR");
  EXPECT_EQ(be32(png, 16), 300u);
  EXPECT_EQ(be32(png, 20), 7u);
  EXPECT_EQ(png[24], 8);  // bit depth
  EXPECT_EQ(png[25], 2);  // colour type: truecolour RGB
  EXPECT_EQ(png.substr(png.size() - 8, 4), "IEND");
}

TEST(Png, DecodesBackToIdenticalPixels) {
  for (const auto& [w, h] : {std::pair{1u, 1u}, std::pair{64u, 48u}, std::pair{513u, 3u}}) {
    const auto px = test_pattern(w, h);
    const std::string png = cc::encode_png_rgb(w, h, px);

    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    ASSERT_NE(png_image_begin_read_from_memory(&image, png.data(), png.size()), 0) << image.message;
    EXPECT_EQ(image.width, w);
    EXPECT_EQ(image.height, h);
    image.format = PNG_FORMAT_RGB;
    std::vector<std::uint8_t> decoded(PNG_IMAGE_SIZE(image));
    ASSERT_NE(png_image_finish_read(&image, nullptr, decoded.data(), 0, nullptr), 0)
        << image.message;
    EXPECT_EQ(decoded, px) << w << "x" << h;
  }
}

TEST(Png, MandelbrotRenderRoundTrips) {
  cc::MandelbrotParams p;
  p.width = 128;
  p.height = 96;
  const auto px = cc::render_mandelbrot_rows(p, 0, p.height);
  const std::string png = cc::encode_png_rgb(p.width, p.height, px);
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  ASSERT_NE(png_image_begin_read_from_memory(&image, png.data(), png.size()), 0);
  image.format = PNG_FORMAT_RGB;
  std::vector<std::uint8_t> decoded(PNG_IMAGE_SIZE(image));
  ASSERT_NE(png_image_finish_read(&image, nullptr, decoded.data(), 0, nullptr), 0);
  EXPECT_EQ(decoded, px);
  EXPECT_LT(png.size(), px.size());  // it does compress
}

TEST(Png, WrongSizeThrows) {
  const auto px = test_pattern(10, 10);
  EXPECT_THROW(cc::encode_png_rgb(10, 11, px), std::invalid_argument);
  EXPECT_THROW(cc::encode_png_rgb(11, 10, px), std::invalid_argument);
  EXPECT_THROW(cc::encode_png_rgb(10, 10, std::span(px).first(299)), std::invalid_argument);
  EXPECT_THROW(cc::encode_png_rgb(0, 0, {}), std::invalid_argument);
  EXPECT_THROW(cc::encode_png_rgb(0x80000000u, 1, {}), std::invalid_argument);
}

TEST(Png, LibpngErrorBecomesRuntimeError) {
  // The size matches, but libpng's default user limit refuses widths over 1,000,000: this takes
  // the png_error -> longjmp path.
  const unsigned w = 1'000'001;
  const std::vector<std::uint8_t> px(std::size_t{3} * w);
  try {
    cc::encode_png_rgb(w, 1, px);
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("libpng"), std::string::npos) << e.what();
  }
}
