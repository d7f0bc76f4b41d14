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

}  // namespace corobench
