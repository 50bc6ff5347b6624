/**
 * The task metadata endpoint's JSON, field for field as Fargate answers it (AWS's
 * "task metadata v4 JSON response for tasks on Fargate" and its examples). Optional
 * fields are the ones the agent leaves out when it has nothing to say (Go `omitempty`).
 */

export type MetadataVersion = 3 | 4;

export interface MetadataLimits {
  /** Task level: vCPUs (0.25). Container level: cpu units, at least 2 (Docker's minimum shares). */
  CPU?: number;
  /** MiB. */
  Memory?: number;
}

export interface MetadataPort {
  ContainerPort: number;
  Protocol: string;
  /** awsvpc: the container port itself. */
  HostPort: number;
}

export interface MetadataNetwork {
  NetworkMode: 'awsvpc';
  IPv4Addresses: string[];
  // v4 only from here on
  AttachmentIndex?: number;
  MACAddress?: string;
  IPv4SubnetCIDRBlock?: string;
  PrivateDNSName?: string;
  /** The gateway with the subnet's prefix length, as AWS prints it: "10.0.2.1/24". */
  SubnetGatewayIpv4Address?: string;
}

/** Lower-case keys, unlike everything around it: that is how the agent writes them. */
export interface MetadataHealth {
  /** HEALTHY or UNHEALTHY; left out while the check has not decided (UNKNOWN). */
  status?: string;
  statusSince?: string;
  exitCode?: number;
  output?: string;
}

export interface ContainerMetadata {
  DockerId: string;
  Name: string;
  DockerName: string;
  Image: string;
  ImageID: string;
  Ports?: MetadataPort[];
  Labels: Record<string, string>;
  DesiredStatus: string;
  KnownStatus: string;
  ExitCode?: number;
  Limits: MetadataLimits;
  CreatedAt?: string;
  StartedAt?: string;
  FinishedAt?: string;
  Type: 'NORMAL';
  Networks?: MetadataNetwork[];
  Health?: MetadataHealth;
  // v4 only from here on
  LogDriver?: string;
  LogOptions?: Record<string, string>;
  ContainerARN?: string;
  Snapshotter?: string;
}

export interface ClockDrift {
  /** Milliseconds between the reference time and the system time. */
  ClockErrorBound: number;
  /** Whole seconds, as AWS shows it: "2021-09-07T16:57:44Z". */
  ReferenceTimestamp: string;
  ClockSynchronizationStatus: 'SYNCHRONIZED' | 'NOT_SYNCHRONIZED';
}

export interface EphemeralStorageMetrics {
  /** MiB. */
  Utilized: number;
  /** MiB. */
  Reserved: number;
}

export interface TaskMetadata {
  Cluster: string;
  TaskARN: string;
  Family: string;
  Revision: string;
  DesiredStatus: string;
  KnownStatus: string;
  Limits?: MetadataLimits;
  PullStartedAt?: string;
  PullStoppedAt?: string;
  ExecutionStoppedAt?: string;
  AvailabilityZone?: string;
  Containers: ContainerMetadata[];
  // v4 only from here on
  LaunchType?: string;
  ServiceName?: string;
  ClockDrift?: ClockDrift;
  EphemeralStorageMetrics?: EphemeralStorageMetrics;
}
