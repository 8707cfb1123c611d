// Renders deploy/k8s (base + production overlay) with a tiny kustomize subset and validates every object
// against the Kubernetes schemas (kubernetes-models); KEDA objects are checked by hand. No cluster needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import YAML from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const k8s = path.join(root, 'deploy/k8s');

const readDocs = (file) => YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS()).filter(Boolean);
const isObject = (v) => v && typeof v === 'object' && !Array.isArray(v);
const merge = (a, b) => {
  if (!isObject(a) || !isObject(b)) return structuredClone(b);
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in a ? merge(a[k], v) : structuredClone(v);
  return out;
};
const podSpec = (o) => (o.kind === 'Job' || o.kind === 'Deployment' ? o.spec.template.spec : null);

/** KEY=value lines of a kustomize env file (comments and blank lines skipped). */
export function readEnvFile(file) {
  const entries = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m && !line.trimStart().startsWith('#')) entries[m[1]] = m[2];
  }
  return entries;
}

/**
 * The secretGenerator's env file is never committed: offline, its committed `.example` (keys, no values) stands in,
 * so the rendered Secret has the real keys and empty values.
 */
function generatedSecret(dir, gen, options) {
  assert.deepEqual(Object.keys(gen).filter((k) => !['name', 'envs'].includes(k)), [], `only envs files are supported in ${gen.name} (no literals: they would be committed)`);
  assert.ok(options?.disableNameSuffixHash, 'generated secret names stay fixed (the KEDA TriggerAuthentication names it)');
  const data = {};
  for (const env of gen.envs) {
    const file = path.join(dir, env);
    const values = readEnvFile(fs.existsSync(file) ? file : `${file}.example`);
    for (const [k, v] of Object.entries(values)) data[k] = Buffer.from(v).toString('base64');
  }
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: gen.name }, type: 'Opaque', data };
}

/** The subset of kustomize this repo uses: resources, labels, namespace, images, patches (strategic merge of maps), secretGenerator (envs). */
export function render(dir) {
  const kust = YAML.parse(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8'));
  const known = new Set(['apiVersion', 'kind', 'resources', 'labels', 'namespace', 'images', 'patches', 'secretGenerator', 'generatorOptions']);
  for (const key of Object.keys(kust)) assert.ok(known.has(key), `renderer does not support '${key}' in ${dir}`);
  let objects = [];
  for (const r of kust.resources ?? []) {
    const p = path.join(dir, r);
    objects.push(...(fs.statSync(p).isDirectory() ? render(p) : readDocs(p)));
  }
  for (const gen of kust.secretGenerator ?? []) objects.push(generatedSecret(dir, gen, kust.generatorOptions));
  for (const { pairs } of kust.labels ?? []) for (const o of objects) o.metadata.labels = { ...o.metadata.labels, ...pairs };
  for (const patch of kust.patches ?? []) {
    const [p] = readDocs(path.join(dir, patch.path));
    const i = objects.findIndex((o) => o.kind === p.kind && o.metadata.name === p.metadata.name);
    assert.ok(i >= 0, `patch ${patch.path} matches no object`);
    objects[i] = merge(objects[i], p);
  }
  for (const img of kust.images ?? []) {
    for (const o of objects) for (const c of podSpec(o)?.containers ?? []) {
      if (c.image === img.name) c.image = `${img.newName ?? img.name}${img.newTag ? `:${img.newTag}` : ''}`;
    }
  }
  if (kust.namespace) for (const o of objects) o.metadata.namespace = kust.namespace;
  return objects;
}

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [null, apiVersion];
  const mod = await import(`kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`);
  return mod[kind];
}

const objects = render(path.join(k8s, 'overlays/production'));
const byKind = (kind, name) => objects.find((o) => o.kind === kind && (!name || o.metadata.name === name));
const config = byKind('ConfigMap').data;

test('the overlay renders the expected objects', () => {
  const list = objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
  console.log(`# rendered: ${list.join(', ')}`);
  for (const want of ['ConfigMap/streamforge-config', 'Secret/streamforge-secrets', 'Job/streamforge-migrate', 'Deployment/streamforge-api',
    'Service/streamforge-api', 'Ingress/streamforge-api', 'PodDisruptionBudget/streamforge-api', 'Deployment/streamforge-worker',
    'PodDisruptionBudget/streamforge-worker', 'ScaledObject/streamforge-worker', 'TriggerAuthentication/streamforge-postgres']) {
    assert.ok(list.includes(want), `missing ${want}`);
  }
  assert.ok(objects.every((o) => o.metadata.namespace === 'streamforge'));
  assert.equal(byKind('Deployment', 'streamforge-api').spec.replicas, 3, 'overlay patch applied');
  assert.match(podSpec(byKind('Deployment', 'streamforge-worker')).containers[0].image, /^registry\.example\.com\/streamforge\/worker:1\.0\.0$/);
});

