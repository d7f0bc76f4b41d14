#pragma once
// Looks at a request's raw bytes, before Beast parses them. Beast 1.81
// silently unfolds obs-fold lines, which RFC 9112 lets a server reject (and
// coroserve does), after a failed parse it may have consumed the request
// line, and it ends lines only at CRLF: what must be decided on the bytes as
// they came is decided here.
#include <cstddef>
#include <string_view>

namespace coroserve {

enum class HeaderScan {
  complete,        // the empty line that ends the header is here
  incomplete,      // read more
  for_the_parser,  // stop reading: the parser will refuse these bytes (bare LF, too big)
};

// Room a request line takes besides its target: the method, two spaces and
// the version, with margin.
inline constexpr std::size_t kRequestLineOverhead = 32;

struct HeadScan {
  HeaderScan state = HeaderScan::incomplete;
  // A line looked at starts with a space or tab: an obs-fold, once it turns
  // out to be inside the header (the scan stops at the header's end).
  bool obs_fold = false;
  bool bare_lf = false;  // a line looked at ends in LF without the CR before it
  // Once complete: the header's bytes, request line included.
  std::size_t head_bytes = 0;
  // The first byte cannot begin a method (a token): no HTTP request, such
  // as a TLS handshake sent to a plain port. Known at once, without waiting
  // for a line end that may never come.
  bool not_http = false;
};

// One pass over the line ends of `received` from `scanned` on (what came
// before was looked at already): the end of the header, within
// `max_head_bytes` (request line and fields), and obs-folds on the way.
HeadScan scan_header(std::string_view received, std::size_t scanned, std::size_t max_head_bytes);

// Whether an LF at or after `from` in `bytes` lacks the CR before it. In a
// chunked body, where the parser waits at the start of a chunk line: Beast
// would wait for the CRLF that a client ending lines in LF never sends.
bool has_bare_lf(std::string_view bytes, std::size_t from);

// How many bytes at the start of `received` are empty lines (CRLF pairs).
// RFC 9112 asks a server to ignore at least one empty line before a request
// line: some clients send a CRLF after a POST body.
std::size_t leading_empty_lines(std::string_view received);

// The bytes of the field section of a complete header of `head_bytes`: from
// the end of the request line to the end of the header (what
// --max-header-bytes bounds). Only needed when the whole head is past that
// limit.
std::size_t field_bytes(std::string_view received, std::size_t head_bytes);

// Whether the request line alone is too long for --max-url-bytes (414)
// rather than the fields for --max-header-bytes (431).
bool request_line_too_long(std::string_view received, std::size_t max_url_bytes);

// RFC 9110 2.5: a request in a higher minor version of HTTP/1 ("HTTP/1.2")
// is served as HTTP/1.1, but Beast refuses every version past 1.1. So a
// complete request line ending in one has its minor digit rewritten to 1
// before Beast parses it.
void serve_higher_minor_as_11(char* received, std::size_t size);

// "HTTP/2.0" names a version that is not served (505); "HTTX/1.1" is
// garbage (400).
bool names_other_http_version(std::string_view received);

}  // namespace coroserve
