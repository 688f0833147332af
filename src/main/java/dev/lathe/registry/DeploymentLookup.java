package dev.lathe.registry;

import java.util.List;

/**
 * Which endpoints serve a model version; the registry refuses to delete a version (or a model) that one
 * serves. Implemented by the endpoints capability; {@link #NONE} until endpoints exist.
 */
@FunctionalInterface
public interface DeploymentLookup {
    /** No endpoints at all. */
    DeploymentLookup NONE = (dataset, model, version) -> List.of();

    /** The names of the endpoints that have {@code dataset.model@version} deployed; empty when none. */
    List<String> endpointsServing(String dataset, String model, int version);
}
