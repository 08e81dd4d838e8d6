#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx tierdesk` works from a checkout without a build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
process.argv[1] = cli;
await import(cli);
