/**
 * TensorBoard event files, written without TensorFlow: the few protocol-buffer records TensorBoard reads (scalars,
 * images, the hparams plugin's session records) encoded by hand ({@link Proto}) in TFRecord framing with masked
 * CRC-32C checksums ({@link EventFile}). CI starts the real TensorBoard on a finished run and sweep and reads the
 * values back through its HTTP data API.
 */
package org.latentlab.tensorboard;
