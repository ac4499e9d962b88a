/**
 * A TCP proxy on 127.0.0.1 in front of a server (PostgreSQL), which the test can make
 * hang: while paused, bytes are held in both directions and new connections wait, as
 * over a network path that silently stopped delivering. Resumed, everything flows again.
 */
import { once } from "node:events";
import net from "node:net";

export interface TcpProxy {
  port: number;
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let paused = false;
  const waiting = new Set<() => void>();
  const sockets = new Set<net.Socket>();
  const whenFlowing = () => (paused ? new Promise<void>((resolve) => waiting.add(resolve)) : Promise.resolve());

  /** Copies `from` to `to`, holding the bytes while paused. */
  const relay = (from: net.Socket, to: net.Socket) => {
    let chain = Promise.resolve();
    from.on("data", (chunk: Buffer) => {
      chain = chain.then(whenFlowing).then(() => void to.write(chunk));
    });
    from.on("end", () => void chain.then(() => to.end()));
  };

  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("error", () => undefined);
    client.once("close", () => sockets.delete(client));
    client.pause();
    void whenFlowing().then(() => {
      const upstream = net.connect(targetPort, "127.0.0.1");
      sockets.add(upstream);
      upstream.on("error", () => client.destroy());
      upstream.once("close", () => {
        sockets.delete(upstream);
        client.destroy();
      });
      client.once("close", () => upstream.destroy());
      relay(client, upstream);
      relay(upstream, client);
      client.resume();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: (server.address() as net.AddressInfo).port,
    pause: () => (paused = true),
    resume() {
      paused = false;
      for (const resolve of waiting) resolve();
      waiting.clear();
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
