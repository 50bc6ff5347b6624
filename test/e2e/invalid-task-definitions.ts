/**
 * Invalid RegisterTaskDefinition inputs, each with the exception a real client must
 * see. Every case starts from a valid Fargate definition and breaks one thing.
 */
type Def = Record<string, unknown> & { containerDefinitions: Array<Record<string, unknown>> };

export function validBase(family: string): Def & { family: string } {
  return {
    family,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
    containerDefinitions: [
      {
        name: 'app',
        image: 'skiff-test/busybox:latest',
        essential: true,
        portMappings: [{ containerPort: 8080 }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '/ecs/app', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' },
        },
      },
    ],
  };
}

export interface InvalidCase {
  name: string;
  code: string;
  message: RegExp;
  input: () => Record<string, unknown>;
  /** AWS CLI v2 refuses this before sending (it validates types and required members). */
  cliValidates?: boolean;
  /** The SDK serializes only modelled members of the right type, so it cannot send this one. */
  rawOnly?: boolean;
}

let n = 0;
/** A fresh family per case, so "nothing was stored" can be checked by family. */
function base(): Def & { family: string } {
  return validBase(`bad-${++n}`);
}
function withContainer(patch: Record<string, unknown>): () => Def {
  return () => {
    const d = base();
    d.containerDefinitions[0] = { ...d.containerDefinitions[0], ...patch };
    return d;
  };
}
function withTask(patch: Record<string, unknown>): () => Def {
  return () => ({ ...base(), ...patch });
}
function second(extra: Record<string, unknown>, firstPatch: Record<string, unknown> = {}): () => Def {
  return () => {
    const d = base();
    d.containerDefinitions[0] = { ...d.containerDefinitions[0], ...firstPatch };
    d.containerDefinitions.push({ name: 'side', image: 'skiff-test/busybox:latest', ...extra });
    return d;
  };
}

const C = 'ClientException';
const I = 'InvalidParameterException';

