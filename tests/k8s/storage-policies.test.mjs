// The storage policies the project ships (deploy/storage/*.json, applied by compose's minio-init and documented for
// Kubernetes/AWS) and compose's handling of secrets. Anonymous readers may GetObject under media/ and nothing else
// (no listing: ids are unguessable only while nobody can list them); the upload user may only PutObject under raw/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const readJson = (rel) => JSON.parse(fs.readFileSync(path.join(root, rel), 'utf8'));
const compose = YAML.parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'));
const bucket = compose['x-app-env'].Storage__Bucket;
const list = (v) => (Array.isArray(v) ? v : [v]);

/** Everything a policy allows, as [action, resource, principal] triples; Deny, NotAction and NotResource are not expected. */
export function grants(policy) {
  assert.equal(policy.Version, '2012-10-17');
  return policy.Statement.flatMap((s) => {
    assert.equal(s.Effect, 'Allow', 'only Allow statements');
    for (const k of ['NotAction', 'NotResource', 'NotPrincipal', 'Condition']) assert.ok(!(k in s), `no ${k}`);
    return list(s.Action).flatMap((a) => list(s.Resource).map((r) => [a, r, s.Principal ?? null]));
  });
}

/** Throws unless the policy grants exactly `action` on `arn:aws:s3:::<bucket>/<prefix>*`. */
export function assertOnly(policy, action, prefix) {
  const all = grants(policy);
  assert.ok(all.length > 0, 'grants something');
  for (const [a, r] of all) {
    assert.equal(a, action, `only ${action} (found ${a})`);
    assert.equal(r, `arn:aws:s3:::${bucket}/${prefix}*`, `only ${prefix}* (found ${r})`);
  }
}

test('anonymous readers get GetObject on media/* only: no listing, nothing under raw/ or private/', () => {
  const policy = readJson('deploy/storage/public-read-policy.json');
  assertOnly(policy, 's3:GetObject', 'media/');
  assert.ok(grants(policy).every(([, r]) => !r.includes('/private/') && !r.endsWith(':::' + bucket + '/*')), 'private media stays unreadable');
  assert.deepEqual(policy.Statement.map((s) => s.Principal), [{ AWS: ['*'] }]);
  const text = JSON.stringify(policy);
  assert.doesNotMatch(text, /ListBucket/);
});

test('the upload user may PutObject under raw/ and nothing else (no read, no copy source, no delete)', () => {
  const policy = readJson('deploy/storage/upload-policy.json');
  assertOnly(policy, 's3:PutObject', 'raw/');
  assert.ok(policy.Statement.every((s) => !('Principal' in s)), 'a user policy names no principal');
});

test('the checks catch a policy that allows listing or another prefix', () => {
  const listing = structuredClone(readJson('deploy/storage/public-read-policy.json'));
  listing.Statement[0].Action = ['s3:GetObject', 's3:ListBucket'];
  assert.throws(() => assertOnly(listing, 's3:GetObject', 'media/'));
  const wider = structuredClone(readJson('deploy/storage/upload-policy.json'));
  wider.Statement[0].Resource = [`arn:aws:s3:::${bucket}/*`];
  assert.throws(() => assertOnly(wider, 's3:PutObject', 'raw/'));
});

test('compose applies those policies to its bucket and signs uploads with the upload user', () => {
  const init = compose.services['minio-init'];
  const script = init.command.join('\n');
  assert.ok(init.volumes.includes('./deploy/storage:/policies:ro'));
  assert.match(script, /mc anonymous set-json \/policies\/public-read-policy\.json local\/streamforge\b/);
  assert.doesNotMatch(script, /mc anonymous set (download|public|upload)/, 'canned policies allow listing');
  assert.match(script, /mc admin policy create local (\S+) \/policies\/upload-policy\.json/);
  assert.match(script, /mc admin policy attach local streamforge-upload --user "\$\$MINIO_UPLOAD_ACCESS_KEY"/);
  assert.equal(bucket, 'streamforge');
  const env = compose['x-app-env'];
  assert.match(env.Storage__UploadAccessKey, /MINIO_UPLOAD_ACCESS_KEY/);
  assert.match(env.Storage__UploadSecretKey, /^\$\{MINIO_UPLOAD_SECRET_KEY:\?/);
});

test('compose has no usable default for any secret: each is required from .env', () => {
  const secretVars = ['POSTGRES_PASSWORD', 'MINIO_ROOT_PASSWORD', 'MINIO_UPLOAD_SECRET_KEY', 'Auth__JwtSigningKey', 'ADMIN_PASSWORD', 'PLAYBACK_TOKEN_SECRET'];
  const text = fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
  for (const name of secretVars) {
    const uses = [...text.matchAll(new RegExp(`\\$\\{${name}(:?[-?=+])?`, 'g'))];
    assert.ok(uses.length > 0, `${name} is used`);
    for (const [use, op] of uses) assert.equal(op, ':?', `${use}: ${name} must be required (\${${name}:?…}), never defaulted`);
  }
  assert.doesNotMatch(text, /change-?me|minioadmin|S3RVER/i);
  const example = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
  for (const name of [...secretVars, 'Auth__AdminPassword', 'Storage__SecretKey', 'Storage__UploadSecretKey', 'Email__Smtp__Password']) {
    const line = new RegExp(`^${name}=(.*)$`, 'm').exec(example);
    assert.ok(line, `${name} is listed in .env.example`);
    assert.equal(line[1], '', `.env.example gives ${name} no value`);
  }
  assert.match(/^ConnectionStrings__Postgres=(.*)$/m.exec(example)[1], /Password=$/, '.env.example connection string has no password');
});
