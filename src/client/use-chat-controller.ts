'use client';

import { useCallback, useState } from 'react';
import type { ChatMessage } from './api-types';

export interface ChatController {
  messages: ChatMessage[];
  busy: boolean;
  error: string | null;
  send(content: string): void;
  stop(): void;
  regenerate(messageId: string): void;
  editAndResend(messageId: string, content: string): void;
}

export function useChatController(_sessionId: string | null, initialMessages: ChatMessage[]): ChatController {
  const [messages] = useState(initialMessages);
  const [error, setError] = useState<string | null>(null);
  const unavailable = useCallback(() => setError('Sending is not available yet.'), []);
  return {
    messages,
    busy: false,
    error,
    send: unavailable,
    stop: unavailable,
    regenerate: unavailable,
    editAndResend: unavailable,
  };
}
