#pragma once
// The endpoint families. Each adds its routes to the router.
#include "server/router.hpp"

namespace coroserve {

void add_ops_routes(Router& router);  // /, /healthz, /readyz, /plaintext
void add_io_routes(Router& router);   // /io/sleep, /io/fanout, /echo
void add_cpu_routes(Router& router);  // /cpu/primes, /cpu/hash, /cpu/mandelbrot
// /dashboard: a live page that charts /stats.
void add_dashboard_route(Router& router);

}  // namespace coroserve
