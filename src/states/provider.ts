import { shapedOperations, type Handler, type JsonService } from '../api/index.js';
import { Activities } from './api/activities.js';
import type { StatesContext } from './api/context.js';
import { Executions } from './api/executions.js';
import { History } from './api/history.js';
import { StateMachines } from './api/machines.js';
import { statesShapes, type StatesOperation } from './api/shapes.js';
import { StatesTags } from './api/tags.js';
import { StatesApiErrors } from './errors.js';

/** Operations check their input against its shape before the handler sees it. */
const op = shapedOperations(StatesApiErrors.ValidationException);

/** The Step Functions API (awsJson 1.0, `AWSStepFunctions`, signing name `states`). */
export function createStatesService(ctx: StatesContext): JsonService {
  const machines = new StateMachines(ctx);
  const executions = new Executions(ctx, machines);
  const history = new History(ctx, executions);
  const activities = new Activities(ctx);
  const tags = new StatesTags(ctx);
  const s = statesShapes;
  const operations: Record<StatesOperation, Handler> = {
    CreateStateMachine: op(s.CreateStateMachine, machines.create.bind(machines)),
    DescribeStateMachine: op(s.DescribeStateMachine, machines.describe.bind(machines)),
    UpdateStateMachine: op(s.UpdateStateMachine, machines.update.bind(machines)),
    DeleteStateMachine: op(s.DeleteStateMachine, machines.delete.bind(machines)),
    ListStateMachines: op(s.ListStateMachines, machines.list.bind(machines)),
    PublishStateMachineVersion: op(s.PublishStateMachineVersion, machines.publish.bind(machines)),
    ListStateMachineVersions: op(s.ListStateMachineVersions, machines.listVersions.bind(machines)),
    DeleteStateMachineVersion: op(s.DeleteStateMachineVersion, machines.deleteVersion.bind(machines)),
    ValidateStateMachineDefinition: op(s.ValidateStateMachineDefinition, history.validate.bind(history)),
    StartExecution: op(s.StartExecution, executions.start.bind(executions)),
    StartSyncExecution: op(s.StartSyncExecution, executions.startSync.bind(executions)),
    StopExecution: op(s.StopExecution, executions.stop.bind(executions)),
    DescribeExecution: op(s.DescribeExecution, executions.describe.bind(executions)),
    ListExecutions: op(s.ListExecutions, executions.list.bind(executions)),
    GetExecutionHistory: op(s.GetExecutionHistory, history.get.bind(history)),
    DescribeStateMachineForExecution: op(s.DescribeStateMachineForExecution, executions.describeMachineFor.bind(executions)),
    CreateActivity: op(s.CreateActivity, activities.create.bind(activities)),
    DescribeActivity: op(s.DescribeActivity, activities.describe.bind(activities)),
    DeleteActivity: op(s.DeleteActivity, activities.delete.bind(activities)),
    ListActivities: op(s.ListActivities, activities.list.bind(activities)),
    GetActivityTask: op(s.GetActivityTask, activities.getTask.bind(activities)),
    SendTaskSuccess: op(s.SendTaskSuccess, activities.sendSuccess.bind(activities)),
    SendTaskFailure: op(s.SendTaskFailure, activities.sendFailure.bind(activities)),
    SendTaskHeartbeat: op(s.SendTaskHeartbeat, activities.sendHeartbeat.bind(activities)),
    TagResource: op(s.TagResource, tags.tagResource.bind(tags)),
    UntagResource: op(s.UntagResource, tags.untagResource.bind(tags)),
    ListTagsForResource: op(s.ListTagsForResource, tags.listTagsForResource.bind(tags)),
  };
  return {
    protocol: 'awsJson1_0',
    signingName: 'states',
    targetPrefix: 'AWSStepFunctions',
    serverErrorCode: 'ServiceUnavailable',
    operations,
  };
}
