package dev.lathe.engine;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.options.Position;
import dev.lathe.quality.PredictionQuality;
import dev.lathe.registry.ModelStore;
import dev.lathe.registry.Registry;
import dev.lathe.sql.ObjectName;
import dev.lathe.sql.SourceMap;
import dev.lathe.sql.Parser;
import dev.lathe.sql.Statement;
import dev.lathe.sql.TableFunctionCall;
import dev.lathe.train.ModelFamilies;
import dev.lathe.warehouse.Sql;
import dev.lathe.warehouse.Warehouse;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.duckdb.DuckDBConnection;

/**
 * Runs ML SQL on one warehouse: ML statements in Java, everything else in DuckDB. Not thread-safe:
 * one engine per session (it owns one DuckDB connection).
 */
final class LatheEngine implements Engine {
    private final DuckDBConnection connection;
    private final Warehouse warehouse;
    private final ModelStore store;
    private final Registry registry;
    private final ModelFamilies families;
    private final Parser parser;
    private final AtomicLong counter = new AtomicLong();
    private final ModelCache cache;
    private final ModelCreator creator;
    private final TableFunctions functions;
    private final DataLoader loader;

    LatheEngine(Warehouse warehouse, Registry registry, ModelFamilies families, ModelCache cache, PredictionQuality quality,
            Consumer<String> progress) {
        this.connection = (DuckDBConnection) warehouse.connect();
        // FROM d.t AS d, d.u: table u of dataset d where it exists, else BigQuery's array path (probe vr 1)
        this.parser = new Parser().withCatalog((dataset, name) -> {
            try {
                return Warehouse.relationExists(connection, dataset, name);
            } catch (LatheException e) {
                return true; // not known (an aborted transaction): a table, as it was read before array paths
            }
        });
        this.warehouse = warehouse;
        this.store = registry.modelStore();
        this.registry = registry;
        this.families = families;
        this.cache = cache;
        this.creator = new ModelCreator(connection, registry, families, this::prepare, progress, this::stopIfCancelled);
        this.functions = new TableFunctions(connection, this::model, this::prepare, parser, quality);
        this.loader = new DataLoader(connection);
    }

    @Override
    public void execute(String script, ResultSink sink) {
        synchronized (cancelLock) {
            executing = true;
            cancelRequested = false;
        }
        try {
            List<Statement> statements = parser.parseScript(script);
            for (int i = 0; i < statements.size(); i++) {
                Statement statement = statements.get(i);
                stopIfCancelled(statement.text());
                if (i > 0 && statement instanceof Statement.Query query && query.askedCatalog()) {
                    // read against the tables the statements before it have left, as each is read where it runs alone
                    statement = parser.parse(query.text(), query.position());
                }
                run(statement, sink);
            }
        } finally {
            synchronized (cancelLock) {
                executing = false;
                cancelRequested = false;
            }
        }
    }

    @Override
    public void dryRun(String script, Consumer<DryRun> sink) {
        for (Statement statement : parser.parseScript(script)) {
            try (Scope scope = new Scope(connection, counter)) {
                switch (statement) {
                    case Statement.CreateModel create -> sink.accept(new DryRun(statement.text(), null, creator.check(create, scope)));
                    case Statement.Query query -> {
                        query.createdRelation().ifPresent(this::refuseModelName);
                        refuseViewOverMlFunctions(query);
                        if (!query.calls().isEmpty()) {
                            throw noDryRunOf(query.calls().get(0));
                        }
                        // DuckDB binds a prepared statement, and runs nothing until it is executed
                        List<SourceMap.Segment> spliced = new ArrayList<>();
                        String sql = splice(query, spliced, call -> { throw noDryRunOf(call); }, connection);
                        try (java.sql.PreparedStatement bound = connection.prepareStatement(sql)) {
                            java.sql.ResultSetMetaData columns = bound.getMetaData();
                            boolean rows = columns instanceof org.duckdb.DuckDBResultSetMetaData duckdb
                                    && duckdb.getReturnType() == org.duckdb.StatementReturnType.QUERY_RESULT;
                            sink.accept(new DryRun(statement.text(), rows ? columns : null, rows ? "Valid query" : "Valid statement"));
                        } catch (SQLException e) {
                            throw located(e, sql, query, spliced);
                        }
                    }
                    default -> throw new LatheException(ErrorCode.UNSUPPORTED, "A dry run of " + statement.text().strip().split("\\s+", 3)[0]
                            .toUpperCase(java.util.Locale.ROOT) + " statements (at " + statement.position() + ") is not supported; a dry run"
                            + " takes queries, DML, DDL and CREATE MODEL");
                }
            }
        }
    }

