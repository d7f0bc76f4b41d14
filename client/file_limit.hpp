#pragma once

namespace corobench {

// Makes room for `connections` sockets and `threads` event loops before a
// run: raises the soft limit on open files (ulimit -n) up to the hard one
// when it is short. Throws a UsageError naming both numbers when even the
// hard limit is short (or cannot be raised to); otherwise the connections
// past it would fail with EMFILE, which a run would report as the server
// refusing connections.
void ensure_file_limit(unsigned connections, unsigned threads);

}  // namespace corobench
