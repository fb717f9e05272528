#!/usr/bin/env node
// The CLI entry; the TypeScript sources are compiled to dist/ by `npm run build` (scripts/setup.sh does it).
import { existsSync } from 'node:fs';
const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('benchsuite is not built yet: run `npm run setup` (or `npm ci && npm run build`) first.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