    /** A dry run's refusal of an ML function: it would have to run the model to say its result. */
    static LatheException noDryRunOf(TableFunctionCall call) {
        return new LatheException(ErrorCode.UNSUPPORTED, "A dry run of a query calling " + (call.function().startsWith("ML.") ? "" : "ML.")
                + call.function() + " (at " + call.position() + ") is not supported: Lathe would have to run the model to bind its result");
    }

    /** The JDBC statement of the query being run, for {@link #cancel()}; null between queries. */
    private volatile java.sql.Statement running;
    /** Set by {@link #cancel()} while a script runs: the script stops at its next cancellation point. */
    private volatile boolean cancelRequested;
    /** Whether a script runs: a cancel between scripts is dropped, not left to stop the session's next script. */
    private boolean executing;
    private final Object cancelLock = new Object();

    @Override
    public void cancel() {
        synchronized (cancelLock) {
            if (!executing) {
                return;
            }
            cancelRequested = true;
        }
        java.sql.Statement statement = running;
        if (statement != null) {
            try {
                statement.cancel();
            } catch (SQLException e) {
                // it ended meanwhile: nothing to cancel
            }
        }
    }

    /**
     * A cancellation point: throws {@link ErrorCode#CANCELLED} once {@link #cancel()} was called during this script.
     * {@code doing} says what stopped ("CREATE MODEL d.m at iteration 7"), for the message.
     */
    private void stopIfCancelled(String doing) {
        if (cancelRequested) {
            String first = doing.strip().lines().findFirst().orElse("");
            throw new LatheException(ErrorCode.CANCELLED, "Cancelled: " + (first.length() > 80 ? first.substring(0, 77) + "..." : first)
                    + "; a cancelled statement leaves nothing behind");
        }
    }

    /** Whether the session is inside BEGIN ... COMMIT/ROLLBACK, which ML DDL cannot take part in. */
    private boolean explicitTransaction;

    private void run(Statement statement, ResultSink sink) {
        refuseMlDdlInTransaction(statement);
        try (Scope scope = new Scope(connection, counter)) {
            switch (statement) {
                case Statement.CreateModel create -> {
                    String message = creator.create(create, scope);
                    cache.invalidate(Names.requireDataset(create.name(), "model", connection), create.name().name());
                    deliver(sink, statement, new Result.Message(message));
                }
                case Statement.DropModel drop -> deliver(sink, statement, new Result.Message(drop(drop)));
                case Statement.AlterModel alter -> deliver(sink, statement, new Result.Message(alter(alter)));
                case Statement.LoadData load -> {
                    refuseModelName(load.table());
                    deliver(sink, statement, new Result.Message(loader.load(load)));
                }
                case Statement.Query query -> {
                    query.createdRelation().ifPresent(this::refuseModelName);
                    refuseDeeperExpressions(query);
                    refuseViewOverMlFunctions(query);
                    List<String> droppedModels = modelsOfDroppedSchema(query);
                    if (!droppedModels.isEmpty() && explicitTransaction) {
                        throw new LatheException(ErrorCode.FAILED_PRECONDITION, "DROP SCHEMA ... CASCADE at " + query.position()
                                + " drops models, which cannot run inside a transaction (BEGIN ... COMMIT): models are not rolled back"
                                + " with the warehouse's tables. COMMIT or ROLLBACK first");
                    }
                    sessionStateMayExist |= SESSION_STATE.matcher(query.text()).find();
                    settingsMayDiffer |= SETTINGS.contains(query.firstWord());
                    List<SourceMap.Segment> spliced = new ArrayList<>();
                    String sql = splice(query, scope, spliced);
                    // a created table's integers are INT64 (Int64Columns), set in the statement's transaction: its own one
                    // outside BEGIN ... COMMIT, so a value that does not fit leaves nothing behind
                    Optional<ObjectName> created = Int64Columns.createdTable(query)
                            .filter(table -> !Int64Columns.keepsExisting(connection, query, table));
                    boolean ownTransaction = created.isPresent() && !explicitTransaction;
                    if (ownTransaction) {
                        Sql.execute(connection, "BEGIN TRANSACTION");
                    }
                    boolean committed = false;
                    try (java.sql.Statement jdbc = connection.createStatement()) {
                        running = jdbc;
                        stopIfCancelled(query.text()); // cancelled before there was a query to interrupt
                        if (changesTables(query) ? warehouse.changingTables(() -> jdbc.execute(sql)) : jdbc.execute(sql)) {
                            try (ResultSet rows = jdbc.getResultSet()) {
                                deliver(sink, statement, new Result.Rows(rows));
                            }
                        } else {
                            int count = jdbc.getUpdateCount();
                            if (created.isPresent()) {
                                Int64Columns.narrow(connection, created.get(), query);
                            }
                            if (ownTransaction) {
                                jdbc.execute("COMMIT");
                                committed = true;
                            }
                            for (String model : droppedModels) { // DROP SCHEMA ... CASCADE: the dataset's models go with it
                                int dot = model.indexOf('.');
                                registry.deleteModel(model.substring(0, dot), model.substring(dot + 1));
                                cache.invalidate(model.substring(0, dot), model.substring(dot + 1));
                            }
                            deliver(sink, statement, new Result.Message(count >= 0 ? count + (count == 1 ? " row affected" : " rows affected") : "OK"));
                        }
                        trackTransaction(query);
                    } catch (SQLException e) {
                        stopIfCancelled(query.text()); // DuckDB's "INTERRUPT Error: Interrupted!" of a cancelled query
                        throw scope.failure().orElseGet(() -> withNestedQuery(scope.reworded(located(e, sql, query, spliced)), scope));
                    } finally {
                        running = null;
                        if (ownTransaction && !committed) {
                            rollbackQuietly();
                        }
                    }
                }
            }
        }
    }

