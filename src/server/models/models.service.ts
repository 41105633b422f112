import 'server-only';
import { startChatEngine } from '../chat-engine/chat-engine';
import { type ModelOption, modelCatalog } from '../chat-engine/model-catalog';

export interface ModelList {
  models: ModelOption[];
  defaultModelId: string;
}

export const modelsService = Object.freeze({
  list(): ModelList {
    // The server starts the engine at boot (src/instrumentation.ts); should that not have run (a process
    // that serves the router without Next's instrumentation), the picker — the first thing a signed-in page
    // asks for — starts it, so replies a crashed predecessor left streaming are marked interrupted early.
    startChatEngine();
    const catalog = modelCatalog();
    return { models: [...catalog.options], defaultModelId: catalog.defaultId };
  },
});
