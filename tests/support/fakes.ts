/**
 * Local stand-ins for the outside world, on 127.0.0.1 only: an SMTP server that keeps
 * what it receives (readable over HTTP as JSON), and a fake GitHub OAuth provider + API.
 */
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
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