export const INVALID_CASES: InvalidCase[] = [
  { name: 'a family with spaces', code: C, message: /Family contains invalid characters/, input: withTask({ family: 'has space' }) },
  { name: 'a family of 256 characters', code: C, message: /255/, input: withTask({ family: 'f'.repeat(256) }) },
  { name: 'no containers', code: C, message: /Container list cannot be empty/, input: withTask({ containerDefinitions: [] }) },
  {
    name: 'eleven containers', code: C, message: /Too many containers/,
    input: () => {
      const d = base();
      d.containerDefinitions = Array.from({ length: 11 }, (_, i) => ({ name: `c${i}`, image: 'x', essential: i === 0 }));
      return d;
    },
  },
  { name: 'a container without a name', code: C, message: /Container.name should not be null or empty/, input: withContainer({ name: '' }) },
  { name: 'a container name with a dot', code: C, message: /Container.name contains invalid characters/, input: withContainer({ name: 'a.b' }) },
  { name: 'a container without an image', code: C, message: /Container.image should not be null or empty/, input: withContainer({ image: '' }) },
  { name: 'two containers with one name', code: C, message: /app/, input: second({ name: 'app' }) },
  { name: 'no essential container', code: C, message: /essential/i, input: withContainer({ essential: false }) },
  { name: 'bridge network mode on Fargate', code: C, message: /Fargate only supports network mode/, input: withTask({ networkMode: 'bridge' }) },
  { name: 'no task cpu on Fargate', code: C, message: /Fargate requires that 'cpu' be defined at the task level/, input: withTask({ cpu: undefined }) },
  { name: 'a cpu/memory pair Fargate lacks', code: C, message: /No Fargate configuration exists for given values: 256 CPU, 4096 memory/, input: withTask({ memory: '4096' }) },
  { name: '3 vCPU', code: C, message: /No Fargate configuration exists|Invalid 'cpu'/, input: withTask({ cpu: '3 vCPU', memory: '8 GB' }) },
  { name: 'cpu given as words', code: C, message: /Invalid 'cpu' setting for task/, input: withTask({ cpu: 'lots' }) },
  { name: 'container cpu above the task', code: C, message: /sum of all container 'cpu' values/, input: withContainer({ cpu: 512 }) },
  { name: 'container memory above the task', code: C, message: /'memory' setting for container 'app' is greater than for the task/, input: withContainer({ memory: 1024 }) },
  { name: 'a hostPort unlike the containerPort', code: C, message: /host ports and container ports in port mappings must match/, input: withContainer({ portMappings: [{ containerPort: 80, hostPort: 8080 }] }) },
  { name: 'containerPort 70000', code: C, message: /Invalid 'containerPort' setting for container 'app'/, input: withContainer({ portMappings: [{ containerPort: 70000 }] }) },
  { name: 'a port protocol of sctp', code: C, message: /protocol/i, input: withContainer({ portMappings: [{ containerPort: 80, protocol: 'sctp' }] }) },
  { name: 'links under awsvpc', code: C, message: /Links are not supported when networkMode=awsvpc/, input: withContainer({ links: ['other'] }) },
  { name: 'dependsOn a missing container', code: C, message: /Cannot depend on container .*'ghost' because it does not exist/, input: withContainer({ dependsOn: [{ containerName: 'ghost', condition: 'START' }] }) },
  { name: 'dependsOn COMPLETE on an essential container', code: C, message: /SUCCESS or COMPLETE condition cannot be an essential container/, input: second({ essential: true }, { dependsOn: [{ containerName: 'side', condition: 'COMPLETE' }] }) },
  { name: 'dependsOn HEALTHY without a health check', code: C, message: /health/i, input: second({ essential: false }, { dependsOn: [{ containerName: 'side', condition: 'HEALTHY' }] }) },
  { name: 'a dependsOn condition of READY', code: C, message: /condition/i, input: second({ essential: false }, { dependsOn: [{ containerName: 'side', condition: 'READY' }] }) },
  {
    name: 'a dependsOn cycle', code: C, message: /cycle|circular/i,
    input: second({ essential: false, dependsOn: [{ containerName: 'app', condition: 'START' }] }, { dependsOn: [{ containerName: 'side', condition: 'START' }] }),
  },
  { name: 'a health check interval of 1 s', code: C, message: /Health check interval must be greater than or equal to the minimum allowed value 5/, input: withContainer({ healthCheck: { command: ['CMD-SHELL', 'true'], interval: 1 } }) },
  { name: 'eleven health check retries', code: C, message: /Health check retries must be less than or equal to the maximum allowed value 10/, input: withContainer({ healthCheck: { command: ['CMD-SHELL', 'true'], retries: 11 } }) },
  { name: 'a health check without CMD', code: C, message: /CMD/, input: withContainer({ healthCheck: { command: ['curl', 'localhost'] } }) },
  { name: 'awslogs without a stream prefix', code: C, message: /awslogs-stream-prefix/, input: withContainer({ logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g', 'awslogs-region': 'us-east-1' } } }) },
  { name: 'an unknown awslogs option', code: C, message: /Log driver awslogs disallows options: log_key/, input: withContainer({ logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'p', log_key: 'x' } } }) },
  { name: 'the json-file log driver on Fargate', code: C, message: /json-file/, input: withContainer({ logConfiguration: { logDriver: 'json-file' } }), cliValidates: false },
  { name: 'awslogs without an execution role', code: C, message: /execution role ARN to support log driver awslogs/, input: withTask({ executionRoleArn: undefined }) },
  { name: 'ephemeral storage of 10 GiB', code: C, message: /21/, input: withTask({ ephemeralStorage: { sizeInGiB: 10 } }) },
  { name: 'stopTimeout of 300 s on Fargate', code: C, message: /stopTimeout|120/, input: withContainer({ stopTimeout: 300 }) },
  { name: 'privileged on Fargate', code: C, message: /privileged/i, input: withContainer({ privileged: true }) },
  { name: 'an environment variable without a name', code: C, message: /environment|name/i, input: withContainer({ environment: [{ name: '', value: 'x' }] }) },
  { name: 'a secret without valueFrom', code: I, message: /valueFrom/, input: withContainer({ secrets: [{ name: 'S' }] }), cliValidates: true },
  { name: 'a tag key starting with aws:', code: I, message: /aws:/, input: withTask({ tags: [{ key: 'aws:x', value: 'y' }] }) },
  { name: '51 tags', code: I, message: /50/, input: withTask({ tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' })) }) },
  { name: 'an unknown top-level member', code: I, message: /Unknown parameter 'familly'/, input: withTask({ familly: 'x' }), cliValidates: true, rawOnly: true },
  { name: 'an unknown container member', code: I, message: /Unknown parameter 'imag'/, input: withContainer({ imag: 'x' }), cliValidates: true, rawOnly: true },
  { name: 'containerPort as a string', code: 'SerializationException', message: /containerPort must be an integer/, input: withContainer({ portMappings: [{ containerPort: '80' }] }), cliValidates: true, rawOnly: true },
];
