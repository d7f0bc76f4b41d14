#include "client/format.hpp"

#include <unistd.h>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "client/errors.hpp"

namespace corobench {

std::string format_number(const char* printf_format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, printf_format, v);
  return buf;
}

std::string format_duration_ns(double ns) {
  const char* units[] = {"ns", "us", "ms", "s"};
  int u = 0;
  double v = ns;
  // Switch units on the rounded value, so 999.7us prints as 1.00ms.
  while (u < 3 && std::fabs(v) >= 999.5) {
    v /= 1000;
    ++u;
  }
  const char* f = std::fabs(v) >= 99.95 ? "%.0f" : std::fabs(v) >= 9.995 ? "%.1f" : "%.2f";
  return format_number(f, v) + units[u];
}

std::string format_bytes(double b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (b >= 1024 && u < 4) {
    b /= 1024;
    ++u;
  }
  return format_number(u == 0 ? "%.0f" : "%.2f", b) + " " + units[u];
}

void check_writable(const std::string& path, const char* what) {
  if (path.empty() || path == "-") return;
  const std::filesystem::path file(path);
  std::error_code ec;
  const std::filesystem::path probe = std::filesystem::exists(file, ec) ? file
                                      : file.has_parent_path()          ? file.parent_path()
                                                                        : ".";
  if (::access(probe.c_str(), W_OK) != 0) {
    throw RunError(std::string("cannot write ") + what + " '" + path +
                   "': " + std::strerror(errno));
  }
}

void write_text_file(const std::string& path, const std::string& text, const char* what) {
  if (path == "-") {
    std::cout << text << std::flush;
    return;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out << text;
  if (out) out.flush();
  if (!out) {
    throw RunError(std::string("cannot write ") + what + " '" + path +
                   "': " + std::strerror(errno));
  }
}

}  // namespace corobench
