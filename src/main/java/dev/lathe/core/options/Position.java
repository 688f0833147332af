package dev.lathe.core.options;

/** A 1-based line and column in a statement's text, for error messages. */
public record Position(int line, int column) {
    public static final Position UNKNOWN = new Position(0, 0);

    @Override
    public String toString() {
        return line <= 0 ? "unknown position" : "line " + line + ", column " + column;
    }
}
