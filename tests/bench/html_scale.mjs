// Scale of the HTML report: a hostbench-results/1 document of 5,000 rules and 50,000 objects,
// rendered with `hostbench report --html`, opened in Debian's headless Chromium. Prints the
// HTML size and the times to first paint, to the rule list, to a filter change, to a search and
// to expanding a rule with many objects. A measurement, not a pass/fail test.
//
//   HOSTBENCH_BIN=build/hostbench node tests/bench/html_scale.mjs [RULES [OBJECTS]]
//
// Needs tests/html's node_modules (tests/html/run.sh, or `npm ci` there).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { hostbench, launchChromium, resultsDocument, ruleResult, tempDir } from '../html/support.mjs';

const RULES = Number(process.argv[2] || 5000);
const OBJECTS = Number(process.argv[3] || 50000);
const STATUSES = ['fail', 'pass', 'pass', 'pass', 'fail', 'fail', 'error', 'notapplicable', 'waived'];
const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];
const SECTIONS = ['files', 'ssh', 'network', 'kernel', 'accounts', 'docker', 'services', 'logging'];

const results = [];
for (let i = 0; i < RULES; i++) {
  const id = `bench.${SECTIONS[i % SECTIONS.length]}.rule_${String(i).padStart(5, '0')}`;
  results.push(ruleResult({
    id, title: `Synthetic rule ${i}: keep the setting within its limit`,
    severity: SEVERITIES[(i * 7) % 5], status: STATUSES[(i * 3) % STATUSES.length],
    tags: [SECTIONS[i % SECTIONS.length], 'bench'],
    evidence: [`/etc/bench/${i}.conf:12: value ${i % 97} seen, at most 42 allowed`],
    references: { 'cis-debian12': `${1 + (i % 7)}.${i % 13}.${i % 5}`, cve: `CVE-2024-${10000 + i}` },
    description: 'A synthetic rule for the scale measurement.',
    rationale: 'Keeps the measurement honest: every field is filled.',
    remediation: `Set value to 42 in /etc/bench/${i}.conf`,
  }));
}
// Objects: one rule with a fifth of them (the "thousands of objects" case), the rest spread evenly.
const big = Math.floor(OBJECTS / 5);
const spread = (k) => (k === 0 ? big : Math.floor((OBJECTS - big) / (RULES - 1)) + (k - 1 < (OBJECTS - big) % (RULES - 1) ? 1 : 0));
for (let k = 0; k < RULES; k++) {
  const n = spread(k);
  const r = results[k];
  for (let j = 0; j < n; j++) {
    const st = j % 4 === 0 && r.status !== 'pass' ? r.status : 'pass';
    r.objects.push({ id: `/var/lib/bench/${k}/object-${j}`, status: st,
      evidence: [`mode 06${st === 'fail' ? '66' : '40'}, owner root:root`] });
  }
}
results[0].severity = 'critical';  // the big rule comes first, among the rendered rows

const work = tempDir('hostbench-html-scale-');
const json = path.join(work, 'scale.json'), html = path.join(work, 'scale.html');
fs.writeFileSync(json, JSON.stringify(resultsDocument(results)));
let t = performance.now();
hostbench(['report', json, '--quiet', '--html', html]);
const renderMs = performance.now() - t;
const objects = results.reduce((n, r) => n + r.objects.length, 0);
const fails = results.filter((r) => r.status === 'fail').length;

const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
t = performance.now();
await page.goto(pathToFileURL(html).href);
await page.waitForSelector('html[data-ready="1"]');
const wallReady = performance.now() - t;
const nav = await page.evaluate(() => {
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const ready = performance.getEntriesByName('hostbench-ready')[0];
  const n = performance.getEntriesByType('navigation')[0];
  return { fcp: paint ? paint.startTime : NaN, ready: ready ? ready.startTime : NaN,
    dcl: n ? n.domContentLoadedEventEnd : NaN, rows: document.querySelectorAll('#list details.rule').length };
});
// Each action runs in the page; timed are its handler (synchronous) and the next frame. The
// actions are a fixed list (the page's CSP forbids eval, rightly).
const timeIt = (action) => page.evaluate(async (act) => {
  const box = (v) => document.querySelector(`input[name=st][value=${v}]`);
  const search = (text) => {
    const q = document.getElementById('q');
    q.value = text;
    q.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
  };
  const t0 = performance.now();
  if (act === 'untick-pass') box('pass').click();
  else if (act === 'only-fail') ['error', 'notapplicable', 'waived'].forEach((v) => box(v).click());
  else if (act === 'reset') document.getElementById('reset').click();
  else if (act.startsWith('search:')) search(act.slice(7));
  else if (act === 'expand') document.querySelector('#list details.rule[data-i="0"]').open = true;
  const t1 = performance.now();
  // 'toggle' is queued: wait for the body it builds, then for a frame.
  while (act === 'expand' && !document.querySelector('#list details.rule[data-i="0"] .body'))
    await new Promise((r) => setTimeout(r, 0));
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  return { sync: t1 - t0, frame: performance.now() - t0,
    matched: document.getElementById('shown').dataset.matched };
}, action);
const filter = await timeIt('untick-pass');
const onlyFail = await timeIt('only-fail');
const reset = await timeIt('reset');
const search = await timeIt('search:rule_04999');
const search2 = await timeIt('search:bench/123/');
await timeIt('reset');
const expand = await timeIt('expand');
const objRows = await page.locator('#list details.rule[data-i="0"] table.objs tbody tr').count();
await page.screenshot({ path: path.join(process.env.HOSTBENCH_ARTIFACTS || '/tmp', 'html-scale.png') });
await browser.close();

const mb = (b) => (b / 1048576).toFixed(2) + ' MiB';
const ms = (x) => x.toFixed(0) + ' ms';
console.log(`html scale: ${RULES} rules (${fails} fail), ${objects} objects`);
console.log(`  JSON ${mb(fs.statSync(json).size)}, HTML ${mb(fs.statSync(html).size)}; hostbench report --html: ${ms(renderMs)}`);
console.log(`  first contentful paint (header and summary): ${ms(nav.fcp)}; DOMContentLoaded: ${ms(nav.dcl)}`);
console.log(`  rule list rendered (${nav.rows} rows of ${RULES}): ${ms(nav.ready)} after navigation start (${ms(wallReady)} wall, goto included)`);
console.log(`  filter change, untick pass: ${ms(filter.sync)} handler, ${ms(filter.frame)} to next frame (${filter.matched} match)`);
console.log(`  filter change, only fail: ${ms(onlyFail.sync)} handler, ${ms(onlyFail.frame)} to next frame (${onlyFail.matched} match)`);
console.log(`  reset: ${ms(reset.frame)} to next frame (${reset.matched} match)`);
console.log(`  search 'rule_04999' (first search builds the index): ${ms(search.sync)} handler, ${ms(search.frame)} to next frame (${search.matched} match)`);
console.log(`  search 'bench/123/' (an object path): ${ms(search2.sync)} handler, ${ms(search2.frame)} to next frame (${search2.matched} match)`);
console.log(`  expand the rule with ${spread(0)} objects: ${ms(expand.frame)} to next frame (${objRows} object rows built)`);
fs.rmSync(work, { recursive: true, force: true });