    /** Ends the statement's own transaction after a failure, which DuckDB may have ended already. */
    private void rollbackQuietly() {
        try (java.sql.Statement rollback = connection.createStatement()) {
            rollback.execute("ROLLBACK");
        } catch (SQLException e) {
            // no transaction left open
        }
    }

    private static void deliver(ResultSink sink, Statement statement, Result result) {
        try {
            sink.accept(statement.text(), result);
        } catch (LatheException e) {
            throw e;
        } catch (Exception e) {
            throw LatheException.internal("Writing the result failed: " + e.getMessage(), e);
        }
    }

    /**
     * DuckDB's failure to run {@code sql}, the splice of {@code query}: DuckDB's position is in the spliced text, so it
     * goes back through {@code spliced} to the query's text and through the query's source map to the user's script.
     */
    private static LatheException located(SQLException e, String sql, Statement.Query query, List<SourceMap.Segment> spliced) {
        SourceMap toQuery = new SourceMap(query.sql(), Position.UNKNOWN, spliced);
        LatheException located = Sql.error(e, sql, offset -> Optional.of(query.sourceMap().position(toQuery.sourceOffset(offset)).toString()));
        return withBigQueryHint(located);
    }

    private static final java.util.regex.Pattern UNKNOWN_FUNCTION = java.util.regex.Pattern.compile(
            "Function with name (\\w+) does not exist!( Did you mean \"[^\"]*\"\\?)?");

    /** An unknown function's hint names the nearest BigQuery function Lathe runs, where one is near, not DuckDB's nearest. */
    private static LatheException withBigQueryHint(LatheException failure) {
        java.util.regex.Matcher unknown = UNKNOWN_FUNCTION.matcher(failure.getMessage());
        if (!unknown.find()) {
            return failure;
        }
        Optional<String> nearest = dev.lathe.sql.GoogleSqlFunctions.nearestBigQueryFunction(unknown.group(1));
        if (nearest.isEmpty()) {
            return failure;
        }
        String message = failure.getMessage().substring(0, unknown.start()) + "Function with name " + unknown.group(1)
                + " does not exist! Did you mean " + nearest.get() + "?" + failure.getMessage().substring(unknown.end());
        return new LatheException(failure.code(), message, failure.getCause());
    }

    /**
     * A failure DuckDB placed nowhere (a value that fails while rows stream, such as a cast), in a statement whose one
     * nested query (an ML function's argument) ran lazily inside it: it says where that query starts.
     */
    private static LatheException withNestedQuery(LatheException failure, Scope scope) {
        if (failure.getMessage().contains("(at line ") || failure.getMessage().contains("(in the query at ")) {
            return failure;
        }
        return scope.onlyNestedQuery().map(start -> new LatheException(failure.code(), failure.getMessage() + " (in the query at " + start + ")",
                failure.getCause())).orElse(failure);
    }

    /**
     * A nested query (CREATE MODEL's AS query, an ML function's (query) argument), spliced and bound by DuckDB once
     * before it is used: its users wrap it in SQL of their own (LIMIT 0 to describe it, a split, a temporary table), so
     * an error found there would quote that SQL; found here it names the user's line and column. Binding checks
     * names and syntax without running anything.
     */
    private String prepare(Statement.Query query, Scope scope) {
        List<SourceMap.Segment> spliced = new ArrayList<>();
        String sql = splice(query, scope, spliced);
        try (java.sql.PreparedStatement bound = connection.prepareStatement(sql)) {
            // A failure found only when the wrapped query runs (a conversion error) is placed in the user's text too.
            SourceMap toQuery = new SourceMap(query.sql(), Position.UNKNOWN, spliced);
            scope.onClose(Sql.QUERY_TEXTS.register(sql, offset -> Optional.of(query.sourceMap().position(toQuery.sourceOffset(offset)).toString())));
            scope.nestedQuery(query.position().toString());
            return sql;
        } catch (SQLException e) {
            throw scope.failure().orElseGet(() -> scope.reworded(located(e, sql, query, spliced)));
        }
    }

