// Runs the TypeScript clients (compiled by `npm run smoke` into dist/) against a real server:
// the plain-fetch tour of src/usage.ts, and openapi-fetch with both extraction bodies. It also
// pins down the trap README names: without a `bodySerializer`, openapi-fetch JSON-encodes a
// text/plain body and every offset is one more.
//
//   POWERSKILLS_BIN   the server binary (default: ../../target/debug/powerskills)

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tour } from './dist/usage.js';
import { aiSkillNames, extractJson, extractPlainText, lookup, powerskills } from './dist/fetch-client.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = process.env.POWERSKILLS_BIN ?? path.join(here, '../../target/debug/powerskills');
const work = mkdtempSync(path.join(tmpdir(), 'powerskills-ts-'));

let failures = 0;
function equal(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  console.log(`${a === e ? 'ok  ' : 'FAIL'} ${what}${a === e ? '' : `: got ${a}, expected ${e}`}`);
  if (a !== e) failures += 1;
}

/** The server on a free port (port 0, read from its `serving` log line). */
function startServer() {
  const child = spawn(bin, ['serve', '--bind', '127.0.0.1:0', '--database-url', `sqlite://${path.join(work, 'seed.db')}`,
    '--workers', '1', '--log-format', 'json', '--log-level', 'info,powerskills::access=off'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk) => {
      buffered += chunk;
      for (const line of buffered.split('\n')) {
        try {
          const event = JSON.parse(line);
          if (event.message === 'serving') resolve({ base: `http://127.0.0.1:${event.port}`, child });
        } catch { /* not a whole JSON line yet */ }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`the server exited (${code}) before serving: ${buffered}`)));
  });
}

const { base, child } = await startServer();
try {
  const lines = await tour(base);
  equal(lines[0]?.startsWith('Natural Language Processing (NLP) (ai): '), true, 'usage.ts: the tour lists the AI skills first');
  equal(lines.at(-1), 'urn:powerskills:problem:not-found', 'usage.ts: an unknown skill is the not-found problem');
  equal(lines.find((l) => l.startsWith('lookup: ')),
    'lookup: seo, nlp; not found underwater-basket-weaving; removed none', 'usage.ts: POST /skills/lookup');
  equal(lines.find((l) => l.startsWith('last by name: ')),
    'last by name: Supply Chain Management, Social Media Management, Smart Contract Development',
    'usage.ts: GET /skills?sort=-name&fields=slug,name');

  equal(await lookup(base, ['NLP', 'seo', 'nlp', 'nope'], ['urn:nope']),
    { found: ['nlp', 'seo'], notFound: { slugs: ['nope'], uris: ['urn:nope'] }, removed: [] },
    'openapi-fetch: POST /skills/lookup answers in the order asked, each skill once');

  equal(await aiSkillNames(base), ['Natural Language Processing (NLP)', 'Machine Learning Engineering'],
    'openapi-fetch: GET /skills?category=ai');
  const text = 'Hiring an ML engineer with SEO';
  const spans = (found) => found.map((s) => [s.slug, ...s.matches.map((m) => [m.start, m.end, m.surface])]);
  const json = spans(await extractJson(base, text));
  equal(json, [['machine-learning-engineering', [10, 21, 'ML engineer']], ['seo', [27, 30, 'SEO']]],
    'openapi-fetch: extraction with the JSON body');
  equal(spans(await extractPlainText(base, text)), json, 'openapi-fetch: text/plain with bodySerializer gives the same offsets');
  const { data } = await powerskills(base).POST('/skills/extract', { body: text, headers: { 'Content-Type': 'text/plain' } });
  equal(spans(data.data), [['machine-learning-engineering', [11, 22, 'ML engineer']], ['seo', [28, 31, 'SEO']]],
    'openapi-fetch: text/plain WITHOUT bodySerializer is JSON-encoded, every offset one more (the README trap)');
} finally {
  child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
console.log(failures === 0 ? 'all checks passed' : `${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
