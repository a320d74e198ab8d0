/**
 * Command-line plumbing shared by every {@code latentlab} command: error reporting and exit codes
 * ({@link org.latentlab.cli.CliErrorHandler}, {@link org.latentlab.cli.UserException}), logging control
 * ({@link org.latentlab.cli.Logging}, {@link org.latentlab.engine.Quiet}), the version string
 * ({@link org.latentlab.cli.VersionProvider}) and reusable option mixins
 * ({@link org.latentlab.cli.DataDirOption}, {@link org.latentlab.cli.VerboseOption}).
 */
package org.latentlab.cli;
