/**
 * Every procedure of the API reference as it was before the model was renamed from
 * `Monitor` to `Monitor` (issue 27: tests/fixtures/compat/openapi-before-rename.json)
 * still exists, still accepts every input field it accepted, and still answers with
 * every output field it gave: names may be added beside the old ones (`monitorId`
 * beside `monitorId`), never put in their place. docs/openapi.json is generated from the
 * code and checked by `npm run docs:api -- --check`, so this compares the code's types.
 * The values themselves are compared by tests/integration/api-compat.test.ts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

type Schema = Record<string, unknown>;
type Doc = { paths: Record<string, Record<string, Schema>>; components?: { schemas?: Record<string, Schema> } };

const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8")) as Doc;
const before = read("../fixtures/compat/openapi-before-rename.json");
const now = read("../../docs/openapi.json");

/** Every field path a schema names (object properties, array items, each union branch). */
export function fieldPaths(doc: Doc, schema: unknown, path: string, into = new Set<string>()): Set<string> {
  if (!schema || typeof schema !== "object") return into;
  const node = schema as Schema;
  if (typeof node.$ref === "string") {
    const name = node.$ref.split("/").at(-1)!;
    return fieldPaths(doc, doc.components?.schemas?.[name], path, into);
  }
  into.add(path);
  for (const key of ["anyOf", "oneOf", "allOf"] as const)
    for (const branch of (node[key] as unknown[] | undefined) ?? []) fieldPaths(doc, branch, path, into);
  for (const [name, property] of Object.entries((node.properties as Record<string, unknown>) ?? {}))
    fieldPaths(doc, property, `${path}.${name}`, into);
  if (node.items) fieldPaths(doc, node.items, `${path}[]`, into);
  return into;
}

/** The input and output field paths of each operation, by procedure name. */
function operations(doc: Doc): Map<string, { input: Set<string>; output: Set<string> }> {
  const found = new Map<string, { input: Set<string>; output: Set<string> }>();
  for (const methods of Object.values(doc.paths)) {
    for (const operation of Object.values(methods)) {
      const id = operation.operationId as string;
      const input = new Set<string>();
      const body = (operation.requestBody as Schema | undefined)?.content as Record<string, Schema> | undefined;
      fieldPaths(doc, body?.["application/json"]?.schema, "input", input);
      for (const parameter of (operation.parameters as Schema[] | undefined) ?? []) {
        const content = parameter.content as Record<string, Schema> | undefined;
        fieldPaths(doc, content?.["application/json"]?.schema ?? parameter.schema, `input`, input);
      }
      const ok = (operation.responses as Record<string, Schema>)["200"]?.content as Record<string, Schema> | undefined;
      found.set(id, { input, output: fieldPaths(doc, ok?.["application/json"]?.schema, "output") });
    }
  }
  return found;
}

describe("the API keeps every procedure and field it had before the Monitor rename", () => {
  const old = operations(before);
  const current = operations(now);

  it("the capture is the whole API of then", () => {
    expect(old.size).toBeGreaterThan(70);
    expect([...old.values()].some((op) => [...op.output].some((path) => path.endsWith(".monitorId")))).toBe(true);
  });

  it.each([...old.keys()])("%s", (id) => {
    const then = old.get(id)!;
    const today = current.get(id);
    expect(today, `${id} still exists`).toBeDefined();
    expect(
      [...then.input].filter((path) => !today!.input.has(path)),
      "input fields no longer accepted",
    ).toEqual([]);
    expect(
      [...then.output].filter((path) => !today!.output.has(path)),
      "output fields no longer given",
    ).toEqual([]);
  });
});
