import type { ContainerDefinition, RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { checkShape } from '../../api/index.js';
import { isAwsError } from '../../core/index.js';
import { EcsErrors } from '../errors.js';
import { findCycle } from './dependencies.js';
import { describeTaskDefinitionShape, registerTaskDefinitionShape } from './shapes.js';
import {
  FARGATE_SIZES,
  parseTaskCpu,
  parseTaskMemory,
  startOrder,
  validateTags,
  validateTaskDefinition,
} from './validate.js';

const EXEC_ROLE = 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole';
const IMAGE = '000000000000.dkr.ecr.us-east-1.amazonaws.com/bean-counter:latest';

/** The bean-counter seed's task definition (register-bean-counter-task-definition.json). */
function beanCounter(): RegisterTaskDefinitionRequest {
  return {
    requiresCompatibilities: ['FARGATE'],
    containerDefinitions: [
      {
        name: 'bean-counter-container',
        image: IMAGE,
        essential: true,
        portMappings: [{ containerPort: 8080, hostPort: 8080 }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': '/ecs/bean-counter-service',
            'awslogs-region': 'us-east-1',
            'awslogs-stream-prefix': 'ecs',
          },
        },
      },
    ],
    networkMode: 'awsvpc',
    memory: '1024',
    cpu: '256',
    executionRoleArn: EXEC_ROLE,
    family: 'bean-counter-service-task',
    taskRoleArn: 'arn:aws:iam::000000000000:role/skarlekar-ecs-s3-full-access',
  };
}

/** A minimal valid Fargate definition whose containers can be replaced or patched. */
function fargate(overrides: Partial<RegisterTaskDefinitionRequest> = {}, ...containers: ContainerDefinition[]): RegisterTaskDefinitionRequest {
  return {
    family: 'app',
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '512',
    memory: '1024',
    executionRoleArn: EXEC_ROLE,
    containerDefinitions: containers.length > 0 ? containers : [app()],
    ...overrides,
  };
}

function app(overrides: Partial<ContainerDefinition> = {}): ContainerDefinition {
  return { name: 'app', image: 'busybox', ...overrides };
}

function sidecar(overrides: Partial<ContainerDefinition> = {}): ContainerDefinition {
  return { name: 'sidecar', image: 'busybox', essential: false, ...overrides };
}

function awslogs(options: Record<string, string>): ContainerDefinition['logConfiguration'] {
  return { logDriver: 'awslogs', options };
}

const LOGS = { 'awslogs-group': '/ecs/app', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' };

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isAwsError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected an error, got none');
}

