/**
 * Load balancer throughput and latency: requests/s, p50 and p99 through skiff's
 * Application Load Balancer data plane and through nginx, both in front of the same two
 * node:http backends, in one run, with the ratio.
 *
 *   npm run build && node --import tsx bench/lb.ts
 *   (LB_SECONDS=5 LB_WARMUP=1 LB_CONCURRENCY=1,8,32,128 LB_ROUNDS=1; nginx must be on PATH:
 *    apt-get install -y nginx)
 *
 * Layout: two backend processes (bench/lb-backend.ts); the built `skiff up --driver fake`
 * with a load balancer, target group (both backends registered, healthy) and HTTP
 * listener configured through the ELBv2 query API; nginx 1 worker process (skiff's data
 * plane is one Node.js thread) with an `upstream` of the same backends and keepalive
 * connections; and "direct", one backend with no proxy, as the floor. The closed-loop
 * load generator runs in this process: `c` workers, each sending the next GET as soon as
 * the previous answer is read, over keep-alive connections, for LB_SECONDS after
 * LB_WARMUP. Targets are measured in a rotating order per concurrency.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../test/helpers/ports.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env['LB_SECONDS'] ?? 5);
const WARMUP = Number(process.env['LB_WARMUP'] ?? 1);
const ROUNDS = Number(process.env['LB_ROUNDS'] ?? 1);
const CONCURRENCY = (process.env['LB_CONCURRENCY'] ?? '1,8,32,128').split(',').map(Number);
/** Extra node flags for skiff, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the data plane under this load. */
const SKIFF_NODE_ARGS = (process.env['LB_SKIFF_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
/** Which targets to measure (default all three); the ratio needs nginx and skiff. */
const ONLY = process.env['LB_TARGETS']?.split(',');
const TICK_US = 1e6 / Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim() || 100);
const AUTH = 'AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=00';

const children: ChildProcess[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-bench-lb-'));

interface Result {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
  /** CPU (user + system) per request of the proxy process and of this load generator, in µs. */
  proxyUs: number | undefined;
  loadUs: number;
}

interface Target {
  port: number;
  /** The process that does the proxying (nginx's worker, skiff up), for its CPU per request. */
  pid: number | undefined;
}

/** utime + stime of a process, in µs (from /proc; undefined where there is none). */
function cpuOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_US;
  } catch {
    return undefined;
  }
}

function start(cmd: string, args: string[], ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} not ready in 30 s:\n${out}`)), 30_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, match: m });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${cmd} exited with ${code}:\n${out}`)));
  });
}

