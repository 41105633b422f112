import 'server-only';
import { type ModelOption, modelCatalog } from '../chat-engine/model-catalog';

export interface ModelList {
  models: ModelOption[];
  defaultModelId: string;
}

export const modelsService = Object.freeze({
  list(): ModelList {
    const catalog = modelCatalog();
    return { models: [...catalog.options], defaultModelId: catalog.defaultId };
  },
});
