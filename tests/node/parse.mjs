// Parse an AsyncAPI document with the official parser (Avro schema parser registered) and
// print its diagnostics as JSON: [{severity, code, message, path}], severity 0 = error.
import { readFileSync } from "node:fs";
import { Parser } from "@asyncapi/parser";
import { AvroSchemaParser } from "@asyncapi/avro-schema-parser";

const file = process.argv[2];
const parser = new Parser();
parser.registerSchemaParser(AvroSchemaParser());
const { document, diagnostics } = await parser.parse(readFileSync(file, "utf8"), { source: file });
const out = diagnostics.map((d) => ({
  severity: d.severity,
  code: String(d.code),
  message: d.message,
  path: d.path,
}));
process.stdout.write(JSON.stringify({ parsed: document !== undefined, diagnostics: out }));