describe('validateTaskDefinition: the bean-counter definition', () => {
  it('normalizes as ECS returns it', () => {
    const out = validateTaskDefinition(beanCounter());
    expect(out).toEqual({
      containerDefinitions: [
        {
          name: 'bean-counter-container',
          image: IMAGE,
          cpu: 0,
          portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
          essential: true,
          environment: [],
          mountPoints: [],
          volumesFrom: [],
          logConfiguration: beanCounter().containerDefinitions?.[0]?.logConfiguration,
          systemControls: [],
        },
      ],
      family: 'bean-counter-service-task',
      taskRoleArn: 'arn:aws:iam::000000000000:role/skarlekar-ecs-s3-full-access',
      executionRoleArn: EXEC_ROLE,
      networkMode: 'awsvpc',
      volumes: [],
      requiresAttributes: [
        { name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' },
        { name: 'ecs.capability.execution-role-awslogs' },
        { name: 'com.amazonaws.ecs.capability.ecr-auth' },
        { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.19' },
        { name: 'com.amazonaws.ecs.capability.task-iam-role' },
        { name: 'ecs.capability.execution-role-ecr-pull' },
        { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' },
        { name: 'ecs.capability.task-eni' },
      ],
      placementConstraints: [],
      compatibilities: ['EC2', 'FARGATE'],
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '1024',
    });
  });

  it('lists container members in ECS order and does not touch the request', () => {
    const req = beanCounter();
    const before = structuredClone(req);
    const out = validateTaskDefinition(req);
    expect(req).toEqual(before);
    expect(Object.keys(out.containerDefinitions[0] ?? {})).toEqual([
      'name', 'image', 'cpu', 'portMappings', 'essential', 'environment', 'mountPoints', 'volumesFrom',
      'logConfiguration', 'systemControls',
    ]);
    out.containerDefinitions[0]?.portMappings?.push({ containerPort: 1 });
    expect(req.containerDefinitions?.[0]?.portMappings).toHaveLength(1);
  });

  it('fills hostPort from containerPort under awsvpc', () => {
    const out = validateTaskDefinition(fargate({}, app({ portMappings: [{ containerPort: 80, protocol: 'udp' }] })));
    expect(out.containerDefinitions[0]?.portMappings).toEqual([{ containerPort: 80, hostPort: 80, protocol: 'udp' }]);
  });
});

describe('validateTaskDefinition: other launch types', () => {
  const sleep360: RegisterTaskDefinitionRequest = {
    family: 'sleep360',
    containerDefinitions: [
      { name: 'sleep', image: 'busybox', cpu: 10, memory: 10, essential: true, command: ['sleep', '360'], portMappings: [{ containerPort: 80 }] },
    ],
  };

  it('keeps an EC2 bridge definition, with a dynamic host port and EXTERNAL/EC2 compatibility', () => {
    const out = validateTaskDefinition(sleep360);
    expect(out.compatibilities).toEqual(['EXTERNAL', 'EC2']);
    expect(out.networkMode).toBeUndefined();
    expect(out.requiresCompatibilities).toBeUndefined();
    expect(out.containerDefinitions[0]?.portMappings).toEqual([{ containerPort: 80, hostPort: 0, protocol: 'tcp' }]);
    expect(out.requiresAttributes).toEqual([]);
  });

  it('marks a Fargate-shaped definition FARGATE-compatible even when it does not ask for it', () => {
    const out = validateTaskDefinition(fargate({ requiresCompatibilities: undefined }));
    expect(out.compatibilities).toEqual(['EC2', 'FARGATE']);
  });

  it('leaves FARGATE out when the definition could not run there', () => {
    const out = validateTaskDefinition(fargate({ requiresCompatibilities: ['EC2'], cpu: '300' }));
    expect(out.compatibilities).toEqual(['EC2']);
  });
});

type Case = [string, () => RegisterTaskDefinitionRequest, 'ClientException' | 'InvalidParameterException', string];

const repeat = (n: number): ContainerDefinition[] =>
  Array.from({ length: n }, (_, i) => app({ name: `c${i}`, essential: i === 0 }));

const INVALID: Case[] = [
  ['blank family', () => fargate({ family: '' }), 'ClientException', 'Family can not be blank.'],
  ['family with a space', () => fargate({ family: 'bean counter' }), 'ClientException', 'Family contains invalid characters.'],
  ['family of 256 chars', () => fargate({ family: 'f'.repeat(256) }), 'ClientException', 'Family is too long'],
  ['no containers', () => fargate({ containerDefinitions: [] }), 'ClientException', 'Container list cannot be empty.'],
  ['eleven containers', () => fargate({}, ...repeat(11)), 'ClientException', 'Too many containers.'],
  ['container without a name', () => fargate({}, app({ name: undefined })), 'ClientException', 'Container.name should not be null or empty.'],
  ['container name with a dot', () => fargate({}, app({ name: 'web.1' })), 'ClientException', 'Container.name contains invalid characters.'],
  ['duplicate container names', () => fargate({}, app(), app({ essential: false })), 'ClientException', "'app' is used more than once"],
  ['container without an image', () => fargate({}, app({ image: '' })), 'ClientException', 'Container.image should not be null or empty.'],
  ['image of 256 chars', () => fargate({}, app({ image: 'i'.repeat(256) })), 'ClientException', 'at most 255 characters'],
  ['unknown network mode', () => fargate({ networkMode: 'overlay' as 'awsvpc' }), 'ClientException', "Invalid value 'overlay' for networkMode"],
  ['Fargate in bridge mode', () => fargate({ networkMode: 'bridge' }), 'ClientException', 'Fargate only supports network mode ‘awsvpc’.'],
  ['Fargate without a network mode', () => fargate({ networkMode: undefined }), 'ClientException', 'Fargate only supports network mode'],
  ['Fargate without task cpu', () => fargate({ cpu: undefined }), 'ClientException', "Fargate requires that 'cpu' be defined at the task level."],
  ['Fargate without task memory', () => fargate({ memory: undefined }), 'ClientException', "Fargate requires that 'memory' be defined at the task level."],
  ['256 CPU with 4 GB', () => fargate({ cpu: '256', memory: '4 GB' }), 'ClientException', 'No Fargate configuration exists for given values: 256 CPU, 4096 memory.'],
  ['unparseable task cpu', () => fargate({ cpu: 'lots' }), 'ClientException', "Invalid 'cpu' setting for task."],
  ['blank task cpu', () => fargate({ cpu: '' }), 'InvalidParameterException', "Invalid 'cpu' setting for task."],
  ['fractional MiB memory', () => fargate({ memory: '1.3 GB' }), 'ClientException', "Invalid 'memory' setting for task."],
  ['unknown compatibility', () => fargate({ requiresCompatibilities: ['LAMBDA' as 'EC2'] }), 'ClientException', "Invalid value 'LAMBDA' for requiresCompatibilities"],
  ['container cpu over the task', () => fargate({}, app({ cpu: 400 }), sidecar({ cpu: 200 })), 'ClientException', "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'."],
  ['container memory over the task', () => fargate({}, app({ memory: 2048 })), 'ClientException', "The 'memory' setting for container 'app' is greater than for the task."],
  ['reservations over the task', () => fargate({}, app({ memoryReservation: 600 }), sidecar({ memoryReservation: 600 })), 'ClientException', "The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'."],
  ['reservation above the limit', () => fargate({}, app({ memory: 256, memoryReservation: 512 })), 'ClientException', "Invalid 'memoryReservation' setting for container 'app'"],
  ['memory under 6 MiB', () => fargate({}, app({ memory: 4 })), 'ClientException', "Invalid 'memory' setting for container 'app'"],
  ['negative container cpu', () => fargate({}, app({ cpu: -1 })), 'ClientException', "Invalid 'cpu' setting for container 'app'"],
  ['EC2 container without memory', () => ({ family: 'ec2', containerDefinitions: [app()] }), 'ClientException', "Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified."],
  ['no essential container', () => fargate({}, app({ essential: false })), 'ClientException', 'at least one essential container'],
  ['dependsOn a missing container', () => fargate({}, app({ dependsOn: [{ containerName: 'ghost', condition: 'START' }] })), 'ClientException', "Cannot depend on container + 'ghost' because it does not exist"],
  ['dependsOn itself', () => fargate({}, app({ dependsOn: [{ containerName: 'app', condition: 'START' }] })), 'ClientException', "Container 'app' cannot depend on itself"],
  ['unknown dependsOn condition', () => fargate({}, app({ dependsOn: [{ containerName: 'sidecar', condition: 'READY' as 'START' }] }), sidecar()), 'ClientException', "Invalid value 'READY' for dependsOn condition of container 'app'"],
  ['SUCCESS on an essential container', () => fargate({}, app({ dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }] }), app({ name: 'init' })), 'ClientException', 'A dependency container with SUCCESS or COMPLETE condition cannot be an essential container'],
  ['HEALTHY on a container without a health check', () => fargate({}, app({ dependsOn: [{ containerName: 'sidecar', condition: 'HEALTHY' }] }), sidecar()), 'ClientException', "'sidecar' has no healthCheck"],
  ['health check command without CMD', () => fargate({}, app({ healthCheck: { command: ['curl', 'localhost'] } })), 'ClientException', "'command' must start with \"CMD\" or \"CMD-SHELL\""],
  ['health check with only CMD-SHELL', () => fargate({}, app({ healthCheck: { command: ['CMD-SHELL'] } })), 'ClientException', "Invalid 'healthCheck' setting for container 'app'"],
  ['health check interval 2', () => fargate({}, app({ healthCheck: { command: ['CMD', 'true'], interval: 2 } })), 'ClientException', "Health check interval must be greater than or equal to the minimum allowed value 5 for container 'app'"],
  ['health check retries 11', () => fargate({}, app({ healthCheck: { command: ['CMD', 'true'], retries: 11 } })), 'ClientException', "Health check retries must be less than or equal to the maximum allowed value 10 for container 'app'"],
  ['health check timeout 121', () => fargate({}, app({ healthCheck: { command: ['CMD', 'true'], timeout: 121 } })), 'ClientException', 'Health check timeout must be less than or equal to the maximum allowed value 120'],
  ['health check startPeriod 301', () => fargate({}, app({ healthCheck: { command: ['CMD', 'true'], startPeriod: 301 } })), 'ClientException', 'Health check startPeriod must be less than or equal to the maximum allowed value 300'],
  ['stopTimeout 121 on Fargate', () => fargate({}, app({ stopTimeout: 121 })), 'ClientException', "Invalid 'stopTimeout' setting for container 'app'"],
  ['startTimeout 1 on Fargate', () => fargate({}, app({ startTimeout: 1 })), 'ClientException', "Invalid 'startTimeout' setting for container 'app'"],
  ['host port differs under awsvpc', () => fargate({}, app({ portMappings: [{ containerPort: 80, hostPort: 8080 }] })), 'ClientException', 'When networkMode=awsvpc, the host ports and container ports in port mappings must match.'],
  ['container port 0', () => fargate({}, app({ portMappings: [{ containerPort: 0 }] })), 'ClientException', "Invalid 'containerPort' setting for container 'app'."],
  ['container port 70000', () => fargate({}, app({ portMappings: [{ containerPort: 70000 }] })), 'ClientException', "Invalid 'containerPort' setting for container 'app'."],
  ['port mapping without a port', () => fargate({}, app({ portMappings: [{ protocol: 'tcp' }] })), 'ClientException', "Invalid 'containerPort' setting for container 'app'."],
  ['protocol sctp', () => fargate({}, app({ portMappings: [{ containerPort: 80, protocol: 'sctp' as 'tcp' }] })), 'ClientException', "Invalid value 'sctp' for port mapping protocol"],
  ['same port in two containers', () => fargate({}, app({ portMappings: [{ containerPort: 80 }] }), sidecar({ portMappings: [{ containerPort: 80 }] })), 'ClientException', 'Port 80/tcp is mapped more than once'],
  ['port mapping name with capitals', () => fargate({}, app({ portMappings: [{ containerPort: 80, name: 'Web' }] })), 'ClientException', "Invalid port mapping name 'Web'"],
  ['bad container port range', () => fargate({}, app({ portMappings: [{ containerPortRange: '9000-8000' }] })), 'ClientException', "Invalid 'containerPortRange' setting"],
  ['json-file on Fargate', () => fargate({}, app({ logConfiguration: { logDriver: 'json-file' } })), 'ClientException', 'Log driver json-file is not supported on Fargate'],
  ['unknown log driver on EC2', () => ({ family: 'ec2', containerDefinitions: [app({ memory: 64, logConfiguration: { logDriver: 'loki' as 'awslogs' } })] }), 'ClientException', "Invalid value 'loki' for logDriver"],
  ['awslogs without an execution role', () => fargate({ executionRoleArn: undefined }, app({ logConfiguration: awslogs(LOGS) })), 'ClientException', 'Fargate requires task definition to have execution role ARN to support log driver awslogs.'],
  ['awslogs without a group', () => fargate({}, app({ logConfiguration: awslogs({ ...LOGS, 'awslogs-group': '' }) })), 'ClientException', 'Fargate requires log configuration options to include awslogs-group to support log driver awslogs.'],
  ['awslogs without a region', () => fargate({}, app({ logConfiguration: awslogs({ 'awslogs-group': 'g', 'awslogs-stream-prefix': 'p' }) })), 'ClientException', 'to include awslogs-region'],
  ['awslogs without a stream prefix', () => fargate({}, app({ logConfiguration: awslogs({ 'awslogs-group': 'g', 'awslogs-region': 'us-east-1' }) })), 'ClientException', 'Fargate requires log configuration options to include awslogs-stream-prefix to support log driver awslogs.'],
  ['awslogs with an unknown option', () => fargate({}, app({ logConfiguration: awslogs({ ...LOGS, log_key: 'log' }) })), 'ClientException', 'Log driver awslogs disallows options: log_key'],
  ['ECR image without an execution role', () => fargate({ executionRoleArn: undefined }, app({ image: IMAGE })), 'ClientException', 'Fargate requires task definition to have execution role ARN to support ECR images.'],
  ['awsfirelens without a log router', () => fargate({}, app({ logConfiguration: { logDriver: 'awsfirelens' } })), 'ClientException', 'no container has a firelensConfiguration'],
  ['ephemeral storage 20 GiB', () => fargate({ ephemeralStorage: { sizeInGiB: 20 } }), 'ClientException', "Invalid 'ephemeralStorage' setting"],
  ['ephemeral storage 201 GiB', () => fargate({ ephemeralStorage: { sizeInGiB: 201 } }), 'ClientException', 'between 21 and 200'],
  ['environment variable without a name', () => fargate({}, app({ environment: [{ value: 'x' }] })), 'ClientException', "Every environment variable needs a non-empty 'name'"],
  ['environment variable name with =', () => fargate({}, app({ environment: [{ name: 'A=B', value: 'x' }] })), 'ClientException', "must not contain '='"],
  ['secret without valueFrom', () => fargate({}, app({ secrets: [{ name: 'DB', valueFrom: '' }] })), 'ClientException', "Invalid 'secrets' setting for container 'app'"],
  ['unknown ulimit', () => fargate({}, app({ ulimits: [{ name: 'files' as 'nofile', softLimit: 1, hardLimit: 1 }] })), 'ClientException', "Invalid value 'files' for ulimits name"],
  ['ulimit soft above hard', () => fargate({}, app({ ulimits: [{ name: 'nofile', softLimit: 10, hardLimit: 5 }] })), 'ClientException', "Invalid 'ulimits' setting for container 'app'"],
  ['nofile above the Fargate cap', () => fargate({}, app({ ulimits: [{ name: 'nofile', softLimit: 1, hardLimit: 2_000_000 }] })), 'ClientException', 'nofile limit can be at most 1048576'],
  ['pidMode host on Fargate', () => fargate({ pidMode: 'host' }), 'ClientException', "do not support pidMode 'host'"],
  ['ipcMode on Fargate', () => fargate({ ipcMode: 'task' }), 'ClientException', 'Tasks using the Fargate launch type do not support ipcMode.'],
  ['privileged on Fargate', () => fargate({}, app({ privileged: true })), 'ClientException', 'do not support privileged containers'],
  ['tmpfs on Fargate', () => fargate({}, app({ linuxParameters: { tmpfs: [{ containerPath: '/tmp', size: 64 }] } })), 'ClientException', 'linuxParameters.tmpfs'],
  ['NET_ADMIN on Fargate', () => fargate({}, app({ linuxParameters: { capabilities: { add: ['NET_ADMIN'] } } })), 'ClientException', 'only SYS_PTRACE can be added'],
  ['links under awsvpc', () => fargate({}, app({ links: ['db'] })), 'ClientException', 'Links are not supported when networkMode=awsvpc.'],
  ['hostname under awsvpc', () => fargate({}, app({ hostname: 'web' })), 'ClientException', 'hostname is not supported on container when networkMode=awsvpc.'],
  ['host volume path on Fargate', () => fargate({ volumes: [{ name: 'data', host: { sourcePath: '/srv' } }] }), 'ClientException', 'host volumes with a sourcePath'],
  ['mount of an undeclared volume', () => fargate({}, app({ mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }] })), 'ClientException', "sourceVolume 'data' is not one of the task definition's volumes"],
  ['volumesFrom a missing container', () => fargate({}, app({ volumesFrom: [{ sourceContainer: 'ghost' }] })), 'ClientException', "sourceContainer 'ghost' must be another container"],
  ['Windows on 512 CPU', () => fargate({ runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2019_CORE' } }), 'ClientException', 'No Fargate configuration exists for given values: 512 CPU, 1024 memory.'],
  ['proxy for a missing container', () => fargate({ proxyConfiguration: { type: 'APPMESH', containerName: 'envoy' } }), 'ClientException', "containerName 'envoy' is not a container"],
  ['restart attempt period 10', () => fargate({}, app({ restartPolicy: { enabled: true, restartAttemptPeriod: 10 } })), 'ClientException', "'restartAttemptPeriod' must be between 60 and 1800"],
];

describe('validateTaskDefinition: invalid definitions', () => {
  it('covers at least 40 cases', () => expect(INVALID.length).toBeGreaterThanOrEqual(40));

  it.each(INVALID)('%s', (_label, build, code, fragment) => {
    const err = errorOf(() => validateTaskDefinition(build()));
    expect(err.code).toBe(code);
    expect(err.message).toContain(fragment);
  });
});

describe('task cpu and memory', () => {
  it.each([
    ['256', 256], ['1024', 1024], ['1 vCPU', 1024], ['0.25 vCPU', 256], ['.5 vcpu', 512], ['2vCPU', 2048], ['16 vCPU', 16384],
  ])('parseTaskCpu(%j) = %d', (text, units) => expect(parseTaskCpu(text)).toBe(units));

  it.each(['', 'abc', '0', '-1', '1.5', '0.1 vCPU', '1 GB', '1 vCPUs'])('parseTaskCpu(%j) is undefined', (text) => {
    expect(parseTaskCpu(text)).toBeUndefined();
  });

  it.each([
    ['512', 512], ['0.5 GB', 512], ['2 GB', 2048], ['2GB', 2048], ['1gb', 1024], ['120 GB', 122880], ['3 GiB', 3072],
  ])('parseTaskMemory(%j) = %d', (text, mib) => expect(parseTaskMemory(text)).toBe(mib));

  it.each(['', 'x', '0', '1.1 GB', '512 MB', '2 vCPU'])('parseTaskMemory(%j) is undefined', (text) => {
    expect(parseTaskMemory(text)).toBeUndefined();
  });

  it('registers "1 vCPU" / "2 GB" as "1024" / "2048"', () => {
    const out = validateTaskDefinition(fargate({ cpu: '1 vCPU', memory: '2 GB' }));
    expect([out.cpu, out.memory]).toEqual(['1024', '2048']);
  });

  const validPairs = FARGATE_SIZES.flatMap((s) => s.memory.map((m) => [s.cpu, m] as const));

  it('has the 74 Fargate sizes of the developer guide', () => expect(validPairs).toHaveLength(74));

  it.each(validPairs)('accepts %d CPU with %d MiB', (cpu, memory) => {
    const out = validateTaskDefinition(fargate({ cpu: String(cpu), memory: String(memory) }));
    expect(out.compatibilities).toContain('FARGATE');
  });

  it.each([
    [256, 4096], [256, 3072], [512, 512], [512, 5120], [1024, 1024], [1024, 9216], [2048, 3072], [2048, 17408],
    [4096, 31744], [8192, 18432], [8192, 65536], [16384, 36864], [16384, 131072], [32768, 65536], [128, 512], [300, 1024],
  ])('refuses %d CPU with %d MiB', (cpu, memory) => {
    const err = errorOf(() => validateTaskDefinition(fargate({ cpu: String(cpu), memory: String(memory) })));
    expect(err.code).toBe('ClientException');
    expect(err.message).toContain(`No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory.`);
  });

  it('takes Windows sizes from 1 vCPU only', () => {
    const windows = { runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' as const } };
    expect(validateTaskDefinition(fargate({ ...windows, cpu: '1024', memory: '2048' })).cpu).toBe('1024');
    expect(errorOf(() => validateTaskDefinition(fargate({ ...windows, cpu: '8192', memory: '16384' }))).message).toContain(
      'No Fargate configuration exists',
    );
  });
});

describe('dependsOn', () => {
  const start = (name: string) => [{ containerName: name, condition: 'START' as const }];

  it('detects a two-container cycle', () => {
    const err = errorOf(() =>
      validateTaskDefinition(fargate({}, app({ dependsOn: start('sidecar') }), sidecar({ dependsOn: start('app') }))),
    );
    expect(err.code).toBe('ClientException');
    expect(err.message).toContain("'app' -> 'sidecar' -> 'app'");
  });

  it('detects a longer cycle and names its path', () => {
    const defs = [
      app({ dependsOn: start('a') }),
      sidecar({ name: 'a', dependsOn: start('b') }),
      sidecar({ name: 'b', dependsOn: start('c') }),
      sidecar({ name: 'c', dependsOn: start('a') }),
    ];
    expect(findCycle(defs)).toEqual(['a', 'b', 'c', 'a']);
    expect(errorOf(() => validateTaskDefinition(fargate({}, ...defs))).message).toContain("'a' -> 'b' -> 'c' -> 'a'");
  });

  it('accepts chains and diamonds, and orders start-up by them', () => {
    const defs = [
      app({ dependsOn: [...start('b'), ...start('c')] }),
      sidecar({ name: 'b', dependsOn: start('d') }),
      sidecar({ name: 'c', dependsOn: start('d') }),
      sidecar({ name: 'd', healthCheck: { command: ['CMD', 'true'] } }),
    ];
    expect(findCycle(defs)).toBeUndefined();
    const out = validateTaskDefinition(fargate({}, ...defs));
    expect(out.containerDefinitions.map((c) => c.name)).toEqual(['app', 'b', 'c', 'd']);
    expect(startOrder(defs)).toEqual(['d', 'b', 'c', 'app']);
    expect(out.requiresAttributes).toContainEqual({ name: 'ecs.capability.container-ordering' });
  });

  it('accepts COMPLETE/SUCCESS on non-essential and HEALTHY on health-checked containers', () => {
    const defs = [
      app({ dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }, { containerName: 'db', condition: 'HEALTHY' }] }),
      sidecar({ name: 'init' }),
      sidecar({ name: 'db', healthCheck: { command: ['CMD-SHELL', 'pg_isready'] } }),
    ];
    expect(() => validateTaskDefinition(fargate({}, ...defs))).not.toThrow();
  });
});

describe('health checks', () => {
  const healthOf = (hc: ContainerDefinition['healthCheck']) =>
    validateTaskDefinition(fargate({}, app({ healthCheck: hc }))).containerDefinitions[0]?.healthCheck;

  it('fills interval 30, timeout 5 and retries 3, and leaves startPeriod out', () => {
    expect(healthOf({ command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'] })).toEqual({
      command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'],
      interval: 30,
      timeout: 5,
      retries: 3,
    });
  });

  it('keeps given values, the boundaries included', () => {
    expect(healthOf({ command: ['CMD', 'true'], interval: 5, timeout: 120, retries: 10, startPeriod: 0 })).toEqual({
      command: ['CMD', 'true'], interval: 5, timeout: 120, retries: 10, startPeriod: 0,
    });
    expect(healthOf({ command: ['CMD', 'true'], interval: 300, timeout: 2, retries: 1, startPeriod: 300 })).toMatchObject({
      interval: 300, timeout: 2, retries: 1, startPeriod: 300,
    });
  });

  it('accepts ["NONE"] and adds the health check attributes', () => {
    const out = validateTaskDefinition(fargate({}, app({ healthCheck: { command: ['NONE'] } })));
    expect(out.requiresAttributes).toEqual(
      expect.arrayContaining([
        { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.24' },
        { name: 'ecs.capability.container-health-check' },
      ]),
    );
  });
});

describe('validateTags', () => {
  const tag = (key: string, value = 'v') => ({ key, value });

  it('accepts up to 50 tags with keys of 128 and values of 256 characters', () => {
    expect(() => validateTags(Array.from({ length: 50 }, (_, i) => tag(`k${i}`)))).not.toThrow();
    expect(() => validateTags([tag('k'.repeat(128), 'v'.repeat(256)), tag('team', ''), tag('a b:c/d=e+f-g@h_i.j')])).not.toThrow();
    expect(() => validateTags(undefined)).not.toThrow();
  });

  it.each([
    ['51 tags', Array.from({ length: 51 }, (_, i) => tag(`k${i}`)), 'at most 50 tags'],
    ['an empty key', [tag('')], 'between 1 and 128 characters'],
    ['a missing key', [{ value: 'v' }], 'between 1 and 128 characters'],
    ['a key of 129 characters', [tag('k'.repeat(129))], 'between 1 and 128 characters'],
    ['a value of 257 characters', [tag('k', 'v'.repeat(257))], 'at most 256 characters'],
    ['an aws: key', [tag('aws:cloudformation:stack-name')], "reserved prefix 'aws:'"],
    ['an AWS: key', [tag('AWS:x')], "reserved prefix 'aws:'"],
    ['an aws: value', [tag('k', 'aws:x')], "reserved prefix 'aws:'"],
    ['a key with a bracket', [tag('a[b]')], 'characters ECS does not allow'],
  ])('refuses %s', (_label, tags, fragment) => {
    const err = errorOf(() => validateTags(tags));
    expect(err.code).toBe('InvalidParameterException');
    expect(err.message).toContain(fragment);
  });
});

describe('shapes', () => {
  const check = (input: unknown, shape = registerTaskDefinitionShape) =>
    errorOf(() => checkShape(input, shape, EcsErrors.InvalidParameterException));

  it('accepts the bean-counter request and a container using every member group', () => {
    expect(() => checkShape(beanCounter(), registerTaskDefinitionShape, EcsErrors.InvalidParameterException)).not.toThrow();
    const full = fargate(
      { tags: [{ key: 'team', value: 'beans' }], ephemeralStorage: { sizeInGiB: 30 }, runtimePlatform: { cpuArchitecture: 'ARM64' } },
      app({
        healthCheck: { command: ['CMD', 'true'], interval: 10 },
        dependsOn: [{ containerName: 'sidecar', condition: 'START' }],
        linuxParameters: { initProcessEnabled: true, capabilities: { add: ['SYS_PTRACE'] } },
        dockerLabels: { a: 'b' },
        restartPolicy: { enabled: true, ignoredExitCodes: [0] },
      }),
      sidecar(),
    );
    expect(() => checkShape(full, registerTaskDefinitionShape, EcsErrors.InvalidParameterException)).not.toThrow();
    expect(validateTaskDefinition(full).containerDefinitions).toHaveLength(2);
  });

  it('refuses unknown members, wrong types and missing required members', () => {
    expect(check({ ...beanCounter(), launchType: 'FARGATE' })).toMatchObject({
      code: 'InvalidParameterException',
      message: expect.stringContaining("Unknown parameter 'launchType'") as unknown,
    });
    expect(check({ ...beanCounter(), cpu: 256 }).code).toBe('SerializationException');
    expect(check({ family: 'x' }).message).toContain("'containerDefinitions'");
    expect(check(fargate({}, app({ secrets: [{ name: 'A' } as never] }))).message).toContain('secrets[0].valueFrom');
    expect(check({}, describeTaskDefinitionShape).message).toContain("'taskDefinition'");
  });
});
