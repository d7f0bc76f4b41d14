// --timeline's chart, from samples made up here: it is XML, it has the
// throughput and latency lines, the warmup band and the axis labels.
#include <gtest/gtest.h>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <map>
#include <sstream>

#include "client/timeline_svg.hpp"

namespace {

using namespace corobench;
namespace pt = boost::property_tree;

std::vector<SeriesPoint> samples() {
  std::vector<SeriesPoint> v;
  for (int t = -2; t < 8; ++t) {
    SeriesPoint p;
    p.t_s = t;
    p.warmup = t < 0;
    p.duration_s = t == 7 ? 0.5 : 1.0;
    p.ok = 1000 + 10 * static_cast<std::uint64_t>(t + 2);
    // Second 3 had no 2xx answer: the latency lines break there.
    if (t != 3) {
      p.p50_us = 500;
      p.p99_us = 2000;
    }
    v.push_back(p);
  }
  return v;
}

struct Found {
  std::map<std::string, int> polylines;  // data-series -> count
  int bands = 0;
  std::vector<std::string> texts;
};

void walk(const pt::ptree& node, Found& f) {
  for (const auto& [name, child] : node) {
    if (name == "polyline") ++f.polylines[child.get<std::string>("<xmlattr>.data-series", "")];
    if (name == "rect" && child.get<std::string>("<xmlattr>.class", "") == "band") ++f.bands;
    if (name == "text") f.texts.push_back(child.get_value<std::string>());
    walk(child, f);
  }
}

bool has_text(const Found& f, const std::string& s) {
  for (const auto& t : f.texts) {
    if (t.find(s) != std::string::npos) return true;
  }
  return false;
}

TEST(ClientTimelineSvg, ParsesAndHasSeriesBandAndAxisLabels) {
  const std::string svg = timeline_svg(samples(), "a run & its <seconds>");
  std::istringstream in(svg);
  pt::ptree doc;
  ASSERT_NO_THROW(pt::read_xml(in, doc)) << svg;
  ASSERT_EQ(doc.count("svg"), 1u);
  Found f;
  walk(doc, f);
  EXPECT_EQ(f.polylines["requests/s"], 1);
  EXPECT_EQ(f.polylines["p50"], 2);  // broken at second 3
  EXPECT_EQ(f.polylines["p99"], 2);
  EXPECT_EQ(f.bands, 2);  // one per panel
  EXPECT_TRUE(has_text(f, "warmup"));
  EXPECT_TRUE(has_text(f, "throughput (req/s)"));
  EXPECT_TRUE(has_text(f, "2xx latency (ms)"));
  EXPECT_TRUE(has_text(f, "time from the end of warmup (s)"));
  EXPECT_TRUE(has_text(f, "a run & its <seconds>"));
}

TEST(ClientTimelineSvg, NoWarmupNoBand) {
  auto v = samples();
  std::erase_if(v, [](const SeriesPoint& p) { return p.warmup; });
  const LineChart c = timeline_chart(v, "t");
  EXPECT_FALSE(c.band.has_value());
  ASSERT_EQ(c.panels.size(), 2u);
  ASSERT_EQ(c.x.size(), v.size());
  EXPECT_DOUBLE_EQ(c.x.back(), 7.25);  // the middle of the half second covered
  EXPECT_DOUBLE_EQ(c.panels[0].series[0].y.back(), 1090 / 0.5);
}

}  // namespace
