// The benchmark's HTTP target: answers every request with a small 200, on 127.0.0.1
// only, in its own process so its CPU is not counted as the runner's. Prints its port.
// Keep-alive like most servers: the client (a check, the bare loop) closes each
// connection itself once it has read the answer.
import http from "node:http";

const server = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("ok");
});
server.keepAliveTimeout = 5_000; // as servers commonly announce it
server.listen(0, "127.0.0.1", () => {
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  process.stdout.write(`${address.port}\n`);
});
process.on("SIGTERM", () => process.exit(0));
