'use client';

import type { ChatMessage } from '@/client/api-types';
import { useChatController } from '@/client/use-chat-controller';
import { Composer } from './composer';
import { EmptyChat } from './empty-chat';
import { MessageList } from './message-list';
import { ReplyAnnouncer } from './reply-announcer';

interface ChatViewProps {
  sessionId: string | null;
  initialMessages: ChatMessage[];
}

export function ChatView({ sessionId, initialMessages }: ChatViewProps) {
  const chat = useChatController(sessionId, initialMessages);
  return (
    <main className="chat" aria-label="Chat">
      {chat.messages.length === 0 ? (
        <EmptyChat />
      ) : (
        <MessageList
          messages={chat.messages}
          busy={chat.busy}
          onRegenerate={chat.regenerate}
          onEditAndResend={chat.editAndResend}
        />
      )}
      {chat.error && (
        <p className="chat-error error small" role="alert" data-testid="chat-error">
          {chat.error}
        </p>
      )}
      <div className="composer-wrap">
        <Composer busy={chat.busy} onSend={chat.send} onStop={chat.stop} />
      </div>
      <ReplyAnnouncer messages={chat.messages} />
    </main>
  );
}
