package dev.lathe.registry;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registry operations addressed by text ({@code dataset.model}, {@code dataset.model@3},
 * {@code dataset.model@champion}), as the command line and the HTTP API receive them. Parsing and
 * resolution live here so that both front ends stay thin.
 */
public final class RegistryService {
    private final Registry registry;

    public RegistryService(Registry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    public Registry registry() {
        return registry;
    }

    public Page<RegisteredModel> list(Optional<String> dataset, Optional<String> search, int pageSize, Optional<String> pageToken) {
        return registry.listModels(dataset, search, pageSize, pageToken);
    }

    /** As {@link #list}, in the order {@code orderBy} asks for (ListModels' order_by: display_name, create_time, update_time). */
    public Page<RegisteredModel> list(Optional<String> dataset, Optional<String> filter, OrderBy order, int pageSize,
            Optional<String> pageToken) {
        return registry.listModels(dataset, ModelFilter.parse(filter), order, pageSize, pageToken);
    }

    /** The version a reference addresses (no suffix: the default version). */
    public ModelVersion show(String reference) {
        ModelReference model = ModelReference.parse(reference);
        int version = registry.resolve(model.dataset(), model.name(), model.versionOrAlias());
        return registry.getVersion(model.dataset(), model.name(), version).orElseThrow();
    }

    /** The model a reference names (any version suffix is ignored). */
    public RegisteredModel model(String reference) {
        ModelReference model = ModelReference.parse(reference);
        registry.resolve(model.dataset(), model.name(), Optional.empty());
        return registry.getModel(model.dataset(), model.name()).orElseThrow();
    }

    public Page<ModelVersion> versions(String reference, int pageSize, Optional<String> pageToken) {
        return versions(reference, pageSize, pageToken, Optional.empty());
    }

    /** The versions whose labels {@code filter} (AIP-160 label terms) matches, paged. */
    public Page<ModelVersion> versions(String reference, int pageSize, Optional<String> pageToken, Optional<String> filter) {
        return versions(reference, pageSize, pageToken, filter, OrderBy.NONE);
    }

    /** As {@link #versions(String, int, Optional, Optional)}, in the order {@code orderBy} asks for (create_time, update_time). */
    public Page<ModelVersion> versions(String reference, int pageSize, Optional<String> pageToken, Optional<String> filter,
            OrderBy order) {
        ModelReference model = requirePlain(reference, "list versions");
        return registry.listVersions(model.dataset(), model.name(), pageSize, pageToken, ModelFilter.parse(filter), order);
    }

    /** Points {@code alias} at the version {@code reference} addresses ({@code d.m@3}, or {@code d.m@other-alias}). */
    public ModelVersion setAlias(String reference, String alias) {
        ModelReference model = ModelReference.parse(reference);
        return registry.setAlias(model.dataset(), model.name(), requireVersion(model, reference, "Setting an alias"), alias);
    }

    /** Vertex AI's mergeVersionAliases on the version {@code reference} addresses, all or nothing ({@link Registry#mergeAliases}). */
    public ModelVersion mergeAliases(String reference, List<String> changes) {
        ModelReference model = ModelReference.parse(reference);
        return registry.mergeAliases(model.dataset(), model.name(), requireVersion(model, reference, "Merging aliases"), changes);
    }

    /** The version a reference with a suffix addresses; INVALID_ARGUMENT naming {@code action} for a plain name. */
    private int requireVersion(ModelReference model, String reference, String action) {
        if (model.versionOrAlias().isEmpty()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, action + " needs a version: write " + reference
                    + "@<version>, e.g. " + reference + "@2");
        }
        return registry.resolve(model.dataset(), model.name(), model.versionOrAlias());
    }

    /** Sets the description and/or labels of the version {@code reference} addresses (plain name: its default version). */
    public ModelVersion update(String reference, Optional<String> description, Optional<Map<String, String>> labels) {
        return update(reference, description, labels, Optional.empty());
    }

    /** As {@link #update(String, Optional, Optional)}, refused (ABORTED) when {@code etag} is no longer the version's. */
    public ModelVersion update(String reference, Optional<String> description, Optional<Map<String, String>> labels, Optional<String> etag) {
        ModelReference model = ModelReference.parse(reference);
        int version = registry.resolve(model.dataset(), model.name(), model.versionOrAlias());
        return registry.updateVersion(model.dataset(), model.name(), version, description, labels, etag);
    }

    public ModelVersion removeAlias(String reference, String alias) {
        ModelReference model = requirePlain(reference, "remove an alias");
        return registry.removeAlias(model.dataset(), model.name(), alias);
    }

    /**
     * Deletes the version a reference with a suffix addresses, or the whole model for a plain name; returns what
     * was done, in one line.
     */
    public String delete(String reference) {
        ModelReference model = ModelReference.parse(reference);
        if (model.versionOrAlias().isEmpty()) {
            registry.deleteModel(model.dataset(), model.name());
            return "Deleted model " + model.dataset() + "." + model.name() + " and all its versions";
        }
        int version = registry.resolve(model.dataset(), model.name(), model.versionOrAlias());
        RegisteredModel after = registry.deleteVersion(model.dataset(), model.name(), version);
        return "Deleted version " + version + " of model " + after.qualifiedName() + "; default is version " + after.defaultVersion();
    }

    private static ModelReference requirePlain(String reference, String what) {
        ModelReference model = ModelReference.parse(reference);
        if (model.versionOrAlias().isPresent()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "To " + what + " name the model without a version: "
                    + model.dataset() + "." + model.name() + " (got " + reference + ")");
        }
        return model;
    }
}
