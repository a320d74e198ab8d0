package org.latentlab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The commit and dirty flag a Docker image bakes in (LATENTLAB_GIT_COMMIT, LATENTLAB_GIT_DIRTY), read without a .git. */
class ProvenanceBuiltCommitTest {

    @Test
    void aCommitHashIsKeptAndAnythingElseIsUnknown() {
        assertEquals("381d2d7e0c1f", Provenance.builtCommit("381d2d7e0c1f"));
        assertEquals("381d2d7e0c1f", Provenance.builtCommit(" 381d2d7e0c1f\n"));
        assertEquals("unknown", Provenance.builtCommit(null));
        assertEquals("unknown", Provenance.builtCommit(""));
        assertEquals("unknown", Provenance.builtCommit("unknown"));
        assertEquals("unknown", Provenance.builtCommit("$(git rev-parse HEAD)"));
        assertEquals("unknown", Provenance.builtCommit("ABCDEF1")); // git prints lower case
    }

    @Test
    void theDirtyFlagIsTrueFalseOrNotKnown() {
        assertEquals(Boolean.TRUE, Provenance.builtDirty("true"));
        assertEquals(Boolean.FALSE, Provenance.builtDirty("false"));
        assertNull(Provenance.builtDirty(""));
        assertNull(Provenance.builtDirty(null));
        assertNull(Provenance.builtDirty("yes"));
    }
}
