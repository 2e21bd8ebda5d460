// hostbench's HTML report in a real headless Chromium (node --test; see run.sh).
// Reports come from the real binary: a scan of the weak fixture host, a hostile results file
// rendered with `hostbench report`, and a large synthetic one for paging.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SRC, hostbench, launchChromium, makeFixture, resultsDocument, ruleResult, tempDir } from './support.mjs';

const ARTIFACTS = process.env.HOSTBENCH_ARTIFACTS || '/tmp';
const T = { timeout: 60_000 };

const PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  ']]>',
  '</script><script>window.__pwned=1</script>',
  '"double" \'single\' & <!-- comment',
  'ctl\x01 esc\x1b[31m red',
  'line\u2028sep\u2029para',
  'bidi \u202eevil\u202c',
];
const ALL = PAYLOADS.join(' ');

let work, browser, weak, weakJson, hostileUrl, largeUrl;
const requests = [];   // every request any page made: [pageUrl, requestUrl]
const dialogs = [];


async function open(url) {
  const page = await browser.newPage();
  page.on('request', (r) => requests.push([url, r.url()]));
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  await page.goto(url);
  await page.waitForSelector('html[data-ready="1"]');
  return page;
}

const rows = (page) => page.locator('#list details.rule');
const matched = async (page) => Number(await page.locator('#shown').getAttribute('data-matched'));

