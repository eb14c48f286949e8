#!/usr/bin/env node
// The `hawser-controller` command: a thin wrapper around the controller's entry point.
import { main } from '../controller/src/main.ts';

process.exitCode = await main(process.argv.slice(2));
