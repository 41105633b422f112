import 'server-only';
import type { LanguageModel } from 'ai';
import { type ModelStreamPart, streamModelText } from './model-stream';
import type { ModelInput } from './reply-context';

/**
 * A model stream opened while chat.send's transaction still runs (after its rate limit passed), so the
 * provider's first token and the commit overlap instead of following each other. What it yields reaches
 * nobody until the reply's runner adopts it, after the commit; a send that does not commit drops it, and so
 * does a runner whose context turned out different (another model, another branch).
 */
export class EarlyModelStream {
  private readonly controller = new AbortController();
  private readonly parts: AsyncGenerator<ModelStreamPart>;
  /** Asking for the first part is what sends the request. */
  private readonly first: Promise<IteratorResult<ModelStreamPart>>;
  private taken = false;

  constructor(
    readonly modelId: string,
    model: LanguageModel,
    input: ModelInput,
  ) {
    this.parts = streamModelText(model, { ...input, abortSignal: this.controller.signal });
    this.first = this.parts.next();
    // Seen by the runner that adopts the stream; nobody's business when it is dropped.
    this.first.catch(() => {});
  }

  /** The parts, for the one runner that takes the stream over; aborting `signal` (stop, stall) aborts it. */
  async *adopt(signal: AbortSignal): AsyncGenerator<ModelStreamPart> {
    if (this.taken) throw new Error('An early model stream is adopted once');
    this.taken = true;
    const follow = () => this.controller.abort(signal.reason);
    if (signal.aborted) follow();
    else signal.addEventListener('abort', follow, { once: true });
    let next = await this.first;
    while (!next.done) {
      yield next.value;
      next = await this.parts.next();
    }
  }

  /** Ends the provider request, unless a runner took the stream over. */
  drop(reason: string): void {
    if (this.taken) return;
    this.taken = true;
    this.controller.abort(reason);
    void this.first.then(
      () => this.parts.return(undefined),
      () => {},
    );
  }
}
