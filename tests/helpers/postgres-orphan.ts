// Run as a child process by the stack tests: starts Postgres, says so, then waits to be killed with SIGKILL.
import { startPostgres } from '../../src/stack/embedded-postgres';

const [dataDir, port] = process.argv.slice(2);
const postgres = await startPostgres({ dataDir: String(dataDir), port: Number(port), durable: false });
process.stdout.write(`ready ${postgres.pid}\n`);
setInterval(() => {}, 1000);
