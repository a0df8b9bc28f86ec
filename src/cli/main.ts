#!/usr/bin/env node
// Entry point: run the dispatcher and leave with its exit code.
import { main } from './app.js';

process.exitCode = await main(process.argv.slice(2));
