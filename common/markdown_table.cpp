#include "common/markdown_table.hpp"

namespace coroserve {

namespace {

void append_row(std::string& out, const TableRow& cells) {
  out += '|';
  for (const auto& cell : cells) {
    out += ' ';
    for (char c : cell) {
      if (c == '|') out += '\\';
      out += c == '\n' ? ' ' : c;
    }
    out += " |";
  }
  out += '\n';
}

}  // namespace

std::string markdown_table(const TableRow& header, const std::vector<TableRow>& rows) {
  std::string out;
  append_row(out, header);
  out += '|';
  for (std::size_t i = 0; i < header.size(); ++i) out += " --- |";
  out += '\n';
  for (const auto& row : rows) append_row(out, row);
  return out;
}

}  // namespace coroserve
