package dev.lathe.sql;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.options.OptionAssignment;
import dev.lathe.core.options.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Parses one statement, {@code tokens[from, to)} of a tokenized script. */
final class StatementParser {
    /** Words that end an expression rather than name its alias ({@code x IS NULL}, {@code CASE ... END}). */
    private static final Set<String> NOT_AN_ALIAS = Set.of("AND", "OR", "NOT", "IS", "NULL", "TRUE", "FALSE", "END", "THEN", "ELSE",
            "WHEN", "CASE", "IN", "LIKE", "BETWEEN", "DISTINCT", "ASC", "DESC", "INTERVAL", "FROM", "SELECT", "AS", "OVER");

    private final String source;
    private final Position origin;
    private final List<Token> tokens;
    private final List<Comment> comments;
    private final MlFunctionCatalog functions;
    private final RelationCatalog catalog;

    StatementParser(String source, Position origin, List<Token> tokens, List<Comment> comments, MlFunctionCatalog functions,
            RelationCatalog catalog) {
        this.catalog = catalog;
        this.source = source;
        this.origin = origin;
        this.tokens = tokens;
        this.comments = comments;
        this.functions = functions;
    }

    Statement parse(int from, int to) {
        Token first = tokens.get(from);
        if (first.isWord("CREATE") || first.isWord("DROP") || first.isWord("ALTER")) {
            int next = from + 1;
            if (first.isWord("CREATE") && tokens.get(next).isWord("OR") && tokens.get(next + 1).isWord("REPLACE")) {
                next += 2;
            }
            refuseMisspeltModel(next < to ? tokens.get(next) : null);
        }
        if (first.isWord("CREATE")) {
            int next = from + 1;
            if (tokens.get(next).isWord("OR") && tokens.get(next + 1).isWord("REPLACE")) {
                next += 2;
            }
            if (next < to && tokens.get(next).isWord("MODEL")) {
                return createModel(from, to);
            }
        } else if (first.isWord("DROP") && from + 1 < to && tokens.get(from + 1).isWord("MODEL")) {
            return dropModel(from, to);
        } else if (first.isWord("ALTER") && from + 1 < to && tokens.get(from + 1).isWord("MODEL")) {
            return alterModel(from, to);
        } else if (first.isWord("LOAD") && from + 1 < to && tokens.get(from + 1).isWord("DATA")) {
            return loadData(from, to);
        } else if (first.isWord("DECLARE") || first.isWord("EXECUTE") && from + 1 < to && tokens.get(from + 1).isWord("IMMEDIATE")) {
            // BigQuery scripting, a DuckDB syntax error at its first word (probe pv)
            throw new dev.lathe.core.LatheException(dev.lathe.core.ErrorCode.UNSUPPORTED, (first.isWord("DECLARE") ? "DECLARE" : "EXECUTE IMMEDIATE")
                    + " at " + first.position() + " is BigQuery scripting, which is not supported yet; write the value into the"
                    + " statement, or keep it in a DuckDB variable: SET VARIABLE threshold = 0.55; ... WHERE p > getvariable('threshold')");
        } else if (first.isWord("EXPORT") && from + 1 < to && tokens.get(from + 1).isWord("MODEL")) {
            // BigQuery ML DDL (spec 0) that DuckDB called a syntax error at MODEL, as if the user had mistyped (probe pv)
            throw new dev.lathe.core.LatheException(dev.lathe.core.ErrorCode.UNSUPPORTED, "EXPORT MODEL at " + first.position()
                    + " is not supported yet: a model version's files are in the data directory (models/<dataset>/<model>/<version>,"
                    + " docs/model-format.md), and an endpoint serves it over HTTP");
        }
        return query(from, to);
    }

    /** Object kinds that follow CREATE, DROP or ALTER in BigQuery's or DuckDB's SQL, where MODEL also could. */
    private static final java.util.Set<String> OBJECT_KINDS = java.util.Set.of("MODEL", "TABLE", "VIEW", "SCHEMA", "FUNCTION", "MACRO",
            "TEMP", "TEMPORARY", "SEQUENCE", "INDEX", "UNIQUE", "TYPE", "SECRET", "EXTERNAL", "SNAPSHOT", "MATERIALIZED", "PROCEDURE",
            "DATABASE", "ROW", "CAPACITY", "RESERVATION", "ASSIGNMENT", "SEARCH", "VECTOR", "IF", "OR", "REPLACE");

