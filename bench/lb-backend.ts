// A target for bench/lb.ts: a plain node:http server answering a small body on any path,
// as a minimal web task behind a load balancer would. Prints its address when ready.
import http from 'node:http';

const body = Buffer.from('ok\n');
const server = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length }).end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  if (addr && typeof addr === 'object') process.stdout.write(`ready at http://127.0.0.1:${addr.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
