import { inject } from 'vitest';

// Server modules read their configuration through src/env.ts, which reads process.env once.
process.env.DATABASE_URL = inject('databaseUrl');
process.env.APP_URL = 'http://localhost:3000';
// Quiet JSON logs (one line per tRPC call) in test output; tests/integration/logging.test.ts turns them on.
process.env.LOG_LEVEL ??= 'warn';
