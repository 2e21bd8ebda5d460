// hostbench's fleet report (hostbench merge --html) in a real headless Chromium (node --test; see
// run.sh, HOSTBENCH_HTML_TEST=fleet_html.test.mjs). Pages come from fleet_html_gen
// (HOSTBENCH_FLEET_GEN): a 120-host sample with hostile text, and synthetic fleets of 1,000 and
// 10,000 hosts × 300 rules. Expectations are computed from each page's own data block, which the
// unit tests (tests/reports/fleet_html_test.cpp) check against the model; here the question is
// whether the page shows that data faithfully, safely and at scale. When the binary has
// `hostbench merge`, one more test merges real scans of the fixture hosts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SRC, hostbench, hostbenchBin, launchChromium, makeFixture, tempDir } from './support.mjs';

const ARTIFACTS = process.env.HOSTBENCH_ARTIFACTS || '/tmp';
const T = { timeout: 120_000 };
const NAMES = ['pass', 'fail', 'error', 'notapplicable', 'notchecked', 'informational', 'waived', 'notscanned'];
const SEV = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

let work, browser, sample, figures = {};
const requests = [];  // every request any page made: [pageUrl, requestUrl]

function gen(args) {
  const bin = process.env.HOSTBENCH_FLEET_GEN;
  if (!bin || !fs.existsSync(bin)) throw new Error(`HOSTBENCH_FLEET_GEN must name fleet_html_gen (got '${bin ?? ''}')`);
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fleet_html_gen ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [hosts, rules, bytes, ms] = r.stdout.trim().split(/\s+/).map(Number);
  return { hosts, rules, bytes, ms };
}

// A page that records what went wrong in it: console errors and warnings, uncaught exceptions,
// dialogs, and every CSP violation (securitypolicyviolation events, hooked before the page runs).
async function open(url, opts = {}) {
  const context = opts.context || browser;
  const page = await context.newPage({ viewport: { width: 1400, height: 1000 } });
  const issues = [];
  page.on('request', (r) => requests.push([url, r.url()]));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') issues.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => issues.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => { issues.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const t0 = performance.now();
  await page.goto(url, { timeout: 60_000 });
  if (opts.js !== false) await page.waitForSelector('html[data-ready="1"]', { timeout: 60_000 });
  page.loadMs = performance.now() - t0;
  page.issues = issues;
  return page;
}

// Nothing went wrong on the page: no console error, no exception, no CSP violation.
async function clean(page) {
  assert.deepEqual(page.issues, []);
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  assert.equal(await page.evaluate(() => typeof window.__pwned), 'undefined');
}

const dataOf = (page) => page.evaluate(() => JSON.parse(document.getElementById('data').textContent));
const elements = (page) => page.evaluate(() => document.getElementsByTagName('*').length);
const nodes = (page) => page.evaluate(() => {
  const w = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
  let n = 0;
  while (w.nextNode()) n++;
  return n;
});

// The model as the page's script must read it.
function model(d) {
  const code = {};
  [...d.status_codes].forEach((c, i) => { code[c] = NAMES[i]; });
  const H = d.hosts, R = d.rules;
  const st = (h, r) => (r < H.status[h].length ? code[H.status[h][r]] : 'notscanned');
  const nH = H.hostname.length, nR = R.id.length;
  const hostsWhere = (pred) => [...Array(nH).keys()].filter(pred);
  return {
    H, R, nH, nR, st, hostsWhere,
    failingRules: [...Array(nR).keys()].filter((r) => R.hosts[r][1] > 0),
    failedRulesOf: (h) => [...Array(nR).keys()].filter((r) => st(h, r) === 'fail')
      .sort((a, b) => (SEV[R.severity[b]] - SEV[R.severity[a]]) || (a - b)),
    errorRulesOf: (h) => [...Array(nR).keys()].filter((r) => st(h, r) === 'error'),
    hostsWith: (r, s) => hostsWhere((h) => st(h, r) === s),
  };
}

