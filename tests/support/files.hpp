#pragma once
// Files for tests: a temporary directory removed with its contents, and whole
// files read and written in one call.
#include <string>

namespace coroserve::test {

// A directory removed with its contents at the end of the test.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "coroserve-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Whole file, byte for byte, or "" if it cannot be read.
std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text);

}  // namespace coroserve::test
