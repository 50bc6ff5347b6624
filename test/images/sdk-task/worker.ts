/**
 * What a user's container does with the AWS SDK inside a Skiff task: no credentials or
 * endpoint in its own configuration, only what the task's environment provides
 * (AWS_CONTAINER_CREDENTIALS_*, AWS_ENDPOINT_URL, AWS_REGION). Bundled into the
 * skiff-test/node-sdk image by test/helpers/node-image.ts; MODE picks the job.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

async function s3Job(): Promise<void> {
  // path style: the endpoint is an address, not a domain buckets can be put in front of
  const s3 = new S3Client({ forcePathStyle: true });
  const bucket = env('S3_BUCKET');
  const key = env('S3_KEY');
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const text = (await got.Body?.transformToString()) ?? '';
  const result = `processed ${key}: ${text.trim().toUpperCase()}`;
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `results/${key.split('/').pop() ?? key}`, Body: result }));
  console.log(`wrote results for ${key}`);
}

async function sfnJob(): Promise<void> {
  const sfn = new SFNClient({});
  await sfn.send(new SendTaskSuccessCommand({ taskToken: env('TASK_TOKEN'), output: JSON.stringify({ from: 'container', input: process.env['PAYLOAD'] ?? null }) }));
  console.log('sent task success');
}

/** Signs with the task's key and token but a wrong secret: Skiff must refuse it. */
async function forgedJob(): Promise<void> {
  const uri = env('AWS_CONTAINER_CREDENTIALS_FULL_URI');
  const res = await fetch(uri, { headers: { Authorization: env('AWS_CONTAINER_AUTHORIZATION_TOKEN') } });
  const creds = (await res.json()) as { AccessKeyId: string; Token: string };
  const s3 = new S3Client({
    forcePathStyle: true,
    credentials: { accessKeyId: creds.AccessKeyId, secretAccessKey: 'not-the-secret-of-this-key-000000000000', sessionToken: creds.Token },
  });
  try {
    await s3.send(new GetObjectCommand({ Bucket: env('S3_BUCKET'), Key: env('S3_KEY') }));
    console.log('forged request: ACCEPTED');
  } catch (err) {
    console.log(`forged request: refused with ${(err as Error).name}`);
  }
  const other = await fetch(uri.replace(/[0-9a-f]{32}-/, '0'.repeat(32) + '-'));
  console.log(`another task's credentials: HTTP ${other.status}`);
}

const jobs: Record<string, () => Promise<void>> = { s3: s3Job, sfn: sfnJob, forged: forgedJob };
const job = jobs[process.env['MODE'] ?? 's3'];
if (!job) throw new Error(`unknown MODE ${process.env['MODE'] ?? ''}`);
job().catch((err: unknown) => {
  console.error(`failed: ${(err as Error).name}: ${(err as Error).message}`);
  process.exit(1);
});
