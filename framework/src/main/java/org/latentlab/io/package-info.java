/** File writes that never leave a half-written file or folder behind. */
package org.latentlab.io;
