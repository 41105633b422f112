import { TRPCError } from '@trpc/server';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { currentSession } from '@/app/current-session';
import { type ChatOpening, openingPageInput } from '@/client/chat-page';
import { ChatView } from '@/components/chat/chat-view';
import type { PrerenderedReplies } from '@/components/chat/prerendered-replies';
import { ServerMarkdown } from '@/components/chat/server-markdown';

interface Params {
  params: Promise<{ sessionId: string }>;
}

/** Someone else's session, a deleted one and a malformed id all look the same: not found. */
async function loadSession(sessionId: string): Promise<ChatOpening> {
  const { caller } = await currentSession();
  try {
    const renderedAt = Date.now();
    const session = await caller.sessions.get({ id: sessionId });
    // The page opens on the latest messages, which seed the client's cache; earlier ones come on request.
    const page = await caller.messages.list(openingPageInput(sessionId));
    return { session, page, renderedAt };
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
  const opening = await loadSession(sessionId);
  // Finished replies arrive as rendered markdown; a streaming one is rendered by the client as it grows.
  const prerendered: PrerenderedReplies = Object.fromEntries(
    opening.page.items
      .filter((message) => message.role === 'assistant' && message.status !== 'streaming')
      .map((message) => [
        message.id,
        { text: message.content, node: <ServerMarkdown text={message.content} /> },
      ]),
  );
  return <ChatView key={sessionId} sessionId={sessionId} opening={opening} prerendered={prerendered} />;
}
