/**
 * Pictures of runs and sweeps, made for people: every plot writes {@code NAME.png},
 * {@code NAME.svg} and {@code NAME.csv} (the data behind it) atomically into a folder and
 * returns them as {@link org.latentlab.plot.PlotFiles}.
 *
 * <ul>
 *   <li>{@link org.latentlab.plot.Figures}: charts drawn with XChart: latent scatter, loss curves,
 *       a metric against a hyperparameter, and several charts tiled into one figure.</li>
 *   <li>{@link org.latentlab.plot.ImageFigures}: grids of images: reconstructions, samples,
 *       interpolations, the 2-D latent manifold, first-layer filters; built on
 *       {@link org.latentlab.plot.ImageGrid}.</li>
 * </ul>
 *
 * <p>Everything renders off screen: {@code java.awt.headless} is set to {@code true} before the
 * first figure unless the JVM was started with a value for it. SVGs are written with
 * VectorGraphics2D; XChart draws its own text as glyph outlines, so each SVG also carries the
 * figure's title as a {@code <title>} element and as vector text.
 */
package org.latentlab.plot;
