package dev.lathe.sql;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.options.Position;
import java.util.List;

/**
 * Maps offsets in rewritten DuckDB text back to the user's text, so that an error DuckDB reports at
 * some character of the rewritten query can name the line and column the user wrote.
 *
 * @param source the text the user wrote (a whole script or one statement)
 * @param origin the line and column of {@code source}'s first character
 * @param segments the rewritten text's pieces in order: copied verbatim, or replacing a source span
 */
public record SourceMap(String source, Position origin, List<Segment> segments) {
    public SourceMap {
        requireNonNull(source, "source is null");
        requireNonNull(origin, "origin is null");
        segments = List.copyOf(segments);
    }

    /** {@code [outputStart, outputEnd)} of the rewritten text came from {@code [sourceStart, sourceEnd)}. */
    public record Segment(int outputStart, int outputEnd, int sourceStart, int sourceEnd, boolean verbatim) {}

    /** A map for text that was not rewritten at all. */
    public static SourceMap identity(String text, Position origin) {
        return new SourceMap(text, origin, List.of(new Segment(0, text.length(), 0, text.length(), true)));
    }

    /** The offset in {@link #source} that produced {@code outputOffset}; a replaced piece maps to its start. */
    public int sourceOffset(int outputOffset) {
        Segment best = null;
        for (Segment segment : segments) {
            if (segment.outputStart() <= outputOffset) {
                best = segment;
            }
            if (outputOffset < segment.outputEnd()) {
                break;
            }
        }
        if (best == null) {
            return 0;
        }
        if (!best.verbatim()) {
            return best.sourceStart();
        }
        return Math.min(best.sourceStart() + (outputOffset - best.outputStart()), best.sourceEnd());
    }

    /** The user's line and column for an offset in the rewritten text. */
    public Position position(int outputOffset) {
        return positionOfSource(sourceOffset(outputOffset));
    }

    /** The line and column of an offset in {@link #source}. */
    public Position positionOfSource(int sourceOffset) {
        int line = origin.line() <= 0 ? 1 : origin.line();
        int column = origin.line() <= 0 ? 1 : origin.column();
        int end = Math.min(sourceOffset, source.length());
        for (int i = 0; i < end; i++) {
            if (source.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new Position(line, column);
    }
}