before(async () => {
  work = tempDir('hostbench-html-');
  makeFixture('weak', path.join(work, 'weak'));
  const html = path.join(work, 'weak.html'), json = path.join(work, 'weak.json');
  hostbench(['scan', '--profile', 'linux', '--root', path.join(work, 'weak'), '--quiet',
    '--html', html, '--json', json], [0, 1, 3]);
  weakJson = JSON.parse(fs.readFileSync(json, 'utf8'));
  weak = { html, json, url: pathToFileURL(html).href };

  const hostile = resultsDocument([
    ruleResult({
      id: 'hostile.first', title: ALL, severity: 'critical', status: 'fail', tags: [PAYLOADS[0]],
      evidence: PAYLOADS, description: PAYLOADS[1], remediation: PAYLOADS[3],
      references: { url: 'javascript:window.__pwned=1', cve: PAYLOADS[1], 'cis-x': PAYLOADS[0] },
      objects: [{ id: PAYLOADS[1], status: 'fail', evidence: [PAYLOADS[0]] },
        { id: PAYLOADS[3], status: 'pass', evidence: [PAYLOADS[6]] }],
    }),
    ruleResult({ id: 'hostile.second', title: PAYLOADS[1], status: 'pass', tags: ['"><svg onload=window.__pwned=1>'] }),
  ], { hostname: ALL, os: PAYLOADS[0], kernel: PAYLOADS[1], root: PAYLOADS[3], user: PAYLOADS[4] });
  fs.writeFileSync(path.join(work, 'hostile.json'), JSON.stringify(hostile));
  hostbench(['report', path.join(work, 'hostile.json'), '--quiet', '--html', path.join(work, 'hostile.html')]);
  hostileUrl = pathToFileURL(path.join(work, 'hostile.html')).href;

  const large = [];
  for (let i = 0; i < 450; i++)
    large.push(ruleResult({ id: `large.r${String(i).padStart(3, '0')}`, title: `rule ${i}`,
      status: i % 3 ? 'pass' : 'fail', tags: [`sec${i % 4}`] }));
  large[0].objects = Array.from({ length: 450 }, (_, j) => ({ id: `/obj/${j}`, status: j % 2 ? 'pass' : 'fail', evidence: [`e${j}`] }));
  fs.writeFileSync(path.join(work, 'large.json'), JSON.stringify(resultsDocument(large)));
  hostbench(['report', path.join(work, 'large.json'), '--quiet', '--html', path.join(work, 'large.html')]);
  largeUrl = pathToFileURL(path.join(work, 'large.html')).href;

  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('re-rendering the scan JSON with `hostbench report` gives the same bytes', T, () => {
  const again = path.join(work, 'weak-again.html');
  hostbench(['report', weak.json, '--quiet', '--html', again]);
  assert.ok(fs.readFileSync(again).equals(fs.readFileSync(weak.html)));
});

test('weak fixture: the summary shows the JSON summary', T, async () => {
  const page = await open(weak.url);
  const s = weakJson.summary;
  assert.ok(s.fail >= 20, 'the weak fixture fails at least 20 rules');
  const count = async (card, key) => (await page.locator(`#${card} [data-count="${key}"]`).textContent()).trim();
  assert.equal(await count('by-status', 'total'), String(s.total));
  for (const st of ['pass', 'fail', 'error', 'notapplicable', 'notchecked', 'informational', 'waived'])
    assert.equal(await count('by-status', st), String(s[st]), st);
  assert.equal(await count('by-severity', 'failed'), String(s.fail));
  for (const [sv, n] of Object.entries(s.failed_by_severity))
    assert.equal(await count('by-severity', sv), String(n), sv);
  assert.equal(await count('score', 'score'), s.score.toFixed(1));
  assert.equal(await matched(page), s.total);
  assert.equal(await rows(page).count(), Math.min(s.total, 200));
  // Failures first, critical before info.
  const order = await rows(page).evaluateAll((ds) => ds.map((d) => [d.dataset.status, d.dataset.severity]));
  const rank = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
  const fails = order.filter(([st]) => st === 'fail');
  assert.deepEqual(order.slice(0, fails.length), fails);
  for (let i = 1; i < fails.length; i++) assert.ok(rank[fails[i - 1][1]] <= rank[fails[i][1]]);
  assert.ok(await page.locator('#list h3.group').count() >= 2, 'group headers');
  await page.screenshot({ path: path.join(ARTIFACTS, 'html-report.png'), fullPage: false });
  await page.close();
});

test('weak fixture: a status filter leaves only the failed rules', T, async () => {
  const page = await open(weak.url);
  for (const st of ['pass', 'error', 'notapplicable', 'notchecked', 'informational', 'waived'])
    await page.uncheck(`input[name="st"][value="${st}"]`);
  assert.equal(await matched(page), weakJson.summary.fail);
  assert.equal(await rows(page).count(), weakJson.summary.fail);
  const statuses = await rows(page).evaluateAll((ds) => [...new Set(ds.map((d) => d.dataset.status))]);
  assert.deepEqual(statuses, ['fail']);
  // Severity filter too: only the high failures.
  for (const sv of ['critical', 'medium', 'low', 'info']) await page.uncheck(`input[name="sv"][value="${sv}"]`);
  assert.equal(await rows(page).count(), weakJson.summary.failed_by_severity.high);
  await page.click('#reset');
  assert.equal(await matched(page), weakJson.summary.total);
  await page.close();
});

test('weak fixture: searching a rule id leaves that rule', T, async () => {
  const page = await open(weak.url);
  // An id that no other rule's id, title, evidence or object id contains.
  const hay = weakJson.results.map((r) => [r.id, r.title, ...r.evidence, ...r.objects.map((o) => o.id)].join('\n').toLowerCase());
  const target = weakJson.results.find((r) => hay.filter((h) => h.includes(r.id.toLowerCase())).length === 1);
  assert.ok(target, 'some rule id is unique');
  await page.fill('#q', target.id);
  await page.waitForFunction(() => document.getElementById('shown').dataset.matched === '1');
  assert.equal(await rows(page).count(), 1);
  assert.equal(await rows(page).first().locator('.rid').textContent(), target.id);
  await page.fill('#q', 'no such rule anywhere');
  await page.waitForFunction(() => document.getElementById('shown').dataset.matched === '0');
  assert.equal(await rows(page).count(), 0);
  await page.close();
});

test('weak fixture: a rule opens from the keyboard and shows its evidence', T, async () => {
  const page = await open(weak.url);
  const first = weakJson.results.filter((r) => r.status === 'fail')
    .sort((a, b) => ['critical', 'high', 'medium', 'low', 'info'].indexOf(a.severity) -
      ['critical', 'high', 'medium', 'low', 'info'].indexOf(b.severity))[0];
  await page.focus('#reset');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'SUMMARY');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'a visible focus ring');
  await page.keyboard.press('Enter');
  const row = rows(page).first();
  await row.locator('.body').waitFor();
  assert.equal(await row.getAttribute('open'), '');
  assert.equal(await row.locator('.rid').textContent(), first.id);
  const body = await row.locator('.body').innerText();
  const evidence = first.evidence[0] ?? first.objects.find((o) => o.status === 'fail').evidence[0];
  assert.ok(body.includes(evidence.split('\n')[0]), `evidence '${evidence}' shown in:\n${body}`);
  if (first.remediation) assert.ok(body.includes(first.remediation.split('\n')[0].trim()));
  await page.keyboard.press('Space');
  await page.waitForFunction(() => !document.querySelector('#list details.rule').open);
  await page.close();
});

