/** `@org/gc-data/sinks`: row writers (CSV, NDJSON) and checkpoints for resumable exports (docs/quality.md). */
export { CsvSink, createCsvSink, NdjsonSink, createNdjsonSink, FileCheckpoint, MemoryCheckpoint, createSinkForPath, sinkFormatForPath } from '../sinks/index';
export type {
  RowSink,
  SinkOptions,
  SinkTarget,
  WritableTarget,
  CsvSinkOptions,
  NdjsonSinkOptions,
  Checkpoint,
  CheckpointEnvelope,
  FileCheckpointOptions,
  SinkFormat,
  SinkForPathOptions,
} from '../sinks/index';
