/**
 * What TypeScript knows of the API and zod does not: each procedure's output type (as
 * JSON Schema, the shape it has on the wire — Dates as ISO strings, since the API uses
 * no transformer) and the comment written above it in its router.
 *
 * One program over the project's tsconfig plus a small virtual file naming
 * `inferRouterOutputs<AppRouter>`; the checker then walks each output type.
 */
import path from "node:path";
import ts from "typescript";

export type JsonSchema = Record<string, unknown>;

export interface ProcedureTypes {
  output: JsonSchema;
  description: string;
}

const VIRTUAL_FILE = "__api_docs__.ts";
const MAX_DEPTH = 12;

export function readRouterTypes(repoRoot: string): Map<string, ProcedureTypes> {
  const configPath = path.join(repoRoot, "tsconfig.json");
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      },
    },
  );
  if (!config) throw new Error("tsconfig.json could not be read");
  const virtualPath = path.join(repoRoot, VIRTUAL_FILE);
  const source = [
    `import type { inferRouterOutputs } from "@trpc/server";`,
    `import type { AppRouter } from "./app/trpc/root.server.ts";`,
    `import { appRouter } from "./app/trpc/root.server.ts";`,
    `export type Outputs = inferRouterOutputs<AppRouter>;`,
    `export const record = appRouter._def.record;`,
  ].join("\n");
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (file) => (file === virtualPath ? source : readFile(file));
  host.fileExists = (file) => file === virtualPath || fileExists(file);
  host.getSourceFile = (file, language, onError, shouldCreate) =>
    file === virtualPath
      ? ts.createSourceFile(file, source, language, true)
      : getSourceFile(file, language, onError, shouldCreate);
  const program = ts.createProgram({
    rootNames: [virtualPath, path.join(repoRoot, "app/trpc/root.server.ts")],
    options: { ...config.options, noEmit: true },
    host,
  });
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(virtualPath)!;
  const moduleSymbol = checker.getSymbolAtLocation(file)!;
  const exports = checker.getExportsOfModule(moduleSymbol);
  const outputs = checker.getDeclaredTypeOfSymbol(exports.find((symbol) => symbol.name === "Outputs")!);
  const recordSymbol = exports.find((symbol) => symbol.name === "record")!;
  const record = checker.getTypeOfSymbolAtLocation(recordSymbol, file);

  const result = new Map<string, ProcedureTypes>();
  const walk = (outputType: ts.Type, recordType: ts.Type | undefined, prefix: string) => {
    for (const property of checker.getPropertiesOfType(outputType)) {
      const name = prefix ? `${prefix}.${property.name}` : property.name;
      const type = checker.getTypeOfSymbolAtLocation(property, file);
      const recordProperty = recordType ? checker.getPropertyOfType(recordType, property.name) : undefined;
      const recordPropertyType = recordProperty && checker.getTypeOfSymbolAtLocation(recordProperty, file);
      // A procedure's entry in the record has `_def`; a nested router's record is plain.
      const isRouter = recordPropertyType && !checker.getPropertyOfType(recordPropertyType, "_def");
      if (isRouter) {
        walk(type, recordPropertyType, name);
        continue;
      }
      result.set(name, {
        output: toJsonSchema(checker, type, file, 0, new Set()),
        description: recordProperty ? ts.displayPartsToString(recordProperty.getDocumentationComment(checker)) : "",
      });
    }
  };
  walk(outputs, record, "");
  return result;
}

function toJsonSchema(
  checker: ts.TypeChecker,
  type: ts.Type,
  at: ts.Node,
  depth: number,
  seen: Set<ts.Type>,
): JsonSchema {
  if (depth > MAX_DEPTH || seen.has(type)) return {}; // recursive types (JSON values): anything
  const flags = type.getFlags();
  if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
  if (flags & ts.TypeFlags.Never) return { not: {} };
  if (flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)) return { type: "null" };
  if (flags & ts.TypeFlags.Null) return { type: "null" };
  if (flags & ts.TypeFlags.BooleanLiteral) return { const: checker.typeToString(type) === "true" };
  if (flags & ts.TypeFlags.Boolean) return { type: "boolean" };
  if (type.isStringLiteral()) return { const: type.value };
  if (type.isNumberLiteral()) return { const: type.value };
  if (flags & ts.TypeFlags.StringLike) return { type: "string" };
  if (flags & ts.TypeFlags.NumberLike) return { type: "number" };
  if (flags & ts.TypeFlags.BigIntLike) return { type: "string", description: "a big integer, as a string" };
  const next = new Set(seen).add(type);
  if (type.isUnion()) {
    const members = type.types.filter((member) => !(member.getFlags() & ts.TypeFlags.Undefined));
    const booleans = members.filter((member) => member.getFlags() & ts.TypeFlags.BooleanLiteral);
    const rest = members.filter((member) => !(member.getFlags() & ts.TypeFlags.BooleanLiteral));
    const schemas = rest.map((member) => toJsonSchema(checker, member, at, depth + 1, next));
    if (booleans.length === 2) schemas.unshift({ type: "boolean" });
    else for (const member of booleans) schemas.push(toJsonSchema(checker, member, at, depth + 1, next));
    const consts = schemas.every((schema) => "const" in schema) ? schemas.map((schema) => schema.const) : null;
    if (consts) return { enum: consts };
    return schemas.length === 1 ? schemas[0]! : { anyOf: schemas };
  }
  const symbolName = type.getSymbol()?.getName();
  if (symbolName === "Date") return { type: "string", format: "date-time" };
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    const [item] = checker.getTypeArguments(type as ts.TypeReference);
    return { type: "array", items: item ? toJsonSchema(checker, item, at, depth + 1, next) : {} };
  }
  if (flags & ts.TypeFlags.Object || type.isIntersection()) {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const property of checker.getPropertiesOfType(type)) {
      const propertyType = checker.getTypeOfSymbolAtLocation(property, at);
      if (propertyType.getCallSignatures().length > 0) continue; // methods do not cross the wire
      properties[property.name] = toJsonSchema(checker, propertyType, at, depth + 1, next);
      const optional = (property.getFlags() & ts.SymbolFlags.Optional) !== 0;
      if (!optional) required.push(property.name);
    }
    const indexType = checker.getIndexTypeOfType(type, ts.IndexKind.String);
    const schema: JsonSchema = { type: "object", properties };
    if (required.length) schema.required = required;
    if (indexType) schema.additionalProperties = toJsonSchema(checker, indexType, at, depth + 1, next);
    return schema;
  }
  return {};
}
