#include "client/timeline_svg.hpp"

#include <algorithm>

namespace corobench {

namespace {

constexpr double kShortestSecond = 0.25;

// The middle of the part of the second the run covered: a short warmup
// second is cut at its start, a short last second at its end.
double middle(const SeriesPoint& p) {
  return p.warmup ? p.t_s + 1 - p.duration_s / 2 : p.t_s + p.duration_s / 2;
}

double ms(double us) {
  return us / 1000.0;
}

}  // namespace

LineChart timeline_chart(const std::vector<SeriesPoint>& points, const std::string& title) {
  LineChart c;
  c.title = title;
  c.x_label = "time from the end of warmup (s)";
  LineChart::Panel rate{"throughput (req/s)", {{"requests/s", {}}}};
  LineChart::Panel latency{"2xx latency (ms)", {{"p50", {}}, {"p99", {}}}};
  double warm_from = 0;
  for (const SeriesPoint& p : points) {
    if (p.warmup) warm_from = std::min(warm_from, p.t_s + 1 - p.duration_s);
    if (p.duration_s < kShortestSecond) continue;
    c.x.push_back(middle(p));
    rate.series[0].y.push_back(p.responses_per_s());
    latency.series[0].y.push_back(ms(p.p50_us));
    latency.series[1].y.push_back(ms(p.p99_us));
  }
  c.panels = {std::move(rate), std::move(latency)};
  if (warm_from < 0) c.band = LineChart::Band{warm_from, 0, "warmup"};
  return c;
}

std::string timeline_svg(const std::vector<SeriesPoint>& points, const std::string& title) {
  return render_svg(timeline_chart(points, title));
}

std::string timeline_svg(const RunResult& r) {
  const LoadPlan& p = r.plan;
  const std::string what = p.requests.size() > 1 ? "a mix of " + std::to_string(p.requests.size()) +
                                                       " lines at " + p.target.url
                                                 : p.requests.front().method + " " + p.target.url;
  return timeline_svg(series_points(r),
                      "corobench: " + what + ", " + std::to_string(p.connections) + " connections");
}

}  // namespace corobench
