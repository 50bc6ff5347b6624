import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const WORKER = fileURLToPath(new URL('../images/sdk-task/worker.ts', import.meta.url));
const REPO = 'skiff-test/node-sdk';

/**
 * An image whose container runs the AWS SDK for JavaScript v3: this machine's `node`
 * binary and the shared libraries it loads, and test/images/sdk-task/worker.ts bundled
 * with the SDK clients it imports. Built FROM scratch (no registry is reachable) and
 * tagged by the hash of its contents, so it is built once per change.
 */
export async function ensureNodeSdkImage(): Promise<string> {
  const bundle = await build({ entryPoints: [WORKER], bundle: true, platform: 'node', target: 'node20', format: 'cjs', write: false, logLevel: 'silent' });
  const code = bundle.outputFiles[0]?.contents;
  if (!code) throw new Error('esbuild produced no bundle');
  const node = fs.realpathSync(process.execPath);
  const libs = sharedLibraries(node);
  const hash = createHash('sha256').update(code).update(process.version).update(libs.join('\n')).digest('hex').slice(0, 16);
  const tag = `${REPO}:${hash}`;
  try {
    execFileSync('docker', ['image', 'inspect', tag], { stdio: 'ignore' });
    return tag;
  } catch {
    // not built yet
  }
  const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-node-image-'));
  try {
    const root = path.join(ctx, 'rootfs');
    const put = (from: string, to: string): void => {
      fs.mkdirSync(path.dirname(path.join(root, to)), { recursive: true });
      fs.copyFileSync(from, path.join(root, to));
    };
    put(node, '/usr/bin/node');
    for (const lib of libs) put(lib, lib);
    fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
    fs.writeFileSync(path.join(root, 'worker.js'), code);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY rootfs/ /\nENTRYPOINT ["/usr/bin/node", "/worker.js"]\n');
    execFileSync('docker', ['build', '-q', '-t', tag, ctx], { stdio: ['ignore', 'ignore', 'inherit'] });
    return tag;
  } finally {
    fs.rmSync(ctx, { recursive: true, force: true });
  }
}

/** The files the dynamic loader maps for a binary (ldd's resolved paths, the loader included). */
function sharedLibraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  const found = new Set<string>();
  for (const line of out.split('\n')) {
    const m = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
    if (m?.[1]) found.add(m[1]);
  }
  // the loader is named by its link path (/lib64/ld-linux-x86-64.so.2): keep that path, copy the file behind it
  return [...found];
}
