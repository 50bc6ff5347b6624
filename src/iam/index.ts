// Identity: the temporary credentials of task roles, and the authority the edge checks
// signatures against. See README.md.
export { TaskCredentials, type IssuedCredentials } from './task-credentials.js';
