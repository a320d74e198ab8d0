package org.latentlab.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One file a dataset was read from, as read: where it was (a path, or {@code classpath:/...} for the shipped
 * sample), its size in bytes and the SHA-256 of those bytes (of the file as stored, so compressed files keep
 * the hash of their compressed bytes and it matches {@code sha256sum}).
 *
 * <p>A record can also stand for a folder of files ({@code folder:PATH} datasets, {@link FolderDataset}): then
 * {@code count} is the number of files read, {@code bytes} their total size and {@code sha256} the SHA-256 of their
 * manifest ({@link FolderDataset#manifestSha256}).
 *
 * @param file   path or classpath address (of the folder, for a folder)
 * @param bytes  size in bytes (all files together, for a folder)
 * @param sha256 lower-case hex SHA-256 of the bytes (of the manifest, for a folder)
 * @param count  how many files the record stands for: 1 for a single file
 */
public record DataFile(
        @JsonProperty("file") String file,
        @JsonProperty("bytes") long bytes,
        @JsonProperty("sha256") String sha256,
        @JsonProperty("count") int count) {
    @JsonCreator
    public DataFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sha256, "sha256");
        if (count < 1) {
            throw new IllegalArgumentException("a data file record stands for at least 1 file, got " + count);
        }
    }

    /** One single file. */
    public DataFile(String file, long bytes, String sha256) {
        this(file, bytes, sha256, 1);
    }
}
