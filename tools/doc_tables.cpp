// Prints one of the reference tables the README and docs/ show, from the
// code's own tables, so that the documentation cannot drift from what the
// binaries do. scripts/docs_tables.py puts them in place (`make docs`) and
// checks they are fresh (a CTest test).
//
//   doc_tables coroserve-options     the server's options (server/config.cpp)
//   doc_tables coroserve-endpoints   its endpoints and their parameters (server/endpoints.cpp)
//   doc_tables corobench-options     corobench's options (client/options.cpp)
//   doc_tables corobench-demo-options  the options of `corobench demo`
#include <cstdio>
#include <functional>
#include <map>
#include <string>

#include "client/options.hpp"
#include "server/config.hpp"
#include "server/endpoints.hpp"

int main(int argc, char** argv) {
  const std::map<std::string, std::function<std::string()>> tables = {
      {"coroserve-options", coroserve::options_markdown},
      {"coroserve-endpoints", coroserve::endpoints_markdown},
      {"corobench-options", corobench::options_markdown},
      {"corobench-demo-options", corobench::demo_options_markdown},
  };
  const auto table = argc == 2 ? tables.find(argv[1]) : tables.end();
  if (table == tables.end()) {
    std::fprintf(stderr, "usage: doc_tables NAME, one of:");
    for (const auto& [name, print] : tables) std::fprintf(stderr, " %s", name.c_str());
    std::fprintf(stderr, "\n");
    return 2;
  }
  std::fputs(table->second().c_str(), stdout);
  return 0;
}
