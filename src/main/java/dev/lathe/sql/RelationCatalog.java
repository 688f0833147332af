package dev.lathe.sql;

/**
 * What the parser may ask of the warehouse: whether a table or view exists. It decides a FROM item the text leaves
 * ambiguous, {@code FROM d.t AS d, d.u}, where {@code d.u} is table u of dataset d or BigQuery's array path, column u of
 * the range variable d (see {@link DuckDbRewriter}).
 */
@FunctionalInterface
public interface RelationCatalog {
    /** No warehouse to ask: every name may be a table, so an ambiguous path stays a table, as it was before array paths. */
    RelationCatalog UNKNOWN = (dataset, name) -> true;

    /** Whether {@code dataset.name} is, or may be, a table or view (names compared ignoring case). */
    boolean mayExist(String dataset, String name);
}
