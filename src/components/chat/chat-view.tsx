'use client';

import { useEffect, useState } from 'react';
import type { ChatOpening } from '@/client/chat-page';
import { useChatController } from '@/client/use-chat-controller';
import { useModelChoice } from '@/client/use-model-choice';
import { AlsoOpenMarker } from './also-open-marker';
import { SwitchBranchContext } from './branch-switcher';
import { Composer } from './composer';
import { EmptyChat } from './empty-chat';
import { preloadMarkdown } from './lazy-markdown-text';
import { MessageList } from './message-list';
import { ModelPicker } from './model-picker';
import type { PrerenderedReplies } from './prerendered-replies';
import { ReplyAnnouncer } from './reply-announcer';

interface ChatViewProps {
  sessionId: string | null;
  /** The chat as the server rendered it (null for a new chat). */
  opening: ChatOpening | null;
  /** Replies the server rendered as markdown (a chat opened by URL). */
  prerendered?: PrerenderedReplies;
}

export function ChatView({ sessionId, opening, prerendered }: ChatViewProps) {
  const chat = useChatController(sessionId, opening);
  const modelChoice = useModelChoice();
  const model = modelChoice.selected;
  // Marks the moment the chat can take input (hydrated): the benchmarks' "time to interactive".
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => {
    performance.mark('chat-hydrated');
    setHydrated(true);
    // Fetched once the page is interactive, so the first reply renders without waiting for it.
    const idle = window.requestIdleCallback?.(preloadMarkdown) ?? window.setTimeout(preloadMarkdown, 200);
    return () => (window.cancelIdleCallback ?? window.clearTimeout)(idle);
  }, []);
  return (
    <main className="chat" aria-label="Chat" data-hydrated={hydrated ? 'true' : undefined}>
      {chat.messages.length === 0 ? (
        <EmptyChat onPick={chat.busy ? undefined : (prompt) => chat.send(prompt, model)} />
      ) : (
        <SwitchBranchContext value={chat.switchBranch}>
          <MessageList
            messages={chat.messages}
            busy={chat.busy}
            complete={chat.complete}
            onLoadEarlier={chat.loadEarlier}
            prerendered={prerendered}
            onRegenerate={(messageId) => chat.regenerate(messageId, model)}
            onEditAndResend={(messageId, content) => chat.editAndResend(messageId, content, model)}
            onRevealBranch={chat.revealBranch}
          />
        </SwitchBranchContext>
      )}
      {chat.error && (
        <p className="chat-error error small" role="alert" data-testid="chat-error">
          {chat.error}
        </p>
      )}
      <div className="composer-wrap">
        <AlsoOpenMarker />
        <Composer
          busy={chat.busy}
          canStop={chat.canStop}
          onSend={(content) => chat.send(content, model)}
          onStop={chat.stop}
          draft={chat.draft}
          tools={<ModelPicker choice={modelChoice} />}
        />
      </div>
      <ReplyAnnouncer messages={chat.messages} />
    </main>
  );
}
