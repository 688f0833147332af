package dev.lathe.core.options;

/** The accepted shape of an option value and the Java type it resolves to. */
public enum OptionType {
    /** {@link Boolean}. */
    BOOL("BOOL"),
    /** {@link Long}; a fractional number is rejected. */
    INT64("INT64"),
    /** {@link Double}; integers are accepted. */
    FLOAT64("FLOAT64"),
    /** {@link String}. */
    STRING("STRING"),
    /** {@link String}, one of the spec's allowed values, stored upper-case; matched case-insensitively. */
    ENUM("STRING"),
    /** {@code List<String>}. */
    STRING_ARRAY("ARRAY<STRING>"),
    /** {@code List<Long>}. */
    INT64_ARRAY("ARRAY<INT64>"),
    /** {@code Map<String, Double>} from {@code [STRUCT('a', 0.2), ('b', 0.8)]} (CLASS_WEIGHTS). */
    STRING_FLOAT_MAP("ARRAY<STRUCT<STRING, FLOAT64>>");

    private final String sqlName;

    OptionType(String sqlName) {
        this.sqlName = sqlName;
    }

    public String sqlName() {
        return sqlName;
    }
}
