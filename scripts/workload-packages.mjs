#!/usr/bin/env node
// What the registered workload kinds need on this host, read from the build (dist/), for scripts/setup.sh:
//   --missing    Debian packages whose programs are absent here, one per line (nothing when all are present)
//   --all        every Debian package the kinds' programs come from
//   --services   system services those packages start that benchsuite does not want running
//   --setup      both, in one call: "package <name>" lines for the missing, "service <name>" lines
import { existsSync } from 'node:fs';

const { requirements } = await import(new URL('../dist/src/workloads/index.js', import.meta.url).href);
const reqs = requirements();
const present = (p) => existsSync(p) || existsSync(p.replace('/usr/bin/', '/bin/').replace('/usr/sbin/', '/sbin/'));
const unique = (xs) => [...new Set(xs)];
const mode = process.argv[2] ?? '--missing';
let out;
if (mode === '--all') out = unique(reqs.map((r) => r.debian));
else if (mode === '--missing') out = unique(reqs.filter((r) => !present(r.path)).map((r) => r.debian));
else if (mode === '--services') out = unique(reqs.flatMap((r) => (r.service ? [r.service] : [])));
else if (mode === '--setup') {
  out = [
    ...unique(reqs.filter((r) => !present(r.path)).map((r) => r.debian)).map((p) => `package ${p}`),
    ...unique(reqs.flatMap((r) => (r.service ? [r.service] : []))).map((s) => `service ${s}`),
  ];
}
else {
  process.stderr.write(`usage: node scripts/workload-packages.mjs [--missing|--all|--services|--setup]\n`);
  process.exit(2);
}
if (out.length) process.stdout.write(`${out.join('\n')}\n`);
