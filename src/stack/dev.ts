// `npm run dev`: the embedded stack (Postgres 17 + supervised realtime) and `next dev`; Ctrl-C stops all.
import { launchApp } from './launch-app';

await launchApp('dev');
