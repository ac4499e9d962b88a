/**
 * The API reference, generated: every procedure reachable over /api/trpc with its HTTP
 * shape, who may call it, its input (from the zod schemas) and its output (from the
 * TypeScript types), as Markdown (docs/api.md) and as an OpenAPI 3.1 document
 * (docs/openapi.json) for generating clients in other languages.
 */
import { z } from "zod";
import { appRouter } from "../../app/trpc/root.server.ts";
import {
  internalProcedure,
  protectedProcedure,
  sessionProcedure,
  verifiedProcedure,
} from "../../app/trpc/init.server.ts";
import { readRouterTypes, type JsonSchema } from "./router-types.ts";
import { renderType } from "./render-type.ts";

interface ProcedureDef {
  _def: { type: "query" | "mutation" | "subscription"; inputs: z.ZodType[]; middlewares: unknown[] };
}

export interface ProcedureDoc {
  path: string;
  kind: "query" | "mutation";
  access: "anyone" | "signed in" | "signed in, verified email" | "signed-in session (not an API token), verified email";
  description: string;
  input: JsonSchema | null;
  output: JsonSchema;
}

const lastMiddleware = (procedure: unknown) => (procedure as ProcedureDef)._def.middlewares.at(-1);

function inputSchema(inputs: z.ZodType[]): JsonSchema | null {
  const schemas = inputs.map((input) => {
    const { $schema: _ignored, ...schema } = z.toJSONSchema(input, { io: "input", unrepresentable: "any" });
    return schema;
  });
  if (schemas.length === 0) return null;
  return schemas.length === 1 ? schemas[0]! : { allOf: schemas };
}

/** The public procedures, in the router's order; internal ones (our routes' own steps) are left out. */
export function collectProcedures(repoRoot: string): ProcedureDoc[] {
  const types = readRouterTypes(repoRoot);
  const procedures = (appRouter._def as unknown as { procedures: Record<string, ProcedureDef> }).procedures;
  const internal = lastMiddleware(internalProcedure);
  const signedIn = lastMiddleware(protectedProcedure);
  const verified = lastMiddleware(verifiedProcedure);
  const session = lastMiddleware(sessionProcedure);
  const docs: ProcedureDoc[] = [];
  for (const [path, procedure] of Object.entries(procedures)) {
    const { type, inputs, middlewares } = procedure._def;
    if (middlewares.includes(internal) || type === "subscription") continue;
    const types_ = types.get(path);
    if (!types_) throw new Error(`no type information for ${path}`);
    docs.push({
      path,
      kind: type,
      access: middlewares.includes(session)
        ? "signed-in session (not an API token), verified email"
        : middlewares.includes(verified)
          ? "signed in, verified email"
          : middlewares.includes(signedIn)
            ? "signed in"
            : "anyone",
      description: types_.description,
      input: inputSchema(inputs),
      output: types_.output,
    });
  }
  return docs;
}

const INTRO = `# API reference

Generated from the code by \`npm run docs:api\` (the zod input schemas and the procedures'
TypeScript output types); \`npm test\` fails when this file is out of date. The same
procedures serve the dashboard, so everything the dashboard does, a script can do. The
machine-readable form is [\`openapi.json\`](openapi.json) (OpenAPI 3.1): generate a client
from it in any language.

## Calling it

- **Base URL**: \`<APP_URL>/api/trpc\`, e.g. \`http://127.0.0.1:3000/api/trpc\`.
- **Authentication**: an API token (Account → API tokens) as \`Authorization: Bearer <token>\`.
  Procedures marked *anyone* need none.
- **Queries**: \`GET /api/trpc/<procedure>?input=<URL-encoded JSON>\` (omit \`input\` when
  there is none).
- **Mutations**: \`POST /api/trpc/<procedure>\` with the input as the JSON body
  (\`content-type: application/json\`).
- **Answers**: \`200 {"result":{"data": <output>}}\`. Dates are ISO 8601 strings (UTC).
- **Errors**: \`{"error":{"message","code","data":{"code","httpStatus","path","fieldErrors","retryAfterSeconds"}}}\`
  with the HTTP status of \`data.code\`: \`BAD_REQUEST\` 400 (\`fieldErrors\` names each
  wrong field and why), \`UNAUTHORIZED\` 401, \`FORBIDDEN\` 403 (also quotas),
  \`NOT_FOUND\` 404 (also anything of another account's), \`TOO_MANY_REQUESTS\` 429 (a
  spent rate limit: \`retryAfterSeconds\` and the \`Retry-After\` header say when to try again).
- **Batches**: \`?batch=1\` with inputs keyed by position, at most 20 calls a request.
- TypeScript clients can import the router's type instead: \`createTRPCClient<AppRouter>\`
  (see \`tests/types/typed-client.ts\`).

\`\`\`sh
curl -H "Authorization: Bearer $TOKEN" "$APP_URL/api/trpc/monitor.list"
curl -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
  -d '{"url":"https://example.com","intervalSeconds":60}' "$APP_URL/api/trpc/monitor.create"
\`\`\`

## Deprecated names

In release 0.1 a monitor was called a _website_ in the API. The old names still work,
beside the new ones; they will be removed no sooner than two releases after this one, and
this section will say in which:

- **Inputs** take \`websiteId\` for \`monitorId\` (\`statusPage.setMonitors\`) and
  \`websiteIds\` for \`monitorIds\` (\`statusPage.postAnnouncement\`, \`maintenance.create\`,
  \`maintenance.createRecurring\`). When both are sent, the new name wins.
- **Answers** carry \`websiteId\` beside \`monitorId\` (\`monitor.incidents\`, a status
  page's monitors, \`statusPage.incidents\`) and \`websiteIds\` beside \`monitorIds\`
  (announcements), with the same value.
- Webhook bodies and setup documents never used the old name: they are unchanged.
- A monitor's \`url\` for types other than HTTP (\`tcp://host:port\`, \`tls://host:port\`,
  the DNS name, \`heartbeat\`) is still answered, exported and sent in alerts as before;
  what such a monitor watches is in \`tcp\`, \`certificate\` and \`dns\`, which new
  integrations should read. It goes with the old names.

Types below are written TypeScript-style: \`?\` marks a field that may be left out,
comments give limits and defaults.
`;

