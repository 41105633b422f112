// Runs one bench file's `main()`. bench/run.ts starts one process per file: the app reads its environment
// once and keeps one database pool per process, so each bench's own stack needs a process of its own.
import path from 'node:path';

const file = String(process.argv[2]);
const bench = (await import(path.resolve(file))) as { main: () => Promise<void> };
await bench.main();
process.exit(0);
