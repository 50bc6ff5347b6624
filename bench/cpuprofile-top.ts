/**
 * The functions a V8 CPU profile spent its samples in, by self time:
 *   node --import tsx bench/cpuprofile-top.ts <file.cpuprofile> [rows=30]
 * Profiles come from `--cpu-prof` (bench/lb.ts: LB_SKIFF_NODE_ARGS="--cpu-prof
 * --cpu-prof-dir=/tmp/p"; bench/control-plane.ts: BENCH_CPU_PROF=/tmp/p). Shares are
 * printed of all samples and of the busy ones (without `(idle)`).
 */
import fs from 'node:fs';

interface Profile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

const [file, rowsArg] = process.argv.slice(2);
if (!file) throw new Error('usage: bench/cpuprofile-top.ts <file.cpuprofile> [rows]');
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  const f = byId.get(id)?.callFrame;
  const key = f ? `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber}` : '?';
  self.set(key, (self.get(key) ?? 0) + dt);
  total += dt;
});
const idle = [...self].filter(([k]) => k.startsWith('(idle)')).reduce((s, [, t]) => s + t, 0);
console.log(`${(total / 1e6).toFixed(1)} s sampled, ${(((total - idle) / total) * 100).toFixed(0)} % busy`);
console.log('  all %   busy %   function');
for (const [key, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(rowsArg ?? 30))) {
  const busy = key.startsWith('(idle)') ? '' : ((t / (total - idle)) * 100).toFixed(1);
  console.log(`${((t / total) * 100).toFixed(1).padStart(7)} ${busy.padStart(8)}   ${key}`);
}