const attr = (loc, name) => loc.evaluateAll((es, n) => es.map((e) => e.getAttribute(n)), name);
const hostRows = (page) => attr(page.locator('#hosts-table tbody tr'), 'data-host').then((a) => a.map(Number));
const ruleRows = (page) => attr(page.locator('#rules-table tbody tr'), 'data-rule').then((a) => a.map(Number));
const matched = async (page, id) => Number(await page.locator(`#${id}`).getAttribute('data-matched'));
async function waitMatched(page, id, n) {
  await page.waitForFunction(([i, v]) => document.getElementById(i).dataset.matched === String(v), [id, n]);
}

before(async () => {
  work = tempDir('hostbench-fleet-html-');
  const file = path.join(work, 'sample.html');
  sample = { file, url: pathToFileURL(file).href, ...gen(['sample', file]) };
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
  if (Object.keys(figures).length) console.log('# fleet html figures: ' + JSON.stringify(figures));
});

test('sample: without JavaScript the summary and the problems are there', T, async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await open(sample.url, { context, js: false });
  const count = async (k) => (await page.locator(`[data-count="${k}"]`).textContent()).trim();
  assert.equal(await count('hosts'), String(sample.hosts));
  assert.equal(await count('files'), '123');
  assert.equal(await count('skipped'), '2');
  assert.equal(await count('warnings'), '1');
  assert.equal(await page.locator('#skipped tbody tr').count(), 2);
  assert.ok(await page.locator('noscript p, p.noscript').first().isVisible(), 'the noscript note shows');
  assert.equal(await page.locator('#app').isVisible(), false, 'the empty tables stay hidden');
  assert.equal(await page.locator('#top-hosts li').count(), 10);
  await page.screenshot({ path: path.join(ARTIFACTS, 'fleet-html-noscript.png') });
  await context.close();
});

test('sample: the summary agrees with the data, the host table pages', T, async () => {
  const page = await open(sample.url);
  const m = model(await dataOf(page));
  const count = async (k) => (await page.locator(`[data-count="${k}"]`).textContent()).trim();
  assert.equal(await count('failing'), String(m.hostsWhere((h) => m.H.counts[h][1] > 0).length));
  assert.equal(await count('stale'), String(m.hostsWhere((h) => m.H.stale[h]).length));
  assert.equal(await count('failing_rules'), String(m.failingRules.length));
  assert.equal(await matched(page, 'hosts-shown'), m.nH);
  assert.deepEqual(await hostRows(page), [...Array(50).keys()], 'first page: the first 50 hosts, worst first');
  // Each row shows its host's numbers.
  const first = page.locator('#hosts-table tbody tr').first();
  const cells = await first.locator('td').allInnerTexts();
  assert.ok(cells[1].startsWith(m.H.hostname[0] || '(no hostname)'));
  assert.ok(cells[3].startsWith(String(m.H.counts[0][1])), `failed count in '${cells[3]}'`);
  assert.equal(cells[2], m.H.score[0].toFixed(1));
  const pager = page.locator('#hosts-pager');
  await pager.locator('[data-act="next"]').click();
  assert.deepEqual(await hostRows(page), [...Array(50).keys()].map((i) => i + 50));
  assert.equal(await pager.getAttribute('data-page'), '2');
  await pager.locator('[data-act="last"]').click();
  assert.deepEqual(await hostRows(page), [...Array(m.nH - 100).keys()].map((i) => i + 100));
  assert.ok(await pager.locator('[data-act="next"]').isDisabled());
  await pager.locator('[data-act="first"]').click();
  assert.equal(await pager.getAttribute('data-page'), '1');
  await page.screenshot({ path: path.join(ARTIFACTS, 'fleet-html.png') });
  await clean(page);
  await page.close();
});

