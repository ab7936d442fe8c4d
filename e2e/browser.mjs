// Browser test: Swagger UI and the explorer page in Debian's chromium, against freshly started
// servers (the seed catalog, and the ESCO sample imported into a new database).
//
//   POWERSKILLS_BIN   the server binary (default: ../target/debug/powerskills)
//   E2E_ARTIFACTS     where screenshots go (default: ../target/e2e)
//   CHROMIUM          the browser (default: /usr/bin/chromium; playwright-core never downloads one)
//
// Exit status 0 when every check passes; each check prints one line.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const bin = process.env.POWERSKILLS_BIN ?? path.join(repo, 'target/debug/powerskills');
const artifacts = process.env.E2E_ARTIFACTS ?? path.join(repo, 'target/e2e');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const work = mkdtempSync(path.join(tmpdir(), 'powerskills-e2e-'));
mkdirSync(artifacts, { recursive: true });

let failures = 0;
function check(ok, what, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${!ok && detail ? `: ${detail}` : ''}`);
  if (!ok) failures += 1;
}
function equal(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, what, `got ${a}, expected ${e}`);
}

// ------------------------------------------------------------------ servers

/** Starts the server on a free port (bound by the server itself: port 0) and waits for /readyz. */
async function startServer(name, databaseUrl) {
  const child = spawn(bin, ['serve', '--bind', '127.0.0.1:0', '--database-url', databaseUrl,
    '--workers', '1', '--log-format', 'json', '--log-level', 'info,powerskills::access=off'],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk) => {
      buffered += chunk;
      for (const line of buffered.split('\n')) {
        try {
          const event = JSON.parse(line);
          if (event.message === 'serving') resolve(event.port);
        } catch { /* not a whole JSON line yet */ }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${name} server exited (${code}) before serving: ${buffered}`)));
    setTimeout(() => reject(new Error(`${name} server did not start in 30 s: ${buffered}`)), 30_000);
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`${name} server not ready in 30 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
  console.log(`---- ${name} server ready at ${base}`);
  return { base, stop: () => child.kill('SIGTERM') };
}

// ------------------------------------------------------------------ browser

async function openBrowser() {
  const context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  return context;
}

/** A page that records console errors, page errors and requests to any other origin. */
async function watchedPage(context, base) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('request', (req) => {
    if (!req.url().startsWith(base) && !req.url().startsWith('data:')) problems.push(`third-party request: ${req.url()}`);
  });
  return { page, problems };
}

const shot = (page, name, fullPage = true) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage });

// ------------------------------------------------------------------ Swagger UI

/** Opens an operation's block in Swagger UI (a click on its summary toggles it). */
async function expand(block) {
  if (!(await block.evaluate((b) => b.classList.contains('is-open')))) await block.locator('.opblock-summary').first().click();
}

/**
 * Opens an operation in Swagger UI, fills only `typed` (parameter name → text), presses Execute,
 * and returns the Request URL shown, the status and the body. Before typing, it checks that every
 * query input is empty (nothing pre-filled that Execute would send) and that its description
 * shows its example.
 */
async function tryItOut(page, operation, typed) {
  const op = page.locator(`#operations-${operation}`);
  await expand(op);
  const tryOut = op.locator('.try-out__btn');
  if ((await tryOut.textContent()).trim() === 'Try it out') await tryOut.click();
  const rows = op.locator('tr[data-param-in="query"]');
  await op.locator('button.execute').waitFor();
  for (const row of await rows.all()) {
    const name = await row.getAttribute('data-param-name');
    const field = row.locator('input, select').first();
    // A repeatable parameter (`uri=a&uri=b`) is a list with no item until "Add item" is pressed.
    const shown = (await field.count()) === 0 ? '' : await field.inputValue();
    equal(shown, '', `Swagger UI ${operation}: \`${name}\` starts empty`);
    const words = await row.locator('.parameters-col_description .renderedMarkdown').first().textContent();
    check(/Example: .+\./.test(words), `Swagger UI ${operation}: \`${name}\` shows its example in its description`, words);
  }
  if (Object.keys(typed).length) check((await rows.count()) > 0, `Swagger UI ${operation}: has query parameters`);
  for (const [name, value] of Object.entries(typed)) {
    await op.locator(`tr[data-param-name="${name}"] input`).fill(value);
  }
  await op.locator('button.execute').click();
  const status = op.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor();
  const url = (await op.locator('.request-url pre').first().textContent()).trim();
  const body = await op.locator('.live-responses-table .response-col_description pre').first().textContent();
  return { op, url, status: (await status.textContent()).trim(), body: JSON.parse(body) };
}