test('every Kubernetes object validates against its schema', async () => {
  for (const o of objects.filter((x) => !x.apiVersion.startsWith('keda.sh/'))) {
    const Model = await modelFor(o.apiVersion, o.kind);
    assert.doesNotThrow(() => new Model(o).validate(), `${o.kind}/${o.metadata.name}`);
  }
});

test('the schema check catches a broken object', async () => {
  const Model = await modelFor('apps/v1', 'Deployment');
  const broken = structuredClone(byKind('Deployment', 'streamforge-worker'));
  broken.spec.template.spec.containers[0].livenessProbe.httpGet.port = { nope: 1 };
  assert.throws(() => new Model(broken).validate());
});

test('selectors match pod labels and services target named ports', () => {
  for (const d of objects.filter((o) => o.kind === 'Deployment')) {
    for (const [k, v] of Object.entries(d.spec.selector.matchLabels)) assert.equal(d.spec.template.metadata.labels[k], v, d.metadata.name);
  }
  for (const pdb of objects.filter((o) => o.kind === 'PodDisruptionBudget')) {
    assert.ok(objects.some((d) => d.kind === 'Deployment' && Object.entries(pdb.spec.selector.matchLabels).every(([k, v]) => d.spec.template.metadata.labels[k] === v)), pdb.metadata.name);
  }
  const svc = byKind('Service', 'streamforge-api');
  const ports = podSpec(byKind('Deployment', 'streamforge-api')).containers[0].ports.map((p) => p.name);
  assert.ok(ports.includes(svc.spec.ports[0].targetPort));
});

test('worker probes hit the health listener and the grace period outlasts Worker:ShutdownGrace', () => {
  const spec = podSpec(byKind('Deployment', 'streamforge-worker'));
  const c = spec.containers[0];
  const health = c.ports.find((p) => p.name === 'health');
  assert.equal(String(health.containerPort), config.Worker__HealthPort);
  assert.equal(config.Worker__HealthHost, '0.0.0.0', 'the kubelet probes the pod IP, not loopback');
  assert.equal(c.livenessProbe.httpGet.path, '/health/live');
  assert.equal(c.readinessProbe.httpGet.path, '/health/ready');
  for (const p of [c.livenessProbe, c.readinessProbe]) assert.equal(p.httpGet.port, 'health');
  const [h, m, s] = config.Worker__ShutdownGrace.split(':').map(Number);
  const grace = h * 3600 + m * 60 + s;
  assert.ok(spec.terminationGracePeriodSeconds >= grace + 10, `${spec.terminationGracePeriodSeconds} < ${grace} + margin`);
  assert.ok(c.resources.requests.cpu && c.resources.limits.memory);
});

test('KEDA scales workers on waiting transcode triggers in the Quartz job store', () => {
  const so = byKind('ScaledObject');
  assert.equal(so.apiVersion, 'keda.sh/v1alpha1');
  assert.equal(so.spec.scaleTargetRef.name, 'streamforge-worker');
  assert.ok(so.spec.minReplicaCount >= 1 && so.spec.maxReplicaCount > so.spec.minReplicaCount);
  const [t] = so.spec.triggers;
  assert.equal(t.type, 'postgresql');
  // Table prefix, scheduler name and group as in server/StreamForge.Core/Processing (QuartzSetup, ProcessingJobs).
  assert.match(t.metadata.query, /FROM qrtz_triggers\b/);
  assert.match(t.metadata.query, /sched_name = 'StreamForge'/);
  assert.match(t.metadata.query, /trigger_group = 'transcode'/);
  assert.match(t.metadata.query, /'WAITING'/);
  assert.match(t.metadata.targetQueryValue, /^\d+$/);
  const auth = byKind('TriggerAuthentication', t.authenticationRef.name);
  assert.ok(auth, 'trigger authentication exists');
  const [ref] = auth.spec.secretTargetRef;
  assert.equal(ref.parameter, 'connection');
  assert.ok(ref.key in byKind('Secret', ref.name).data, 'secret key exists');
});

