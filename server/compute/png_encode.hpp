#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace coroserve::compute {

// Encodes packed RGB8 pixels (3*width*height bytes, rows top to bottom) as a PNG file, returned
// as bytes. Uses fast zlib settings, since it runs on the request path.
// Throws std::invalid_argument if a dimension is 0 or the size doesn't match,
// std::runtime_error on libpng failure.
std::string encode_png_rgb(unsigned width, unsigned height, std::span<const std::uint8_t> rgb);

}  // namespace coroserve::compute
