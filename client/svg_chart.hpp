#pragma once
#include <string>
#include <vector>

namespace corobench {

// A grouped bar chart: one group per category (e.g. "I/O alone"), one bar
// per series in each group (e.g. p50, p99). Plain SVG text, no library:
// a few rects and labels are all it takes.
struct BarChart {
  std::string title;
  std::string y_label;              // e.g. "latency (ms)"
  std::vector<std::string> series;  // legend, one colour each
  struct Group {
    std::string label;
    std::vector<double> values;  // one per series; negative: missing
  };
  std::vector<Group> groups;
  bool log_scale = false;  // for values spread over orders of magnitude
};

// Renders the chart as a standalone SVG document.
std::string render_svg(const BarChart& chart);

// Escapes text for SVG/XML content and attributes.
std::string xml_escape(const std::string& s);

// The pieces every chart here is drawn with (the bar chart above, the line
// chart of svg_line_chart.hpp): one look, one place.
namespace svg {

// The page and the plot area inside its margins.
struct Frame {
  double width = 760, height = 420;
  double left = 70, right = 20, top = 50, bottom = 70;
  double plot_w() const { return width - left - right; }
  double plot_h() const { return height - top - bottom; }
  double base() const { return top + plot_h(); }  // y of the value 0 (or the lowest decade)
};

std::string num(double v);          // a coordinate: "%.1f"
std::string tick_label(double v);   // a value on an axis: three significant digits at most
const char* colour(std::size_t i);  // of series i
double round_up(double v);          // a round number at or above v (1, 2, 5 times a power of 10)
// <svg ...>, a white page and the title centred on top.
std::string open(const std::string& title, const Frame& f);
// A colour swatch and name per series, left to right from (x, y).
std::string legend(const std::vector<std::string>& names, double x, double y);
// The title of a vertical axis, turned, left of the plot between `top` and `bottom`.
std::string y_title(const std::string& text, double top, double bottom);

}  // namespace svg

}  // namespace corobench