export function renderMarkdown(procedures: ProcedureDoc[]): string {
  const groups = new Map<string, ProcedureDoc[]>();
  for (const procedure of procedures) {
    const group = procedure.path.includes(".") ? procedure.path.split(".")[0]! : "(top level)";
    groups.set(group, [...(groups.get(group) ?? []), procedure]);
  }
  const lines = [INTRO, "## Procedures", ""];
  for (const [group, members] of groups) {
    lines.push(
      `- **${group}**: ${members.map((procedure) => `[\`${procedure.path}\`](#${anchor(procedure.path)})`).join(", ")}`,
    );
  }
  lines.push("");
  for (const [group, members] of groups) {
    lines.push(`## ${group}`, "");
    for (const procedure of members) {
      const method = procedure.kind === "query" ? "GET" : "POST";
      lines.push(`### \`${procedure.path}\``, "");
      if (procedure.description) lines.push(procedure.description, "");
      lines.push(`${procedure.kind} · \`${method} /api/trpc/${procedure.path}\` · ${procedure.access}`, "");
      if (procedure.input) lines.push("Input:", "", "```ts", renderType(procedure.input), "```", "");
      else lines.push("Input: none.", "");
      lines.push("Output:", "", "```ts", renderType(procedure.output), "```", "");
    }
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

function anchor(path: string): string {
  return path.toLowerCase().replace(/[^a-z0-9]+/g, "");
}

export function renderOpenApi(procedures: ProcedureDoc[]): string {
  const paths: Record<string, unknown> = {};
  for (const procedure of procedures) {
    const security = procedure.access === "anyone" ? [] : [{ apiToken: [] }];
    const responses = {
      "200": {
        description: "The procedure's output.",
        content: {
          "application/json": {
            schema: {
              type: "object",
              properties: { result: { type: "object", properties: { data: procedure.output }, required: ["data"] } },
              required: ["result"],
            },
          },
        },
      },
      default: {
        description: "An error.",
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      },
    };
    const operation: Record<string, unknown> = {
      operationId: procedure.path,
      summary: procedure.description.split("\n")[0] || procedure.path,
      tags: [procedure.path.split(".")[0]],
      security,
      responses,
    };
    if (procedure.kind === "query") {
      if (procedure.input) {
        operation.parameters = [
          { name: "input", in: "query", required: true, content: { "application/json": { schema: procedure.input } } },
        ];
      }
      paths[`/api/trpc/${procedure.path}`] = { get: operation };
    } else {
      if (procedure.input) {
        operation.requestBody = { required: true, content: { "application/json": { schema: procedure.input } } };
      }
      paths[`/api/trpc/${procedure.path}`] = { post: operation };
    }
  }
  const document = {
    openapi: "3.1.0",
    info: {
      title: "Better Uptime API",
      version: "0.1.0",
      description: "tRPC procedures over HTTP. Generated by `npm run docs:api`; see docs/api.md.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "http://127.0.0.1:3000", description: "npm start's default (use your APP_URL)" }],
    paths,
    components: {
      securitySchemes: {
        apiToken: { type: "http", scheme: "bearer", description: "An API token (Account → API tokens)." },
      },
      schemas: {
        Error: {
          type: "object",
          properties: {
            error: {
              type: "object",
              properties: {
                message: { type: "string" },
                code: { type: "number" },
                data: {
                  type: "object",
                  properties: {
                    code: { type: "string" },
                    httpStatus: { type: "number" },
                    path: { type: "string" },
                    fieldErrors: {
                      anyOf: [
                        { type: "null" },
                        { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
                      ],
                    },
                    retryAfterSeconds: { anyOf: [{ type: "null" }, { type: "integer", minimum: 1 }] },
                  },
                },
              },
              required: ["message", "code", "data"],
            },
          },
          required: ["error"],
        },
      },
    },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
