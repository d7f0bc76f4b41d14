#pragma once
#include <boost/beast/http/basic_parser.hpp>
#include <cstdint>

namespace corobench {

// Beast's HTTP/1.1 response parser engine (http::basic_parser: status line,
// Content-Length, chunked, close-delimited, HEAD via skip(), keep_alive())
// with nothing stored. http::response_parser keeps every header field in a
// basic_fields, one allocation per field; a load generator only needs the
// status and the framing, and those allocations were the largest user-space
// cost per request. One parser serves one response: make a fresh one each
// time (construction is cheap: no allocation).
class ResponseParser final : public boost::beast::http::basic_parser<false> {
 public:
  ResponseParser() = default;

  unsigned status() const noexcept { return status_; }
  std::uint64_t body_bytes() const noexcept { return body_bytes_; }

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  void on_request_impl(boost::beast::http::verb, string_view, string_view, int,
                       error_code&) override {}
  void on_response_impl(int code, string_view, int, error_code&) override {
    status_ = static_cast<unsigned>(code);
  }
  void on_field_impl(boost::beast::http::field, string_view, string_view, error_code&) override {}
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code&) override {}
  std::size_t on_body_impl(string_view body, error_code&) override {
    body_bytes_ += body.size();
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code&) override {
    body_bytes_ += body.size();
    return body.size();
  }
  void on_finish_impl(error_code&) override {}

  unsigned status_ = 0;
  std::uint64_t body_bytes_ = 0;
};

}  // namespace corobench
