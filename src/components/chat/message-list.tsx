'use client';

import { useRef } from 'react';
import type { ChatEntry } from '@/client/chat-entries';
import { MessageItem } from './message-item';
import { useStickToBottom } from './use-stick-to-bottom';

interface MessageListProps {
  messages: ChatEntry[];
  busy: boolean;
  onRegenerate(messageId: string): void;
  onEditAndResend(messageId: string, content: string): void;
}

export function MessageList({ messages, busy, onRegenerate, onEditAndResend }: MessageListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const last = messages.at(-1);
  useStickToBottom(scroller, `${messages.length}:${last?.content.length ?? 0}:${last?.status}`);
  const lastReplyId = messages.findLast((message) => message.role === 'assistant')?.id;
  return (
    <div className="messages" ref={scroller} data-testid="messages">
      <div className="messages-inner">
        {messages.map((message) => (
          <MessageItem
            key={message.id}
            message={message}
            isLastReply={message.id === lastReplyId}
            busy={busy}
            onRegenerate={onRegenerate}
            onEditAndResend={onEditAndResend}
          />
        ))}
      </div>
    </div>
  );
}
