import 'server-only';
import { chatEngine } from '../chat-engine/chat-engine';
import { type ModelOption, modelCatalog } from '../chat-engine/model-catalog';

export interface ModelList {
  models: ModelOption[];
  defaultModelId: string;
}

export const modelsService = Object.freeze({
  list(): ModelList {
    // The picker is the first thing a signed-in page asks for: from then on this process hosts the engine,
    // so a restarted server marks replies its predecessor left streaming as interrupted without waiting
    // for someone to send.
    chatEngine();
    const catalog = modelCatalog();
    return { models: [...catalog.options], defaultModelId: catalog.defaultId };
  },
});
