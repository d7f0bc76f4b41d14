#include "client/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace corobench {

namespace svg {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string tick_label(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
  return buf;
}

const char* colour(std::size_t i) {
  constexpr const char* kColours[] = {"#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#76b7b2"};
  return kColours[i % 5];
}

double round_up(double v) {
  if (v <= 0) return 1;
  const double step = std::pow(10, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * step >= v) return m * step;
  }
  return 10 * step;
}

std::string open(const std::string& title, const Frame& f) {
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(f.width) +
                  "\" height=\"" + num(f.height) + "\" viewBox=\"0 0 " + num(f.width) + " " +
                  num(f.height) + "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  s += "<text x=\"" + num(f.width / 2) + "\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">" +
       xml_escape(title) + "</text>\n";
  return s;
}

std::string legend(const std::vector<std::string>& names, double x, double y) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) {
    s += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"12\" height=\"12\" fill=\"" +
         colour(i) + "\"/>\n";
    s += "<text x=\"" + num(x + 16) + "\" y=\"" + num(y + 10) + "\">" + xml_escape(names[i]) +
         "</text>\n";
    x += 30 + 7.0 * static_cast<double>(names[i].size());
  }
  return s;
}

std::string y_title(const std::string& text, double top, double bottom) {
  return "<text transform=\"translate(16," + num((top + bottom) / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">" + xml_escape(text) + "</text>\n";
}

}  // namespace svg

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

namespace {

using svg::Frame;
using svg::num;

// The value axis. Linear: 0 up to a round number above the largest value.
// Log: whole decades, from below half the smallest value (so that it still
// gets a visible bar) to above the largest.
struct ValueAxis {
  bool log = false;
  double lo = 0, hi = 0;

  static ValueAxis fit(const BarChart& c) {
    double vmax = 0, vmin_pos = 0;
    for (const auto& g : c.groups) {
      for (double v : g.values) {
        if (v <= 0) continue;
        vmax = std::max(vmax, v);
        vmin_pos = vmin_pos == 0 ? v : std::min(vmin_pos, v);
      }
    }
    if (vmax <= 0) vmax = 1;
    ValueAxis a;
    a.log = c.log_scale;
    if (a.log) {
      a.lo = std::floor(std::log10(vmin_pos > 0 ? vmin_pos / 2 : 1));
      a.hi = std::ceil(std::log10(vmax));
      if (a.hi <= a.lo) a.hi = a.lo + 1;
    } else {
      const double step = std::pow(10, std::floor(std::log10(vmax)));
      a.hi = std::ceil(vmax / step) * step;
    }
    return a;
  }

  // Where `v` sits on the page.
  double y_of(double v, const Frame& f) const {
    double frac = 0;
    if (log) {
      frac = v > 0 ? (std::log10(v) - lo) / (hi - lo) : 0;
    } else {
      frac = v / hi;
    }
    return f.top + f.plot_h() * (1 - std::clamp(frac, 0.0, 1.0));
  }

  std::vector<double> ticks() const {
    std::vector<double> t;
    if (log) {
      for (double e = lo; e <= hi; ++e) t.push_back(std::pow(10, e));
    } else {
      for (int i = 0; i <= 5; ++i) t.push_back(hi * i / 5);
    }
    return t;
  }
};

// Grid lines with their tick labels, and the axis title.
std::string value_axis(const BarChart& c, const Frame& f, const ValueAxis& a) {
  std::string s;
  for (double t : a.ticks()) {
    const double y = a.y_of(t, f);
    s += "<line x1=\"" + num(f.left) + "\" y1=\"" + num(y) + "\" x2=\"" + num(f.width - f.right) +
         "\" y2=\"" + num(y) + "\" stroke=\"#ddd\"/>\n";
    s += "<text x=\"" + num(f.left - 6) + "\" y=\"" + num(y + 4) + "\" text-anchor=\"end\">" +
         svg::tick_label(t) + "</text>\n";
  }
  s += svg::y_title(c.y_label + (a.log ? " (log scale)" : ""), f.top, f.base());
  return s;
}

// One bar with its value on top; the colour says the series.
std::string bar(double x, double w, double v, std::size_t series, const Frame& f,
                const ValueAxis& a) {
  const double y = a.y_of(v, f);
  return "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w - 2) + "\" height=\"" +
         num(f.base() - y) + "\" fill=\"" + svg::colour(series) + "\"/>\n" + "<text x=\"" +
         num(x + w / 2 - 1) + "\" y=\"" + num(y - 4) +
         "\" text-anchor=\"middle\" font-size=\"11\">" + svg::tick_label(v) + "</text>\n";
}

// The groups side by side, each a bar per series (missing values left out)
// over its label, then the baseline.
std::string series_bars(const BarChart& c, const Frame& f, const ValueAxis& a) {
  const std::size_t ng = std::max<std::size_t>(c.groups.size(), 1);
  const std::size_t ns = std::max<std::size_t>(c.series.size(), 1);
  const double group_w = f.plot_w() / static_cast<double>(ng);
  const double bar_w = group_w * 0.7 / static_cast<double>(ns);
  std::string s;
  for (std::size_t g = 0; g < c.groups.size(); ++g) {
    const double gx = f.left + group_w * static_cast<double>(g) + group_w * 0.15;
    for (std::size_t i = 0; i < c.groups[g].values.size() && i < ns; ++i) {
      const double v = c.groups[g].values[i];
      if (v >= 0) s += bar(gx + bar_w * static_cast<double>(i), bar_w, v, i, f, a);
    }
    s += "<text x=\"" + num(gx + group_w * 0.35) + "\" y=\"" + num(f.base() + 18) +
         "\" text-anchor=\"middle\">" + xml_escape(c.groups[g].label) + "</text>\n";
  }
  s += "<line x1=\"" + num(f.left) + "\" y1=\"" + num(f.base()) + "\" x2=\"" +
       num(f.width - f.right) + "\" y2=\"" + num(f.base()) + "\" stroke=\"#333\"/>\n";
  return s;
}

}  // namespace

std::string render_svg(const BarChart& c) {
  const Frame f;
  const ValueAxis a = ValueAxis::fit(c);
  return svg::open(c.title, f) + value_axis(c, f, a) + series_bars(c, f, a) +
         svg::legend(c.series, f.left, f.height - 24) + "</svg>\n";
}

}  // namespace corobench
