// `npm start`: a production build (`npm run build` first) with the embedded stack unless EMBEDDED_STACK=false.
import { launchApp } from './launch-app';

await launchApp('start');
