/**
 * Object store throughput: MiB/s of PUT and GET for 1 MiB and 64 MiB objects, and
 * operations per second for 1 KiB objects, against a running `skiff up`, printed beside
 * the raw disk measured in the same run on the same filesystem as the data directory:
 *
 *   writes  `dd if=/dev/zero of=<data dir>/dd.bin bs=1M count=<1|64> conv=fsync`
 *   reads   `dd if=<that file> of=/dev/null bs=1M` (page cache warm, as for the GETs)
 *   small   in-process write + fsync + rename + directory fsync of a 1 KiB file (the
 *           least a durable 1 KiB PUT must do), and a 1 KiB readFile
 *
 *   npm run build && node --import tsx bench/s3.ts     (BENCH_ROUNDS=5 BENCH_DIR=<dir>)
 *
 * Requests are raw HTTP/1.1 over one keep-alive connection, unsigned, path style, one at
 * a time (a client's single stream): Content-Length bodies from memory, responses drained
 * and counted. Rounds interleave skiff and dd so drift hits both alike; medians are
 * printed. Also printed: in-process MD5 and CRC32 speed, the ceiling on a PUT, which
 * must hash every byte for its ETag before answering, and the client's CPU share during
 * the 64 MiB PUTs (on a 2-core machine it competes with the server).
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startNode, startSkiff, stopProcess, type Started } from './processes.js';

const MiB = 1024 * 1024;
const ROUNDS = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 5) || 5);
const SMALL_OPS = 300;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(endpoint: string, method: string, pathName: string, body?: Buffer): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${endpoint}${pathName}`, { method, agent, headers: body ? { 'content-length': body.length } : {} }, (res) => {
      let bytes = 0;
      res.on('data', (d: Buffer) => (bytes += d.length));
      res.on('end', () => (res.statusCode === 200 ? resolve({ status: 200, bytes }) : reject(new Error(`${method} ${pathName}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The HTTP ceiling on this machine: a bare node:http server in its own process that
 * discards PUT bodies and answers GETs from memory. What skiff adds beyond it is the
 * object store's own cost (hashing, files, fsyncs, metadata).
 */
const NULL_SERVER = `
const http = require('node:http');
const cache = new Map();
http.createServer((req, res) => {
  if (req.method === 'PUT') { req.resume(); req.on('end', () => res.end()); return; }
  const size = Number(req.url.split('/').pop().split('-').shift());
  let body = cache.get(size);
  if (!body) cache.set(size, (body = Buffer.alloc(size, 7)));
  res.writeHead(200, { 'content-length': size }).end(body);
}).listen(0, '127.0.0.1', function () { process.stdout.write('ready at http://127.0.0.1:' + this.address().port + '\\n'); });`;

function startNullServer(): Promise<Started> {
  return startNode(['-e', NULL_SERVER]);
}

/** Seconds dd reports for its copy (its own timing, not process start-up). */
function dd(args: string[]): number {
  const r = spawnSync('dd', args, { encoding: 'utf8' });
  const m = /copied, ([\d.]+) s/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`dd ${args.join(' ')} failed: ${r.stderr}`);
  return Number(m[1]);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** Sequential PUTs then GETs of `count` objects of `size` bytes; returns MiB/s (or ops/s for small ones). */
async function objectRound(endpoint: string, size: number, count: number, tag: string): Promise<{ put: number; get: number; clientCpu: number }> {
  const bodies = Array.from({ length: Math.min(count, 4) }, () => randomBytes(size));
  const cpu = process.cpuUsage();
  const put = await timed(async () => {
    for (let i = 0; i < count; i++) await request(endpoint, 'PUT', `/bench/${size}-${tag}-${i}`, bodies[i % bodies.length]);
  });
  const used = process.cpuUsage(cpu);
  const clientCpu = (used.user + used.system) / 1e6 / put; // the client's share of a core while it PUTs
  const get = await timed(async () => {
    for (let i = 0; i < count; i++) {
      const r = await request(endpoint, 'GET', `/bench/${size}-${tag}-${i}`);
      if (r.bytes !== size) throw new Error(`GET returned ${r.bytes} bytes, not ${size}`);
    }
  });
  const unit = size >= MiB ? (count * size) / MiB : count;
  return { put: unit / put, get: unit / get, clientCpu };
}

