package dev.lathe.engine;

import java.util.List;

/**
 * This build's identity: its version (from the jar manifest; {@code dev} when run from classes), and the versions of what
 * it shares with other builds: the metadata store's schema, the HTTP API its CLI and server speak, and the model artifact
 * formats. Every build was 0.1.0-SNAPSHOT, so "use the Lathe release that wrote it" could not be followed (probe ua F6);
 * these numbers tell which build reads a store or a model folder.
 */
public final class Version {
    /**
     * The HTTP API's version, in server.json: raised whenever this build's CLI sends what an older server refuses (1: the
     * first recorded, with {@code requestId}, {@code statementResults} and sessions in {@code POST /v1/queries}; 2: its
     * {@code timeoutMs} is honoured, so the CLI sends the longest one to wait for its statement's result). A
     * server.json without one is an older build's, whose server this CLI's {@code lathe sql} cannot use.
     */
    public static final int API = 2;

    private Version() {}

    public static String current() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /**
     * The git commit the jar was built from, as the {@code ./lathe} launcher records it in the jar's manifest
     * ({@code Lathe-Commit}; {@code -dirty} where the tree had uncommitted changes); empty for a plain Maven build, a tree
     * without git, or classes run outside a jar.
     */
    public static java.util.Optional<String> commit() {
        try {
            java.security.CodeSource source = Version.class.getProtectionDomain().getCodeSource();
            if (source == null || !source.getLocation().getPath().endsWith(".jar")) {
                return java.util.Optional.empty();
            }
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(java.nio.file.Path.of(source.getLocation().toURI()).toFile())) {
                return commit(jar.getManifest());
            }
        } catch (java.io.IOException | java.net.URISyntaxException | RuntimeException e) {
            return java.util.Optional.empty(); // the version says enough without it
        }
    }

    /** The {@code Lathe-Commit} of {@code manifest}, if it names one. */
    static java.util.Optional<String> commit(java.util.jar.Manifest manifest) {
        return java.util.Optional.ofNullable(manifest).map(m -> m.getMainAttributes().getValue("Lathe-Commit")).map(String::strip)
                .filter(commit -> !commit.isEmpty());
    }

    /** The metadata store's schema version this build creates and reads (a newer store is refused, an older one migrated). */
    public static int metadataSchema() {
        return dev.lathe.metadata.Migrations.latest();
    }

    /** The model artifact formats this build writes and reads, one per line, as {@code lathe --version} lists them. */
    public static List<String> formats() {
        return List.of(
                "manifest.json formatVersion " + dev.lathe.registry.ModelManifest.FORMAT_VERSION,
                "pipeline.json format_version " + dev.lathe.features.FeaturePipeline.FORMAT_VERSION,
                "estimator.bin LGLM " + dev.lathe.train.linear.LinearRegressionFamily.PAYLOAD_VERSION + " (reads 1 to "
                        + dev.lathe.train.linear.LinearRegressionFamily.PAYLOAD_VERSION + "), LKMN "
                        + dev.lathe.train.kmeans.KMeansFamily.PAYLOAD_VERSION + ", LXGT " + dev.lathe.train.boosted.TreeFamily.PAYLOAD_VERSION
                        + ", LIMP " + dev.lathe.imported.ImportedFamily.PAYLOAD_VERSION,
                "evaluation.bin " + dev.lathe.registry.EvaluationData.FORMAT_VERSION,
                "profile.bin " + dev.lathe.profile.DataProfile.FORMAT_VERSION);
    }

    /** What {@code lathe --version} prints: the version, then the schema, API and format versions. */
    public static List<String> describe() {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("lathe " + current() + commit().map(commit -> " (commit " + commit + ")").orElse(""));
        lines.add("metadata schema " + metadataSchema() + " (opens stores of schema " + metadataSchema() + " and older, migrating them)");
        lines.add("HTTP API " + API);
        lines.add("model artifact formats (writes, and reads up to):");
        formats().forEach(format -> lines.add("  " + format));
        return lines;
    }
}
