#!/usr/bin/env node
// Starts one more local CDN (nginx) in front of a running S3 server and API, the same config the stack generates,
// and prints `CDN_READY {"cdnUrl": ...}` to stdout. For an API the stack did not start (the .NET tests host theirs
// in-process on a port of their own), so private media can be checked through real nginx. Stays up until
// SIGINT/SIGTERM or stdin EOF (--stdin-lifetime).
//
//   node scripts/cdn.mjs --s3-port P --api-port P --secret S [--bucket streamforge] [--stdin-lifetime]
import path from 'node:path';
import { parseArgs } from 'node:util';
import { log } from './lib/util.mjs';
import { Scope, installLifetime } from './lib/procs.mjs';
import { startCdn } from './lib/cdn.mjs';
import { makeEphemeralDir } from './lib/datadir.mjs';

const USAGE = 'usage: node scripts/cdn.mjs --s3-port P --api-port P --secret S [--bucket NAME] [--stdin-lifetime]';
let values;
try {
  ({ values } = parseArgs({
    options: {
      's3-port': { type: 'string' },
      'api-port': { type: 'string' },
      secret: { type: 'string' },
      bucket: { type: 'string', default: 'streamforge' },
      'stdin-lifetime': { type: 'boolean', default: false },
    },
    strict: true,
  }));
} catch (e) {
  process.stderr.write(`${e.message}\n${USAGE}\n`);
  process.exit(2);
}
const port = (name) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1 || n > 65535) { process.stderr.write(`--${name}: not a port: ${values[name]}\n${USAGE}\n`); process.exit(2); }
  return n;
};
const [s3Port, apiPort] = [port('s3-port'), port('api-port')];
if (!values.secret) { process.stderr.write(`--secret is required\n${USAGE}\n`); process.exit(2); }

const scope = new Scope();
installLifetime({ stdinLifetime: values['stdin-lifetime'], onShutdown: () => scope.close() });
try {
  const dir = path.join(makeEphemeralDir(scope), 'cdn');
  const cdn = await startCdn({ scope, dir, s3Port, bucket: values.bucket, apiPort, tokenSecret: values.secret });
  if (!cdn.cdnUrl) throw new Error('nginx is not installed');
  process.stdout.write(`CDN_READY ${JSON.stringify({ cdnUrl: cdn.cdnUrl })}\n`);
} catch (e) {
  log('cdn', `failed to start: ${e.message}`);
  await scope.close();
  process.exit(1);
}
