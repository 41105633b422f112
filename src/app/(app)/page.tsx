import { ChatView } from '@/components/chat/chat-view';

export default function NewChatPage() {
  return <ChatView key="new" sessionId={null} opening={null} />;
}
