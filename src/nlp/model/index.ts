export { ModelStageConfigSchema, parseModelStageConfig, locateModel, MODEL_DTYPE_FILES } from './config.js';
export type { ModelStageConfig, ModelStageConfigInput, ModelDtype } from './config.js';
export { createModelStage, modelStageDefinition } from './stage.js';
export type { ModelStage, ModelStageStats, CreateModelStageOptions } from './stage.js';
export type { DiscoveredTopic } from './discovery.js';
export {
  discoveredTopicRows,
  readDiscoveredTopics,
  selectDiscoveredTopicsSql,
  topicFromRow,
  writeDiscoveredTopics,
} from './discovered-topics.js';
export type { DiscoveredTopicRow, TopicStore } from './discovered-topics.js';
export type { InferenceBackend, Matrix } from './inference-worker.js';
