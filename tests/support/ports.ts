import { createServer } from "node:net";

/**
 * A port on 127.0.0.1 with nothing listening: the only kind of "unreachable" target a
 * test may use (never another address).
 */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