async function swaggerUi(context, base) {
  const { page, problems } = await watchedPage(context, base);
  const spec = await (await fetch(`${base}/openapi.json`)).json();
  const operationIds = Object.values(spec.paths).flatMap((item) => Object.values(item).map((op) => op.operationId)).sort();
  const direct = async (target) => (await fetch(`${base}${target}`)).json();

  await page.goto(`${base}/docs/`);
  await page.waitForSelector('.opblock');
  const listed = (await page.locator('.opblock-summary-operation-id').allTextContents()).map((s) => s.trim()).sort();
  equal(listed, operationIds, `/docs/ lists every operation (${operationIds.length})`);

  // Only `category` typed: the request is exactly /skills?category=ai, not a search.
  const skills = await tryItOut(page, 'skills-list_skills', { category: 'ai' });
  equal(skills.url, `${base}/skills?category=ai`, 'Try it out GET /skills with only category=ai sends /skills?category=ai');
  equal(skills.status, '200', 'GET /skills?category=ai answers 200');
  equal(skills.body.data.map((s) => s.name), ['Natural Language Processing (NLP)', 'Machine Learning Engineering'],
    'the response lists NLP then Machine Learning Engineering');
  await shot(page, 'swagger-ui', false);
  await skills.op.screenshot({ path: path.join(artifacts, 'swagger-ui-list-skills.png') });

  const search = await tryItOut(page, 'search-search_catalog', { q: 'blockchain' });
  equal(search.url, `${base}/search?q=blockchain`, 'Try it out GET /search with only q=blockchain sends /search?q=blockchain');
  equal(search.status, '200', 'GET /search?q=blockchain answers 200');
  equal(search.body, await direct('/search?q=blockchain'), 'its response is the API\'s answer to that URL');
  check(search.body.data.some((h) => h.type === 'skill' && h.key === 'smart-contract-development'),
    'the hits include the skill Smart Contract Development', JSON.stringify(search.body.data.map((h) => h.key)));

  const suggest = await tryItOut(page, 'skills-autocomplete_skills', { q: 'mach' });
  equal(suggest.url, `${base}/skills/autocomplete?q=mach`, 'Try it out GET /skills/autocomplete with only q=mach sends ?q=mach');
  equal(suggest.status, '200', 'GET /skills/autocomplete?q=mach answers 200');
  equal(suggest.body, await direct('/skills/autocomplete?q=mach'), 'its response is the API\'s answer to that URL');
  equal(suggest.body.data[0]?.name, 'Machine Learning Engineering', 'the first suggestion is Machine Learning Engineering');
  await suggest.op.screenshot({ path: path.join(artifacts, 'swagger-ui-autocomplete.png') });

  // A path parameter keeps its ready example: Execute at once reads /skills/nlp.
  const skill = await tryItOut(page, 'skills-get_skill', {});
  equal(skill.url, `${base}/skills/nlp`, 'Try it out GET /skills/{slug} as it opens sends /skills/nlp (the path example)');
  equal(skill.body.name, 'Natural Language Processing (NLP)', 'and shows NLP');

  // Every GET, opened and executed with nothing typed, sends no parameter the user did not see:
  // its path with the path examples, and only the value a required <select> shows (the exports'
  // `format`, which a browser always shows selected); a required text input blocks Execute.
  await page.reload();
  await page.waitForSelector('.opblock');
  for (const [route, item] of Object.entries(spec.paths)) {
    const op = item.get;
    if (!op) continue;
    const block = page.locator(`#operations-${op.tags[0]}-${op.operationId}`);
    await expand(block);
    const tryOut = block.locator('.try-out__btn');
    if ((await tryOut.textContent()).trim() === 'Try it out') await tryOut.click();
    await block.locator('button.execute').waitFor();
    const params = op.parameters ?? [];
    let target = route;
    for (const p of params.filter((p) => p.in === 'path')) target = target.replace(`{${p.name}}`, String(p.example));
    const query = new URLSearchParams();
    let blocked = false;
    for (const p of params.filter((p) => p.in === 'query')) {
      const field = block.locator(`tr[data-param-name="${p.name}"]`).locator('input, select').first();
      // A repeatable parameter has no input until "Add item": it starts empty and is optional.
      const itemList = (await field.count()) === 0;
      const shown = itemList ? '' : await field.inputValue();
      const isSelect = !itemList && (await field.evaluate((f) => f.tagName === 'SELECT'));
      if (p.required && isSelect) query.set(p.name, shown);
      else equal(shown, '', `Swagger UI ${op.operationId}: \`${p.name}\` starts empty`);
      if (p.required && !isSelect) blocked = true;
    }
    await block.locator('button.execute').click();
    if (blocked) {
      await block.locator('input.invalid').first().waitFor();
      equal(await block.locator('.request-url').count(), 0,
        `Swagger UI ${op.operationId}: Execute with a required input empty sends nothing`);
    } else {
      await block.locator('.request-url pre').first().waitFor();
      const expected = `${base}${target}${query.size ? `?${query}` : ''}`;
      equal((await block.locator('.request-url pre').first().textContent()).trim(), expected,
        `Swagger UI ${op.operationId}: Execute as it opens sends ${expected.slice(base.length)}`);
    }
    await block.locator('.opblock-summary').first().click();
  }

  equal(problems, [], '/docs/: no console error, no third-party request');
  await page.close();
}

