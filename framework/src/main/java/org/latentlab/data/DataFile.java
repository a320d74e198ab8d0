package org.latentlab.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One file a dataset was read from, as read: where it was (a path, or {@code classpath:/...} for the shipped
 * sample), its size in bytes and the SHA-256 of those bytes (of the file as stored, so compressed files keep
 * the hash of their compressed bytes and it matches {@code sha256sum}).
 *
 * @param file   path or classpath address
 * @param bytes  size in bytes
 * @param sha256 lower-case hex SHA-256 of the bytes
 */
public record DataFile(
        @JsonProperty("file") String file,
        @JsonProperty("bytes") long bytes,
        @JsonProperty("sha256") String sha256) {
    @JsonCreator
    public DataFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sha256, "sha256");
    }
}
