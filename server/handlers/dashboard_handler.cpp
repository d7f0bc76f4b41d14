// GET /dashboard: a static page that polls /stats and charts it, so the
// loop/pool split can be watched while corobench runs. The HTML lives in
// dashboard.html and is embedded at build time (see server/CMakeLists.txt).
#include "server/dashboard_html.hpp"
#include "server/handlers/handlers.hpp"
#include "server/http_responses.hpp"
#include "server/request_context.hpp"

namespace coroserve::handlers {

Answer dashboard(RequestContext&) {
  auto res =
      make_response(http::status::ok, std::string(kDashboardHtml), "text/html; charset=utf-8");
  res.set(http::field::cache_control, "no-cache");
  // The page is self-contained: inline style and script, data only from /stats.
  res.set("Content-Security-Policy",
          "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
          "connect-src 'self'; img-src data:");
  co_return res;
}

}  // namespace coroserve::handlers
