package dev.lathe.sql;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.options.Position;
import dev.lathe.sql.functions.PreprocessingFunction;
import dev.lathe.sql.functions.PreprocessingFunctions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Parses BigQuery ML scripts: CREATE MODEL, DROP MODEL and LOAD DATA into their own statements, every
 * other statement into a {@link Statement.Query} whose text is rewritten for DuckDB (see
 * {@link DuckDbRewriter}) with the ML table-function calls located. Positions in statements and errors
 * are lines and columns of the whole script.
 */
public final class Parser {
    private final MlFunctionCatalog functions;
    private final RelationCatalog catalog;

    /** A parser that expands preprocessing functions from {@link PreprocessingFunctions}. */
    public Parser() {
        this(PreprocessingFunctions::find, PreprocessingFunctions.names());
    }

    /** A parser that finds preprocessing functions with {@code lookup} (upper-case name without {@code ML.}). */
    public Parser(Function<String, Optional<PreprocessingFunction>> lookup) {
        this(lookup, List.of());
    }

    /** As {@link #Parser(Function)}; {@code names} are offered in "did you mean" hints. */
    public Parser(Function<String, Optional<PreprocessingFunction>> lookup, Collection<String> names) {
        this(new MlFunctionCatalog(requireNonNull(lookup, "lookup is null"), List.copyOf(names)), RelationCatalog.UNKNOWN);
    }

    private Parser(MlFunctionCatalog functions, RelationCatalog catalog) {
        this.functions = functions;
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    /**
     * This parser, asking {@code catalog} whether a FROM item such as {@code d.u} after {@code FROM d.t AS d} is a table (it
     * then stays one) or BigQuery's array path; without one every such item stays a table.
     */
    public Parser withCatalog(RelationCatalog catalog) {
        return new Parser(functions, catalog);
    }

    /** The statements of {@code script}, split at semicolons outside strings, comments and parentheses. */
    public List<Statement> parseScript(String script) {
        return parseAll(script, new Position(1, 1));
    }

    /** One statement (a trailing semicolon is allowed). */
    public Statement parse(String statement) {
        return parse(statement, new Position(1, 1));
    }

    /**
     * One statement whose first character stands at {@code origin} of a larger text, e.g. the
     * {@link TableFunctionCall#inputQuery()} of a call at {@link TableFunctionCall#inputQueryPosition()}.
     */
    public Statement parse(String statement, Position origin) {
        requireNonNull(statement, "statement is null");
        Tokenizer.Result scanned = Tokenizer.scan(statement, origin);
        List<Token> tokens = scanned.tokens();
        List<int[]> ranges = statementRanges(tokens);
        if (ranges.isEmpty()) {
            throw TokenCursor.expected("a statement", tokens.getLast());
        }
        if (ranges.size() > 1) {
            throw TokenCursor.expected("one statement", tokens.get(ranges.get(1)[0]));
        }
        return new StatementParser(statement, origin, tokens, scanned.comments(), functions, catalog).parse(ranges.get(0)[0], ranges.get(0)[1]);
    }

    private List<Statement> parseAll(String script, Position origin) {
        requireNonNull(script, "script is null");
        Tokenizer.Result scanned = Tokenizer.scan(script, origin);
        StatementParser parser = new StatementParser(script, origin, scanned.tokens(), scanned.comments(), functions, catalog);
        List<Statement> statements = new ArrayList<>();
        for (int[] range : statementRanges(scanned.tokens())) {
            statements.add(parser.parse(range[0], range[1]));
        }
        return List.copyOf(statements);
    }

    /** [from, to) token ranges between top-level semicolons; {@code tokens[to]} is the semicolon or END. */
    private static List<int[]> statementRanges(List<Token> tokens) {
        List<int[]> ranges = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.isSymbol("(") || token.isSymbol("[")) {
                depth++;
            } else if ((token.isSymbol(")") || token.isSymbol("]")) && depth > 0) {
                depth--;
            } else if ((token.isSymbol(";") && depth == 0) || token.kind() == TokenKind.END) {
                if (i > start) {
                    ranges.add(new int[] {start, i});
                }
                start = i + 1;
            }
        }
        return ranges;
    }
}