/** The floor of a durable small PUT without HTTP or metadata: temp write, fsync, rename, dir fsync. */
function smallDiskRound(dir: string, count: number): { write: number; read: number } {
  const body = randomBytes(1024);
  fs.mkdirSync(path.join(dir, 'small'), { recursive: true });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const tmp = path.join(dir, `small-${i}.tmp`);
    const fd = fs.openSync(tmp, 'w');
    fs.writeSync(fd, body);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, path.join(dir, 'small', String(i)));
    const d = fs.openSync(path.join(dir, 'small'), 'r');
    fs.fsyncSync(d);
    fs.closeSync(d);
  }
  const t1 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) fs.readFileSync(path.join(dir, 'small', String(i)));
  const t2 = process.hrtime.bigint();
  return { write: count / (Number(t1 - t0) / 1e9), read: count / (Number(t2 - t1) / 1e9) };
}

function hashSpeeds(): { md5: number; crc32: number } {
  const buf = randomBytes(64 * MiB);
  const md5 = median([0, 1, 2].map(() => {
    const t = process.hrtime.bigint();
    createHash('md5').update(buf).digest();
    return 64 / (Number(process.hrtime.bigint() - t) / 1e9);
  }));
  const crc32 = median([0, 1, 2].map(() => {
    const t = process.hrtime.bigint();
    zlib.crc32(buf);
    return 64 / (Number(process.hrtime.bigint() - t) / 1e9);
  }));
  return { md5, crc32 };
}

async function main(): Promise<void> {
  const base = fs.mkdtempSync(path.join(process.env['BENCH_DIR'] ?? os.tmpdir(), 'skiff-bench-s3-'));
  const dataDir = path.join(base, 'data');
  // the disk before any server runs: new 64 MiB files, as the in-run baseline writes
  fs.mkdirSync(path.join(base, 'idle'));
  const idle = [0, 1, 2].map((i) => 64 / dd(['if=/dev/zero', `of=${path.join(base, 'idle', String(i))}`, 'bs=1M', 'count=64', 'conv=fsync']));
  const server = await startSkiff(dataDir, ['--driver', 'fake']);
  const nullServer = await startNullServer();
  const ddFile = path.join(dataDir, 'dd.bin');
  const samples: Record<string, number[]> = {};
  const add = (name: string, v: number): void => void (samples[name] ??= []).push(v);
  try {
    await request(server.endpoint, 'PUT', '/bench');
    await objectRound(server.endpoint, MiB, 8, 'warm'); // JIT and connection warm-up, not counted
    await objectRound(nullServer.endpoint, MiB, 8, 'warm');
    for (let round = 0; round < ROUNDS; round++) {
      for (const [size, count, name] of [[64 * MiB, 2, '64'], [MiB, 32, '1'], [1024, SMALL_OPS, '1k']] as const) {
        const bare = await objectRound(nullServer.endpoint, size, count, `r${round}`);
        add(`http-put${name}`, bare.put);
        add(`http-get${name}`, bare.get);
      }
      const big = await objectRound(server.endpoint, 64 * MiB, 2, `r${round}-64m`);
      add('put64', big.put);
      add('client-cpu64', big.clientCpu);
      add('get64', big.get);
      // a PUT of a new key writes a new file: so does the baseline (kept, as the objects are);
      // rewriting one file in place is printed beside it, as it measures differently here
      const ddNew = `${ddFile}.${round}`;
      add('dd-w64', 64 / dd(['if=/dev/zero', `of=${ddNew}`, 'bs=1M', 'count=64', 'conv=fsync']));
      add('dd-r64', 64 / dd([`if=${ddNew}`, 'of=/dev/null', 'bs=1M']));
      add('dd-w64-rewrite', 64 / dd(['if=/dev/zero', `of=${ddFile}`, 'bs=1M', 'count=64', 'conv=fsync']));
      const one = await objectRound(server.endpoint, MiB, 32, `r${round}-1m`);
      add('put1', one.put);
      add('get1', one.get);
      add('dd-w1', 1 / median([0, 1, 2, 3, 4].map((i) => dd(['if=/dev/zero', `of=${ddFile}.${round}.${i}`, 'bs=1M', 'count=1', 'conv=fsync']))));
      add('dd-r1', 1 / median([0, 1, 2, 3, 4].map((i) => dd([`if=${ddFile}.${round}.${i}`, 'of=/dev/null', 'bs=1M', 'count=1']))));
      const small = await objectRound(server.endpoint, 1024, SMALL_OPS, `r${round}-1k`);
      add('put1k', small.put);
      add('get1k', small.get);
      const disk = smallDiskRound(path.join(base, 'disk'), SMALL_OPS);
      add('disk-w1k', disk.write);
      add('disk-r1k', disk.read);
    }
    samples['dd-w64-idle'] = idle;
    print(samples, hashSpeeds());
  } finally {
    await stopProcess(server.child);
    await stopProcess(nullServer.child);
    agent.destroy();
    fs.rmSync(base, { recursive: true, force: true });
  }
}

