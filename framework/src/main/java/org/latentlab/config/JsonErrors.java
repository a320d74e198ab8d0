package org.latentlab.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.stream.Collectors;

/** One-line descriptions of Jackson's errors that name the key they are about ({@code trainer.batchSize: ...}). */
public final class JsonErrors {
    private JsonErrors() {}

    /** {@code path: problem} for an error at a known key, else Jackson's message without its location and hints. */
    public static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        // Jackson's advice on its own configuration is no help to someone editing a config file.
        message = message.replaceAll("\\s*\\(set DeserializationConfig[^)]*\\)", "")
                .replaceAll("\\s*\\(through reference chain[^)]*\\)", "")
                .replace('\n', ' ');
        if (!(e instanceof JsonMappingException m) || m.getPath().isEmpty()) {
            return message;
        }
        String path = m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown key '" + path + "'; valid keys there: " + u.getKnownPropertyIds();
        }
        if (message.startsWith("Cannot map `null`")) {
            return "key '" + path + "' is missing or null: " + message;
        }
        return "key '" + path + "': " + message;
    }
}