    /**
     * Runs the ML table-function calls of a query and splices their result tables into its SQL, adding to
     * {@code segments} where each piece of the result came from in the query's text.
     */
    private String splice(Statement.Query query, Scope scope, List<SourceMap.Segment> segments) {
        return splice(query, segments, call -> functions.run(call, scope), connection);
    }

    /**
     * {@code query}'s SQL with each ML call replaced by {@code run}'s text for it, and each wildcard table by the union of
     * the tables it matches now (probe vp F2: not when the script was parsed, as a script may create them first).
     */
    static String splice(Statement.Query query, List<SourceMap.Segment> segments, java.util.function.Function<TableFunctionCall, String> run,
            java.sql.Connection connection) {
        record Span(int start, int end, java.util.function.Supplier<String> text) {}
        List<Span> spans = new ArrayList<>();
        query.calls().forEach(call -> spans.add(new Span(call.start(), call.end(), () -> run.apply(call))));
        query.wildcards().forEach(wildcard -> spans.add(new Span(wildcard.start(), wildcard.end(),
                () -> WildcardTables.union(connection, wildcard))));
        spans.sort(Comparator.comparingInt(Span::start));
        StringBuilder sql = new StringBuilder();
        int position = 0;
        for (Span span : spans) {
            segments.add(new SourceMap.Segment(sql.length(), sql.length() + span.start() - position, position, span.start(), true));
            sql.append(query.sql(), position, span.start());
            int replaced = sql.length();
            sql.append(span.text().get());
            segments.add(new SourceMap.Segment(replaced, sql.length(), span.start(), span.end(), false));
            position = span.end();
        }
        segments.add(new SourceMap.Segment(sql.length(), sql.length() + query.sql().length() - position, position, query.sql().length(), true));
        sql.append(query.sql().substring(position));
        return sql.toString();
    }

    /**
     * ML table functions run within their statement (per-statement prediction functions, temporary result tables), so a
     * view could not run them later: refused before anything is created, pointing to CREATE TABLE ... AS instead. So is a
     * wildcard table: its tables are found when a statement runs, and the view would keep those of its creation.
     */
    private static void refuseViewOverMlFunctions(Statement.Query query) {
        if (query.createsView() && !query.wildcards().isEmpty()) {
            dev.lathe.sql.WildcardTable wildcard = query.wildcards().getFirst();
            throw new LatheException(ErrorCode.UNSUPPORTED, "A view cannot select from the wildcard table " + wildcard.text() + " (at "
                    + wildcard.position() + "): Lathe finds a wildcard table's tables when a statement runs, so the view would keep"
                    + " the tables of today, where BigQuery's finds them each time the view is queried. Select from the wildcard table"
                    + " in each query, or keep the rows with CREATE TABLE dataset.name AS SELECT ... instead");
        }
        if (query.createsView() && !query.calls().isEmpty()) {
            TableFunctionCall call = query.calls().get(0);
            throw new LatheException(ErrorCode.UNSUPPORTED, "A view cannot select from " + (call.function().startsWith("ML.") ? "" : "ML.") + call.function() + " (at " + call.position()
                    + "): ML functions run within one statement, so the view could not run it later. Keep the results with "
                    + "CREATE TABLE dataset.name AS SELECT ... instead, or run the ML function in each query");
        }
    }

    @Override
    public boolean rollbackOpenTransaction() {
        if (!explicitTransaction) {
            return false;
        }
        explicitTransaction = false;
        try {
            Sql.execute(connection, "ROLLBACK");
        } catch (LatheException e) {
            // Already ended (a failed COMMIT); nothing is left open.
        }
        return true;
    }

    /**
     * Whether a statement this session ran may have left something {@link #discardSessionState} drops: a temporary object
     * is made only with TEMP / TEMPORARY or in the temp catalog, a variable with SET VARIABLE. Without one, a pooled
     * request skips the catalog reads (most requests).
     */
    private boolean sessionStateMayExist;

    private static final java.util.regex.Pattern SESSION_STATE = java.util.regex.Pattern.compile("(?i)temp|variable");

    /**
     * Whether a statement may have changed one of the connection's own settings: USE or SET schema (which the next request's
     * unqualified names would resolve in, another client's included), search_path, profiling, and the like.
     */
    private boolean settingsMayDiffer;

