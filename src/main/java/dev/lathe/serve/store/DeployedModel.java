package dev.lathe.serve.store;

import static java.util.Objects.requireNonNull;

/**
 * One model version deployed to an endpoint. {@code id} is Vertex's DeployedModel id: 1 to 10 digits, chosen
 * by the server, unique across endpoints.
 */
public record DeployedModel(String id, String dataset, String model, int version, String displayName, String createTime) {
    public DeployedModel {
        requireNonNull(id, "id is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(model, "model is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(createTime, "createTime is null");
        if (!id.matches("[0-9]{1,10}")) {
            throw new IllegalArgumentException("deployed model id must be 1 to 10 digits, got '" + id + "'");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, got " + version);
        }
    }

    /** {@code dataset.model@version}, as SQL and the CLI address it. */
    public String reference() {
        return dataset + "." + model + "@" + version;
    }
}
