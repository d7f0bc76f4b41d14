#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace coroserve::compute {

struct MandelbrotParams {
  unsigned width = 512, height = 512, max_iter = 256;
  double center_x = -0.5, center_y = 0.0;
  double span_x = 3.0;  // width of the view in the complex plane; height follows the aspect ratio
};

// Renders rows [row_begin, row_end) as packed RGB8 (3*width bytes per row, rows top to bottom),
// with a smooth colour palette and points inside the set black. Pixel (x, y) samples the point
// at its centre: c = center + ((x + 0.5 - width/2) - i (y + 0.5 - height/2)) * span_x / width.
// A pure function of its arguments, so stripes rendered on different threads and concatenated
// equal one full render. Throws std::invalid_argument unless row_begin <= row_end <= height,
// center_x, center_y and span_x are finite and span_x > 0.
std::vector<std::uint8_t> render_mandelbrot_rows(const MandelbrotParams& p, unsigned row_begin,
                                                 unsigned row_end);

// Splits [0, height) into k stripes [begin, end), non-empty, in order, covering all rows
// (fewer than k if height < k; none if height == 0). Throws std::invalid_argument if k == 0.
std::vector<std::pair<unsigned, unsigned>> split_rows(unsigned height, unsigned k);

}  // namespace coroserve::compute