async function waitPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1', () => (s.end(), r(true)));
      s.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${port}`);
}

async function elbv2(endpoint: string, action: string, params: Record<string, string | number>): Promise<string> {
  const body = new URLSearchParams({ Action: action, Version: '2015-12-01', ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) });
  const res = await fetch(endpoint, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' }, body });
  const xml = await res.text();
  if (res.status !== 200) throw new Error(`${action}: ${xml}`);
  return xml;
}

const tag = (xml: string, t: string): string => new RegExp(`<${t}>([^<]*)</${t}>`).exec(xml)?.[1] ?? '';

async function skiffLb(backends: number[]): Promise<Target> {
  const { match, child } = await start(process.execPath, [...SKIFF_NODE_ARGS, path.join(ROOT, 'bin/skiff.js'), 'up', '--port', '0', '--data-dir', path.join(tmp, 'skiff'), '--driver', 'fake', '--log-level', 'error'], /ready at (http:\/\/[\d.]+:\d+)/);
  const endpoint = match[1]!;
  const lb = tag(await elbv2(endpoint, 'CreateLoadBalancer', { Name: 'bench', 'Subnets.member.1': 'subnet-a', 'Subnets.member.2': 'subnet-b' }), 'LoadBalancerArn');
  const tg = tag(await elbv2(endpoint, 'CreateTargetGroup', { Name: 'bench', Protocol: 'HTTP', Port: 80, TargetType: 'ip', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2 }), 'TargetGroupArn');
  const targets = Object.fromEntries(backends.flatMap((p, i) => [[`Targets.member.${i + 1}.Id`, '127.0.0.1'], [`Targets.member.${i + 1}.Port`, p]]));
  await elbv2(endpoint, 'RegisterTargets', { TargetGroupArn: tg, ...targets });
  const port = await freePort();
  await elbv2(endpoint, 'CreateListener', { LoadBalancerArn: lb, Protocol: 'HTTP', Port: port, 'DefaultActions.member.1.Type': 'forward', 'DefaultActions.member.1.TargetGroupArn': tg });
  for (let i = 0; i < 60; i++) {
    const xml = await elbv2(endpoint, 'DescribeTargetHealth', { TargetGroupArn: tg });
    if ((xml.match(/<State>healthy<\/State>/g) ?? []).length === backends.length) return { port, pid: child.pid };
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('targets did not become healthy');
}

async function nginx(backends: number[]): Promise<Target> {
  const port = await freePort();
  const dir = path.join(tmp, 'nginx');
  fs.mkdirSync(dir, { recursive: true });
  const conf = `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log stderr warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream backends { ${backends.map((p) => `server 127.0.0.1:${p};`).join(' ')} keepalive 256; keepalive_requests 1000000; keepalive_timeout 65s; }
  server {
    listen 127.0.0.1:${port};
    keepalive_requests 1000000;
    location / {
      proxy_pass http://backends;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Port $server_port;
    }
  }
}
`;
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
  const master = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(master);
  await waitPort(port);
  // the worker does the proxying; the master only supervises
  const worker = fs.readFileSync(`/proc/${master.pid}/task/${master.pid}/children`, 'utf8').trim().split(' ')[0];
  return { port, pid: worker ? Number(worker) : undefined };
}

function send(port: number, agent: http.Agent): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

async function load(target: Target, concurrency: number, seconds: number): Promise<Result> {
  const port = target.port;
  const cpu0 = cpuOf(target.pid);
  const own0 = process.cpuUsage();
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const status = await send(port, agent);
      latencies.push(performance.now() - t0);
      if (status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - start) / 1000;
  const cpu1 = cpuOf(target.pid);
  const own = process.cpuUsage(own0);
  agent.destroy();
  const n = latencies.length;
  latencies.sort((x, y) => x - y);
  const pct = (p: number): number => latencies[Math.min(n - 1, Math.floor(p * n))] ?? 0;
  const proxyUs = cpu0 === undefined || cpu1 === undefined || n === 0 ? undefined : (cpu1 - cpu0) / n;
  return { requests: n, errors, rps: n / elapsed, p50: pct(0.5), p99: pct(0.99), proxyUs, loadUs: (own.user + own.system) / Math.max(1, n) };
}

function row(cells: Array<string | number>): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(8) : String(c).padStart(13))).join('');
}

async function main(): Promise<void> {
  if (spawnSync('nginx', ['-v']).error) {
    throw new Error('nginx is not installed: apt-get install -y nginx (the benchmark runs it as a child process; the system service is not used)');
  }
  const backends = await Promise.all([0, 1].map(async () => {
    const { match } = await start(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/lb-backend.ts')], /ready at http:\/\/127\.0\.0\.1:(\d+)/);
    return Number(match[1]);
  }));
  const targets: Record<string, Target> = {};
  if (!ONLY || ONLY.includes('direct')) targets['direct'] = { port: backends[0]!, pid: undefined };
  if (!ONLY || ONLY.includes('nginx')) targets['nginx'] = await nginx(backends);
  if (!ONLY || ONLY.includes('skiff')) targets['skiff'] = await skiffLb(backends);
  const names = Object.keys(targets);
  process.stdout.write(`lb bench: ${os.cpus().length} CPUs, ${SECONDS} s per cell after ${WARMUP} s warm-up, ${ROUNDS} round(s); GET / → 3-byte body\n\n`);
  process.stdout.write(row(['conc', 'target', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'proxy µs/req', 'load µs/req']) + '\n');
  const summary: string[] = [];
  for (const c of CONCURRENCY) {
    const best: Record<string, Result> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const order = names.map((_, i) => names[(i + round + CONCURRENCY.indexOf(c)) % names.length]!);
      for (const name of order) {
        await load(targets[name]!, c, WARMUP);
        const r = await load(targets[name]!, c, SECONDS);
        process.stdout.write(row([c, name, r.rps.toFixed(0), r.p50.toFixed(3), r.p99.toFixed(3), r.errors, r.proxyUs?.toFixed(1) ?? '-', r.loadUs.toFixed(1)]) + '\n');
        if (!best[name] || r.rps > best[name].rps) best[name] = r;
      }
    }
    const s = best['skiff'];
    const n = best['nginx'];
    if (!s || !n) continue;
    const signed = (x: number): string => (x < 0 ? '' : '+') + x.toFixed(3);
    const cpu = s.proxyUs !== undefined && n.proxyUs !== undefined ? (s.proxyUs / n.proxyUs).toFixed(2) : '-';
    summary.push(row([c, 'skiff/nginx', (s.rps / n.rps).toFixed(2), signed(s.p50 - n.p50), signed(s.p99 - n.p99), '', cpu]));
  }
  process.stdout.write(`\nskiff against nginx (req/s ratio; added p50 and p99 in ms; proxy CPU per request ratio):\n${summary.join('\n')}\n`);
}

try {
  await main();
} finally {
  // wait for the children to exit (skiff writes its --cpu-prof profile on a clean stop)
  await Promise.all(children.map((c) => c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => {
    c.once('exit', r);
    c.kill('SIGTERM');
    setTimeout(r, 5000).unref();
  })));
  fs.rmSync(tmp, { recursive: true, force: true });
}