test('sample: the host filter (name, failing only, stale only) narrows the table and the matrix rows', T, async () => {
  const page = await open(sample.url);
  const m = model(await dataOf(page));
  const web01 = m.H.hostname.indexOf('web01');
  assert.ok(web01 >= 0);
  await page.fill('#hq', 'WEB01');
  await waitMatched(page, 'hosts-shown', 1);
  assert.deepEqual(await hostRows(page), [web01]);
  assert.equal(await page.locator('#matrix-shown').getAttribute('data-rows'), '1');
  // A file name matches too.
  await page.fill('#hq', 'results/node-01');
  const byFile = m.hostsWhere((h) => (m.H.hostname[h] + '\n' + m.H.file[h]).toLowerCase().includes('results/node-01'));
  await waitMatched(page, 'hosts-shown', byFile.length);
  assert.deepEqual(await hostRows(page), byFile.slice(0, 50));
  await page.fill('#hq', '');
  await page.check('#h-failing');
  const failing = m.hostsWhere((h) => m.H.counts[h][1] > 0);
  assert.ok(failing.length < m.nH, 'the sample has a host that fails nothing');
  await waitMatched(page, 'hosts-shown', failing.length);
  await page.check('#h-stale');
  const both = failing.filter((h) => m.H.stale[h]);
  await waitMatched(page, 'hosts-shown', both.length);
  assert.deepEqual(await hostRows(page), both.slice(0, 50));
  assert.equal(await page.locator('#matrix-shown').getAttribute('data-rows'), String(both.length));
  const matrixHosts = await attr(page.locator('#matrix-table tbody tr'), 'data-host');
  assert.deepEqual(matrixHosts.map(Number), both.slice(0, 50));
  await page.uncheck('#h-failing');
  await waitMatched(page, 'hosts-shown', m.hostsWhere((h) => m.H.stale[h]).length);
  await page.fill('#hq', 'no such host');
  await waitMatched(page, 'hosts-shown', 0);
  assert.equal(await page.locator('#hosts-table tbody tr').count(), 0);
  await clean(page);
  await page.close();
});

test('sample: a host opens a panel with its failed and error rules and its own report', T, async () => {
  const page = await open(sample.url);
  const m = model(await dataOf(page));
  const web01 = m.H.hostname.indexOf('web01');
  await page.fill('#hq', 'web01');
  await waitMatched(page, 'hosts-shown', 1);
  const opener = page.locator(`#hosts-table button[data-host="${web01}"]`);
  await opener.click();
  const panel = page.locator('#panel');
  await panel.waitFor();
  assert.equal(await panel.getAttribute('data-kind'), 'host');
  assert.equal(await page.locator('#panel-h').textContent(), 'Host web01');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'panel-h', 'focus moves to the panel');
  const failed = m.failedRulesOf(web01), errors = m.errorRulesOf(web01);
  assert.ok(failed.length > 0 && failed.length <= 50, `web01 fails ${failed.length} rules`);
  assert.deepEqual((await attr(panel.locator('.failed-rules tbody tr'), 'data-rule')).map(Number), failed,
    'failed rules, most severe first');
  assert.deepEqual((await attr(panel.locator('.error-rules tbody tr'), 'data-rule')).map(Number), errors);
  assert.equal(await panel.locator('h3').first().textContent(), `Failed rules (${failed.length})`);
  // Titles and severities come along.
  const row = panel.locator('.failed-rules tbody tr').first();
  assert.equal(await row.locator('td').first().textContent(), m.R.severity[failed[0]]);
  assert.ok((await row.innerText()).includes(m.R.title[failed[0]].replace(/\u202e/g, '<U+202E>')));
  // The own report: a relative link, percent-encoded by the writer.
  const link = panel.locator('a.report');
  assert.equal(await link.getAttribute('href'), 'reports/web01%20%231.html');
  assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
  assert.equal(await link.evaluate((a) => a.href), new URL('reports/web01%20%231.html', sample.url).href);
  await page.screenshot({ path: path.join(ARTIFACTS, 'fleet-html-host.png') });
  await page.keyboard.press('Escape');
  assert.equal(await panel.isVisible(), false);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.host), String(web01), 'focus returns');
  await clean(page);
  await page.close();
});

