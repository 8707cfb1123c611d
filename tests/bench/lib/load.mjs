#!/usr/bin/env node
// The HTTP load generator of the benchmarks: autocannon (npm), run in its own process so its CPU is
// measured apart from the server's and from the benchmark's bookkeeping.
// Usage: node tests/bench/lib/load.mjs '<json>' with {url, seconds, connections, token, mode: "get"|"sign",
// and for "sign": uploads: [videoId...], parts (the uploads' part count), batch (part numbers per request)}. Prints autocannon's table, then one line `LOAD_JSON {...}`
// (latencies in µs, like the figures the callers report).
import autocannon from 'autocannon';

const o = JSON.parse(process.argv[2]);
const headers = { authorization: `Bearer ${o.token ?? ''}` };

// Sign requests walk the part numbers in order, over every given upload path, so consecutive requests do not
// sign the same part at the same time.
let count = 0;
const paths = (o.uploads ?? []).map((id) => `/api/v1/uploads/${id}/parts/sign`);
// body k names part numbers k*batch+1 .. (k+1)*batch
const bodies = o.mode === 'sign'
  ? Array.from({ length: Math.floor(o.parts / o.batch) }, (_, k) =>
    JSON.stringify({ partNumbers: Array.from({ length: o.batch }, (_, j) => k * o.batch + j + 1) }))
  : [];
const requests = o.mode === 'sign'
  ? [{
    method: 'POST',
    setupRequest: (req) => {
      const i = count++;
      return {
        ...req,
        method: 'POST',
        path: paths[i % paths.length],
        headers: { ...headers, 'content-type': 'application/json' },
        body: bodies[i % bodies.length],
      };
    },
  }]
  : undefined;

const result = await autocannon({
  url: o.url,
  connections: o.connections,
  duration: o.seconds,
  timeout: 5,
  headers,
  requests,
});
process.stdout.write(autocannon.printResult(result, { renderLatencyTable: true, renderResultsTable: false }));
const us = (ms) => Math.round(ms * 1000);
process.stdout.write(`\nLOAD_JSON ${JSON.stringify({
  requests: result.requests.total,
  durationUs: Math.round(result.duration * 1e6),
  bytes: result.throughput.total,
  errors: result.errors,
  timeouts: result.timeouts,
  non2xx: result.non2xx,
  p50: us(result.latency.p50),
  p90: us(result.latency.p90),
  p99: us(result.latency.p99),
  max: us(result.latency.max),
  mean: us(result.latency.mean),
})}\n`);
