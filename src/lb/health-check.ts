import http from 'node:http';
import type { HealthCheckConfig } from './config.js';
import { codeMatches, type CheckResult } from './health-state.js';

/** Timers, injected so tests can drive health checks and draining by hand. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Sends one health check request; a check runs on its own connection, as ELB's do. */
export type Probe = (host: string, port: number, hc: HealthCheckConfig) => Promise<CheckResult>;

export const httpProbe: Probe = (host, port, hc) =>
  new Promise((resolve) => {
    let settled = false;
    const done = (r: CheckResult): void => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const req = http.request(
      {
        host,
        port,
        path: hc.path,
        method: 'GET',
        agent: false,
        headers: { 'user-agent': 'ELB-HealthChecker/2.0', host: `${host}:${port}`, connection: 'close' },
      },
      (res) => {
        const code = res.statusCode ?? 0;
        res.resume();
        req.destroy();
        done(
          codeMatches(hc.matcher, code)
            ? { ok: true }
            : { ok: false, reason: 'Target.ResponseCodeMismatch', description: `Health checks failed with these codes: [${code}]` },
        );
      },
    );
    const timer = setTimeout(() => {
      done({ ok: false, reason: 'Target.Timeout', description: 'Request timed out' });
      req.destroy();
    }, hc.timeoutMs);
    req.on('error', () => done({ ok: false, reason: 'Target.FailedHealthChecks', description: 'Health checks failed' }));
    req.on('close', () => clearTimeout(timer));
    req.end();
  });
