package dev.lathe.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lathe.core.LatheException;
import dev.lathe.registry.ModelStore;
import dev.lathe.sql.FittedTransform;

/** {@code transform.json}: the fitted TRANSFORM, frozen statistics included. */
final class TransformJson {
    private TransformJson() {}

    static String write(FittedTransform transform) {
        try {
            return ModelStore.json().writeValueAsString(transform);
        } catch (JsonProcessingException e) {
            throw LatheException.internal("Cannot serialize the fitted TRANSFORM: " + e.getMessage(), e);
        }
    }

    static FittedTransform read(String json) {
        try {
            return ModelStore.json().readValue(json, FittedTransform.class);
        } catch (JsonProcessingException e) {
            throw LatheException.internal("Cannot read transform.json: " + e.getMessage(), e);
        }
    }
}
