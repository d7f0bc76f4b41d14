#pragma once
// Whether this build runs under AddressSanitizer. Memory the server recycles
// itself is then taken from the heap each time instead, so that a use after
// free is still reported (a reused block would hide it).

namespace coroserve {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kUnderAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kUnderAddressSanitizer = true;
#else
inline constexpr bool kUnderAddressSanitizer = false;
#endif
#else
inline constexpr bool kUnderAddressSanitizer = false;
#endif

}  // namespace coroserve
