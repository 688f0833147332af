/**
 * The Lathe HTTP server: one process serving ML SQL over HTTP ({@code POST /v1/queries}), health and
 * readiness probes, Prometheus metrics and, through {@link dev.lathe.server.LatheServer.Builder#route},
 * the routes other components add. It also holds the discovery file and client the CLI uses to reach a
 * running server of the same data directory.
 */
package dev.lathe.server;
