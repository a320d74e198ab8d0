/**
 * What every config shares, below the packages that define configs: the {@link org.latentlab.config.Describe}
 * annotation that documents a hyperparameter once (for {@code --help} and the docs), the
 * {@link org.latentlab.config.InvalidConfigException} a config's validation throws, and readable JSON errors.
 */
package org.latentlab.config;
