#!/usr/bin/env node
// The published entry point: run the compiled CLI (`npm run build` produces dist/).
import { main } from '../dist/cli/index.js';

main(process.argv).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