    /**
     * {@code CREATE MODLE ...}: a word near MODEL (or TABLE, ...) where an object kind stands is a typo of it, said as the documented
     * syntax error (DuckDB would answer "syntax error at or near MODLE" without saying what was expected).
     */
    private static void refuseMisspeltModel(Token kind) {
        if (kind == null || kind.kind() != TokenKind.IDENTIFIER || OBJECT_KINDS.contains(kind.upper())) {
            return;
        }
        java.util.Optional<String> nearest = dev.lathe.core.Suggestions.nearest(kind.upper(), List.of("MODEL", "TABLE", "SCHEMA", "VIEW",
                "FUNCTION"));
        if (nearest.isPresent()) {
            throw TokenCursor.expected("MODEL, TABLE, SCHEMA, VIEW, FUNCTION or another object kind (did you mean "
                    + nearest.get().toUpperCase(java.util.Locale.ROOT) + "?)", kind);
        }
    }

    private String text(int from, int to) {
        return source.substring(tokens.get(from).start(), tokens.get(to - 1).end());
    }

    Statement.Query query(int from, int to) {
        refuseAnonymousColumns(from, to);
        // A query's result names its anonymous columns as BigQuery's does: f0_, f1_, ... (probe vp F3)
        Token first = tokens.get(from);
        java.util.Map<Integer, String> names = first.isWord("SELECT") || first.isWord("WITH") || first.isSymbol("(")
                ? AnonymousColumns.names(tokens, from, to) : java.util.Map.of();
        DuckDbRewriter rewriter = new DuckDbRewriter(source, origin, tokens, comments, functions, DuckDbRewriter.windowRenderer(),
                Optional.empty()).naming(names).catalog(catalog);
        DuckDbRewriter.Rewritten rewritten = rewriter.rewrite(from, to);
        return new Statement.Query(text(from, to), tokens.get(from).position(), rewritten.sql(), rewritten.calls(),
                rewritten.wildcards(), rewritten.sourceMap(), createdRelation(from, to), createsView(from, to), rewriter.askedCatalog());
    }

    /**
     * CREATE [OR REPLACE] [TEMP] TABLE|VIEW name AS query, without a column list, takes its columns' names from the query, so
     * each needs one: BigQuery refuses an anonymous column ("CREATE TABLE columns must be named, but column 2 has no name"),
     * where DuckDB would name it by its text ({@code count_star()}).
     */
    private void refuseAnonymousColumns(int from, int to) {
        TokenCursor cursor = new TokenCursor(tokens, from, to);
        String kind;
        try {
            if (!acceptCreate(cursor)) {
                return;
            }
            acceptTemporary(cursor);
            if (!cursor.peek().isWord("TABLE") && !cursor.peek().isWord("VIEW")) {
                return;
            }
            kind = cursor.next().upper();
            if (cursor.acceptWord("IF")) {
                cursor.expectWord("NOT");
                cursor.expectWord("EXISTS");
            }
            ObjectNames.parse(cursor, "a table name");
        } catch (LatheException e) {
            return; // not the shape looked for: DuckDB reports its own syntax errors
        }
        if (cursor.peek().isSymbol("(")) {
            return; // the column list names the columns
        }
        for (int i = cursor.index(); i < to; i++) {
            if (tokens.get(i).isSymbol("(")) {
                i = TokenCursor.matching(tokens, i); // OPTIONS(...)
            } else if (tokens.get(i).isWord("AS")) {
                requireNamedColumns(i + 1, to, "CREATE " + kind + " columns must be named", "");
                return;
            }
        }
    }

