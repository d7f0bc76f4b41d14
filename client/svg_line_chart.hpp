#pragma once
#include <optional>
#include <string>
#include <vector>

namespace corobench {

// Lines over a shared x axis, in panels stacked one above the other, each
// with its own y axis (e.g. throughput above, latency below): two scales
// never share one axis. Drawn with the bar chart's pieces (svg_chart.hpp).
struct LineChart {
  struct Series {
    std::string name;       // legend; also the polyline's data-series attribute
    std::vector<double> y;  // one per x; NaN: no value (the line breaks there)
  };
  struct Panel {
    std::string y_label;
    std::vector<Series> series;
  };
  // A shaded stretch of x with a label, e.g. warmup.
  struct Band {
    double from = 0, to = 0;
    std::string label;
  };

  std::string title;
  std::string x_label;
  std::vector<double> x;  // increasing
  std::vector<Panel> panels;
  std::optional<Band> band;
};

// Renders the chart as a standalone SVG document.
std::string render_svg(const LineChart& chart);

}  // namespace corobench