test('sample: a rule opens a panel with its failing hosts, paged, and drills on to a host', T, async () => {
  const page = await open(sample.url);
  const m = model(await dataOf(page));
  assert.deepEqual(await ruleRows(page), [...Array(50).keys()]);
  const failing = m.hostsWith(0, 'fail');
  assert.ok(failing.length > 50, 'the most failed rule fails on more hosts than one panel page');
  assert.equal(failing.length, m.R.hosts[0][1]);
  await page.click('#rules-table button[data-rule="0"]');
  const panel = page.locator('#panel');
  await panel.waitFor();
  assert.equal(await panel.getAttribute('data-kind'), 'rule');
  assert.equal(await panel.locator('h3').first().textContent(), `Failing hosts (${failing.length})`);
  const shown = async () => (await attr(panel.locator('.failing-hosts tbody tr'), 'data-host')).map(Number);
  assert.deepEqual(await shown(), failing.slice(0, 50));
  await panel.locator('.failing-hosts [data-act="next"]').click();
  assert.deepEqual(await shown(), failing.slice(50, 100));
  assert.deepEqual((await attr(panel.locator('.error-hosts tbody tr'), 'data-host')).map(Number),
    m.hostsWith(0, 'error').slice(0, 50));
  // On to a host and back.
  const h = failing[50];
  await panel.locator(`.failing-hosts button[data-host="${h}"]`).click();
  assert.equal(await panel.getAttribute('data-kind'), 'host');
  assert.equal(await panel.getAttribute('data-index'), String(h));
  assert.ok((await attr(panel.locator('.failed-rules tbody tr'), 'data-rule')).includes('0'));
  await panel.locator('[data-act="back"]').click();
  assert.equal(await panel.getAttribute('data-kind'), 'rule');
  await panel.locator('[data-act="close"]').click();
  assert.equal(await panel.isVisible(), false);
  // The rule table pages and filters.
  await page.locator('#rules-pager [data-act="next"]').click();
  assert.deepEqual(await ruleRows(page), [...Array(m.nR - 50).keys()].map((i) => i + 50));
  await page.check('#r-failing');
  await waitMatched(page, 'rules-shown', m.failingRules.length);
  await page.fill('#rq', 'rule_01');
  const q = [...Array(m.nR).keys()].filter((r) => (m.R.id[r] + '\n' + m.R.title[r]).toLowerCase().includes('rule_01') && m.R.hosts[r][1] > 0);
  await waitMatched(page, 'rules-shown', q.length);
  assert.deepEqual(await ruleRows(page), q);
  await clean(page);
  await page.close();
});

