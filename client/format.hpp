#pragma once
#include <string>

namespace corobench {

// One number through a printf format such as "%.2f".
std::string format_number(const char* printf_format, double v);

// "31.2us", "1.23ms", "2.50s": three significant digits, the histogram's
// precision, in the largest unit that keeps the number below 1000.
std::string format_duration_ns(double ns);

// "512 B", "1.50 KiB", "3.20 MiB".
std::string format_bytes(double bytes);

// Writes `text` to `path` ("-" = stdout); throws RunError when it cannot.
void write_text_file(const std::string& path, const std::string& text, const char* what);

// Throws the RunError write_text_file() would, before a run rather than
// after it: the file (or, for a new one, its directory) must be writable.
// Creates nothing.
void check_writable(const std::string& path, const char* what);

}  // namespace corobench
