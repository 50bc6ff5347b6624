import type { GetExecutionHistoryInput, GetExecutionHistoryOutput, HistoryEvent as ApiEvent, ValidateStateMachineDefinitionInput, ValidateStateMachineDefinitionOutput } from '@aws-sdk/client-sfn';
import { decodeToken, encodeToken } from '../../core/index.js';
import type { Diagnostic } from '../asl/diagnostics.js';
import { parseDefinition } from '../asl/parse.js';
import type { HistoryEvent } from '../engine/index.js';
import { StatesApiErrors, validation } from '../errors.js';
import { pageSize, type StatesContext } from './context.js';
import type { Executions } from './executions.js';
import { compileForApi } from './machines.js';

const DATA_FIELDS = new Set(['input', 'output', 'inputDetails', 'outputDetails', 'parameters']);

/** A stored event in the API's shape: timestamp, type, id, previousEventId and its `*EventDetails`. */
export function toApiEvent(e: HistoryEvent, includeData: boolean): ApiEvent {
  const out: Record<string, unknown> = { timestamp: new Date(e.timestamp), type: e.type, id: e.id, previousEventId: e.previousEventId };
  if (e.detailsKey) {
    const details: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e.details ?? {})) {
      if (v === undefined || (!includeData && DATA_FIELDS.has(k))) continue;
      details[k] = v;
    }
    out[e.detailsKey] = details;
  }
  return out as unknown as ApiEvent;
}

/** GetExecutionHistory and ValidateStateMachineDefinition. */
export class History {
  constructor(
    private readonly ctx: StatesContext,
    private readonly executions: Executions,
  ) {}

  get(req: GetExecutionHistoryInput): GetExecutionHistoryOutput {
    const e = this.executions.require(req.executionArn);
    const limit = pageSize(req.maxResults);
    const reverse = req.reverseOrder === true;
    const from = req.nextToken ? Number(decodeToken(req.nextToken, StatesApiErrors.InvalidToken)) : reverse ? Number.MAX_SAFE_INTEGER : 0;
    const rows = this.ctx.store.history(e.arn, from, reverse, limit + 1);
    const page = rows.slice(0, limit);
    return {
      events: page.map((ev) => toApiEvent(ev, req.includeExecutionData !== false)),
      nextToken: rows.length > limit ? encodeToken(String(page[page.length - 1]?.id ?? 0)) : undefined,
    };
  }

  validate(req: ValidateStateMachineDefinitionInput): ValidateStateMachineDefinitionOutput {
    const severity = req.severity ?? 'ERROR';
    if (severity !== 'ERROR' && severity !== 'WARNING') throw validation('severity', severity, 'satisfy enum value set: [ERROR, WARNING]');
    const max = req.maxResults ?? 100;
    if (max < 0 || max > 100) throw validation('maxResults', max, 'have value less than or equal to 100');
    const found: Diagnostic[] = [...parseDefinition(req.definition).diagnostics];
    if (found.every((d) => d.severity !== 'ERROR') && req.type === 'EXPRESS') {
      try {
        compileForApi(req.definition, 'EXPRESS');
      } catch (err) {
        const m = /'([A-Z_]+): (.*) at (\S*)'$/.exec((err as Error).message);
        found.push({ severity: 'ERROR', code: m?.[1] ?? 'SCHEMA_VALIDATION_FAILED', message: m?.[2] ?? (err as Error).message, location: m?.[3] ?? '' });
      }
    }
    const shown = found.filter((d) => severity === 'WARNING' || d.severity === 'ERROR');
    const limit = max === 0 ? 100 : max;
    return {
      result: found.some((d) => d.severity === 'ERROR') ? 'FAIL' : 'OK',
      diagnostics: shown.slice(0, limit).map((d) => ({ severity: d.severity, code: d.code, message: d.message, location: d.location || '/' })),
      truncated: shown.length > limit,
    };
  }
}
