package org.latentlab.plot;

import java.awt.Color;
import java.util.List;

/**
 * Categorical colours for classes (digits 0-9) and the few fixed colours of the charts.
 *
 * <p>{@link #TABLEAU_10} is Tableau's 2016 ten-colour palette (Maureen Stone's redesign, the default
 * categorical scheme of Vega/Altair), chosen to stay distinguishable for the common forms of colour-vision
 * deficiency better than the older "category10"; no ten-colour palette separates every class for every
 * reader, so the CSV beside each plot carries the labels. {@link #OKABE_ITO} (Okabe &amp; Ito, <i>Color
 * Universal Design</i>, 2002) is the strictly colour-blind-safe choice for up to eight categories.
 */
public final class Palette {
    private Palette() {}

    /** Tableau 10 (2016): blue, orange, red, teal, green, yellow, purple, pink, brown, grey. */
    public static final List<Color> TABLEAU_10 = List.of(
            new Color(0x4E79A7),
            new Color(0xF28E2B),
            new Color(0xE15759),
            new Color(0x76B7B2),
            new Color(0x59A14F),
            new Color(0xEDC948),
            new Color(0xB07AA1),
            new Color(0xFF9DA7),
            new Color(0x9C755F),
            new Color(0xBAB0AC));

    /** Okabe-Ito: black, orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple. */
    public static final List<Color> OKABE_ITO = List.of(
            new Color(0x000000),
            new Color(0xE69F00),
            new Color(0x56B4E9),
            new Color(0x009E73),
            new Color(0xF0E442),
            new Color(0x0072B2),
            new Color(0xD55E00),
            new Color(0xCC79A7));

    /** Training curves. */
    static final Color TRAIN = new Color(0x0072B2);
    /** Validation curves. */
    static final Color VALIDATION = new Color(0xD55E00);
    /** Individual trials of a sweep. */
    static final Color TRIAL = new Color(0x0072B2);
    /** The mean over trials that share a hyperparameter value. */
    static final Color MEAN = new Color(0x222222);

    static final Color GRID_LINES = new Color(0xE5E5E5);
    static final Color BORDER = new Color(0x999999);

    /**
     * The colour of class {@code label}: {@link #TABLEAU_10} for labels 0-9. Datasets with more classes (EMNIST's 26
     * letters or 47 balanced classes) get further colours of their own, never a repeat: hues a golden angle apart, in
     * alternating shades, so that neighbouring labels differ. No palette keeps 47 classes apart by colour alone; the
     * legend and the CSV beside each plot name them.
     */
    public static Color classColor(int label) {
        if (label >= 0 && label < TABLEAU_10.size()) {
            return TABLEAU_10.get(label);
        }
        int k = Math.abs(label - TABLEAU_10.size());
        float hue = (float) ((k * 0.6180339887498949) % 1.0);
        float saturation = k % 2 == 0 ? 0.70f : 0.45f;
        float brightness = (k / 2) % 2 == 0 ? 0.80f : 0.55f;
        return Color.getHSBColor(hue, saturation, brightness);
    }
}