test('sample: the matrix shows each host\'s status for the failing rules, paged both ways', T, async () => {
  const page = await open(sample.url);
  const m = model(await dataOf(page));
  const cols = () => attr(page.locator('#matrix-table th.col button'), 'data-rule').then((a) => a.map(Number));
  const rows = () => attr(page.locator('#matrix-table tbody tr'), 'data-host').then((a) => a.map(Number));
  const cellStates = () => page.locator('#matrix-table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.dataset.st)));
  assert.ok(m.failingRules.length > 40 && m.failingRules.length < m.nR);
  assert.deepEqual(await cols(), m.failingRules.slice(0, 40), 'the failing rules, most failed first');
  assert.deepEqual(await rows(), [...Array(50).keys()]);
  const expect = (hs, rs) => hs.map((h) => rs.map((r) => m.st(h, r)));
  assert.deepEqual(await cellStates(), expect([...Array(50).keys()], m.failingRules.slice(0, 40)));
  const states = new Set((await cellStates()).flat());
  for (const s of ['fail', 'error', 'waived', 'pass', 'notapplicable', 'notscanned']) assert.ok(states.has(s), s);
  await page.locator('#matrix-cols-pager [data-act="next"]').click();
  assert.deepEqual(await cols(), m.failingRules.slice(40));
  await page.locator('#matrix-rows-pager [data-act="next"]').click();
  const hs = [...Array(50).keys()].map((i) => i + 50);
  assert.deepEqual(await rows(), hs);
  assert.deepEqual(await cellStates(), expect(hs, m.failingRules.slice(40)));
  // A cell's tooltip names the host, the rule and the status.
  const td = page.locator('#matrix-table tbody tr').first().locator('td').first();
  assert.equal(await td.getAttribute('title'),
    `${m.H.hostname[50] || '(no hostname)'} \u2014 ${m.R.id[m.failingRules[40]]}: ${m.st(50, m.failingRules[40]).replace('notapplicable', 'not applicable').replace('notscanned', 'not scanned').replace('notchecked', 'not checked')}`);
  // A column opens its rule; a cell opens its host with the rule marked.
  await page.locator('#matrix-table th.col button').first().click();
  assert.equal(await page.locator('#panel').getAttribute('data-kind'), 'rule');
  assert.equal(await page.locator('#panel').getAttribute('data-index'), String(m.failingRules[40]));
  await page.keyboard.press('Escape');
  const r = m.failingRules[40], h = hs.find((x) => m.st(x, r) === 'fail');
  await page.locator(`#matrix-table tbody tr[data-host="${h}"] td`).first().click();
  assert.equal(await page.locator('#panel').getAttribute('data-index'), String(h));
  assert.equal(await page.locator(`#panel .failed-rules tr.hl`).getAttribute('data-rule'), String(r));
  await page.keyboard.press('Escape');
  // The rule filter narrows the columns.
  await page.fill('#rq', 'rule_00');
  await page.waitForFunction(() => document.getElementById('rules-shown').dataset.matched !== '60');
  const q = m.failingRules.filter((x) => (m.R.id[x] + '\n' + m.R.title[x]).toLowerCase().includes('rule_00'));
  assert.deepEqual(await cols(), q);
  await page.locator('#matrix').screenshot({ path: path.join(ARTIFACTS, 'fleet-html-matrix.png') });
  await clean(page);
  await page.close();
});

test('sample: hostile text shows as text; hostile report paths are not linked', T, async () => {
  const page = await open(sample.url);
  const m = model(await dataOf(page));
  const state = () => page.evaluate(() => ({
    pwned: typeof window.__pwned, imgs: document.images.length, scripts: document.scripts.length,
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
    jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => !/^(file|https?):$/.test(new URL(a.href).protocol) || a.getAttribute('href').startsWith('/')).length,
  }));
  const safe = { pwned: 'undefined', imgs: 0, scripts: 2, handlers: 0, jsLinks: 0 };
  assert.deepEqual(await state(), safe);
  const evil = m.H.hostname.findIndex((n) => n.startsWith('db01'));
  await page.fill('#hq', 'db01');
  await waitMatched(page, 'hosts-shown', 1);
  const row = page.locator(`#hosts-table tr[data-host="${evil}"]`);
  const text = await row.innerText();
  assert.ok(text.includes('<script>window.__pwned=1</script>'), text);
  assert.ok(text.includes('db01 <U+202E>evil'), 'bidi override shown, not obeyed');
  assert.ok(text.includes('ctl\\x01'), 'control character shown');
  assert.equal(await row.locator('a').count(), 0, 'javascript: report path not linked');
  assert.ok(text.includes('not linked'));
  await row.locator('button[data-host]').click();
  assert.ok((await page.locator('#panel').innerText()).includes('javascript:window.__pwned=1 (not linked: not a relative path)'));
  assert.equal(await page.locator('#panel a').count(), 0);
  await page.keyboard.press('Escape');
  // An absolute report path is not linked either; a host without a name shows its file.
  const abs = m.H.report.indexOf('/var/lib/hostbench/absolute.html');
  assert.equal(m.H.report_href[abs], '');
  await page.fill('#hq', m.H.file[abs]);
  await waitMatched(page, 'hosts-shown', 1);
  assert.equal(await page.locator(`#hosts-table tr[data-host="${abs}"] a`).count(), 0);
  const nameless = m.H.hostname.indexOf('');
  await page.fill('#hq', '"quoted"');
  await waitMatched(page, 'hosts-shown', 1);
  const nl = await page.locator(`#hosts-table tr[data-host="${nameless}"]`).innerText();
  assert.ok(nl.includes('(no hostname)') && nl.includes('results/"quoted" & <b>bold</b>.json'), nl);
  // Rule ids and titles, problems.
  await page.fill('#rq', '</script>');
  await waitMatched(page, 'rules-shown', 1);
  assert.ok((await page.locator('#rules-table tbody').innerText()).includes('linux.ssh.</script><script>window.__pwned=1</script>'));
  assert.ok((await page.locator('#skipped').innerText()).includes('results/<img src=x onerror=alert(1)>.json'));
  assert.ok((await page.locator('#warnings').innerText()).includes('in the future <U+202E>evil'));
  assert.equal(await page.title(), `hostbench fleet report: ${m.nH} hosts`);
  assert.deepEqual(await state(), safe);
  await clean(page);
  await page.close();
});

