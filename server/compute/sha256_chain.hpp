#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace coroserve::compute {

using Sha256Digest = std::array<unsigned char, 32>;

// Throws std::runtime_error if OpenSSL fails (e.g. no provider offers SHA-256).
Sha256Digest sha256(std::span<const unsigned char> data);

// The seed is seed_size bytes with byte i = static_cast<unsigned char>(i % 251).
// Round 1 hashes the seed; each further round hashes the previous 32-byte digest.
// Throws std::invalid_argument if rounds == 0.
Sha256Digest sha256_chain(std::size_t seed_size, std::uint64_t rounds);

// Lowercase hexadecimal, two characters per byte.
std::string to_hex(std::span<const unsigned char> bytes);

}  // namespace coroserve::compute
