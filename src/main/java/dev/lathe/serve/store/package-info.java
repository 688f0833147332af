/**
 * Endpoints and their deployed model versions as stored in the metadata database (Vertex AI's Endpoint and
 * DeployedModel), with the traffic split rules. No model loading and no HTTP here, so the engine can consult
 * it (a deployed version cannot be deleted) without depending on serving.
 */
package dev.lathe.serve.store;
