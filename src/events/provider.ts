import type { PutRuleRequest } from '@aws-sdk/client-eventbridge';
import { shapedOperations, type Handler, type JsonService } from '../api/index.js';
import type { Buses } from './buses.js';
import type { EventsContext } from './context.js';
import { EventsErrors } from './errors.js';
import type { EventPublisher } from './put-events.js';
import type { Rules } from './rules.js';
import { eventsShapes as s, type EventsOperation } from './shapes.js';
import { EventsTags } from './tags.js';
import type { Targets } from './targets.js';

/** Operations check their input against its shape before the handler sees it. */
const op = shapedOperations(EventsErrors.ValidationException);

export interface EventsParts {
  readonly buses: Buses;
  readonly rules: Rules;
  readonly targets: Targets;
  readonly publisher: EventPublisher;
}

/** The EventBridge API (awsJson 1.1, `AWSEvents`, signing name `events`). */
export function eventsService(ctx: EventsContext, p: EventsParts): JsonService {
  const tags = new EventsTags(ctx);
  const { buses, rules, targets, publisher } = p;
  const operations: Record<EventsOperation, Handler> = {
    CreateEventBus: op(s.CreateEventBus, buses.create.bind(buses)),
    DescribeEventBus: op(s.DescribeEventBus, buses.describe.bind(buses)),
    ListEventBuses: op(s.ListEventBuses, buses.list.bind(buses)),
    DeleteEventBus: op(s.DeleteEventBus, buses.delete.bind(buses)),
    PutRule: op<PutRuleRequest>(s.PutRule, (i, c) => rules.put(i, c.account)),
    DescribeRule: op(s.DescribeRule, rules.describe.bind(rules)),
    ListRules: op(s.ListRules, rules.list.bind(rules)),
    EnableRule: op(s.EnableRule, rules.enable.bind(rules)),
    DisableRule: op(s.DisableRule, rules.disable.bind(rules)),
    DeleteRule: op(s.DeleteRule, rules.delete.bind(rules)),
    PutTargets: op(s.PutTargets, targets.put.bind(targets)),
    RemoveTargets: op(s.RemoveTargets, targets.remove.bind(targets)),
    ListTargetsByRule: op(s.ListTargetsByRule, targets.listByRule.bind(targets)),
    ListRuleNamesByTarget: op(s.ListRuleNamesByTarget, targets.ruleNamesByTarget.bind(targets)),
    PutEvents: op(s.PutEvents, publisher.putEvents.bind(publisher)),
    TestEventPattern: op(s.TestEventPattern, publisher.testEventPattern.bind(publisher)),
    TagResource: op(s.TagResource, tags.tagResource.bind(tags)),
    UntagResource: op(s.UntagResource, tags.untagResource.bind(tags)),
    ListTagsForResource: op(s.ListTagsForResource, tags.listTagsForResource.bind(tags)),
  };
  return {
    protocol: 'awsJson1_1',
    signingName: 'events',
    targetPrefix: 'AWSEvents',
    serverErrorCode: 'InternalException',
    operations,
  };
}
