/**
 * Batch prediction jobs (Vertex AI's BatchPredictionJob): asynchronous jobs that read a warehouse table, a query or
 * CSV/JSONL/Parquet files, predict through the engine's ML.PREDICT path and write a table or files atomically.
 * Jobs live in the metadata store, run on a small executor, report progress and bad rows, and can be cancelled.
 */
package dev.lathe.batch;
