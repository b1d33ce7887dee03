#!/usr/bin/env node
// Entry point of the unbundled CLI (tsc's output, and `tsx src/cli/main.ts`); the `kro-gen` binary
// users run is the bundle in dist/bin, which calls the same runProcess.
import { runProcess } from './process-main.js';

await runProcess();
