package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.latentlab.loss.NoiseSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CorruptionTest {
    private static final INDArray HALF = Nd4j.valueArrayOf(new long[] {100, 200}, 0.5f, DataType.FLOAT);

    @Test
    void maskingZeroesTheRequestedFraction() {
        INDArray c = new Corruption(Corruption.Kind.MASKING, 0.3).apply(HALF, new NoiseSource(1));
        double zeros = c.eq(0).castTo(DataType.FLOAT).meanNumber().doubleValue();
        assertEquals(0.3, zeros, 0.01);
        assertEquals(0.5f, HALF.getFloat(0, 0), "input untouched");
        // what is not masked keeps its value
        assertEquals(1.0 - zeros, c.eq(0.5).castTo(DataType.FLOAT).meanNumber().doubleValue(), 1e-6);
    }

    @Test
    void saltAndPepperSetsHalfToZeroAndHalfToOne() {
        INDArray c = new Corruption(Corruption.Kind.SALT_AND_PEPPER, 0.4).apply(HALF, new NoiseSource(2));
        assertEquals(0.2, c.eq(0).castTo(DataType.FLOAT).meanNumber().doubleValue(), 0.01);
        assertEquals(0.2, c.eq(1).castTo(DataType.FLOAT).meanNumber().doubleValue(), 0.01);
    }

    @Test
    void gaussianAddsNoiseOfTheRequestedStd() {
        INDArray c = new Corruption(Corruption.Kind.GAUSSIAN, 0.2).apply(HALF, new NoiseSource(3));
        INDArray diff = c.sub(HALF);
        assertEquals(0.0, diff.meanNumber().doubleValue(), 0.005);
        assertEquals(0.2, diff.stdNumber().doubleValue(), 0.005);
    }

    @Test
    void sameSeedSameCorruptionAndNoneIsIdentity() {
        Corruption m = new Corruption(Corruption.Kind.MASKING, 0.5);
        assertEquals(m.apply(HALF, new NoiseSource(4)), m.apply(HALF, new NoiseSource(4)));
        assertNotEquals(m.apply(HALF, new NoiseSource(4)), m.apply(HALF, new NoiseSource(5)));
        assertSame(HALF, Corruption.NONE.apply(HALF, new NoiseSource(1)));
    }

    @Test
    void invalidLevelsAreNamed() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new Corruption(Corruption.Kind.MASKING, 1.5));
        assertTrue(e.getMessage().contains("1.5"));
        assertThrows(IllegalArgumentException.class, () -> new Corruption(Corruption.Kind.GAUSSIAN, -1));
    }

    @Test
    void parsesWhatTheCommandLineWritesAndFormatsItBack() {
        assertEquals(new Corruption(Corruption.Kind.MASKING, 0.3), Corruption.parse("masking:0.3"));
        assertEquals(new Corruption(Corruption.Kind.GAUSSIAN, 0.5), Corruption.parse(" GAUSSIAN : 0.5 "));
        assertEquals(new Corruption(Corruption.Kind.SALT_AND_PEPPER, 0.1), Corruption.parse("salt-and-pepper:0.1"));
        assertEquals(Corruption.NONE, Corruption.parse("none"));
        assertEquals(new Corruption(Corruption.Kind.NONE, 0.5), Corruption.parse("none:0.5"));
        for (String text : new String[] {"none", "masking:0.3", "gaussian:1.25", "salt_and_pepper:0.1", "masking:0"}) {
            assertEquals(text, Corruption.parse(text).format());
        }
        assertTrue(Corruption.parse("masking:0.3").active());
        assertFalse(Corruption.parse("masking:0").active());
        assertFalse(Corruption.NONE.active());
    }

    @Test
    void badTextIsNamedWithWhatIsWrong() {
        String[][] cases = {
            {"blur:0.3", "unknown corruption kind 'blur'"},
            {"masking", "has no level"},
            {"masking:lots", "'lots'"},
            {"masking:1.5", "fraction in [0, 1], got 1.5"},
            {"gaussian:-1", "finite number >= 0"},
            {"", "KIND:LEVEL"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Corruption.parse(c[0]));
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Corruption.parse("blur:0.3"));
        assertTrue(e.getMessage().contains("none, gaussian, masking, salt_and_pepper"), e.getMessage());
    }
}