test('weak fixture: the print view hides the controls and expands the failures', T, async () => {
  const page = await open(weak.url);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.filters').evaluate((e) => getComputedStyle(e).display), 'none');
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  const expanded = await page.locator('#list details.rule.st-fail[open] .body').count();
  assert.equal(expanded, weakJson.summary.fail);
  const bg = await page.locator('.badge.b-fail').first().evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.equal(bg, 'rgb(255, 255, 255)');
  await page.close();
});

test('hostile results: nothing runs, the text shows as text', T, async () => {
  const page = await open(hostileUrl);
  const state = async () => page.evaluate(() => ({
    pwned: typeof window.__pwned,
    imgs: document.querySelectorAll('img').length,
    imgX: document.querySelectorAll('img[src="x"]').length,
    svgs: document.querySelectorAll('svg[onload]').length,
    scripts: document.scripts.length,
  }));
  assert.deepEqual(await state(), { pwned: 'undefined', imgs: 0, imgX: 0, svgs: 0, scripts: 2 });
  assert.equal(await page.title(), 'hostbench report: ' + ALL.replace(/[\x00-\x1f]/g, ''));
  assert.ok((await page.locator('h1 .host').textContent()).includes(PAYLOADS[0]));
  await rows(page).first().locator('summary').click();
  const body = rows(page).first().locator('.body');
  await body.waitFor();
  const text = await body.textContent();
  for (const p of [PAYLOADS[0], PAYLOADS[1], PAYLOADS[3], PAYLOADS[2]]) assert.ok(text.includes(p), p);
  assert.ok(text.includes('ctl\\x01 esc\\x1b[31m red'), 'control characters shown, not obeyed');
  assert.ok(text.includes('bidi <U+202E>evil<U+202C>'), 'bidi overrides shown, not obeyed');
  assert.equal(await body.locator('a').count(), 0, 'no link from a javascript: or malformed reference');
  await page.fill('#q', '<img src=x');
  await page.waitForFunction(() => document.getElementById('shown').dataset.matched === '2');
  assert.deepEqual(await state(), { pwned: 'undefined', imgs: 0, imgX: 0, svgs: 0, scripts: 2 });
  assert.deepEqual(dialogs, []);
  await page.screenshot({ path: path.join(ARTIFACTS, 'html-report-hostile.png') });
  await page.close();
});

