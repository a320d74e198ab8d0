/**
 * The autoencoder variants, one small class each: a config record and the SameDiff graph it
 * builds, returning named loss terms. Shared behaviour lives in
 * {@link org.latentlab.model.AutoencoderModel}. {@link org.latentlab.models.Models} registers
 * every variant.
 */
package org.latentlab.models;