    private static final Set<String> SETTINGS = Set.of("SET", "RESET", "USE", "PRAGMA");

    private static final java.util.regex.Pattern EXPRESSION_DEPTH = java.util.regex.Pattern.compile(
            "(?is)^\\s*(?:SET|PRAGMA)\\s+(?:GLOBAL\\s+|SESSION\\s+|LOCAL\\s+)?max_expression_depth\\s*(?:=|TO)?\\s*'?\\s*(\\d+)");

    /**
     * Refuses SET max_expression_depth above {@link Warehouse#MAX_EXPRESSION_DEPTH}: an expression deeper than that overflows
     * the stack of the thread DuckDB binds it on, and the process ends (a segmentation fault).
     */
    private static void refuseDeeperExpressions(Statement.Query query) {
        java.util.regex.Matcher depth = EXPRESSION_DEPTH.matcher(query.text());
        if (depth.find() && new java.math.BigInteger(depth.group(1)).compareTo(java.math.BigInteger.valueOf(Warehouse.MAX_EXPRESSION_DEPTH)) > 0) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "max_expression_depth at " + query.position() + " is " + depth.group(1)
                    + "; Lathe allows at most " + Warehouse.MAX_EXPRESSION_DEPTH + ": a deeper expression overflowed the stack of the"
                    + " thread DuckDB binds it on and ended the process. Write deep expressions with fewer levels instead, e.g. a"
                    + " long chain of operators grouped in balanced parentheses, ((a + b) + (c + d))");
        }
    }

    @Override
    public void discardSessionState() {
        if (settingsMayDiffer) {
            resetLocalSettings();
        }
        if (!sessionStateMayExist) {
            return;
        }
        String drops = "SELECT 'DROP TABLE IF EXISTS temp.' || quote_ident(schema_name) || '.' || quote_ident(table_name)"
                + " FROM duckdb_tables() WHERE temporary"
                + " UNION ALL SELECT 'DROP VIEW IF EXISTS temp.' || quote_ident(schema_name) || '.' || quote_ident(view_name)"
                + " FROM duckdb_views() WHERE temporary AND NOT internal"
                + " UNION ALL SELECT 'DROP ' || CASE WHEN function_type = 'table_macro' THEN 'MACRO TABLE' ELSE 'MACRO' END"
                + " || ' IF EXISTS temp.' || quote_ident(schema_name) || '.' || quote_ident(function_name) FROM duckdb_functions()"
                + " WHERE database_name = 'temp' AND function_type IN ('macro', 'table_macro') AND NOT internal"
                + " UNION ALL SELECT 'DROP SEQUENCE IF EXISTS temp.' || quote_ident(schema_name) || '.' || quote_ident(sequence_name)"
                + " FROM duckdb_sequences() WHERE temporary"
                + " UNION ALL SELECT 'RESET VARIABLE ' || quote_ident(name) FROM duckdb_variables()";
        List<String> statements = new ArrayList<>();
        try (java.sql.Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery(drops)) {
                while (rows.next()) {
                    statements.add(rows.getString(1));
                }
            }
            for (String drop : statements) {
                statement.execute(drop);
            }
        } catch (SQLException e) {
            throw LatheException.internal("Clearing a pooled session's temporary objects failed: " + e.getMessage(), e);
        }
        sessionStateMayExist = false;
    }

    /** Every setting of this connection's own scope back to the database's (a USE, a SET schema, SET SESSION ...). */
    private void resetLocalSettings() {
        List<String> names = new ArrayList<>();
        try (java.sql.Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT name FROM duckdb_settings() WHERE scope = 'LOCAL'")) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            for (String name : names) {
                statement.execute("RESET " + name);
            }
        } catch (SQLException e) {
            throw LatheException.internal("Resetting a pooled session's settings failed: " + e.getMessage(), e);
        }
        settingsMayDiffer = false;
    }

    /** Follows BEGIN / START TRANSACTION and COMMIT / END / ROLLBACK / ABORT that ran. */
    /**
     * Whether {@code query} may change the shape of a prediction-log table (an ALTER or DROP naming {@code lathe_logs}, or
     * reaching it through an unqualified name): it runs while no append to the log does ({@link Warehouse#changingTables}).
     * Any other table's ALTER or DROP runs beside the appends: holding them for it (a long ALTER of a large table) made the
     * log's queue fill and drop the sampled rows (probe sb F5). Inside BEGIN ... COMMIT the change takes effect at the
     * COMMIT, so one of the log's dataset is refused there rather than risk the rows logged meanwhile.
     */
    private boolean changesTables(Statement.Query query) {
        String first = query.firstWord();
        if (!first.equals("ALTER") && !first.equals("DROP") || !mayReachPredictionLog(query)) {
            return false;
        }
        if (explicitTransaction) {
            throw new LatheException(ErrorCode.FAILED_PRECONDITION, first + " at " + query.position() + " changes a table of"
                    + " lathe_logs inside a transaction (BEGIN ... COMMIT), where rows a server logs meanwhile could be lost;"
                    + " run it on its own, outside the transaction");
        }
        return true;
    }

    /**
     * Whether {@code query} names the prediction log's dataset, or its unqualified names may resolve there (the session's
     * default dataset or search_path is it: {@code USE lathe_logs}). When that cannot be read it may, outside a transaction;
     * inside one the read fails where the transaction is aborted, which DuckDB then says of the statement itself.
     */
    private boolean mayReachPredictionLog(Statement.Query query) {
        String dataset = dev.lathe.quality.TableName.PREDICTION_LOG.dataset();
        if (query.text().toLowerCase(java.util.Locale.ROOT).contains(dataset)) {
            return true;
        }
        try (java.sql.Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_schema(), current_setting('search_path')")) {
            return !rows.next() || (rows.getString(1) + "," + rows.getString(2)).toLowerCase(java.util.Locale.ROOT).contains(dataset);
        } catch (SQLException e) {
            return !explicitTransaction;
        }
    }

    private void trackTransaction(Statement.Query query) {
        switch (query.firstWord()) {
            case "BEGIN", "START" -> explicitTransaction = true;
            case "COMMIT", "END", "ROLLBACK", "ABORT" -> explicitTransaction = false;
            default -> { }
        }
    }

    /**
     * Models live outside the warehouse's transactions (files and the metadata store): inside BEGIN ... a ROLLBACK would
     * restore the tables but not the models a CREATE, DROP or ALTER MODEL (or a DROP SCHEMA ... CASCADE) changed. As in
     * BigQuery, whose transactions take no model DDL, such a statement is refused there.
     */
    private void refuseMlDdlInTransaction(Statement statement) {
        if (!explicitTransaction) {
            return;
        }
        String what = switch (statement) {
            case Statement.CreateModel create -> "CREATE MODEL";
            case Statement.DropModel drop -> "DROP MODEL";
            case Statement.AlterModel alter -> "ALTER MODEL";
            default -> null;
        };
        if (what != null) {
            throw new LatheException(ErrorCode.FAILED_PRECONDITION, what + " at " + statement.position() + " cannot run inside a transaction"
                    + " (BEGIN ... COMMIT): models are not rolled back with the warehouse's tables. COMMIT or ROLLBACK first");
        }
        if (statement instanceof Statement.LoadData) {
            // LOAD DATA commits its own transaction (a failed load loads nothing); DuckDB said "cannot start a transaction
            // within a transaction" (probe rc M1). BigQuery's transactions take no LOAD DATA either.
            throw new LatheException(ErrorCode.FAILED_PRECONDITION, "LOAD DATA at " + statement.position() + " cannot run inside a"
                    + " transaction (BEGIN ... COMMIT): it runs in a transaction of its own. COMMIT or ROLLBACK first");
        }
    }

    /**
     * For {@code DROP SCHEMA [IF EXISTS] d [CASCADE | RESTRICT]}, the models of dataset d that CASCADE drops with it;
     * without CASCADE a dataset holding models is refused, as BigQuery refuses to drop a dataset that is not empty (DuckDB
     * knows nothing of models and would drop the schema, leaving them behind). CASCADE is refused while one is deployed.
     */
    private List<String> modelsOfDroppedSchema(Statement.Query query) {
        if (!query.firstWord().equals("DROP")) {
            return List.of(); // every query passes here: tokenize only a DROP
        }
        List<dev.lathe.sql.Token> tokens = dev.lathe.sql.Tokenizer.tokenize(query.text()).stream()
                .filter(t -> t.kind() != dev.lathe.sql.TokenKind.END).toList();
        if (tokens.size() < 3 || !tokens.get(0).isWord("DROP") || !tokens.get(1).isWord("SCHEMA")) {
            return List.of();
        }
        int at = 2;
        if (tokens.size() > 4 && tokens.get(2).isWord("IF") && tokens.get(3).isWord("EXISTS")) {
            at = 4;
        }
        String name = tokens.get(at).value();
        at++;
        while (at + 1 < tokens.size() && tokens.get(at).isSymbol(".")) { // project.dataset: the last part is the dataset
            name = tokens.get(at + 1).value();
            at += 2;
        }
        String dataset = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : name;
        boolean cascade = tokens.stream().skip(at).anyMatch(t -> t.isWord("CASCADE"));
        List<String> models = store.list(java.util.Optional.of(dataset.toLowerCase(java.util.Locale.ROOT)));
        if (models.isEmpty()) {
            return List.of();
        }
        if (!cascade) {
            throw new LatheException(ErrorCode.FAILED_PRECONDITION, "Dataset " + dataset + " holds model" + (models.size() == 1 ? " " : "s ")
                    + String.join(", ", models) + "; DROP MODEL " + (models.size() == 1 ? "it" : "each") + " first, or DROP SCHEMA "
                    + dataset + " CASCADE to drop the dataset with its tables and models; nothing was dropped");
        }
        for (String model : models) {
            int dot = model.indexOf('.');
            registry.requireDeletable(model.substring(0, dot), model.substring(dot + 1));
        }
        return models;
    }

    /** A table or view may not take a model's name: in BigQuery they share one namespace per dataset. */
    private void refuseModelName(ObjectName relation) {
        String dataset = relation.dataset().orElseGet(() -> Names.currentSchema(connection));
        String wanted = dataset + "." + relation.name();
        // The warehouse's names are case-insensitive, so D.M would be the table d.m.
        for (String model : store.list(java.util.Optional.of(dataset))) {
            if (model.equalsIgnoreCase(wanted)) {
                throw new LatheException(ErrorCode.ALREADY_EXISTS, "Cannot create table or view " + wanted + " at " + relation.position()
                        + ": " + model + " is a model, and tables, views and models share names within a dataset; choose another name,"
                        + " or DROP MODEL " + model + " first");
            }
        }
    }

    /**
     * The dataset of the model a DROP or ALTER names; empty when the model does not exist and IF EXISTS was given, else
     * MODEL_NOT_FOUND with the nearest names.
     */
    private java.util.Optional<String> existingModel(ObjectName name, boolean ifExists) {
        String dataset = Names.requireDataset(name, "model", connection);
        if (registry.exists(dataset, name.name())) {
            return java.util.Optional.of(dataset);
        }
        if (ifExists) {
            return java.util.Optional.empty();
        }
        throw notFound(name);
    }

    private String drop(Statement.DropModel drop) {
        ObjectName name = drop.name();
        if (name.version().isPresent()) { // it dropped every version, @version ignored (probe E)
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "DROP MODEL drops a model with all its versions and takes a model name"
                    + " without a version, but got " + name.display() + " at " + name.position() + "; to delete one version use 'lathe models"
                    + " delete " + name.display() + "' (or DELETE /v1/projects/{p}/locations/{l}/models/" + name.display() + ":deleteVersion)");
        }
        java.util.Optional<String> existing = existingModel(name, drop.ifExists());
        if (existing.isEmpty()) {
            return "Model " + name.display() + " does not exist; nothing done";
        }
        String dataset = existing.get();
        registry.deleteModel(dataset, name.name());
        cache.invalidate(dataset, name.name());
        return "Dropped model " + dataset + "." + name.name();
    }

    /** ALTER MODEL's settable options; BigQuery's others concern its cloud (KMS, Vertex, expiry) and are refused by name. */
    private static final List<String> ALTER_OPTIONS = List.of("description", "labels");
    private static final List<String> ALTER_CLOUD_OPTIONS = List.of("vertex_ai_model_id", "expiration_timestamp", "kms_key_name",
            "deploy_model", "endpoint_idle_ttl");

    /**
     * {@code ALTER MODEL m SET OPTIONS (description = '...', labels = [('k', 'v'), ...])}: the version m names (its default
     * unless {@code @version} or {@code @alias}); labels replace the version's labels, a NULL clears either. All options are
     * checked before anything changes.
     */
    private String alter(Statement.AlterModel alter) {
        ObjectName name = alter.name();
        java.util.Optional<String> existing = existingModel(name, alter.ifExists());
        if (existing.isEmpty()) {
            return "Model " + name.display() + " does not exist; nothing done";
        }
        String dataset = existing.get();
        if (alter.options().isEmpty()) {
            throw new LatheException(ErrorCode.INVALID_OPTION, "ALTER MODEL at " + alter.position() + " sets no option; give "
                    + String.join(" and/or ", ALTER_OPTIONS) + ": SET OPTIONS (description = '...')");
        }
        int version = registry.resolve(dataset, name.name(), name.version());
        java.util.Optional<String> description = java.util.Optional.empty();
        java.util.Optional<java.util.Map<String, String>> labels = java.util.Optional.empty();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (dev.lathe.core.options.OptionAssignment option : alter.options()) {
            String key = option.name().toLowerCase(java.util.Locale.ROOT);
            if (!seen.add(key)) {
                throw new LatheException(ErrorCode.INVALID_OPTION, "Option " + key + " is set twice at " + option.position());
            }
            if (ALTER_CLOUD_OPTIONS.contains(key)) {
                throw new LatheException(ErrorCode.UNSUPPORTED, "ALTER MODEL option " + key + " (at " + option.position() + ") concerns"
                        + " BigQuery's cloud and is not supported here; ALTER MODEL sets " + String.join(" and ", ALTER_OPTIONS));
            }
            switch (key) {
                case "description" -> description = java.util.Optional.of(switch (option.value()) {
                    case dev.lathe.core.options.OptionValue.StringValue text -> text.value();
                    case dev.lathe.core.options.OptionValue.NullValue nothing -> "";
                    default -> throw new LatheException(ErrorCode.INVALID_OPTION, "Option description at " + option.position()
                            + " must be a STRING (or NULL to clear it)");
                });
                case "labels" -> labels = java.util.Optional.of(alterLabels(option));
                default -> throw new LatheException(ErrorCode.INVALID_OPTION, "Unknown ALTER MODEL option '" + option.name() + "' at "
                        + option.position() + dev.lathe.core.Suggestions.didYouMean(key, ALTER_OPTIONS) + " ALTER MODEL sets "
                        + String.join(" and ", ALTER_OPTIONS));
            }
        }
        registry.updateVersion(dataset, name.name(), version, description, labels);
        return "Altered model " + dataset + "." + name.name() + "@" + version;
    }

    private static java.util.Map<String, String> alterLabels(dev.lathe.core.options.OptionAssignment option) {
        java.util.Map<String, String> labels = new java.util.TreeMap<>();
        if (option.value() instanceof dev.lathe.core.options.OptionValue.NullValue) {
            return labels;
        }
        String rule = "Option labels at " + option.position() + " must be an array of (key, value) string pairs:"
                + " labels = [('team', 'risk'), ('stage', 'prod')]";
        if (!(option.value() instanceof dev.lathe.core.options.OptionValue.ArrayValue array)) {
            throw new LatheException(ErrorCode.INVALID_OPTION, rule);
        }
        for (dev.lathe.core.options.OptionValue element : array.elements()) {
            if (!(element instanceof dev.lathe.core.options.OptionValue.StructValue pair) || pair.fields().size() != 2
                    || !(pair.fields().get(0) instanceof dev.lathe.core.options.OptionValue.StringValue key)
                    || !(pair.fields().get(1) instanceof dev.lathe.core.options.OptionValue.StringValue value)) {
                throw new LatheException(ErrorCode.INVALID_OPTION, rule);
            }
            if (labels.put(key.value(), value.value()) != null) {
                throw new LatheException(ErrorCode.INVALID_OPTION, "Option labels at " + option.position() + " sets label '" + key.value()
                        + "' twice");
            }
        }
        return labels;
    }

    private LatheException notFound(ObjectName name) {
        String dataset = name.dataset().orElse("");
        List<String> known = store.list(java.util.Optional.empty());
        if (!dataset.isEmpty() && known.contains(dataset.toLowerCase(java.util.Locale.ROOT) + "." + name.name())) {
            // a folder the registry's open left out (copied under another name, damaged): said, not "did you mean" itself
            return new LatheException(ErrorCode.MODEL_NOT_FOUND, "Model " + name.display() + " is not registered, though "
                    + store.modelPath(dataset, name.name()) + " exists: none of its version folders could be registered (copied"
                    + " under another model's name, or damaged); the warning logged when the data directory was opened says why"
                    + " and what to do");
        }
        return new LatheException(ErrorCode.MODEL_NOT_FOUND, "Model " + name.display() + " not found"
                + (known.isEmpty() ? " (there are no models yet; create one with CREATE MODEL)"
                        : dev.lathe.core.Suggestions.withChoices(dataset + "." + name.name(), known, "Models")));
    }

    private LoadedModel model(TableFunctionCall call) {
        ObjectName name = call.model().orElseThrow(() -> new LatheException(ErrorCode.INVALID_ARGUMENT, "ML." + call.function()
                + " at " + call.position() + " needs a MODEL argument: ML." + call.function() + "(MODEL dataset.model, ...)"));
        return model(name);
    }

    LoadedModel model(ObjectName name) {
        String dataset = Names.requireDataset(name, "model", connection);
        if (!registry.exists(dataset, name.name())) {
            throw notFound(name);
        }
        // dataset.model, dataset.model@3 or dataset.model@champion; versions are immutable, so the cache keys on the number.
        int version = registry.resolve(dataset, name.name(), name.version());
        LoadedModel model = cache.get(dataset, name.name(), version);
        return name.version().isPresent() ? model.addressedAs(dataset + "." + name.name() + "@" + name.version().get()) : model;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw LatheException.internal("Closing the warehouse connection failed: " + e.getMessage(), e);
        }
    }
}
