// Shared by the browser test (html_report.test.mjs) and the scale measurement
// (tests/bench/html_scale.mjs): the hostbench binary, Debian's Chromium, and a results builder.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.HOSTBENCH_CHROMIUM || '/usr/bin/chromium';

// Flags: headless, and nothing that phones home (this machine's network is closed; a refused
// background connection must not slow or fail the test).
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-quic'];

// A fresh browser with its own throw-away profile (launch() makes and removes one).
export async function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export function hostbenchBin() {
  const bin = process.env.HOSTBENCH_BIN;
  if (!bin || !fs.existsSync(bin)) throw new Error(`HOSTBENCH_BIN must name the hostbench binary (got '${bin ?? ''}')`);
  return bin;
}

// The source tree (HOSTBENCH_SRC, else two levels up from here): its profiles are the ones used.
export const SRC = process.env.HOSTBENCH_SRC || path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

// Runs hostbench; returns {status, stdout, stderr}; throws when the exit code is not allowed.
export function hostbench(args, allowed = [0]) {
  const env = { ...process.env, HOSTBENCH_PROFILE_PATH: path.join(SRC, 'profiles') };
  const r = spawnSync(hostbenchBin(), args, { encoding: 'utf8', maxBuffer: 256 << 20, env });
  if (r.error) throw r.error;
  if (!allowed.includes(r.status))
    throw new Error(`hostbench ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r;
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// A rule result of the hostbench-results/1 schema.
export function ruleResult(over) {
  return {
    id: 'rule', title: '', profile: 'synthetic', severity: 'medium', status: 'pass',
    evidence: [], references: {}, tags: [], duration_ms: 0.5, description: '', rationale: '',
    remediation: '', source: 'synthetic.yaml:1', objects: [], ...over,
  };
}

// A complete hostbench-results/1 document around the given results (hostbench recomputes the
// summary on `report`, so the one written here only has to be well-formed).
export function resultsDocument(results, scan = {}) {
  const summary = { total: results.length };
  for (const s of ['pass', 'fail', 'error', 'notapplicable', 'notchecked', 'informational', 'waived'])
    summary[s] = results.filter((r) => r.status === s).length;
  summary.score = 0;
  summary.failed_by_severity = {};
  for (const s of ['info', 'low', 'medium', 'high', 'critical'])
    summary.failed_by_severity[s] = results.filter((r) => r.status === 'fail' && r.severity === s).length;
  return {
    schema: 'hostbench-results/1',
    tool: { name: 'hostbench', version: '0.0.0-test' },
    scan: {
      started: '2026-11-28T22:04:11.000Z', finished: '2026-11-28T22:04:12.500Z', duration_ms: 1500,
      root: '/', hostname: 'synthetic', os: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1.0',
      virtualization: 'none', container_optimized_os: false,
      profiles: [{ id: 'synthetic', title: 'Synthetic', version: '1.0.0', description: '', requested: true }],
      user: 'root(0)', jobs: 2, ...scan,
    },
    summary,
    results,
  };
}

// tests/integration/cli_test.sh's make_fixture: copy, then apply the modes and owners of .attrs.
export function makeFixture(name, dest) {
  fs.mkdirSync(dest, { recursive: true });
  execFileSync('cp', ['-a', path.join(SRC, 'tests/fixtures', name) + '/.', dest + '/']);
  const attrs = path.join(SRC, 'tests/fixtures', name + '.attrs');
  if (!fs.existsSync(attrs)) return;
  for (const line of fs.readFileSync(attrs, 'utf8').split('\n')) {
    const [mode, owner, group, p] = line.trim().split(/\s+/);
    if (!mode || mode.startsWith('#')) continue;
    // Owner first: chown clears the setuid and setgid bits that the mode may set.
    if (process.getuid() === 0) execFileSync('chown', ['-h', `${owner}:${group}`, dest + p]);
    fs.chmodSync(dest + p, parseInt(mode, 8));
  }
}
