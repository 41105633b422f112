import { TRPCError } from '@trpc/server';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { currentSession } from '@/app/current-session';
import { ChatView } from '@/components/chat/chat-view';
import type { PrerenderedReplies } from '@/components/chat/prerendered-replies';
import { ServerMarkdown } from '@/components/chat/server-markdown';

/** As many as the message list first shows (see MessageList's window), and a little more. */
const INITIAL_MESSAGES = 80;

interface Params {
  params: Promise<{ sessionId: string }>;
}

/** Someone else's session, a deleted one and a malformed id all look the same: not found. */
async function loadSession(sessionId: string) {
  const { caller } = await currentSession();
  try {
    const session = await caller.sessions.get({ id: sessionId });
    // The page opens on the latest messages; the client fetches the whole chat once it has subscribed.
    const { items: messages } = await caller.messages.list({
      sessionId,
      limit: INITIAL_MESSAGES,
      newest: true,
    });
    return { session, messages };
  } catch (error) {
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST'))
      notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { sessionId } = await params;
  const { caller } = await currentSession();
  const session = await caller.sessions.get({ id: sessionId }).catch(() => null);
  return { title: session ? `${session.title} · ChatTwelve` : 'ChatTwelve' };
}

export default async function ChatPage({ params }: Params) {
  const { sessionId } = await params;
  const { messages: initialMessages } = await loadSession(sessionId);
  // Finished replies arrive as rendered markdown; a streaming one is rendered by the client as it grows.
  const prerendered: PrerenderedReplies = Object.fromEntries(
    initialMessages
      .filter((message) => message.role === 'assistant' && message.status !== 'streaming')
      .map((message) => [
        message.id,
        { text: message.content, node: <ServerMarkdown text={message.content} /> },
      ]),
  );
  return (
    <ChatView
      key={sessionId}
      sessionId={sessionId}
      initialMessages={initialMessages}
      prerendered={prerendered}
    />
  );
}
