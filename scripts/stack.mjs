#!/usr/bin/env node
// Starts the local stack and prints one line to stdout: `STACK_READY {json}`; everything else goes
// to stderr. Stays up until SIGINT/SIGTERM (or stdin EOF with --stdin-lifetime).
// See scripts/README.md.
import { parseArgs } from 'node:util';
import { log, isRoot, which } from './lib/util.mjs';
import { Scope, installLifetime } from './lib/procs.mjs';
import { startStack } from './lib/stack.mjs';
import { missingPackages, aptInstall } from './lib/prereqs.mjs';

const USAGE = `usage: node scripts/stack.mjs [--ephemeral | --data DIR] [--api] [--workers N] [--build-web] [--no-build]
                             [--stdin-lifetime] [--quiet] [--control] [--api-port P] [--pg-port P] [--s3-port P] [--cdn-port P]`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      ephemeral: { type: 'boolean', default: false },
      data: { type: 'string' },
      api: { type: 'boolean', default: false },
      workers: { type: 'string' },
      'build-web': { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      'stdin-lifetime': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      control: { type: 'boolean', default: false },
      'api-port': { type: 'string' },
      'pg-port': { type: 'string' },
      's3-port': { type: 'string' },
      'cdn-port': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }));
} catch (e) {
  process.stderr.write(`${e.message}\n${USAGE}\n`);
  process.exit(2);
}
if (values.help) { process.stderr.write(`${USAGE}\n`); process.exit(0); }
if (values.ephemeral && values.data) { process.stderr.write(`--ephemeral and --data exclude each other\n${USAGE}\n`); process.exit(2); }

const port = (name) => {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) { process.stderr.write(`--${name}: not a port: ${v}\n`); process.exit(2); }
  return n;
};
const workers = values.workers === undefined ? 1 : Number(values.workers);
if (!Number.isInteger(workers) || workers < 0) { process.stderr.write(`--workers: not a count: ${values.workers}\n`); process.exit(2); }

// PostgreSQL is required; as root, install it when missing (apt output goes to stderr).
const { required } = missingPackages({ withNginx: false });
if (required.includes('postgresql')) {
  if (isRoot && which('apt-get')) aptInstall(['postgresql']);
  else { process.stderr.write('PostgreSQL binaries not found: sudo apt-get install -y postgresql\n'); process.exit(1); }
}

const scope = new Scope();
installLifetime({
  stdinLifetime: values['stdin-lifetime'],
  onShutdown: async (_code, reason) => {
    log('stack', `${reason}: stopping`);
    await scope.close();
    log('stack', 'stopped');
  },
});

try {
  const stack = await startStack({
    scope,
    ephemeral: values.ephemeral,
    dataDir: values.data,
    api: values.api,
    workers,
    buildWeb: values['build-web'],
    noBuild: values['no-build'],
    quiet: values.quiet,
    control: values.control,
    apiPort: port('api-port'),
    pgPort: port('pg-port'),
    s3Port: port('s3-port'),
    cdnPort: port('cdn-port'),
  });
  if (!scope.closing) process.stdout.write(`STACK_READY ${JSON.stringify(stack.info)}\n`);
} catch (e) {
  if (!scope.closing) {
    log('stack', `failed to start: ${e.message}`);
    await scope.close();
    process.exit(1);
  }
}
