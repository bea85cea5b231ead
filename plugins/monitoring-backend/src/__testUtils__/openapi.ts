import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

const doc = YAML.parse(
  fs.readFileSync(path.resolve(__dirname, '../schema/openapi.yaml'), 'utf8'),
);
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'openapi', components: doc.components });

/** Fails with the schema errors when `body` does not match `components.schemas[name]`. */
export function expectMatchesSchema(body: unknown, name: string): void {
  const validate = ajv.getSchema(`openapi#/components/schemas/${name}`);
  if (!validate) throw new Error(`no schema ${name} in openapi.yaml`);
  if (!validate(body)) {
    throw new Error(
      `response does not match ${name}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`,
    );
  }
}

/** Every path the router serves must be documented. */
export const documentedPaths: string[] = Object.keys(doc.paths);
