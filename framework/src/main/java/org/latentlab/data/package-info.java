/**
 * Data layer of Latent Lab: reading IDX image files (MNIST family), in-memory image datasets,
 * deterministic splits and mini-batches, the dataset registry and the MNIST fetcher.
 *
 * <p>Everything here is deterministic given a seed, because experiments must be resumable and
 * comparable; and every failure a user can cause is reported as a {@link org.latentlab.data.DataException}
 * whose message names the file or value involved.
 */
package org.latentlab.data;
