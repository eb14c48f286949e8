#!/usr/bin/env node
// hawser-controller: Node 26 runs the TypeScript sources directly (type stripping).
import { main } from '../controller/src/main.ts';

main().catch((err) => {
  process.stderr.write(`hawser-controller: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
