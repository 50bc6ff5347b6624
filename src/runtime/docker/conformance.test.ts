import Dockerode from 'dockerode';
import { runDriverConformance } from '../conformance.js';
import { DOCKER_API_VERSION, DockerDriver } from './index.js';

// Machines without an engine skip the suite (saying why) rather than fail it.
const docker = new Dockerode({ version: DOCKER_API_VERSION });
const available = await docker.ping().then(
  () => true,
  () => false,
);

runDriverConformance({
  name: 'docker',
  newDriver: () => new DockerDriver({ docker }),
  image: 'skiff-test/busybox:latest',
  unavailable: available ? undefined : 'no Docker Engine answers at DOCKER_HOST or /var/run/docker.sock; run make setup',
});
