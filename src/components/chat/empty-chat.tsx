/** Starting points for a new chat (sent as written when picked). */
const suggestions = [
  'Explain how HTTPS keeps a connection private',
  'Write a TypeScript function that debounces another',
  'Plan a three-day trip to Lisbon',
  'Summarise the rules of chess in five bullet points',
];

export function EmptyChat({ onPick }: { onPick?: (prompt: string) => void }) {
  return (
    <div className="empty-chat">
      <h1>What can I help with?</h1>
      <p className="muted">
        Ask anything. Replies stream in as they are written, and every tab stays in sync.
      </p>
      {onPick && (
        <ul className="suggestions" aria-label="Suggested prompts">
          {suggestions.map((prompt) => (
            <li key={prompt}>
              <button
                type="button"
                className="secondary"
                data-testid="suggested-prompt"
                onClick={() => onPick(prompt)}
              >
                {prompt}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
