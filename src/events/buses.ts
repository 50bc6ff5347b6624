import type {
  CreateEventBusRequest,
  CreateEventBusResponse,
  DeleteEventBusRequest,
  DescribeEventBusRequest,
  DescribeEventBusResponse,
  EventBus,
  ListEventBusesRequest,
  ListEventBusesResponse,
} from '@aws-sdk/client-eventbridge';
import type { EventsContext } from './context.js';
import { eventsError, invalid } from './errors.js';
import { busArn, busNameOf, checkBusName, DEFAULT_BUS } from './names.js';
import { page } from './paging.js';
import type { StoredBus } from './store/repository.js';
import { checkTags, toStoreTags } from './tags.js';

/** CreateEventBus, DescribeEventBus, ListEventBuses, DeleteEventBus; the default bus always exists. */
export class Buses {
  constructor(private readonly ctx: EventsContext) {}

  ensureDefault(): void {
    if (this.ctx.repo.getBus(DEFAULT_BUS)) return;
    const now = this.ctx.clock.now().getTime();
    this.ctx.repo.putBus({ Name: DEFAULT_BUS, Arn: busArn(this.ctx.scope, DEFAULT_BUS), CreationTime: now, LastModifiedTime: now });
  }

  /** The bus an EventBusName (name or ARN) names; ResourceNotFoundException when there is none. */
  require(ref: string | undefined): StoredBus {
    const name = busNameOf(this.ctx.scope, ref);
    const bus = this.ctx.repo.getBus(name);
    if (!bus) throw eventsError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
    return bus;
  }

  create(req: CreateEventBusRequest): CreateEventBusResponse {
    const name = checkBusName(req.Name ?? '');
    if (name.includes('/') && !req.EventSourceName) throw invalid(`Event bus name ${name} is not valid: only partner event buses may contain '/'.`);
    if ((req.Description ?? '').length > 512) throw invalid('Description can be at most 512 characters.');
    checkTags(req.Tags);
    if (this.ctx.repo.getBus(name)) throw eventsError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
    const now = this.ctx.clock.now().getTime();
    const bus: StoredBus = {
      Name: name,
      Arn: busArn(this.ctx.scope, name),
      Description: req.Description,
      KmsKeyIdentifier: req.KmsKeyIdentifier,
      DeadLetterConfig: req.DeadLetterConfig,
      CreationTime: now,
      LastModifiedTime: now,
    };
    this.ctx.repo.transaction(() => {
      this.ctx.repo.putBus(bus);
      this.ctx.tags.put(bus.Arn, toStoreTags(req.Tags));
    });
    return { EventBusArn: bus.Arn, Description: bus.Description, KmsKeyIdentifier: bus.KmsKeyIdentifier, DeadLetterConfig: bus.DeadLetterConfig };
  }

  describe(req: DescribeEventBusRequest): DescribeEventBusResponse {
    return view(this.require(req.Name));
  }

  list(req: ListEventBusesRequest): ListEventBusesResponse {
    const prefix = req.NamePrefix ?? '';
    const buses = this.ctx.repo.listBuses().filter((b) => b.Name.startsWith(prefix));
    const p = page(buses, (b) => b.Name, req.Limit, req.NextToken);
    return { EventBuses: p.items.map(view), NextToken: p.nextToken };
  }

  delete(req: DeleteEventBusRequest): Record<string, never> {
    const name = busNameOf(this.ctx.scope, req.Name);
    if (name === DEFAULT_BUS) throw invalid('Cannot delete event bus default.');
    const bus = this.ctx.repo.getBus(name);
    if (!bus) return {};
    if (this.ctx.repo.countRules(name) > 0) throw invalid(`Event bus ${name} still has rules: delete them first.`);
    this.ctx.repo.transaction(() => {
      this.ctx.repo.deleteBus(name);
      this.ctx.tags.removeAll(bus.Arn);
    });
    return {};
  }
}

function view(b: StoredBus): EventBus & DescribeEventBusResponse {
  return {
    Name: b.Name,
    Arn: b.Arn,
    Description: b.Description,
    KmsKeyIdentifier: b.KmsKeyIdentifier,
    DeadLetterConfig: b.DeadLetterConfig,
    CreationTime: new Date(b.CreationTime),
    LastModifiedTime: new Date(b.LastModifiedTime),
  };
}
