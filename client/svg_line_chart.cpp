#include "client/svg_line_chart.hpp"

#include <algorithm>
#include <cmath>

#include "client/svg_chart.hpp"

namespace corobench {

using svg::num;

namespace {

constexpr double kPanelHeight = 190;
constexpr double kPanelGap = 50;
constexpr double kTop = 50;
constexpr double kBottom = 50;

// The x axis: the data's range, with ticks at a round step.
struct XAxis {
  double lo = 0, hi = 1;
  double x_of(double v, const svg::Frame& f) const {
    return f.left + f.plot_w() * (v - lo) / (hi - lo);
  }
  double step() const { return svg::round_up((hi - lo) / 8); }
};

XAxis fit_x(const LineChart& c) {
  XAxis a;
  for (double v : c.x) {
    a.lo = std::min(a.lo, v);
    a.hi = std::max(a.hi, v);
  }
  if (c.band) {
    a.lo = std::min(a.lo, c.band->from);
    a.hi = std::max(a.hi, c.band->to);
  }
  if (a.hi <= a.lo) a.hi = a.lo + 1;
  return a;
}

double panel_max(const LineChart::Panel& p) {
  double m = 0;
  for (const auto& s : p.series) {
    for (double v : s.y) {
      if (!std::isnan(v)) m = std::max(m, v);
    }
  }
  return svg::round_up(m);
}

// Panel i's frame on a page of `height`.
svg::Frame panel_frame(std::size_t i, double height) {
  svg::Frame f;
  f.height = height;
  f.top = kTop + static_cast<double>(i) * (kPanelHeight + kPanelGap);
  f.bottom = height - f.top - kPanelHeight;
  return f;
}

// Grid lines with tick labels, the axis title, and the panel's legend above it.
std::string y_axis(const LineChart::Panel& p, const svg::Frame& f, double hi) {
  std::string s;
  for (int i = 0; i <= 4; ++i) {
    const double v = hi * i / 4;
    const double y = f.base() - f.plot_h() * i / 4;
    s += "<line x1=\"" + num(f.left) + "\" y1=\"" + num(y) + "\" x2=\"" + num(f.width - f.right) +
         "\" y2=\"" + num(y) + "\" stroke=\"#ddd\"/>\n";
    s += "<text x=\"" + num(f.left - 6) + "\" y=\"" + num(y + 4) + "\" text-anchor=\"end\">" +
         svg::tick_label(v) + "</text>\n";
  }
  s += svg::y_title(p.y_label, f.top, f.base());
  std::vector<std::string> names;
  for (const auto& ser : p.series) names.push_back(ser.name);
  s += svg::legend(names, f.left, f.top - 18);
  return s;
}

// One series as polylines, broken where it has no value.
std::string lines(const LineChart& c, const LineChart::Series& ser, std::size_t colour,
                  const svg::Frame& f, const XAxis& xa, double hi) {
  std::string s, pts;
  auto flush = [&] {
    if (!pts.empty()) {
      s += "<polyline class=\"series\" data-series=\"" + xml_escape(ser.name) +
           "\" fill=\"none\" stroke-width=\"1.5\" stroke=\"" + svg::colour(colour) +
           "\" points=\"" + pts + "\"/>\n";
    }
    pts.clear();
  };
  for (std::size_t i = 0; i < c.x.size() && i < ser.y.size(); ++i) {
    if (std::isnan(ser.y[i])) {
      flush();
      continue;
    }
    const double y = f.base() - f.plot_h() * std::clamp(ser.y[i] / hi, 0.0, 1.0);
    // Appended piece by piece: GCC 12 warns falsely on `"," + std::string`.
    if (!pts.empty()) pts += ' ';
    pts += num(xa.x_of(c.x[i], f));
    pts += ',';
    pts += num(y);
  }
  flush();
  return s;
}

std::string band(const LineChart& c, const svg::Frame& f, const XAxis& xa) {
  if (!c.band) return {};
  const double x0 = xa.x_of(c.band->from, f), x1 = xa.x_of(c.band->to, f);
  return "<rect class=\"band\" x=\"" + num(x0) + "\" y=\"" + num(f.top) + "\" width=\"" +
         num(x1 - x0) + "\" height=\"" + num(f.plot_h()) +
         "\" fill=\"#888\" fill-opacity=\"0.18\"/>\n<text class=\"band-label\" x=\"" +
         num((x0 + x1) / 2) + "\" y=\"" + num(f.top + 14) +
         "\" text-anchor=\"middle\" fill=\"#555\">" + xml_escape(c.band->label) + "</text>\n";
}

// Ticks and labels along the bottom panel, and the axis title.
std::string x_axis(const LineChart& c, const svg::Frame& f, const XAxis& xa) {
  std::string s = "<line x1=\"" + num(f.left) + "\" y1=\"" + num(f.base()) + "\" x2=\"" +
                  num(f.width - f.right) + "\" y2=\"" + num(f.base()) + "\" stroke=\"#333\"/>\n";
  const double step = xa.step();
  for (double v = std::ceil(xa.lo / step) * step; v <= xa.hi + 1e-9; v += step) {
    s += "<text x=\"" + num(xa.x_of(v, f)) + "\" y=\"" + num(f.base() + 16) +
         "\" text-anchor=\"middle\">" + svg::tick_label(v) + "</text>\n";
  }
  s += "<text x=\"" + num(f.left + f.plot_w() / 2) + "\" y=\"" + num(f.base() + 36) +
       "\" text-anchor=\"middle\">" + xml_escape(c.x_label) + "</text>\n";
  return s;
}

}  // namespace

std::string render_svg(const LineChart& c) {
  const std::size_t n = std::max<std::size_t>(c.panels.size(), 1);
  const double height = kTop + static_cast<double>(n) * kPanelHeight +
                        static_cast<double>(n - 1) * kPanelGap + kBottom;
  const XAxis xa = fit_x(c);
  std::string s = svg::open(c.title, panel_frame(0, height));
  for (std::size_t p = 0; p < c.panels.size(); ++p) {
    const svg::Frame f = panel_frame(p, height);
    const double hi = panel_max(c.panels[p]);
    s += band(c, f, xa);
    s += y_axis(c.panels[p], f, hi);
    for (std::size_t i = 0; i < c.panels[p].series.size(); ++i) {
      s += lines(c, c.panels[p].series[i], i, f, xa, hi);
    }
  }
  s += x_axis(c, panel_frame(n - 1, height), xa);
  return s + "</svg>\n";
}

}  // namespace corobench
