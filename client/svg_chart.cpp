#include "client/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace corobench {

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string value_label(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
  return buf;
}

constexpr const char* kColours[] = {"#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#76b7b2"};

}  // namespace

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string render_svg(const BarChart& c) {
  const double width = 760, height = 420;
  const double left = 70, right = 20, top = 50, bottom = 70;
  const double plot_w = width - left - right, plot_h = height - top - bottom;

  double vmax = 0, vmin_pos = 0;
  for (const auto& g : c.groups) {
    for (double v : g.values) {
      if (v <= 0) continue;
      vmax = std::max(vmax, v);
      vmin_pos = vmin_pos == 0 ? v : std::min(vmin_pos, v);
    }
  }
  if (vmax <= 0) vmax = 1;
  // Linear: 0 .. a round number above the max. Log: whole decades.
  double lo = 0, hi = 0;
  if (c.log_scale) {
    // Half the smallest value still gets a visible bar above the axis.
    lo = std::floor(std::log10(vmin_pos > 0 ? vmin_pos / 2 : 1));
    hi = std::ceil(std::log10(vmax));
    if (hi <= lo) hi = lo + 1;
  } else {
    const double step = std::pow(10, std::floor(std::log10(vmax)));
    hi = std::ceil(vmax / step) * step;
  }
  auto y_of = [&](double v) {
    double f = 0;
    if (c.log_scale) {
      f = v > 0 ? (std::log10(v) - lo) / (hi - lo) : 0;
    } else {
      f = v / hi;
    }
    return top + plot_h * (1 - std::clamp(f, 0.0, 1.0));
  };

  std::string s;
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" +
       num(height) + "\" viewBox=\"0 0 " + num(width) + " " + num(height) +
       "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  s += "<text x=\"" + num(width / 2) + "\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">" +
       xml_escape(c.title) + "</text>\n";
  // Grid lines and tick labels.
  std::vector<double> ticks;
  if (c.log_scale) {
    for (double e = lo; e <= hi; ++e) ticks.push_back(std::pow(10, e));
  } else {
    for (int i = 0; i <= 5; ++i) ticks.push_back(hi * i / 5);
  }
  for (double t : ticks) {
    const double y = y_of(t);
    s += "<line x1=\"" + num(left) + "\" y1=\"" + num(y) + "\" x2=\"" + num(width - right) +
         "\" y2=\"" + num(y) + "\" stroke=\"#ddd\"/>\n";
    s += "<text x=\"" + num(left - 6) + "\" y=\"" + num(y + 4) + "\" text-anchor=\"end\">" +
         value_label(t) + "</text>\n";
  }
  s += "<text transform=\"translate(16," + num(top + plot_h / 2) +
       ") rotate(-90)\" text-anchor=\"middle\">" + xml_escape(c.y_label) +
       (c.log_scale ? " (log scale)" : "") + "</text>\n";

  const std::size_t ng = std::max<std::size_t>(c.groups.size(), 1);
  const std::size_t ns = std::max<std::size_t>(c.series.size(), 1);
  const double group_w = plot_w / static_cast<double>(ng);
  const double bar_w = group_w * 0.7 / static_cast<double>(ns);
  for (std::size_t g = 0; g < c.groups.size(); ++g) {
    const double gx = left + group_w * static_cast<double>(g) + group_w * 0.15;
    for (std::size_t i = 0; i < c.groups[g].values.size() && i < ns; ++i) {
      const double v = c.groups[g].values[i];
      if (v < 0) continue;
      const double x = gx + bar_w * static_cast<double>(i);
      const double y = y_of(v);
      s += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(bar_w - 2) +
           "\" height=\"" + num(top + plot_h - y) + "\" fill=\"" + kColours[i % 5] + "\"/>\n";
      s += "<text x=\"" + num(x + bar_w / 2 - 1) + "\" y=\"" + num(y - 4) +
           "\" text-anchor=\"middle\" font-size=\"11\">" + value_label(v) + "</text>\n";
    }
    s += "<text x=\"" + num(gx + group_w * 0.35) + "\" y=\"" + num(top + plot_h + 18) +
         "\" text-anchor=\"middle\">" + xml_escape(c.groups[g].label) + "</text>\n";
  }
  s += "<line x1=\"" + num(left) + "\" y1=\"" + num(top + plot_h) + "\" x2=\"" +
       num(width - right) + "\" y2=\"" + num(top + plot_h) + "\" stroke=\"#333\"/>\n";
  // Legend along the bottom.
  double lx = left;
  for (std::size_t i = 0; i < c.series.size(); ++i) {
    s += "<rect x=\"" + num(lx) + "\" y=\"" + num(height - 24) +
         "\" width=\"12\" height=\"12\" fill=\"" + kColours[i % 5] + "\"/>\n";
    s += "<text x=\"" + num(lx + 16) + "\" y=\"" + num(height - 14) + "\">" +
         xml_escape(c.series[i]) + "</text>\n";
    lx += 30 + 7.0 * static_cast<double>(c.series[i].size());
  }
  s += "</svg>\n";
  return s;
}

}  // namespace corobench
