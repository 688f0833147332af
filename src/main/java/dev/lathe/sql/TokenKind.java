package dev.lathe.sql;

/** The lexical classes of BigQuery SQL that the parser distinguishes. */
public enum TokenKind {
    /** A plain identifier or keyword ({@code SELECT}, {@code body_mass_g}); keywords are not separated out. */
    IDENTIFIER,
    /** A backtick-quoted identifier; its value may contain dots ({@code `project.dataset.table`}). */
    QUOTED_IDENTIFIER,
    /** A string literal in any of BigQuery's forms: '...', "...", triple-quoted, raw. */
    STRING,
    /** A bytes literal ({@code b'...'}). */
    BYTES,
    /** An integer or decimal number, with optional exponent; the sign is a separate operator token. */
    NUMBER,
    /** An operator or punctuation mark, including {@code @} for version suffixes. */
    SYMBOL,
    /** The end of the input. */
    END
}
