export { DockerDriver, DOCKER_API_VERSION } from './driver.js';
export type { DockerDriverOptions } from './driver.js';
export { pauseImage, PAUSE_REPOSITORY } from './pause-image.js';
