/**
 * Online serving: endpoints route each request by their traffic split to a loaded model runtime, over
 * Vertex AI's REST shape ({@code :predict}, {@code :rawPredict}) and the Open Inference Protocol v2, with
 * per-endpoint metrics and sampled request-response logging into the warehouse.
 */
package dev.lathe.serve;