test('sample: the CSP is in force: an injected inline script is refused', T, async () => {
  const page = await open(sample.url);
  await clean(page);  // the page's own script and style were allowed (it is ready)
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__pwned = 1';
    document.body.appendChild(s);
    const st = document.createElement('style');
    st.textContent = 'body{background:red}';
    document.head.appendChild(st);
  });
  await page.waitForFunction(() => window.__csp.length >= 2);
  assert.equal(await page.evaluate(() => typeof window.__pwned), 'undefined');
  const v = await page.evaluate(() => window.__csp);
  assert.ok(v.some((x) => x.startsWith('script-src')), v.join('; '));
  assert.ok(v.some((x) => x.startsWith('style-src')), v.join('; '));
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
  await page.close();
});

test('large fleets: 10,000 hosts × 300 rules load with a DOM bounded independent of the host count', { timeout: 300_000 }, async (t) => {
  const sizes = {};
  for (const n of [1000, 10000]) {
    const file = path.join(work, `large-${n}.html`);
    const g = gen(['large', String(n), '300', file]);
    assert.equal(g.hosts, n);
    assert.equal(g.rules, 300);
    const page = await open(pathToFileURL(file).href);
    const ready = await page.evaluate(() => performance.getEntriesByName('hostbench-ready')[0].startTime);
    const f = { bytes: g.bytes, write_ms: Math.round(g.ms), load_ms: Math.round(page.loadMs), ready_ms: Math.round(ready),
      elements: await elements(page), nodes: await nodes(page) };
    assert.ok(f.elements < 5000, `${f.elements} elements at ${n} hosts`);
    const time = async (what, fn) => { const t0 = performance.now(); await fn(); f[what] = Math.round(performance.now() - t0); };
    const m = model(await dataOf(page));
    assert.equal(await matched(page, 'hosts-shown'), n);
    await time('next_page_ms', () => page.locator('#hosts-pager [data-act="last"]').click());
    assert.equal(await page.locator('#hosts-pager').getAttribute('data-page'), String(n / 50));
    await time('filter_ms', async () => { await page.fill('#hq', '.dc3.'); await page.press('#hq', 'Enter'); await waitMatched(page, 'hosts-shown', n / 4); });
    await time('failing_only_ms', async () => {
      await page.check('#h-failing');
      await waitMatched(page, 'hosts-shown', m.hostsWhere((h) => m.H.counts[h][1] > 0 && m.H.hostname[h].includes('.dc3.')).length);
    });
    await time('matrix_page_ms', () => page.locator('#matrix-cols-pager [data-act="next"]').click());
    await time('rule_panel_ms', () => page.click('#rules-table button[data-rule="0"]'));
    assert.equal(await page.locator('#panel h3').first().textContent(), `Failing hosts (${m.R.hosts[0][1]})`);
    assert.ok(await page.locator('#panel .failing-hosts tbody tr').count() <= 50);
    await page.keyboard.press('Escape');
    await time('host_panel_ms', () => page.locator('#hosts-table button[data-host]').first().click());
    f.elements_after = await elements(page);
    assert.ok(f.elements_after < 5000, `${f.elements_after} elements after paging, filtering and a panel`);
    await clean(page);
    if (n === 10000) await page.screenshot({ path: path.join(ARTIFACTS, 'fleet-html-large.png') });
    await page.close();
    sizes[n] = f;
    t.diagnostic(`${n} hosts × 300 rules: ${JSON.stringify(f)}`);
  }
  // Ten times the hosts, the same DOM (the pages are full in both).
  assert.ok(Math.abs(sizes[10000].elements - sizes[1000].elements) < 100,
    `${sizes[1000].elements} elements at 1,000 hosts, ${sizes[10000].elements} at 10,000`);
  assert.ok(sizes[10000].bytes < 12 * 1024 * 1024, `${sizes[10000].bytes} bytes at 10,000 hosts`);
  figures = sizes;
});


