package dev.lathe.cli;

/** Lexical facts about SQL text the shell needs before the engine parses it. */
final class SqlText {
    private SqlText() {}

    private enum State { CODE, SINGLE_QUOTED, DOUBLE_QUOTED, BACKTICK_QUOTED, LINE_COMMENT, BLOCK_COMMENT }

    /**
     * True when the text ends a statement: its last character outside quotes and comments is ';' and no
     * quote or block comment is left open. Quotes close on the same character ('' inside '...' is an
     * escaped quote); comments are {@code -- ...}, {@code # ...} and {@code /* ... * /}.
     */
    static boolean endsStatement(String text) {
        State state = State.CODE;
        char lastCode = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            switch (state) {
                case CODE -> {
                    if (c == '\'') {
                        state = State.SINGLE_QUOTED;
                        lastCode = c;
                    } else if (c == '"') {
                        state = State.DOUBLE_QUOTED;
                        lastCode = c;
                    } else if (c == '`') {
                        state = State.BACKTICK_QUOTED;
                        lastCode = c;
                    } else if ((c == '-' && next == '-') || c == '#') {
                        state = State.LINE_COMMENT;
                    } else if (c == '/' && next == '*') {
                        state = State.BLOCK_COMMENT;
                        i++;
                    } else if (!Character.isWhitespace(c)) {
                        lastCode = c;
                    }
                }
                case SINGLE_QUOTED -> state = c == '\'' ? State.CODE : state;
                case DOUBLE_QUOTED -> state = c == '"' ? State.CODE : state;
                case BACKTICK_QUOTED -> state = c == '`' ? State.CODE : state;
                case LINE_COMMENT -> state = c == '\n' ? State.CODE : state;
                case BLOCK_COMMENT -> {
                    if (c == '*' && next == '/') {
                        state = State.CODE;
                        i++;
                    }
                }
            }
        }
        boolean open = state == State.SINGLE_QUOTED || state == State.DOUBLE_QUOTED
                || state == State.BACKTICK_QUOTED || state == State.BLOCK_COMMENT;
        return !open && lastCode == ';';
    }
}
