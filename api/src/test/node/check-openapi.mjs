// Validates an OpenAPI description with two validators none of us wrote: @apidevtools/swagger-parser (the
// specification's structure, every $ref resolved) and @redocly/cli lint (its recommended ruleset plus the rules in
// redocly.yaml). Prints every problem found; exits 1 on any error, 0 otherwise.
//
// usage: node check-openapi.mjs path/to/openapi.json
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';

const here = dirname(fileURLToPath(import.meta.url));
const spec = process.argv[2];
if (!spec) {
  console.error('usage: node check-openapi.mjs <openapi.json>');
  process.exit(2);
}

let failed = false;
try {
  const api = await SwaggerParser.validate(spec);
  console.log(`swagger-parser: valid OpenAPI ${api.openapi}, ${Object.keys(api.paths).length} paths`);
} catch (e) {
  failed = true;
  console.log(`swagger-parser: INVALID: ${e.message}`);
}

const redocly = spawnSync(process.execPath, [join(here, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js'), 'lint',
  '--config', join(here, 'redocly.yaml'), '--format', 'stylish', spec], { encoding: 'utf8', env: { ...process.env,
  REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' } });
console.log(`redocly lint (exit ${redocly.status}):\n${redocly.stdout}${redocly.stderr}`);
if (redocly.status !== 0) {
  failed = true;
}
process.exit(failed ? 1 : 0);
