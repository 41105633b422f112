/** Shown while a chat's messages load (navigating from the sidebar). */
export default function ChatLoading() {
  return (
    <main className="chat" aria-label="Chat" aria-busy="true">
      <div className="messages">
        <div className="messages-inner">
          <div className="skeleton wide" />
          <div className="skeleton" />
          <div className="skeleton wide" />
        </div>
      </div>
    </main>
  );
}
