'use client';

import { useEffect, useRef, useState } from 'react';
import type { ChatMessage } from '@/client/api-types';

/**
 * Screen readers hear "Assistant is replying" when a reply starts and the whole reply once it ends,
 * rather than a flood of fragments on every streamed delta.
 */
export function ReplyAnnouncer({ messages }: { messages: ChatMessage[] }) {
  const [announcement, setAnnouncement] = useState('');
  const lastStatus = useRef<string | null>(null);
  const reply = messages.findLast((message) => message.role === 'assistant');
  useEffect(() => {
    if (!reply) return;
    const key = `${reply.id}:${reply.status}`;
    if (lastStatus.current === key) return;
    const first = lastStatus.current === null;
    lastStatus.current = key;
    if (first && reply.status !== 'streaming') return;
    if (reply.status === 'streaming') setAnnouncement('Assistant is replying…');
    else if (reply.status === 'complete') setAnnouncement(reply.content);
    else setAnnouncement(`Reply ${reply.status}.`);
  }, [reply]);
  return (
    <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="reply-live-region">
      {announcement}
    </div>
  );
}
