import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';

/** The CloudWatch Logs client of AWS SDK for JavaScript v3, pointed at a skiff endpoint. */
export function logsClient(endpoint: string): CloudWatchLogsClient {
  return new CloudWatchLogsClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}
