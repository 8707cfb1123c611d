#!/usr/bin/env node
// Regenerates web/src/api/schema.d.ts (the SPA's API types) from the API's OpenAPI document with
// openapi-typescript, so the web types follow the server's DTOs instead of being kept in step by hand.
//
//   npm run api:types                              builds, starts a throwaway stack with the API, regenerates
//   npm run api:types -- --no-build                same, with the binaries already built
//   npm run api:types -- --url http://host:port    from a running API
//   node scripts/api-types.mjs --input openapi.json --output out.d.ts
//                                                  conversion only (the .NET drift test runs this, so a
//                                                  regeneration and the check use the same options)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { log, repoRoot } from './lib/util.mjs';
import { runMain } from './lib/cleanup.mjs';
import { startStack } from './lib/stack-client.mjs';

export const SCHEMA_FILE = path.join(repoRoot, 'web/src/api/schema.d.ts');
const OPENAPI_PATH = '/swagger/v1/swagger.json';

const { values: opt } = parseArgs({
  options: {
    url: { type: 'string' },
    input: { type: 'string' },
    output: { type: 'string', default: SCHEMA_FILE },
    'no-build': { type: 'boolean', default: false },
  },
});

/** openapi.json → TypeScript declarations, with the one set of options the checked-in file is made with. */
function convert(input, output) {
  const cli = path.join(repoRoot, 'node_modules/openapi-typescript/bin/cli.js');
  execFileSync(process.execPath, [cli, input, '--output', output, '--alphabetize'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function fetchDocument(apiUrl) {
  const res = await fetch(apiUrl + OPENAPI_PATH, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`GET ${OPENAPI_PATH} → ${res.status}`);
  return res.text();
}

await runMain(async () => {
  if (opt.input) { convert(opt.input, opt.output); return; }
  let doc;
  if (opt.url) doc = await fetchDocument(opt.url.replace(/\/$/, ''));
  else {
    const stack = await startStack({ args: ['--api', '--workers', '0', '--quiet', ...(opt['no-build'] ? ['--no-build'] : [])] });
    try { doc = await fetchDocument(stack.info.apiUrl); } finally { await stack.stop(); }
  }
  const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sf-openapi-')), 'openapi.json');
  try {
    fs.writeFileSync(tmp, doc);
    convert(tmp, opt.output);
  } finally { fs.rmSync(path.dirname(tmp), { recursive: true, force: true }); }
  log('api-types', `wrote ${path.relative(repoRoot, opt.output)}`);
}, 'api-types');
