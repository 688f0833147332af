package dev.lathe.server;

/** A component that adds routes, start-up hooks or metrics to the server (e.g. endpoints, deployments). */
@FunctionalInterface
public interface ServerModule {
    void configure(LatheServer.Builder builder);
}
