import { ECSClient } from '@aws-sdk/client-ecs';

/** The ECS client of AWS SDK for JavaScript v3, pointed at a skiff endpoint. */
export function ecsClient(endpoint: string): ECSClient {
  return new ECSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}
