#!/usr/bin/env node
// The `hawser-proxy` command: a thin wrapper around proxy-core's entry point.
import { main } from '../proxy-core/src/main.ts';

process.exitCode = await main(process.argv.slice(2));
