// The chat engine in a process of its own, for the crash test (run with tsx --conditions=react-server).
// `send`: sends one message as the user whose cookie is in CHILD_COOKIE, so this process runs its reply.
// `serve`: only hosts the engine (start-up recovery, periodic sweep).
import { startChatEngine } from '@/server/chat-engine/chat-engine';
import { createCaller } from '@/server/router';
import { createContext } from '@/server/trpc';

const [mode, sessionId, clientMessageId, content] = process.argv.slice(2);
const engine = startChatEngine();
await engine.start();

if (mode === 'send') {
  const headers = new Headers({ cookie: process.env.CHILD_COOKIE ?? '', origin: process.env.APP_URL ?? '' });
  const caller = createCaller(await createContext({ headers, resHeaders: new Headers() }));
  const sent = await caller.chat.send({
    sessionId,
    clientMessageId: clientMessageId ?? '',
    content: content ?? '',
  });
  process.stdout.write(`sent ${JSON.stringify(sent)}\n`);
} else {
  process.stdout.write('ready\n');
}
setInterval(() => {}, 1000);
