#!/usr/bin/env node
// The closing lines of `npm test`: a line per engine for the unit and component suite, one for the
// end-to-end specs (per Playwright project), the tests skipped and where, then one total line.
import { existsSync, readFileSync } from 'node:fs';
import { ENGINES } from './engines.mjs';

let passed = 0;
let failed = 0;
let skipped = 0;
const skippedWhere = [];

for (const engine of ENGINES) {
  const file = `reports/unit-${engine}.json`;
  if (!existsSync(file)) {
    // An engine whose run never finished is a failure, never silence.
    console.log(`unit (${engine}): no results`);
    failed += 1;
    continue;
  }
  const unit = JSON.parse(readFileSync(file, 'utf8'));
  console.log(`unit (${engine}): ${unit.passed} passed, ${unit.failed} failed, ${unit.skipped} skipped`);
  passed += unit.passed;
  failed += unit.failed;
  skipped += unit.skipped;
  for (const name of unit.skippedTests ?? []) skippedWhere.push(`unit (${engine}): ${name}`);
}

// The Node suites: the flow's rules and the sandbox backend's security (no DOM), and the built
// package (TAP's closing counts).
for (const [name, file] of [
  ['flow and sandbox backend (node, no DOM)', 'reports/flow.tap'],
  ['node', 'reports/node.tap'],
]) {
  const tap = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const tapCount = (count) => Number(new RegExp(`^# ${count} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
  if (tap === '') {
    console.log(`${name}: no results`);
    failed += 1;
    continue;
  }
  console.log(`${name}: ${tapCount('pass')} passed, ${tapCount('fail')} failed, ${tapCount('skipped')} skipped`);
  passed += tapCount('pass');
  failed += tapCount('fail') + tapCount('cancelled');
  skipped += tapCount('skipped');
}

const report = JSON.parse(readFileSync('reports/e2e.json', 'utf8'));
const byProject = new Map();
function walk(suite) {
  for (const spec of suite.specs ?? []) {
    for (const t of spec.tests) {
      const counts = byProject.get(t.projectName) ?? { passed: 0, failed: 0, skipped: 0 };
      if (t.status === 'skipped') {
        counts.skipped += 1;
        const why = t.annotations?.find((a) => a.type === 'skip')?.description ?? 'no reason given';
        skippedWhere.push(`e2e (${t.projectName}): ${spec.title}: ${why}`);
      } else if (t.status === 'expected' || t.status === 'flaky') counts.passed += 1;
      else counts.failed += 1;
      byProject.set(t.projectName, counts);
    }
  }
  for (const child of suite.suites ?? []) walk(child);
}
for (const suite of report.suites ?? []) walk(suite);
for (const [project, counts] of byProject) {
  console.log(`e2e (${project}): ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped;
}
if ((report.errors ?? []).length > 0) {
  console.log(`e2e: ${report.errors.length} errors outside tests`);
  failed += report.errors.length;
}
for (const line of skippedWhere) console.log(`skipped: ${line}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || passed === 0) process.exit(1);