// ------------------------------------------------------------------ the explorer, seed catalog

const names = (page) => page.locator('#skill-list .card h3').allTextContents();

async function explorerSeed(context, base) {
  const { page, problems } = await watchedPage(context, base);
  // A browser asking for `/` gets the explorer.
  await page.goto(`${base}/`);
  await page.waitForSelector('[role=tab]');
  equal(await page.locator('h1').textContent(), 'The Power Skills of Tomorrow: Upwork’s Top In-Demand Skills for 2023',
    '/ in a browser is the explorer, titled after the catalog');
  equal(await page.locator('[role=tab] > span:first-child').allTextContents(),
    ['Digital Marketing Mastery', 'Artificial Intelligence and Machine Learning', 'Blockchain and Cryptocurrency Expertise', 'E-commerce Management'],
    'the categories are tabs, in catalog order');
  check((await page.locator('#attribution').textContent()).includes('The Power Skills of Tomorrow'), 'the attribution is shown');

  // Pick the AI tab and see both AI skills.
  await page.getByRole('tab', { name: /Artificial Intelligence/ }).click();
  await page.waitForFunction(() => document.querySelector('#skill-list .card h3')?.textContent === 'Natural Language Processing (NLP)');
  equal(await names(page), ['Natural Language Processing (NLP)', 'Machine Learning Engineering'], 'the AI tab shows both AI skills');
  check((await page.locator('#skill-list .card p').first().textContent()).startsWith('NLP is a critical component of AI'),
    'each skill shows its description');
  await shot(page, 'explorer-ai-tab');

  // Keyboard: arrows move between tabs (ARIA tabs pattern).
  await page.getByRole('tab', { name: /Artificial Intelligence/ }).focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.activeElement?.id === 'tab-blockchain');
  equal(await page.getByRole('tab', { selected: true }).getAttribute('id'), 'tab-blockchain', 'ArrowRight selects the next tab');
  await page.keyboard.press('ArrowLeft');
  equal(await page.getByRole('tab', { selected: true }).getAttribute('id'), 'tab-ai', 'ArrowLeft selects the previous tab');

  // Type "mach" and pick "Machine Learning Engineering" from the suggestions, with the keyboard.
  const input = page.getByRole('combobox', { name: 'Search skills' });
  await input.click();
  await input.pressSequentially('mach', { delay: 40 });
  const listbox = page.getByRole('listbox');
  await listbox.getByRole('option').first().waitFor();
  equal(await input.getAttribute('aria-expanded'), 'true', 'typing opens the suggestions (aria-expanded)');
  const options = (await listbox.getByRole('option').locator('.option-name').allTextContents());
  check(options.includes('Machine Learning Engineering'), 'the suggestions for "mach" include Machine Learning Engineering', String(options));
  await shot(page, 'explorer-autocomplete', false);
  for (let i = 0; i < options.length; i += 1) {
    await page.keyboard.press('ArrowDown');
    const active = await page.locator(`#${await input.getAttribute('aria-activedescendant')} .option-name`).textContent();
    if (active === 'Machine Learning Engineering') break;
  }
  await page.keyboard.press('Enter');
  const dialog = page.locator('dialog#skill');
  await dialog.locator('#skill-name', { hasText: 'Machine Learning Engineering' }).waitFor();
  check(await dialog.evaluate((d) => d.open), 'picking the suggestion opens the skill');
  check((await dialog.locator('#skill-aliases li').allTextContents()).includes('machine learning'), 'the skill shows its aliases');
  const mle = await (await fetch(`${base}/skills/machine-learning-engineering`)).json();
  const mleKind = mle.type ?? mle.skill_type;
  equal(await dialog.locator('#skill-type').isVisible(), Boolean(mleKind), 'the skill shows its type when the catalog has one');
  check(await page.locator('nav.groups').count() === 0, 'the seed categories have no groups below them: no group buttons');
  await shot(page, 'explorer-skill', false);
  await page.keyboard.press('Escape');
  check(!(await dialog.evaluate((d) => d.open)), 'Escape closes the skill');

  // Open the FAQ.
  const first = page.locator('#faq-list details').first();
  await first.locator('summary').click();
  check(await first.evaluate((d) => d.open), 'a FAQ question opens');
  check(await first.locator('p').isVisible(), 'its answer is visible');
  equal(await page.locator('#faq-list details').count(), 5, 'the FAQ lists its 5 questions');
  await first.locator('summary').scrollIntoViewIfNeeded();
  await shot(page, 'explorer-faq');

  // Search (Enter without a suggestion).
  await input.fill('machne lerning');
  await page.locator('#search button[type=submit]').click();
  await page.locator('#results').waitFor();
  equal(await page.locator('#results-list .card h3').first().textContent(), 'Machine Learning Engineering',
    'a typo search finds Machine Learning Engineering');
  await shot(page, 'explorer-search', false);

  // A phone-sized viewport: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/explore#ai`);
  await page.waitForFunction(() => document.querySelectorAll('#skill-list .card').length === 2);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  equal(overflow, 0, 'on a 390 px wide screen nothing overflows sideways');
  await shot(page, 'explorer-phone');
  await page.setViewportSize({ width: 1280, height: 900 });

  equal(problems, [], 'explorer: no console error, no third-party request');
  await page.close();
}

