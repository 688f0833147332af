package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.jar.Attributes;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/** Probe ua F6: every build is 0.1.0-SNAPSHOT; the commit a jar was built from, where the launcher recorded it, tells them apart. */
class VersionTest {
    @Test
    void theCommitIsTheManifestsLatheCommitWhereItNamesOne() {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        assertThat(Version.commit(manifest)).isEmpty();
        manifest.getMainAttributes().putValue("Lathe-Commit", ""); // a plain Maven build, a tree without git
        assertThat(Version.commit(manifest)).isEmpty();
        manifest.getMainAttributes().putValue("Lathe-Commit", "0232ddb1f2e3-dirty");
        assertThat(Version.commit(manifest)).contains("0232ddb1f2e3-dirty");
        assertThat(Version.commit()).isEmpty(); // classes, not a jar
        assertThat(Version.describe().get(0)).isEqualTo("lathe dev");
    }
}
