// Node.js peer for `make bench`: the built-in `http` module, one
// process, one thread, the same 13-byte body as coroserve's /plaintext.
//
//   node bench/peers/node_plaintext.js PORT
//
// Keep-alive timeouts are raised so that idle connections stay open for the
// RSS measurement (Node's default keepAliveTimeout is 5 s).
'use strict';
const http = require('http');

const port = Number(process.argv[2] || 0);
const body = Buffer.from('Hello, World!');

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 120000;
server.headersTimeout = 121000;
server.requestTimeout = 0;
server.maxRequestsPerSocket = 0;
server.maxConnections = 100000;
server.listen(port, '127.0.0.1', 16384, () => {
  console.log(`node_plaintext listening on 127.0.0.1:${server.address().port}`);
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => process.exit(0));
}
