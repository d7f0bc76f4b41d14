#pragma once
// A reference table in GitHub Markdown. The README's tables of options and
// endpoints are printed from the code's own tables through this, so the
// documentation cannot drift from what the binaries do.
#include <string>
#include <vector>

namespace coroserve {

using TableRow = std::vector<std::string>;

// One header row, a rule, then the rows; '|' inside a cell is escaped.
std::string markdown_table(const TableRow& header, const std::vector<TableRow>& rows);

}  // namespace coroserve
