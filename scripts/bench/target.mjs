// The benchmark's HTTP target: answers every request with a small 200, on 127.0.0.1
// only, in its own process so its CPU is not counted as the runner's. Prints its port.
import http from "node:http";

const server = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain", connection: "close" });
  res.end("ok");
});
server.keepAliveTimeout = 1;
server.listen(0, "127.0.0.1", () => {
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  process.stdout.write(`${address.port}\n`);
});
process.on("SIGTERM", () => process.exit(0));
