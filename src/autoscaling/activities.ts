import { decodeToken, encodeToken } from '../core/index.js';
import type { AutoscalingContext } from './context.js';
import { AutoscalingErrors, scalingError } from './errors.js';
import type { StoredActivity } from './model.js';
import { checkFilters, checkMaxResults } from './validate.js';

export interface DescribeScalingActivitiesRequest {
  ServiceNamespace: string;
  ResourceId?: string;
  ScalableDimension?: string;
  IncludeNotScaledActivities?: boolean;
  MaxResults?: number;
  NextToken?: string;
}

export function activityView(a: StoredActivity): Record<string, unknown> {
  return {
    ActivityId: a.activityId,
    ServiceNamespace: a.serviceNamespace,
    ResourceId: a.resourceId,
    ScalableDimension: a.scalableDimension,
    Description: a.description,
    Cause: a.cause,
    StartTime: new Date(a.startTime),
    ...(a.endTime !== undefined ? { EndTime: new Date(a.endTime) } : {}),
    StatusCode: a.status,
    ...(a.statusMessage !== undefined ? { StatusMessage: a.statusMessage } : {}),
    ...(a.notScaledReasons ? { NotScaledReasons: a.notScaledReasons } : {}),
  };
}

/** DescribeScalingActivities: newest first; "not scaled" activities only when asked for. */
export class ScalingActivities {
  constructor(private readonly ctx: AutoscalingContext) {}

  describe(req: DescribeScalingActivitiesRequest): { ScalingActivities: Record<string, unknown>[]; NextToken?: string } {
    checkFilters(req);
    const limit = checkMaxResults(req.MaxResults, 50);
    const beforeSeq = req.NextToken ? sequenceOf(req.NextToken) : undefined;
    const page = this.ctx.activities.query({
      namespace: req.ServiceNamespace,
      resourceId: req.ResourceId,
      dimension: req.ScalableDimension,
      includeNotScaled: req.IncludeNotScaledActivities === true,
      beforeSeq,
      limit,
    });
    const last = page.items[page.items.length - 1];
    return {
      ScalingActivities: page.items.map((i) => activityView(i.activity)),
      ...(page.more && last ? { NextToken: encodeToken(String(last.seq)) } : {}),
    };
  }
}

function sequenceOf(token: string): number {
  const seq = Number(decodeToken(token, AutoscalingErrors.InvalidNextTokenException));
  if (!Number.isSafeInteger(seq)) throw scalingError('InvalidNextTokenException', 'Invalid NextToken: pass the NextToken value from a previous response unchanged.');
  return seq;
}
