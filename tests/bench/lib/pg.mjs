// Samples a stack's PostgreSQL database through one long-lived psql session (so the sampler costs one
// connection, excluded from its own counts, instead of a connection per sample).
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { onCleanup, sleep, which } from './common.mjs';

export function psqlPath() {
  return which('psql') || (fs.existsSync('/usr/lib/postgresql')
    ? fs.readdirSync('/usr/lib/postgresql').sort().reverse().map((v) => `/usr/lib/postgresql/${v}/bin/psql`).find((p) => fs.existsSync(p))
    : null);
}

/**
 * Polls pg_stat_activity for the stack's database every intervalMs: connections (all backends of the
 * database: the API's and workers' pools, idle ones included) and the active ones. stop() resolves
 * { samples, peak, peakActive, series: [[ms, total, active]] }.
 */
export function pgConnectionSampler(pg, intervalMs = 100) {
  const psql = psqlPath();
  if (!psql) throw new Error('psql not found: cannot count database connections');
  const child = spawn(psql, ['-X', '-At', '-F', '|', '-h', pg.host, '-p', String(pg.port), '-U', pg.username, '-d', pg.database],
    { env: { ...process.env, PGPASSWORD: pg.password }, stdio: ['pipe', 'pipe', 'ignore'] });
  const kill = () => child.kill('SIGKILL');
  onCleanup(kill);
  const t0 = Date.now();
  const series = [];
  let buf = '';
  child.stdout.setEncoding('utf8').on('data', (d) => {
    buf += d;
    for (let i; (i = buf.indexOf('\n')) >= 0;) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const m = /^(\d+)\|(\d+)\|(\d+)$/.exec(line);
      if (m) series.push([Number(m[1]), Number(m[2]), Number(m[3])]);
    }
  });
  const q = () => `SELECT ${Date.now() - t0}, count(*), count(*) FILTER (WHERE state = 'active') FROM pg_stat_activity `
    + 'WHERE datname = current_database() AND pid <> pg_backend_pid();\n';
  const timer = setInterval(() => { try { child.stdin.write(q()); } catch { /* gone */ } }, intervalMs);
  return {
    current: () => series.at(-1) ?? null,
    async stop() {
      clearInterval(timer);
      try { child.stdin.end(); } catch { /* gone */ }
      await Promise.race([new Promise((r) => child.on('close', r)), sleep(3000)]);
      kill();
      return {
        samples: series.length,
        peak: Math.max(0, ...series.map((s) => s[1])),
        peakActive: Math.max(0, ...series.map((s) => s[2])),
        series,
      };
    },
  };
}