// ------------------------------------------------------------------ the explorer, ESCO catalog

async function explorerEsco(context, base) {
  const { page, problems } = await watchedPage(context, base);
  await page.goto(`${base}/explore`);
  await page.waitForSelector('#skill-list .card');
  const roots = (await (await fetch(`${base}/categories`)).json()).data.filter((c) => c.parent === null).map((c) => c.slug);
  equal(roots.slice().sort(), ['a', 'k', 'l', 's', 't'], 'ESCO: the catalog has the five pillar roots');
  equal(await page.locator('[role=tab]').evaluateAll((tabs) => tabs.map((t) => t.dataset.slug)), roots,
    'ESCO: the five roots are the tabs, in catalog order');
  await page.getByRole('tab', { name: /^Skills/ }).click();
  await page.waitForFunction(() => document.querySelector('[role=tab][aria-selected=true]')?.dataset.slug === 's');
  await page.waitForFunction(() => document.querySelectorAll('#skill-list .card').length === 20);
  equal((await names(page)).length, 20, 'ESCO: the first page of the Skills tab shows 20 skills');
  await page.locator('.more button').click();
  await page.waitForFunction(() => document.querySelectorAll('#skill-list .card').length > 20);
  check((await names(page)).length > 20, 'ESCO: "Show more" pages through the category');
  // ESCO's level-1 groups are buttons under the pillar tab, each with its skill count.
  const all = (await (await fetch(`${base}/categories`)).json()).data;
  const childrenOf = (slug) => all.filter((c) => c.parent === slug);
  const groupButtons = page.locator('nav.groups button.group');
  equal(await groupButtons.evaluateAll((bs) => bs.map((b) => b.dataset.slug)), childrenOf('s').map((c) => c.slug),
    'ESCO: the Skills tab shows its level-1 groups as buttons, in catalog order');
  equal(await page.locator('nav.groups button.group .count').allTextContents(),
    childrenOf('s').map((c) => `${c.skill_count.toLocaleString('en')} skill${c.skill_count === 1 ? '' : 's'}`),
    'ESCO: each group shows its skill count');
  await page.locator('#panel').scrollIntoViewIfNeeded();
  await page.evaluate(() => document.querySelector('#panel').scrollIntoView());
  await shot(page, 'explorer-esco-groups', false);

  // A group leads to its sub-groups and its skills; the path leads back up.
  const group = childrenOf('s').find((c) => childrenOf(c.slug).length > 0);
  await page.locator(`nav.groups button.group[data-slug="${group.slug}"]`).click();
  await page.locator('#panel-heading', { hasText: group.name }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('#skill-list .card').length > 0);
  equal(await page.locator('.crumbs .crumb').allTextContents(), ['Skills'], `ESCO: group ${group.slug} shows the path back up`);
  equal(await groupButtons.evaluateAll((bs) => bs.map((b) => b.dataset.slug)), childrenOf(group.slug).map((c) => c.slug),
    `ESCO: group ${group.slug} shows its sub-groups`);
  const groupSkills = (await (await fetch(`${base}/skills?category=${group.slug}&limit=20`)).json());
  equal(await names(page), groupSkills.data.map((s) => s.name), `ESCO: group ${group.slug} lists its skills`);
  equal(new URL(page.url()).hash, `#${group.slug}`, 'ESCO: the address names the group');
  await shot(page, 'explorer-esco-group', false);

  // One level further down, then back to the root through the path.
  const sub = childrenOf(group.slug)[0];
  await page.locator(`nav.groups button.group[data-slug="${sub.slug}"]`).click();
  await page.locator('#panel-heading', { hasText: sub.name }).waitFor();
  equal(await page.locator('.crumbs .crumb').allTextContents(), ['Skills', group.name], `ESCO: sub-group ${sub.slug} shows the whole path`);
  await page.locator('.crumbs .crumb').first().click();
  await page.locator('#panel-heading', { hasText: 'Skills' }).waitFor();
  equal(await page.locator('.crumbs .crumb').count(), 0, 'ESCO: the path leads back to the root');

  // A deep link opens the group under its pillar's tab.
  await page.goto(`${base}/explore#${group.slug}`); // the same document: only the hash changes
  await page.reload();
  await page.locator('#panel-heading', { hasText: group.name }).waitFor();
  equal(await page.getByRole('tab', { selected: true }).getAttribute('data-slug'), 's', 'ESCO: #group opens under its pillar tab');

  // A skill shows its type.
  const first = groupSkills.data[0];
  const detail = await (await fetch(`${base}/skills/${first.slug}`)).json();
  const kind = detail.type ?? detail.skill_type;
  await page.locator('#skill-list .skill-link', { hasText: first.name }).first().click();
  const dialog = page.locator('dialog#skill');
  await dialog.locator('#skill-name', { hasText: first.name }).waitFor();
  equal(await dialog.locator('#skill-type').textContent(), `Type: ${kind.charAt(0).toUpperCase()}${kind.slice(1)}`,
    `ESCO: the skill shows its type (${kind})`);
  await shot(page, 'explorer-esco-skill', false);
  await page.keyboard.press('Escape');
  check((await page.locator('#faq-list .empty').textContent()).includes('no frequently asked questions'),
    'ESCO: the FAQ has a friendly empty state');
  check((await page.locator('#attribution').textContent()).startsWith('This data uses the ESCO classification'),
    'ESCO: the attribution is shown');
  await shot(page, 'explorer-esco');
  equal(problems, [], 'ESCO explorer: no console error, no third-party request');
  await page.close();
}