const hasMerge = (() => {
  try {
    const r = spawnSync(hostbenchBin(), ['merge', '--help'], { encoding: 'utf8' });
    return r.status === 0 && /merge/.test(r.stdout + r.stderr);
  } catch { return false; }
})();

test('hostbench merge: real scans of the fixture hosts, one broken file, in the fleet page', { ...T, skip: hasMerge ? false : 'this hostbench has no merge command yet' }, async () => {
  const dir = path.join(work, 'merge'), results = path.join(dir, 'results');
  fs.mkdirSync(results, { recursive: true });
  for (const name of ['weak', 'hardened']) {
    makeFixture(name, path.join(dir, name));
    hostbench(['scan', '--profile', 'linux', '--root', path.join(dir, name), '--quiet',
      '--json', path.join(results, `${name}.json`), '--html', path.join(results, `${name}.html`)], [0, 1, 3]);
  }
  fs.writeFileSync(path.join(results, 'broken.json'), '{"schema": "hostbench-results/1", "scan": ');
  const html = path.join(dir, 'fleet.html');
  hostbench(['merge', ...['weak', 'hardened', 'broken'].map((n) => path.join(results, `${n}.json`)), '--html', html], [0, 1, 3]);
  const page = await open(pathToFileURL(html).href);
  const m = model(await dataOf(page));
  assert.equal(m.nH, 2);
  assert.equal((await page.locator('[data-count="hosts"]').textContent()).trim(), '2');
  assert.equal((await page.locator('[data-count="skipped"]').textContent()).trim(), '1');
  assert.ok((await page.locator('#skipped').innerText()).includes('broken.json'));
  const weak = m.H.file.findIndex((f) => f.endsWith('weak.json'));
  assert.ok(weak >= 0);
  const weakJson = JSON.parse(fs.readFileSync(path.join(results, 'weak.json'), 'utf8'));
  assert.equal(m.H.counts[weak][1], weakJson.summary.fail);
  assert.equal(weak, 0, 'the weak host is the worst');
  // Its panel lists exactly the rules its own results failed, and links its own report.
  await page.click(`#hosts-table button[data-host="${weak}"]`);
  const listed = await page.locator('#panel .failed-rules tbody tr .link').allTextContents();
  const own = weakJson.results.filter((r) => r.status === 'fail').map((r) => r.id);
  if (own.length <= 50) assert.deepEqual([...listed].sort(), [...own].sort());
  else assert.equal(await page.locator('#panel h3').first().textContent(), `Failed rules (${own.length})`);
  const link = page.locator('#panel a.report');
  assert.equal(await link.getAttribute('href'), 'results/weak.html');
  assert.ok(fs.existsSync(new URL(await link.evaluate((a) => a.href)).pathname));
  await clean(page);
  await page.close();
});

test('no page made a request other than for its own file', T, () => {
  assert.ok(requests.length >= 5);
  const others = requests.filter(([pageUrl, url]) => url !== pageUrl);
  assert.deepEqual(others, []);
});
