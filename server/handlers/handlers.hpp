#pragma once
// The endpoint handlers, by family. Each takes the request's context and
// returns its response; server/endpoints.cpp lists them with their paths
// and parameters.
#include <boost/asio/awaitable.hpp>

#include "server/http_types.hpp"

namespace coroserve {

struct RequestContext;

namespace handlers {

using Answer = boost::asio::awaitable<Response>;

// For people and orchestrators (ops_handlers.cpp).
Answer info(RequestContext& ctx);
Answer healthz(RequestContext& ctx);
Answer readyz(RequestContext& ctx);
Answer plaintext(RequestContext& ctx);
Answer metrics(RequestContext& ctx);
Answer stats(RequestContext& ctx);
Answer dashboard(RequestContext& ctx);  // dashboard_handler.cpp

// I/O-bound: the coroutine waits, the loop serves others (io_handlers.cpp).
Answer sleep(RequestContext& ctx);
Answer fanout(RequestContext& ctx);
Answer echo(RequestContext& ctx);

// CPU-bound: the work goes to the pool (cpu_handlers.cpp).
Answer primes(RequestContext& ctx);
Answer hash(RequestContext& ctx);
Answer mandelbrot(RequestContext& ctx);

}  // namespace handlers
}  // namespace coroserve
