import { runDriverConformance } from '../conformance.js';
import { FakeDriver } from './index.js';

runDriverConformance({
  name: 'fake',
  newDriver: () => new FakeDriver(),
  image: 'skiff-test/busybox:latest',
  // the fake simulates a container's life, not its network: nothing listens anywhere
  skip: {
    'containers in one sandbox reach each other on localhost': 'the fake runs no processes and has no network',
    'a published port reaches the container listening on it': 'the fake allocates host ports but listens on none',
  },
  // every test is independent and the fake's waits are real time, so overlap them
  concurrent: true,
});
