import { Command } from 'commander';
import { SKIFF_EVENTS_TARGET_PREFIX, type DeadLetterView } from '../../events/index.js';
import { action, CliError, printJson, resolveEndpoint, withApiOptions, type ApiOptions } from '../client.js';
import { formatTable, relativeTime } from '../table.js';

/**
 * `skiff events dead-letters [--queue ARN] [--source ARN]`, `skiff events redrive ID…`,
 * `skiff events purge ID…`: clients of the SkiffEvents API (see src/events/README.md).
 */
export function eventsCommand(): Command {
  const list = withApiOptions(new Command('dead-letters').description('list deliveries that ran out of retries, with their errors'), false)
    .option('--queue <arn>', 'only those kept under this DeadLetterConfig queue ARN')
    .option('--source <arn>', 'only those of this rule or schedule ARN')
    .action(action(deadLetters));
  const redrive = withApiOptions(new Command('redrive').description('queue dead letters for delivery again').argument('<ids...>'), false).action(
    action((ids: string[], opts: ApiOptions) => change('RedriveDeadLetters', ids, opts)),
  );
  const purge = withApiOptions(new Command('purge').description('delete dead letters').argument('<ids...>'), false).action(
    action((ids: string[], opts: ApiOptions) => change('DeleteDeadLetters', ids, opts)),
  );
  return new Command('events').description('EventBridge deliveries: dead letters').addCommand(list).addCommand(redrive).addCommand(purge);
}

/** A dead letter on the wire: timestamps are epoch seconds, as awsJson sends them. */
type WireDeadLetter = Omit<DeadLetterView, 'EventTime' | 'DeadLetteredAt'> & { EventTime: number; DeadLetteredAt: number };

interface ListOptions extends ApiOptions {
  queue?: string;
  source?: string;
}

async function deadLetters(opts: ListOptions): Promise<void> {
  const all: WireDeadLetter[] = [];
  let token: string | undefined;
  do {
    const page = (await call(opts, 'ListDeadLetters', { DeadLetterArn: opts.queue, SourceArn: opts.source, NextToken: token })) as { DeadLetters: WireDeadLetter[]; NextToken?: string };
    all.push(...page.DeadLetters);
    token = page.NextToken;
  } while (token);
  if (opts.json) {
    printJson({ deadLetters: all });
    return;
  }
  const now = Date.now();
  const rows = all.map((d) => [d.Id, d.SourceArn.split(':').pop() ?? '', d.TargetArn, String(d.Attempts), relativeTime(new Date(d.DeadLetteredAt * 1000), now), `${d.ErrorCode}: ${d.ErrorMessage}`]);
  process.stdout.write(formatTable(['ID', 'SOURCE', 'TARGET', 'ATTEMPTS', 'DEAD', 'ERROR'], rows));
}

async function change(operation: 'RedriveDeadLetters' | 'DeleteDeadLetters', ids: string[], opts: ApiOptions): Promise<void> {
  const out = await call(opts, operation, { Ids: ids });
  if (opts.json) printJson(out);
  else process.stdout.write(`${JSON.stringify(out)}\n`);
}

async function call(opts: ApiOptions, operation: string, input: Record<string, unknown>): Promise<unknown> {
  const endpoint = resolveEndpoint(opts.endpoint);
  const res = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${SKIFF_EVENTS_TARGET_PREFIX}.${operation}` },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { __type?: string; message?: string };
  if (!res.ok) throw new CliError(`${body.__type ?? res.status}: ${body.message ?? ''}`);
  return body;
}
