/**
 * Local stand-ins for the outside world, on 127.0.0.1 only: an SMTP server that keeps
 * what it receives (readable over HTTP as JSON), a fake GitHub OAuth provider + API, and
 * a DNS server answering from a table.
 */
import dgram from "node:dgram";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import dnsPacket from "dns-packet";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface CaughtMail {
  to: string[];
  subject: string;
  text: string;
}

export interface MailCatcher {
  smtpPort: number;
  apiUrl: string;
  messages: CaughtMail[];
  stop(): Promise<void>;
}

/** SMTP on `smtpPort`; GET `${apiUrl}/messages` lists what arrived. */
export async function startMailCatcher(smtpPort = 0, apiPort = 0): Promise<MailCatcher> {
  const messages: CaughtMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const to = [mail.to].flat().flatMap((address) => address?.value.map((v) => v.address ?? "") ?? []);
          messages.push({ to, subject: mail.subject ?? "", text: mail.text ?? "" });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  smtp.listen(smtpPort, "127.0.0.1");
  await once(smtp.server, "listening");
  const api = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(messages));
    void req;
  });
  api.listen(apiPort, "127.0.0.1");
  await once(api, "listening");
  return {
    smtpPort: (smtp.server.address() as AddressInfo).port,
    apiUrl: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
    messages,
    async stop() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise((resolve) => api.close(resolve));
    },
  };
}

export interface FakeGitHubUser {
  id: number;
  login: string;
  name: string;
  email: string;
}

export interface FakeGitHub {
  url: string;
  stop(): Promise<void>;
}

/**
 * GitHub's OAuth endpoints and the two API calls we make. "Authorize" approves at once
 * and sends the browser back with a code, as GitHub does for a user who already agreed.
 */
export async function startFakeGitHub(user: FakeGitHubUser, port = 0): Promise<FakeGitHub> {
  const codes = new Set<string>();
  const ACCESS_TOKEN = "gho_fake_access_token";
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (url.pathname === "/login/oauth/authorize") {
      const redirect = new URL(url.searchParams.get("redirect_uri") ?? "");
      const code = `code-${codes.size + 1}`;
      codes.add(code);
      redirect.searchParams.set("code", code);
      redirect.searchParams.set("state", url.searchParams.get("state") ?? "");
      res.writeHead(302, { location: redirect.toString() }).end();
    } else if (url.pathname === "/login/oauth/access_token" && req.method === "POST") {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const code = new URLSearchParams(body).get("code") ?? "";
        if (!codes.delete(code)) json(200, { error: "bad_verification_code", error_description: "unknown code" });
        else json(200, { access_token: ACCESS_TOKEN, token_type: "bearer", scope: "read:user,user:email" });
      });
    } else if (req.headers.authorization !== `Bearer ${ACCESS_TOKEN}`) {
      json(401, { message: "Bad credentials" });
    } else if (url.pathname === "/user") {
      json(200, {
        id: user.id,
        login: user.login,
        name: user.name,
        avatar_url: `http://127.0.0.1/avatars/${user.login}.png`,
      });
    } else if (url.pathname === "/user/emails") {
      json(200, [{ email: user.email, primary: true, verified: true }]);
    } else {
      json(404, { message: "Not Found" });
    }
  });
  server.listen(port, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface FakeDns {
  /** "127.0.0.1:port", as DNS_SERVERS takes it. */
  server: string;
  /** Set (or with `[]` remove) the TXT values at a name. */
  setTxt(name: string, values: string[]): void;
  /** Set (or with `[]` remove) a name's records of one type, as dns-packet writes their data. */
  setRecords(name: string, type: FakeRecordType, data: unknown[]): void;
  /** Never answer queries for this name (a resolver that hangs), or answer again. */
  setSilent(name: string, silent: boolean): void;
  /** PUT `${controlUrl}/txt/<name>` with a JSON array of values, from another process. */
  controlUrl: string | null;
  stop(): Promise<void>;
}

export type FakeRecordType = "A" | "AAAA" | "CNAME" | "MX" | "TXT" | "NS" | "CAA";

/**
 * An authoritative DNS server on 127.0.0.1 (UDP) answering from a table the test
 * controls: a name it holds records for answers (no data for other types); every other
 * name is NXDOMAIN; a silent name gets no answer at all. With `controlPort`, an HTTP API
 * sets TXT records from another process (the end-to-end tests' browser side).
 */
export async function startFakeDns(options: { port?: number; controlPort?: number } = {}): Promise<FakeDns> {
  const records = new Map<string, Map<string, unknown[]>>();
  const silent = new Set<string>();
  const key = (name: string) => name.toLowerCase().replace(/\.$/, "");
  const setRecords = (name: string, type: FakeRecordType, data: unknown[]) => {
    const byType = records.get(key(name)) ?? new Map<string, unknown[]>();
    if (data.length === 0) byType.delete(type);
    else byType.set(type, data);
    if (byType.size === 0) records.delete(key(name));
    else records.set(key(name), byType);
  };
  const setTxt = (name: string, values: string[]) => setRecords(name, "TXT", values);
  const socket = dgram.createSocket("udp4");
  socket.on("message", (message, peer) => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return; // not DNS: ignore, as a real server would
    }
    const question = query.questions?.[0];
    if (question && silent.has(key(question.name))) return;
    const byType = question ? records.get(key(question.name)) : undefined;
    const data = question && byType?.get(question.type) ? byType.get(question.type)! : [];
    const answers = data.map((value) => ({
      type: question!.type,
      name: question!.name,
      ttl: 1,
      data: value,
    })) as dnsPacket.Answer[];
    const NXDOMAIN = 3;
    const response = dnsPacket.encode({
      type: "response",
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | (byType ? 0 : NXDOMAIN),
      questions: query.questions,
      answers,
    });
    socket.send(response, peer.port, peer.address);
  });
  socket.bind(options.port ?? 0, "127.0.0.1");
  await once(socket, "listening");

  let control: http.Server | null = null;
  if (options.controlPort !== undefined) {
    control = http.createServer((req, res) => {
      const match = /^\/txt\/([^/]+)$/.exec(req.url ?? "");
      if (req.method !== "PUT" || !match) return void res.writeHead(404).end();
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        setTxt(decodeURIComponent(match[1]!), JSON.parse(body) as string[]);
        res.writeHead(204).end();
      });
    });
    control.listen(options.controlPort, "127.0.0.1");
    await once(control, "listening");
  }
  return {
    server: `127.0.0.1:${socket.address().port}`,
    setTxt,
    setRecords,
    setSilent: (name, on) => void (on ? silent.add(key(name)) : silent.delete(key(name))),
    controlUrl: control ? `http://127.0.0.1:${(control.address() as AddressInfo).port}` : null,
    async stop() {
      await new Promise<void>((resolve) => socket.close(() => resolve()));
      if (control) await new Promise((resolve) => control.close(resolve));
    },
  };
}
