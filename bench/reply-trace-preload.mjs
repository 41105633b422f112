// Loaded with `node --import` into the process that hosts the chat engine (the Next server, or the bare
// host): prints the engine's reply-trace events (src/server/chat-engine/reply-trace.ts) as `TRACE {…}` lines
// on stdout for the chat engine bench to read. Benchmarks only.
import diagnosticsChannel from 'node:diagnostics_channel';

diagnosticsChannel.subscribe('chattwelve:reply-trace', (event) => {
  process.stdout.write(`TRACE ${JSON.stringify(event)}\n`);
});