function print(s: Record<string, number[]>, hashes: { md5: number; crc32: number }): void {
  const m = (k: string): number => median(s[k] ?? [0]);
  const rows: [string, string, string, string][] = [
    ['PUT 64 MiB', 'MiB/s', '64', 'dd 64 MiB to a new file, conv=fsync'],
    ['GET 64 MiB', 'MiB/s', '64', 'dd read 64 MiB (cached)'],
    ['PUT 1 MiB', 'MiB/s', '1', 'dd 1 MiB to a new file, conv=fsync'],
    ['GET 1 MiB', 'MiB/s', '1', 'dd read 1 MiB (cached)'],
    ['PUT 1 KiB', 'ops/s', '1k', 'write+fsync+rename+dir fsync, 1 KiB'],
    ['GET 1 KiB', 'ops/s', '1k', 'readFile, 1 KiB'],
  ];
  const disk: Record<string, string> = { 'PUT 64': 'dd-w64', 'GET 64': 'dd-r64', 'PUT 1': 'dd-w1', 'GET 1': 'dd-r1', 'PUT 1k': 'disk-w1k', 'GET 1k': 'disk-r1k' };
  const fmt = (n: number): string => n.toFixed(n >= 100 ? 0 : 1).padStart(8);
  console.log(`\nobject store vs raw disk (${ROUNDS} rounds, medians; ${os.cpus().length} cores; node ${process.version})\n`);
  console.log(`${'case'.padEnd(11)} ${'unit'.padEnd(6)} ${'skiff'.padStart(8)}   ${'raw disk baseline'.padEnd(36)} ${'disk'.padStart(8)}  ratio   ${'bare http'.padStart(9)}  ratio`);
  for (const [name, unit, size, baseline] of rows) {
    const verb = name.slice(0, 3);
    const skiff = m(`${verb.toLowerCase()}${size}`);
    const d = m(disk[`${verb} ${size}`]!);
    const bare = m(`http-${verb.toLowerCase()}${size}`);
    console.log(`${name.padEnd(11)} ${unit.padEnd(6)} ${fmt(skiff)}   ${baseline.padEnd(36)} ${fmt(d)}  ${(skiff / d).toFixed(2)}   ${fmt(bare)}  ${(skiff / bare).toFixed(2)}`);
  }
  console.log(`\nbare http: the same client against a node:http server that discards PUT bodies and answers GETs from memory`);
  console.log(`in-process, one core: MD5 ${hashes.md5.toFixed(0)} MiB/s, CRC32 ${hashes.crc32.toFixed(0)} MiB/s (a PUT hashes every byte with MD5 for its ETag)`);
  const idle = m('dd-w64-idle');
  console.log(`dd 64 MiB to a new file before the servers started (idle disk): ${idle.toFixed(0)} MiB/s (the 64 MiB PUT is ${(m('put64') / idle).toFixed(2)} of that)`);
  const rewrite = m('dd-w64-rewrite');
  console.log(`dd rewriting one 64 MiB file in place: ${rewrite.toFixed(0)} MiB/s (the 64 MiB PUT is ${(m('put64') / rewrite).toFixed(2)} of that)`);
  console.log(`ceiling of a single-stream PUT: the MD5 on one core, ${(hashes.md5 / m('dd-w64')).toFixed(2)} of the 64 MiB dd write to a new file`);
  console.log(`the client (this process) used ${(m('client-cpu64') * 100).toFixed(0)}% of a core during the 64 MiB PUTs, CPU the server could not use`);
}

await main();
