export function EmptyChat() {
  return (
    <div className="empty-chat">
      <h1>What can I help with?</h1>
      <p className="muted">
        Ask anything. Replies stream in as they are written, and every tab stays in sync.
      </p>
    </div>
  );
}
