#!/usr/bin/env node
// The one closing line of `npm test`: unit/component and end-to-end counts together.
import { readFileSync } from 'node:fs';

const unit = JSON.parse(readFileSync('reports/unit.json', 'utf8'));
const e2e = JSON.parse(readFileSync('reports/e2e.json', 'utf8')).stats;
const passed = unit.passed + e2e.expected + (e2e.flaky ?? 0);
const failed = unit.failed + e2e.unexpected;
const skipped = unit.skipped + e2e.skipped;
console.log(`unit: ${unit.passed} passed, ${unit.failed} failed, ${unit.skipped} skipped`);
console.log(`e2e: ${e2e.expected} passed, ${e2e.unexpected} failed, ${e2e.skipped} skipped`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || passed === 0) process.exit(1);