test('large results: rows and objects come in pages', T, async () => {
  const page = await open(largeUrl);
  assert.equal(await matched(page), 450);
  assert.equal(await rows(page).count(), 200);
  await page.getByRole('button', { name: 'Show all 250 remaining' }).click();
  assert.equal(await rows(page).count(), 450);
  const first = page.locator('#list details.rule[data-i="0"]');
  await first.locator('summary').click();
  await first.locator('table.objs').waitFor();
  assert.equal(await first.locator('table.objs tbody tr').count(), 200);
  await first.getByRole('button', { name: /Show 200 more objects/ }).click();
  assert.equal(await first.locator('table.objs tbody tr').count(), 400);
  await first.getByRole('button', { name: /Show 50 more objects/ }).click();
  assert.equal(await first.locator('table.objs tbody tr').count(), 450);
  await page.close();
});

test('drift: the diff page and the report section show hostile evidence as text', T, async () => {
  // Before: the rule passes; after: it fails with hostile evidence and a hostile object.
  const before = resultsDocument([ruleResult({ id: 'drift.rule', status: 'pass', evidence: ['fine'] }),
    ruleResult({ id: 'drift.gone', status: 'fail' })]);
  const after = resultsDocument([ruleResult({ id: 'drift.rule', title: ALL, severity: 'high', status: 'fail',
    evidence: PAYLOADS, objects: [{ id: PAYLOADS[1], status: 'fail', evidence: [PAYLOADS[0]] }] })],
  { started: '2026-11-29T22:04:11.000Z', hostname: ALL });
  const b = path.join(work, 'drift-before.json'), a = path.join(work, 'drift-after.json');
  fs.writeFileSync(b, JSON.stringify(before));
  fs.writeFileSync(a, JSON.stringify(after));
  const page_ = path.join(work, 'drift.html'), dj = path.join(work, 'drift.json');
  hostbench(['diff', b, a, '--html', page_, '--json', dj], [1]);
  const url = pathToFileURL(page_).href;
  const page = await browser.newPage();
  page.on('request', (r) => requests.push([url, r.url()]));
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  await page.goto(url);
  const state = () => page.evaluate(() => ({ pwned: typeof window.__pwned, imgs: document.images.length,
    scripts: document.scripts.length }));
  assert.deepEqual(await state(), { pwned: 'undefined', imgs: 0, scripts: 0 });
  assert.equal((await page.locator('[data-drift-count="newly_failing"]').textContent()).trim(), '1');
  assert.equal((await page.locator('[data-drift-count="removed"]').textContent()).trim(), '1');
  const row = page.locator('table[data-drift="newly_failing"] tr[data-rule="drift.rule"]');
  const text = await row.innerText();
  for (const p of [PAYLOADS[0], PAYLOADS[1], PAYLOADS[3]]) assert.ok(text.includes(p), p);
  assert.ok(text.includes('bidi <U+202E>evil<U+202C>'), 'bidi overrides shown, not obeyed');
  assert.ok(text.includes('ctl\\x01 esc\\x1b[31m red'), 'control characters shown');
  await page.screenshot({ path: path.join(ARTIFACTS, 'html-drift.png'), fullPage: true });
  await page.close();

  // The same drift carried by results: the host report gains the section, the rule list still works.
  const withDrift = { ...after, drift: JSON.parse(fs.readFileSync(dj, 'utf8')) };
  delete withDrift.drift.schema;
  const rj = path.join(work, 'drift-results.json'), rh = path.join(work, 'drift-results.html');
  fs.writeFileSync(rj, JSON.stringify(withDrift));
  hostbench(['report', rj, '--quiet', '--html', rh]);
  const report = await open(pathToFileURL(rh).href);
  assert.ok(await report.locator('#drift h2').isVisible());
  assert.equal((await report.locator('#drift [data-drift-count="newly_failing"]').textContent()).trim(), '1');
  assert.equal(await matched(report), 1);
  assert.deepEqual(await report.evaluate(() => ({ pwned: typeof window.__pwned, imgs: document.images.length })),
    { pwned: 'undefined', imgs: 0 });
  await report.close();
});

test('no page made a request other than for its own file', T, () => {
  assert.ok(requests.length >= 3);
  const others = requests.filter(([pageUrl, url]) => url !== pageUrl);
  assert.deepEqual(others, []);
});
