#!/usr/bin/env node
// The command line runs the TypeScript sources directly through tsx, so the CLI, the app and
// the training tools share one copy of src/core without a separate build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
