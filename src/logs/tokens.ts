import { decodeToken, encodeToken } from '../core/index.js';
import { LogsErrors, invalidParameter } from './errors.js';

/**
 * Positions in a stream or group. Events are ordered by (timestamp, seq); a **cut** is
 * the boundary just after the event with that key: events with key <= cut lie before
 * it, events with key > cut after it. Seqs start at 1, so (t, 0) is the cut before
 * every event at time t, and (t, s - 1) the cut just before event (t, s).
 *
 * GetLogEvents tokens look like AWS's (`f/<digits>/s`, `b/<digits>/s`): a forward token
 * reads the events after its cut, a backward token those before it (at or below it).
 * When a read finds nothing the same token comes back, which is how the AWS CLI and
 * SDK paginators (`stopOnSameToken`) know they reached the end.
 */
export interface Cut {
  readonly timestamp: number;
  readonly seq: number;
}

export type Direction = 'forward' | 'backward';

const T_DIGITS = 15;
const S_DIGITS = 16;
export const MAX_TIMESTAMP = 10 ** T_DIGITS - 1;
export const MAX_SEQ = Number.MAX_SAFE_INTEGER;
const POSITION = new RegExp(`^(\\d{${T_DIGITS}})(\\d{${S_DIGITS}})$`);

export function cutDigits(cut: Cut): string {
  return String(cut.timestamp).padStart(T_DIGITS, '0') + String(cut.seq).padStart(S_DIGITS, '0');
}

function parseCutDigits(digits: string): Cut | undefined {
  const m = POSITION.exec(digits);
  if (!m?.[1] || !m[2]) return undefined;
  const cut = { timestamp: Number(m[1]), seq: Number(m[2]) };
  return cut.seq <= MAX_SEQ ? cut : undefined;
}

/** The cut just before an event: reading backward from it excludes the event. */
export function cutBefore(timestamp: number, seq: number): Cut {
  return { timestamp, seq: seq - 1 };
}

export function streamToken(direction: Direction, cut: Cut): string {
  return `${direction === 'forward' ? 'f' : 'b'}/${cutDigits(cut)}/s`;
}

export function parseStreamToken(token: string): { direction: Direction; cut: Cut } {
  const m = /^([fb])\/(\d+)\/s$/.exec(token);
  const cut = m?.[2] ? parseCutDigits(m[2]) : undefined;
  if (!m || !cut) throw invalidParameter('The specified nextToken is invalid: pass nextForwardToken or nextBackwardToken unchanged.');
  return { direction: m[1] === 'f' ? 'forward' : 'backward', cut };
}

/** FilterLogEvents' nextToken: opaque, carrying the direction and the cut to continue from. */
export function filterToken(direction: Direction, cut: Cut): string {
  return encodeToken(`${direction === 'forward' ? 'f' : 'b'}/${cutDigits(cut)}`);
}

export function parseFilterToken(token: string): { direction: Direction; cut: Cut } {
  const key = decodeToken(token, LogsErrors.InvalidParameterException);
  const m = /^([fb])\/(\d+)$/.exec(key);
  const cut = m?.[2] ? parseCutDigits(m[2]) : undefined;
  if (!m || !cut) throw invalidParameter('Invalid nextToken: pass the nextToken value from a previous response unchanged.');
  return { direction: m[1] === 'f' ? 'forward' : 'backward', cut };
}

/** Unique for a data directory's life (seq is never reused); AWS's are digit strings too. */
export function eventIdOf(timestamp: number, seq: number): string {
  return cutDigits({ timestamp, seq });
}

/** PutLogEvents' nextSequenceToken: ignored on input, as AWS now ignores it, but still returned. */
export function sequenceTokenOf(seq: number): string {
  return String(seq).padStart(56, '0');
}