test('every variable the containers read is documented in .env.example', () => {
  const documented = new Set([...fs.readFileSync(path.join(root, '.env.example'), 'utf8').matchAll(/^#?\s*([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1]));
  const read = new Set([...Object.keys(config), ...Object.keys(byKind('Secret').data)]);
  for (const o of objects) for (const c of podSpec(o)?.containers ?? []) for (const e of c.env ?? []) read.add(e.name);
  const missing = [...read].filter((n) => !documented.has(n));
  assert.deepEqual(missing, [], `not in .env.example: ${missing.join(', ')}`);
  for (const o of objects) for (const c of podSpec(o)?.containers ?? []) {
    for (const src of c.envFrom ?? []) {
      const ref = src.configMapRef ?? src.secretRef;
      assert.ok(byKind(src.configMapRef ? 'ConfigMap' : 'Secret', ref.name), `${o.metadata.name} reads missing ${ref.name}`);
    }
  }
});

/** Files under deploy/ that git tracks (what ships), or every file there when this is not a git checkout. */
function committedDeployFiles() {
  try {
    return execFileSync('git', ['ls-files', '-z', 'deploy'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  } catch {
    const walk = (d) => fs.readdirSync(path.join(root, d), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
    return walk('deploy');
  }
}

const SECRET_NAME = /(password|secret|token|signing|private|credential|_key$|accesskey|database_url|connectionstring)/i;

test('the Secret carries every key the containers need, and the API reads the admin under its own names', () => {
  const keys = Object.keys(byKind('Secret', 'streamforge-secrets').data).sort();
  assert.deepEqual(keys, ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'Auth__AdminEmail', 'Auth__AdminPassword', 'Auth__JwtSigningKey',
    'DATABASE_URL', 'PLAYBACK_TOKEN_SECRET', 'Storage__UploadAccessKey', 'Storage__UploadSecretKey'].sort());
});

test('no committed manifest holds a secret value', () => {
  const files = committedDeployFiles();
  assert.ok(files.some((f) => f.endsWith('kustomization.yaml')), 'found the manifests');
  const problems = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    if (/change-?me/i.test(text)) problems.push(`${file}: a change-me placeholder`);
    if (/\.ya?ml$/.test(file)) {
      for (const doc of YAML.parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean)) {
        if (doc.kind === 'Secret') problems.push(`${file}: a Secret object (generate it from an uncommitted env file)`);
        if (doc.kind === 'ConfigMap') {
          for (const [k, v] of Object.entries(doc.data ?? {})) if (SECRET_NAME.test(k) && v) problems.push(`${file}: ConfigMap ${k} has a value`);
        }
        for (const c of doc.spec?.template?.spec?.containers ?? []) {
          for (const e of c.env ?? []) if (SECRET_NAME.test(e.name) && e.value) problems.push(`${file}: ${c.name} env ${e.name} has a literal value`);
        }
        for (const gen of doc.secretGenerator ?? []) {
          if (gen.literals?.length) problems.push(`${file}: secretGenerator ${gen.name} has literals`);
          for (const f of [...(gen.envs ?? []), ...(gen.files ?? [])]) {
            const rel = path.join(path.dirname(file), String(f).split('=').pop());
            if (files.includes(rel)) problems.push(`${file}: ${rel} is committed`);
            let ignored = true;
            try { execFileSync('git', ['check-ignore', '-q', rel], { cwd: root }); } catch (e) { ignored = e.status !== 1; }
            if (!ignored) problems.push(`${file}: ${rel} is not in .gitignore`);
            const example = `${rel}.example`;
            if (!files.includes(example)) problems.push(`${file}: ${example} (the keys, without values) is not committed`);
          }
        }
      }
    }
    if (/\.env(\.example)?$/.test(file) || file.endsWith('.env.example')) {
      for (const [k, v] of Object.entries(readEnvFile(path.join(root, file)))) if (v) problems.push(`${file}: ${k} has a value`);
    }
  }
  assert.deepEqual(problems, []);
});

test('the secret check catches a committed value', () => {
  const withValue = generatedSecret(k8s, { name: 'x', envs: ['overlays/production/secrets.env'] }, { disableNameSuffixHash: true });
  assert.ok(Object.keys(withValue.data).length > 0);
  assert.throws(() => generatedSecret(k8s, { name: 'x', literals: ['Auth__JwtSigningKey=abc'], envs: [] }, { disableNameSuffixHash: true }));
});