    /** Refuses the query {@code tokens[from, to)} if its result has an anonymous column, naming the first. */
    private void requireNamedColumns(int from, int to, String rule, String why) {
        List<AnonymousColumns.Item> anonymous = AnonymousColumns.of(tokens, from, to);
        if (!anonymous.isEmpty()) {
            AnonymousColumns.Item item = anonymous.getFirst();
            String expression = text(item.first(), item.last() + 1);
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, rule + ", but select item " + item.ordinal() + ", " + expression + " at "
                    + tokens.get(item.first()).position() + ", has no name" + why + "; give it one: " + expression + " AS <name>");
        }
    }

    /** Accepts {@code CREATE [OR REPLACE]}; false (nothing consumed) when the statement does not start with CREATE. */
    private static boolean acceptCreate(TokenCursor cursor) {
        if (!cursor.acceptWord("CREATE")) {
            return false;
        }
        if (cursor.acceptWord("OR")) {
            cursor.expectWord("REPLACE");
        }
        return true;
    }

    private static boolean acceptTemporary(TokenCursor cursor) {
        return cursor.acceptWord("TEMP") || cursor.acceptWord("TEMPORARY");
    }

    /** Whether the statement is {@code CREATE [OR REPLACE] [TEMP|TEMPORARY] VIEW ...}. */
    private boolean createsView(int from, int to) {
        TokenCursor cursor = new TokenCursor(tokens, from, to);
        try {
            if (!acceptCreate(cursor)) {
                return false;
            }
            acceptTemporary(cursor);
            return cursor.acceptWord("VIEW");
        } catch (LatheException e) {
            return false;
        }
    }

    /**
     * The table or view a statement creates ({@code CREATE [OR REPLACE] [TEMP] TABLE|VIEW [IF NOT EXISTS] name}) or
     * renames to ({@code ALTER TABLE|VIEW [IF EXISTS] name RENAME TO new_name}, which stays in name's dataset);
     * empty for anything else, including temporary relations, which live apart from datasets.
     */
    private Optional<ObjectName> createdRelation(int from, int to) {
        TokenCursor cursor = new TokenCursor(tokens, from, to);
        try {
            if (acceptCreate(cursor)) {
                if (acceptTemporary(cursor)) {
                    return Optional.empty();
                }
                if (!cursor.acceptWord("TABLE") && !cursor.acceptWord("VIEW")) {
                    return Optional.empty();
                }
                if (cursor.acceptWord("IF")) {
                    cursor.expectWord("NOT");
                    cursor.expectWord("EXISTS");
                }
                return Optional.of(ObjectNames.parse(cursor, "a table name"));
            }
            if (cursor.acceptWord("ALTER") && (cursor.acceptWord("TABLE") || cursor.acceptWord("VIEW"))) {
                if (cursor.acceptWord("IF")) {
                    cursor.expectWord("EXISTS");
                }
                ObjectName renamed = ObjectNames.parse(cursor, "a table name");
                if (cursor.acceptWord("RENAME") && cursor.acceptWord("TO")) {
                    ObjectName target = ObjectNames.parse(cursor, "a table name");
                    return Optional.of(new ObjectName(renamed.project(), renamed.dataset(), target.name(), Optional.empty(), target.position()));
                }
            }
        } catch (LatheException e) {
            // Not the shape looked for (DuckDB reports its own syntax errors); nothing to check.
        }
        return Optional.empty();
    }

    private Statement.CreateModel createModel(int from, int to) {
        TokenCursor cursor = new TokenCursor(tokens, from, to);
        cursor.expectWord("CREATE");
        Statement.CreateMode mode = Statement.CreateMode.CREATE;
        if (cursor.acceptWord("OR")) {
            cursor.expectWord("REPLACE");
            mode = Statement.CreateMode.CREATE_OR_REPLACE;
        }
        cursor.expectWord("MODEL");
        if (cursor.peek().isWord("IF")) {
            Token ifToken = cursor.next();
            cursor.expectWord("NOT");
            cursor.expectWord("EXISTS");
            if (mode == Statement.CreateMode.CREATE_OR_REPLACE) {
                throw Tokenizer.syntaxError(ifToken.position(), "CREATE OR REPLACE MODEL cannot be combined with IF NOT EXISTS; use one of them");
            }
            mode = Statement.CreateMode.CREATE_IF_NOT_EXISTS;
        }
        ObjectName name = ObjectNames.parse(cursor, "a model name");
        if (name.version().isPresent()) {
            throw Tokenizer.syntaxError(name.position(), "CREATE MODEL takes a model name without a version suffix but found '"
                    + name.display() + "'; the registry numbers versions itself");
        }
        Optional<List<SelectItem>> transform = Optional.empty();
        if (cursor.peek().isWord("TRANSFORM") && cursor.peek(1).isSymbol("(")) {
            cursor.next();
            transform = Optional.of(selectList(cursor));
        }
        List<ColumnDefinition> inputColumns = List.of();
        List<ColumnDefinition> outputColumns = List.of();
        if (cursor.acceptWord("INPUT")) {
            inputColumns = columnDefinitions(cursor);
            cursor.expectWord("OUTPUT");
            outputColumns = columnDefinitions(cursor);
        }
        List<OptionAssignment> options = List.of();
        if (cursor.acceptWord("OPTIONS")) {
            options = assignments(cursor);
        }
        Optional<Statement.Query> query = Optional.empty();
        Optional<Statement.Query> customHoliday = Optional.empty();
        if (cursor.acceptWord("AS")) {
            if (cursor.atEnd()) {
                throw cursor.expected("a query after AS");
            }
            if (cursor.peek().isSymbol("(") && cursor.peek(2).isWord("AS")
                    && (cursor.peek(1).isWord("training_data") || cursor.peek(1).isWord("custom_holiday"))) {
                int close = TokenCursor.matching(tokens, cursor.index());
                cursor.next();
                do {
                    Token part = cursor.expectName("training_data or custom_holiday");
                    cursor.expectWord("AS");
                    int open = cursor.index();
                    cursor.expectSymbol("(");
                    int end = TokenCursor.matching(tokens, open);
                    if (end == open + 1) {
                        throw TokenCursor.expected("a query", tokens.get(end));
                    }
                    if (part.isWord("training_data")) {
                        requireTrainingNames(open + 1, end);
                    }
                    Statement.Query parsed = query(open + 1, end);
                    if (part.isWord("training_data")) {
                        query = Optional.of(parsed);
                    } else if (part.isWord("custom_holiday")) {
                        customHoliday = Optional.of(parsed);
                    } else {
                        throw TokenCursor.expected("training_data or custom_holiday", part);
                    }
                    cursor.seek(end + 1);
                } while (cursor.acceptSymbol(","));
                if (cursor.index() != close) {
                    throw cursor.expected("',' or ')'");
                }
                cursor.next();
                if (query.isEmpty()) {
                    throw Tokenizer.syntaxError(tokens.get(close).position(), "expected training_data AS (query) in AS (...) but found only custom_holiday");
                }
                cursor.expectEnd("end of statement after AS (training_data AS (...), custom_holiday AS (...))");
            } else {
                requireTrainingNames(cursor.index(), to);
                query = Optional.of(query(cursor.index(), to));
                cursor.seek(to);
            }
        }
        cursor.expectEnd(transform.isEmpty() && inputColumns.isEmpty() && options.isEmpty()
                ? "TRANSFORM, INPUT, OPTIONS, AS or end of statement" : "OPTIONS, AS or end of statement");
        return new Statement.CreateModel(text(from, to), tokens.get(from).position(), name, mode, transform, inputColumns, outputColumns,
                options, query.map(Statement.Query::sql), query, customHoliday);
    }

    /**
     * A training query's columns are the model's features, known by name to every later ML.PREDICT: an anonymous one became a
     * feature named by DuckDB's text ({@code (age * 2)}) that no input could supply (probe vp F3). BigQuery refuses such
     * columns in CREATE TABLE and CREATE VIEW, and TRANSFORM items (spec 3.1); the same here.
     */
    private void requireTrainingNames(int from, int to) {
        requireNamedColumns(from, to, "The training query's columns must be named", " (a column is a feature, which ML.PREDICT's"
                + " input supplies by name)");
    }

    private Statement.AlterModel alterModel(int from, int to) {
        TokenCursor cursor = new TokenCursor(tokens, from, to);
        ModelTarget target = modelTarget(cursor, "ALTER");
        cursor.expectWord("SET");
        cursor.expectWord("OPTIONS");
        List<OptionAssignment> options = assignments(cursor);
        cursor.expectEnd("end of statement after SET OPTIONS(...)");
        return new Statement.AlterModel(text(from, to), tokens.get(from).position(), target.name(), target.ifExists(), options);
    }

    private Statement.DropModel dropModel(int from, int to) {
        TokenCursor cursor = new TokenCursor(tokens, from, to);
        ModelTarget target = modelTarget(cursor, "DROP");
        cursor.expectEnd("end of statement after the model name");
        return new Statement.DropModel(text(from, to), tokens.get(from).position(), target.name(), target.ifExists());
    }

    private record ModelTarget(ObjectName name, boolean ifExists) {}

    /** {@code <verb> MODEL [IF EXISTS] name}. */
    private static ModelTarget modelTarget(TokenCursor cursor, String verb) {
        cursor.expectWord(verb);
        cursor.expectWord("MODEL");
        boolean ifExists = false;
        if (cursor.acceptWord("IF")) {
            cursor.expectWord("EXISTS");
            ifExists = true;
        }
        return new ModelTarget(ObjectNames.parse(cursor, "a model name"), ifExists);
    }

    private Statement.LoadData loadData(int from, int to) {
        TokenCursor cursor = new TokenCursor(tokens, from, to);
        cursor.expectWord("LOAD");
        cursor.expectWord("DATA");
        // BigQuery's grammar is LOAD DATA {OVERWRITE | INTO}: LOAD DATA OVERWRITE d.t was a syntax error here; INTO after
        // OVERWRITE is taken too, as Lathe took it before
        boolean overwrite = cursor.acceptWord("OVERWRITE");
        if (!overwrite || cursor.peek().isWord("INTO")) {
            cursor.expectWord("INTO");
        }
        if (cursor.peek().isWord("TEMP") || cursor.peek().isWord("TEMPORARY")) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "LOAD DATA INTO " + cursor.peek().text() + " TABLE at " + cursor.peek().position()
                    + " is not supported yet; load into a dataset's table (LOAD DATA INTO dataset.table ...) and drop it after");
        }
        ObjectName table = ObjectNames.parse(cursor, "a table name");
        if (cursor.peek().isWord("PARTITIONS") || (cursor.peek().isWord("OVERWRITE") && cursor.peek(1).isWord("PARTITIONS"))) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "LOAD DATA ... PARTITIONS (...) at " + cursor.peek().position()
                    + " is not supported: Lathe's tables have no partitions; load the rows, or LOAD DATA OVERWRITE the table");
        }
        List<ColumnDefinition> columns = List.of();
        if (cursor.peek().isSymbol("(")) {
            columns = columnDefinitions(cursor);
        }
        // PARTITION BY ..., CLUSTER BY ..., OPTIONS (...): storage settings DuckDB has no place for, dropped as CREATE TABLE's
        // are (probe rc: a syntax error)
        if (cursor.peek().isWord("PARTITION") || cursor.peek().isWord("CLUSTER") || cursor.peek().isWord("OPTIONS")) {
            while (!cursor.atEnd() && !(cursor.peek().isWord("FROM") && cursor.peek(1).isWord("FILES"))) {
                if (cursor.next().isSymbol("(")) {
                    cursor.seek(TokenCursor.matching(tokens, cursor.index() - 1) + 1);
                }
            }
        }
        cursor.expectWord("FROM");
        cursor.expectWord("FILES");
        List<OptionAssignment> options = assignments(cursor);
        if (cursor.peek().isWord("WITH")) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "LOAD DATA ... " + cursor.peek().text() + " " + cursor.peek(1).text() + " at "
                    + cursor.peek().position() + " (hive partition columns, connections) is not supported; load local files without it");
        }
        cursor.expectEnd("end of statement after FROM FILES(...)");
        return new Statement.LoadData(text(from, to), tokens.get(from).position(), table, overwrite, columns, options);
    }

    /** {@code (name = literal, ...)}. */
    private static List<OptionAssignment> assignments(TokenCursor cursor) {
        cursor.expectSymbol("(");
        List<OptionAssignment> assignments = new ArrayList<>();
        if (cursor.acceptSymbol(")")) {
            return assignments;
        }
        do {
            Token name = cursor.expectName("an option name");
            cursor.expectSymbol("=");
            assignments.add(new OptionAssignment(name.value(), LiteralParser.parse(cursor), name.position()));
        } while (cursor.acceptSymbol(","));
        if (!cursor.peek().isSymbol(")")) {
            throw cursor.expected("',' or ')'");
        }
        cursor.next();
        return assignments;
    }

    /** {@code (name TYPE, ...)}; types are kept as written, including {@code ARRAY<STRUCT<a INT64, b STRING>>}. */
    private List<ColumnDefinition> columnDefinitions(TokenCursor cursor) {
        cursor.expectSymbol("(");
        List<ColumnDefinition> columns = new ArrayList<>();
        do {
            Token name = cursor.expectName("a column name");
            int typeStart = cursor.index();
            int depth = 0;
            while (!cursor.atEnd()) {
                Token token = cursor.peek();
                if (depth == 0 && (token.isSymbol(",") || token.isSymbol(")"))) {
                    break;
                }
                switch (token.text()) {
                    case "(", "<", "[" -> depth += token.kind() == TokenKind.SYMBOL ? 1 : 0;
                    case ")", ">", "]" -> depth -= token.kind() == TokenKind.SYMBOL ? 1 : 0;
                    case ">>" -> depth -= 2;
                    default -> { }
                }
                cursor.next();
            }
            if (cursor.index() == typeStart) {
                throw cursor.expected("a type for column '" + name.value() + "'");
            }
            columns.add(new ColumnDefinition(name.value(), text(typeStart, cursor.index()), name.position()));
        } while (cursor.acceptSymbol(","));
        cursor.expectSymbol(")");
        return columns;
    }

    /** {@code (item, ...)} of TRANSFORM. */
    private List<SelectItem> selectList(TokenCursor cursor) {
        int open = cursor.index();
        cursor.expectSymbol("(");
        int close = TokenCursor.matching(tokens, open);
        if (close == open + 1) {
            throw TokenCursor.expected("a TRANSFORM item", tokens.get(close));
        }
        List<SelectItem> items = new ArrayList<>();
        for (int[] range : TokenCursor.splitAtCommas(tokens, open + 1, close)) {
            if (range[0] == range[1]) {
                throw TokenCursor.expected("a TRANSFORM item", tokens.get(range[1]));
            }
            items.add(selectItem(range[0], range[1]));
        }
        cursor.seek(close + 1);
        return List.copyOf(items);
    }

    private SelectItem selectItem(int from, int to) {
        Token first = tokens.get(from);
        if (first.isSymbol("*")) {
            TokenCursor cursor = new TokenCursor(tokens, from + 1, to);
            List<String> except = new ArrayList<>();
            List<SelectItem.Expression> replace = new ArrayList<>();
            if (cursor.acceptWord("EXCEPT")) {
                cursor.expectSymbol("(");
                do {
                    except.add(cursor.expectName("a column name in EXCEPT(...)").value());
                } while (cursor.acceptSymbol(","));
                cursor.expectSymbol(")");
            }
            if (cursor.acceptWord("REPLACE")) {
                int open = cursor.index();
                cursor.expectSymbol("(");
                int close = TokenCursor.matching(tokens, open);
                for (int[] range : TokenCursor.splitAtCommas(tokens, open + 1, close)) {
                    if (range[0] == range[1]) {
                        throw TokenCursor.expected("expression AS column in REPLACE(...)", tokens.get(range[1]));
                    }
                    SelectItem.Expression expression = expressionItem(range[0], range[1]);
                    if (expression.alias().isEmpty()) {
                        throw TokenCursor.expected("AS <column> after the REPLACE expression", tokens.get(range[1]));
                    }
                    replace.add(expression);
                }
                cursor.seek(close + 1);
            }
            cursor.expectEnd("EXCEPT(...), REPLACE(...) or ',' after *");
            return new SelectItem.Star(except, replace, first.position());
        }
        return expressionItem(from, to);
    }

    private SelectItem.Expression expressionItem(int from, int to) {
        int expressionEnd = to;
        Optional<String> alias = Optional.empty();
        Token last = tokens.get(to - 1);
        if (to - from >= 3 && tokens.get(to - 2).isWord("AS")) {
            if (!last.isName()) {
                throw TokenCursor.expected("an alias after AS", last);
            }
            alias = Optional.of(last.value());
            expressionEnd = to - 2;
        } else if (to - from >= 2 && tokens.get(to - 2).isWord("AS")) {
            throw TokenCursor.expected("an expression before AS", tokens.get(to - 2));
        } else if (to - from >= 2 && implicitAlias(last, tokens.get(to - 2))) {
            alias = Optional.of(last.value());
            expressionEnd = to - 1;
        } else if (last.isWord("AS")) {
            throw TokenCursor.expected("an alias after AS", tokens.get(to));
        }
        Optional<String> columnReference = Optional.empty();
        Token first = tokens.get(from);
        if (expressionEnd == from + 1 && first.isName() && !NOT_AN_ALIAS.contains(first.upper())
                && !(first.kind() == TokenKind.QUOTED_IDENTIFIER && first.value().contains("."))) {
            columnReference = Optional.of(first.value());
        }
        return new SelectItem.Expression(text(from, expressionEnd), alias, columnReference, first.position());
    }

    /** Whether {@code last}, the last token of a select item, is its alias without AS, {@code before} the token before it. */
    static boolean implicitAlias(Token last, Token before) {
        return last.isName() && !NOT_AN_ALIAS.contains(last.upper()) && endsOperand(before);
    }

    /** Whether {@code token} can end an operand, so that a name right after it is an implicit alias. */
    static boolean endsOperand(Token token) {
        return switch (token.kind()) {
            case IDENTIFIER -> !NOT_AN_ALIAS.contains(token.upper()) || token.isWord("END") || token.isWord("NULL")
                    || token.isWord("TRUE") || token.isWord("FALSE");
            case QUOTED_IDENTIFIER, STRING, BYTES, NUMBER -> true;
            case SYMBOL -> token.isSymbol(")") || token.isSymbol("]");
            case END -> false;
        };
    }
}