// ------------------------------------------------------------------ run

const servers = [];
let context;
// Whatever happens (an exception, Ctrl-C, a CI timeout's SIGTERM), the servers do not outlive the test.
process.on('exit', () => servers.forEach((s) => s.stop()));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
try {
  const esco = path.join(work, 'esco.db');
  execFileSync(bin, ['import', 'esco', '--skills', path.join(repo, 'tests/fixtures/esco/esco_skills_sample.csv'),
    '--groups', path.join(repo, 'tests/fixtures/esco/esco_skill_groups.csv'), '--database-url', `sqlite://${esco}`],
  { stdio: 'inherit' });
  const seed = await startServer('seed', `sqlite://${path.join(work, 'seed.db')}`);
  servers.push(seed);
  const escoServer = await startServer('esco', `sqlite://${esco}`);
  servers.push(escoServer);
  context = await openBrowser();
  await swaggerUi(context, seed.base);
  await explorerSeed(context, seed.base);
  await explorerEsco(context, escoServer.base);
} catch (err) {
  check(false, 'the browser test ran to the end', err.stack ?? String(err));
} finally {
  if (context) await context.close();
  for (const s of servers) s.stop();
  rmSync(work, { recursive: true, force: true });
}
console.log(failures === 0 ? `all checks passed; screenshots in ${artifacts}` : `${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
