package dev.lathe.engine;

import dev.lathe.core.DataType;
import dev.lathe.core.DuckDbMessages;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.Suggestions;
import dev.lathe.core.options.OptionAssignment;
import dev.lathe.core.options.OptionValue;
import dev.lathe.sql.ColumnDefinition;
import dev.lathe.sql.Statement;
import dev.lathe.warehouse.Sql;
import dev.lathe.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * BigQuery's {@code LOAD DATA [OVERWRITE] INTO dataset.table FROM FILES(format = ..., uris = [...])} on
 * DuckDB's readers, with schema inference. Appends unless OVERWRITE; creates the table when missing.
 * Runs in one transaction: a failed load leaves the table as it was.
 */
final class DataLoader {
    private static final List<String> OPTIONS = List.of("format", "uris", "skip_leading_rows", "field_delimiter", "null_marker",
            "quote", "allow_quoted_newlines", "allow_jagged_rows", "encoding", "ignore_unknown_values", "max_bad_records");

    private final Connection connection;

    DataLoader(Connection connection) {
        this.connection = connection;
    }

    String load(Statement.LoadData load) {
        String dataset = Names.requireDataset(load.table(), "table", connection);
        if (!Warehouse.datasetExists(connection, dataset)) {
            throw new LatheException(ErrorCode.TABLE_NOT_FOUND, "Dataset '" + dataset + "' not found; create it with CREATE SCHEMA " + dataset);
        }
        Map<String, OptionValue> options = new LinkedHashMap<>();
        for (OptionAssignment option : load.options()) {
            String name = option.name().toLowerCase(Locale.ROOT);
            if (!OPTIONS.contains(name)) {
                throw new LatheException(ErrorCode.INVALID_OPTION, "Unknown LOAD DATA option '" + option.name() + "' at "
                        + option.position() + Suggestions.didYouMeanOrStop(name, OPTIONS) + " Options are: " + String.join(", ", OPTIONS)
                        + " (allow_jagged_rows and ignore_unknown_values only as false)");
            }
            options.put(name, option.value());
        }
        String format = string(options, "format").orElseThrow(() -> new LatheException(ErrorCode.INVALID_OPTION,
                "LOAD DATA needs format = 'CSV' | 'PARQUET' | 'JSON' in FROM FILES(...)")).toUpperCase(Locale.ROOT);
        List<String> uris = uris(options, format);
        checkCsvOnlyOptions(options, format);
        String rejects = "__lathe_load_rejects_" + UUID.randomUUID().toString().replace("-", "");
        String rejectsOptions = rejectsOptions(rejects);
        long maxBadRecords = maxBadRecords(options);
        String target = dataset + "." + load.table().name();
        String table = Names.relation(load.table());
        refuseEmptyWildcards(uris, target);
        boolean exists = Warehouse.relationExists(connection, dataset, load.table().name());
        boolean appending = exists && !load.overwrite();
        // The schema the file is read into: BigQuery's column list is the table's schema, and a file appended to a table
        // is read with the table's columns, so that a value that does not fit is a bad row, never rounded (probe rc F2, F6).
        List<ColumnDefinition> columns = bigQueryColumns(load.columns(), target);
        List<Target> targets = columns.isEmpty() ? appending ? tableColumns(table) : List.of()
                : appending ? matchingColumns(columns, tableColumns(table), target) : columnList(columns);
        if (targets.isEmpty()) {
            refuseEmptyFiles(uris, target);
        }
        FileRead read = switch (format) {
            case "CSV" -> targets.isEmpty() ? bigQueryTypes(uris, options, rejectsOptions, target)
                    : csvInto(targets, !columns.isEmpty(), uris, options, rejectsOptions, target);
            case "PARQUET" -> parquetInto(targets, uris, !columns.isEmpty(), target);
            case "JSON", "NEWLINE_DELIMITED_JSON" -> targets.isEmpty() ? jsonTypes(uris, target) : jsonInto(targets, uris, target);
            default -> throw new LatheException(ErrorCode.INVALID_OPTION, "LOAD DATA format '" + format
                    + "' is not supported; accepted: CSV, PARQUET, JSON (newline-delimited)");
        };
        String select = "SELECT " + read.selectList().orElse("*") + " FROM " + read.reader() + read.where();
        Misfits misfits = read.validation() == null ? new Misfits(List.of(), false) : misfits(read, target);
        List<String> statements = new ArrayList<>();
        if (!exists || load.overwrite()) {
            statements.add("CREATE OR REPLACE TABLE " + table + " AS " + select);
        } else {
            statements.add("INSERT INTO " + table + " BY NAME " + select);
        }
        try {
            connection.setAutoCommit(false);
            for (String sql : statements) {
                try (java.sql.Statement statement = connection.createStatement()) {
                    statement.execute(sql);
                } catch (SQLException e) {
                    // DuckDB's reason names the file and line; the SQL it ran is Lathe's, not the user's
                    throw new LatheException(Sql.error(e, sql).code(), "LOAD DATA into " + dataset + "." + load.table().name()
                            + " failed: " + loadFailure(e), e);
                }
            }
            long skipped = checkBadRows(rejects, maxBadRecords, misfits, read.badRowHint(), format.equals("CSV"));
            long rows = count(table);
            long files = files(uris);
            connection.commit();
            return (load.overwrite() || !exists ? "Loaded " : "Appended to ") + dataset + "." + load.table().name() + ": now " + rows
                    + " row" + (rows == 1 ? "" : "s") + " from " + files + " file" + (files == 1 ? "" : "s")
                    + (skipped == 0 ? "" : "; skipped " + skipped + " bad row" + (skipped == 1 ? "" : "s") + " (max_bad_records = "
                            + maxBadRecords + ")") + read.note();
        } catch (RuntimeException | SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            if (e instanceof LatheException le) {
                throw le;
            }
            if (dev.lathe.core.DiskFull.is(e.getMessage())) { // the commit's: exit 5 naming the disk, not 1 "internal" (probe ta F6)
                throw new LatheException(dev.lathe.core.ErrorCode.RESOURCE_EXHAUSTED, "LOAD DATA failed: " + e.getMessage()
                        + dev.lathe.core.DiskFull.advice(e.getMessage()) + (rolledBack(e) ? "; nothing was loaded" : ""), e);
            }
            throw LatheException.internal("LOAD DATA failed: " + e.getMessage(), e);
        } finally {
            dropRejects(rejects);
            try {
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                // the connection is unusable anyway; the next statement reports it
            }
        }
    }

    /** How many files the URIs name, wildcards expanded as the readers expand them. */
    private long files(List<String> uris) {
        long files = 0;
        for (String uri : uris) {
            String sql = "SELECT count(*) FROM glob(" + Sql.literal(pattern(uri)) + ")";
            try (java.sql.Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                rows.next();
                files += Math.max(1, rows.getLong(1)); // a URI that is no local pattern (read anyway) counts as one
            } catch (SQLException e) {
                files++;
            }
        }
        return files;
    }

    private long count(String table) {
        try (java.sql.Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw Sql.error(e, table);
        }
    }

    /**
     * A file reader; the select list over it where not {@code *} (a CSV file without a header line gives its columns
     * BigQuery's names); the columns it reads as text ({@link Target#checked}), checked by {@link #misfits} through
     * {@code validation} (the reader without rejects tables, naming each row's file); and a hint for bad rows on a file's
     * first line.
     */
    private record FileRead(String reader, java.util.Optional<String> selectList, List<Target> checked, String validation,
            String badRowHint, String note) {
        FileRead(String reader, java.util.Optional<String> selectList) {
            this(reader, selectList, List.of(), null, "", "");
        }

        FileRead(String reader, java.util.Optional<String> selectList, List<Target> checked, String validation, String badRowHint) {
            this(reader, selectList, checked, validation, badRowHint, "");
        }

        /** The rows whose checked values fit: the others are bad rows, counted and named by {@link #misfits}. */
        String where() {
            return checked.isEmpty() ? "" : " WHERE " + String.join(" AND ", checked.stream().map(Target::fits).toList());
        }
    }

    /**
     * A column of the schema a file is read into: the LOAD DATA column list's, or the existing table's when appending.
     * datetime: a column list's DATETIME, DuckDB's TIMESTAMP as a table's TIMESTAMP column is too, but without a zone.
     */
    private record Target(String name, String type, boolean datetime, String alias) {
        private static final List<String> WHOLE_NUMBERS = List.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
                "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT");
        /** BigQuery's DATETIME text: a year-first date, and a time of day, without a UTC offset or a time zone. */
        private static final String DATETIME = "[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}([ T][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\\.[0-9]{1,6})?)?)?";
        /** BigQuery's DATE in a CSV or JSON file: year, month and day, with dashes (its loading docs, Limitations). */
        private static final String DATE = "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}";
        private static final String DATE_FORMAT = "%Y-%m-%d";
        private static final String TIME = "[0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\\.[0-9]{1,6})?)?";

        Target(String name, String type) {
            this(name, type, false, name);
        }

        Target(String name, String type, boolean datetime) {
            this(name, type, datetime, name);
        }

        /** This column as the file spells it (a JSON key is matched whatever its case, as BigQuery's column names are). */
        Target spelled(String inFile) {
            return new Target(inFile, type, datetime, alias);
        }

        boolean wholeNumber() {
            return WHOLE_NUMBERS.contains(type.toUpperCase(Locale.ROOT));
        }

        boolean date() {
            return type.equalsIgnoreCase("DATE");
        }

        boolean time() {
            return type.equalsIgnoreCase("TIME");
        }

        /**
         * Read as text and checked by {@link #fits}: DuckDB's readers round "2.5" into a BIGINT column (3; JSON's
         * truncates to 2), drop a UTC offset read into a TIMESTAMP (probe te F2), and the time of a timestamp read into a
         * DATE, the date read into a TIME (probe te F4), where BigQuery refuses the value. A CSV file's DATE is read by
         * DuckDB's reader told BigQuery's one form instead ({@link #DATE_FORMAT}), whose bad rows have their line.
         */
        boolean checked(boolean csv) {
            return wholeNumber() || datetime || time() || date() && !csv;
        }

        /** A table's TIMESTAMP is BigQuery's TIMESTAMP, an instant (docs/architecture.md): an offset is converted to UTC. */
        String readAs(boolean csv) {
            return checked(csv) ? "VARCHAR" : type.equalsIgnoreCase("TIMESTAMP") ? "TIMESTAMPTZ" : type;
        }

        String fits() {
            String column = Sql.quote(name);
            String form = datetime ? DATETIME : date() ? DATE : time() ? TIME : "[+-]?[0-9]+";
            return "(" + column + " IS NULL OR (regexp_full_match(trim(" + column + "), " + Sql.literal(form) + ") AND TRY_CAST(trim("
                    + column + ") AS " + type + ") IS NOT NULL))";
        }

        /** What a value that does not fit is not. */
        String expected() {
            if (datetime) {
                return "a DATETIME (YYYY-MM-DD[ HH:MM:SS[.SSSSSS]], without a UTC offset or time zone: a TIMESTAMP column takes those)";
            }
            return date() ? "a DATE (YYYY-MM-DD, without a time)" : time() ? "a TIME (HH:MM[:SS[.SSSSSS]], without a date or a UTC offset)"
                    : "a whole number of " + type;
        }

        String value(boolean csv) {
            String column = Sql.quote(name);
            return (checked(csv) ? "CAST(trim(" + column + ") AS " + type + ")" : readAs(csv).equals(type) ? column
                    : "CAST(" + column + " AS " + type + ")") + " AS " + Sql.quote(alias);
        }
    }

    /**
     * A column list's columns, each type without BigQuery's OPTIONS (...), which is dropped as the table's OPTIONS are;
     * NOT NULL and a name given twice (names are case-insensitive) are refused by name (probe te F11: NOT NULL was an
     * unknown type, two names a DuckDB binder error).
     */
    private static List<ColumnDefinition> bigQueryColumns(List<ColumnDefinition> columns, String target) {
        List<ColumnDefinition> plain = new ArrayList<>();
        for (ColumnDefinition column : columns) {
            String type = COLUMN_OPTIONS.matcher(column.type().strip()).replaceFirst("").strip();
            if (NOT_NULL.matcher(type).find()) {
                throw new LatheException(ErrorCode.UNSUPPORTED, "LOAD DATA INTO " + target + ": column '" + column.name() + "' at "
                        + column.position() + " is " + column.type().strip() + "; NOT NULL is not supported in a LOAD DATA column list"
                        + " (the columns are NULLABLE): give the type alone, " + column.name() + " " + NOT_NULL.matcher(type).replaceFirst(""));
            }
            for (ColumnDefinition earlier : plain) {
                if (earlier.name().equalsIgnoreCase(column.name())) {
                    throw new LatheException(ErrorCode.INVALID_ARGUMENT, "LOAD DATA INTO " + target + ": column '" + column.name() + "' at "
                            + column.position() + " is in the column list twice (as '" + earlier.name() + "' at " + earlier.position()
                            + "); column names are case-insensitive, as in BigQuery");
                }
            }
            plain.add(new ColumnDefinition(column.name(), type, column.position()));
        }
        return plain;
    }

    private static final java.util.regex.Pattern COLUMN_OPTIONS = java.util.regex.Pattern.compile("(?is)\\s+OPTIONS\\s*\\(.*\\)$");
    private static final java.util.regex.Pattern NOT_NULL = java.util.regex.Pattern.compile("(?i)\\s+NOT\\s+NULL$");

    private static List<Target> columnList(List<ColumnDefinition> columns) {
        return columns.stream().map(c -> new Target(c.name(), duckDbType(c), c.type().strip().equalsIgnoreCase("DATETIME"))).toList();
    }

    /**
     * A column list given for a table that exists (and is appended to) must match it, as in BigQuery, and the file is
     * read with the table's types: the list's types were used instead, so a 2.5 for a STRING in the list went into the
     * table's INT64 as 3 (probe te F5). A column of the table the list leaves out is NULL in the new rows.
     */
    private static List<Target> matchingColumns(List<ColumnDefinition> columns, List<Target> table, String target) {
        List<Target> targets = new ArrayList<>();
        for (ColumnDefinition column : columns) {
            String listed = duckDbType(column);
            Target existing = table.stream().filter(t -> t.name().equalsIgnoreCase(column.name())).findFirst().orElseThrow(() ->
                    new LatheException(ErrorCode.INVALID_ARGUMENT, "LOAD DATA INTO " + target + ": column '" + column.name() + "' at "
                            + column.position() + " of the column list is not a column of the table; its columns are "
                            + String.join(", ", table.stream().map(t -> t.name() + " " + bigQueryType(t.type())).toList())));
            DataType want = DataType.fromDuckDb(existing.type());
            if (DataType.fromDuckDb(listed) != want || want == DataType.NUMERIC && !listed.equalsIgnoreCase(existing.type())
                    || want == DataType.OTHER || want == DataType.STRUCT) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "LOAD DATA INTO " + target + ": column '" + column.name() + "' at "
                        + column.position() + " is " + column.type().strip() + " in the column list but " + bigQueryType(existing.type())
                        + " in the table; a column list for a table that exists must give its columns' types, as in BigQuery (LOAD DATA"
                        + " OVERWRITE replaces the table with the list's schema)");
            }
            targets.add(new Target(column.name(), existing.type(), column.type().strip().equalsIgnoreCase("DATETIME")));
        }
        return targets;
    }

    /** A table column's type in BigQuery's words: INT64 for BIGINT, NUMERIC(10, 2) for DECIMAL(10,2), DuckDB's otherwise. */
    static String bigQueryType(String duckDbType) {
        DataType type = DataType.fromDuckDb(duckDbType);
        if (type == DataType.NUMERIC) {
            return duckDbType.replace("DECIMAL", "NUMERIC").replace(",", ", ");
        }
        return type == DataType.OTHER || type == DataType.STRUCT ? duckDbType : type.bigQueryName();
    }

    private List<Target> tableColumns(String table) {
        List<Target> columns = new ArrayList<>();
        try (java.sql.Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("DESCRIBE " + table)) {
            while (rows.next()) {
                columns.add(new Target(rows.getString("column_name"), rows.getString("column_type")));
            }
        } catch (SQLException e) {
            throw Sql.error(e, table);
        }
        return columns;
    }

    /** The columns and types a reader finds, in file order. */
    private Map<String, String> describe(String reader, String target) {
        Map<String, String> columns = new LinkedHashMap<>();
        try (java.sql.Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("DESCRIBE SELECT * FROM " + reader)) {
            while (rows.next()) {
                columns.put(rows.getString("column_name"), rows.getString("column_type"));
            }
        } catch (SQLException e) {
            // DuckDB's reason names the file ("No files found that match the pattern ..."); the SQL it ran is Lathe's
            throw new LatheException(Sql.error(e, reader).code(), "LOAD DATA into " + target + " failed: " + loadFailure(e), e);
        }
        return columns;
    }

    /**
     * A CSV file read into a known schema. With a column list, and for a file without a header line appended to a
     * table, the fields map to the columns by position, as in BigQuery: the file's first skip_leading_rows lines are
     * skipped (a header is not detected), and a row with more or fewer fields is a bad row. A file with a header line
     * appended to a table maps its columns by name, each read with the table's type (probe rc F3, F6).
     */
    private FileRead csvInto(List<Target> targets, boolean columnList, List<String> uris, Map<String, OptionValue> options,
            String rejectsOptions, String target) {
        List<Target> read = targets;
        boolean positional = columnList;
        if (!columnList) {
            Map<String, String> file = describe(csvReader(uris, options, ""), target);
            positional = file.keySet().stream().allMatch(name -> DUCKDB_HEADERLESS.matcher(name).matches())
                    // a line of text over more text is no header in BigQuery, unless it names the table's columns (probe te F7)
                    || !options.containsKey("skip_leading_rows") && file.values().stream().allMatch("VARCHAR"::equals)
                    && !file.keySet().stream().allMatch(name -> targets.stream().anyMatch(t -> t.name().equalsIgnoreCase(name)))
                    && allText(file.keySet(), csvReader(uris, options, ", all_varchar = true, ignore_errors = true"));
            if (!positional) {
                read = new ArrayList<>();
                for (String name : file.keySet()) {
                    Target column = targets.stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst()
                            .orElseThrow(() -> new LatheException(ErrorCode.INVALID_ARGUMENT, "LOAD DATA into " + target + ": the file's column '"
                                    + name + "' is not a column of the table; the columns of a CSV file with a header line are matched by"
                                    + " name: the file has " + String.join(", ", file.keySet()) + ", the table "
                                    + String.join(", ", targets.stream().map(Target::name).toList())));
                    read.add(new Target(name, column.type(), column.datetime()));
                }
            }
        }
        List<String> types = new ArrayList<>();
        for (Target column : read) {
            types.add(Sql.literal(column.name()) + ": " + Sql.literal(column.readAs(true)));
        }
        String schema = (positional ? ", columns = {" : ", types = {") + String.join(", ", types) + "}"
                + (read.stream().anyMatch(Target::date) ? ", dateformat = " + Sql.literal(Target.DATE_FORMAT) : "");
        boolean byPosition = positional;
        java.util.function.Function<String, String> reader = extra -> byPosition ? positionalCsvReader(uris, options, schema + extra)
                : csvReader(uris, options, schema + extra);
        List<Target> checked = read.stream().filter(t -> t.checked(true)).toList();
        String selectList = String.join(", ", read.stream().map(t -> t.value(true)).toList());
        String hint = positional && !options.containsKey("skip_leading_rows") ? "; a file's line 1 is read as data: if it is a header"
                + " line, skip it with skip_leading_rows = 1 (the columns are matched to the fields by position)" : "";
        return new FileRead(reader.apply(rejectsOptions), java.util.Optional.of(selectList), checked,
                checked.isEmpty() ? null : reader.apply(", ignore_errors = true, filename = '__lathe_file'"), hint);
    }

    /**
     * A JSON load without a schema: typed from every value of every file (probe te F1: a later 2.5 in a column typed
     * INT64 from the first 20,480 went in as 2), its dates and timestamps checked as a CSV file's are (DuckDB's JSON
     * reader took '03-01-2024' for the 3rd of January), and read with those types.
     */
    private FileRead jsonTypes(List<String> uris, String target) {
        Map<String, String> columns = describe("read_json_auto(" + patterns(uris) + ", sample_size = -1, maximum_sample_files = -1)", target);
        // a whole number beyond INT64's range is FLOAT64, as a CSV file's is and as in BigQuery, not DuckDB's HUGEINT (probe te F13);
        // DuckDB also types HUGEINT a column of whole numbers with a negative one, all within INT64: that one is INT64 (probe uc F3)
        List<String> wide = columns.entrySet().stream().filter(c -> List.of("HUGEINT", "UHUGEINT", "UBIGINT").contains(c.getValue()))
                .map(Map.Entry::getKey).toList();
        java.util.Set<String> withinInt64 = wide.isEmpty() ? java.util.Set.of() : withinInt64(jsonReader(uris, columns, ""), wide, target);
        columns.replaceAll((name, type) -> !wide.contains(name) ? type : withinInt64.contains(name) ? "BIGINT" : "DOUBLE");
        if (columns.keySet().stream().anyMatch(name -> RENAMED.matcher(name).matches())) {
            jsonKeys(uris, target); // DuckDB renames a key that differs from another only in case, A to A_1: refused there
        }
        List<String> sniffed = new ArrayList<>();
        List<String> types = new ArrayList<>();
        Map<String, String> text = new LinkedHashMap<>(columns);
        for (Map.Entry<String, String> column : columns.entrySet()) {
            String type = column.getValue();
            if (type.equals("DATE") || type.startsWith("TIMESTAMP")) {
                sniffed.add(column.getKey());
                types.add(type);
                text.put(column.getKey(), "VARCHAR");
            }
        }
        if (!sniffed.isEmpty()) {
            checkSniffedTypes(columns, sniffed, types, jsonReader(uris, text, ""));
        }
        return new FileRead(jsonReader(uris, columns, ""), java.util.Optional.empty());
    }

    /**
     * The top-level keys of every object of the files, in the order first met. Two that differ only in case are refused:
     * BigQuery's column names are case-insensitive, so they would name one column (DuckDB made two, a and A_1).
     */
    private List<String> jsonKeys(List<String> uris, String target) {
        String sql = "SELECT key FROM (SELECT DISTINCT unnest(json_keys(json)) AS key FROM read_json_objects(" + patterns(uris) + "))"
                + " ORDER BY lower(key), key";
        List<String> keys = new ArrayList<>();
        try (java.sql.Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                String key = rows.getString(1);
                if (!keys.isEmpty() && keys.get(keys.size() - 1).equalsIgnoreCase(key)) {
                    throw new LatheException(ErrorCode.INVALID_DATA, "LOAD DATA into " + target + ": the file's keys '" + keys.get(keys.size() - 1)
                            + "' and '" + key + "' differ only in case; column names are case-insensitive, as in BigQuery, so they would"
                            + " name one column: rename one of them in the file");
                }
                keys.add(key);
            }
        } catch (SQLException e) {
            throw new LatheException(Sql.error(e, sql).code(), "LOAD DATA into " + target + " failed: " + loadFailure(e), e);
        }
        return keys;
    }

    private static final java.util.regex.Pattern RENAMED = java.util.regex.Pattern.compile(".+_[0-9]+");

    /** Of {@code candidates}, columns of whole numbers read by {@code reader}, those whose every value is within INT64's range. */
    private java.util.Set<String> withinInt64(String reader, List<String> candidates, String target) {
        List<String> checks = candidates.stream().map(name -> "coalesce(bool_and(" + Sql.quote(name) + " BETWEEN -9223372036854775808"
                + " AND 9223372036854775807), TRUE)").toList();
        String sql = "SELECT " + String.join(", ", checks) + " FROM " + reader;
        java.util.Set<String> within = new java.util.HashSet<>();
        try (java.sql.Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            for (int i = 0; i < candidates.size(); i++) {
                if (rows.getBoolean(i + 1)) {
                    within.add(candidates.get(i));
                }
            }
        } catch (SQLException e) {
            throw new LatheException(Sql.error(e, sql).code(), "LOAD DATA into " + target + " failed: " + loadFailure(e), e);
        }
        return within;
    }

    private static String jsonReader(List<String> uris, Map<String, String> columns, String extra) {
        return "read_json(" + patterns(uris) + ", columns = " + struct(columns) + extra + ")";
    }

    /**
     * A JSON file read into a known schema: keys map to columns by name whatever their case, as BigQuery's column names
     * are case-insensitive (DuckDB matches them exactly, so a key Name left the column name NULL: probe te F3), and a
     * key that is no column fails the load (BigQuery: unless ignore_unknown_values) rather than being dropped. The keys
     * are those of every object: DuckDB's reader drops a key it was not given without a word.
     */
    private FileRead jsonInto(List<Target> targets, List<String> uris, String target) {
        List<String> keys = jsonKeys(uris, target);
        List<Target> read = new ArrayList<>();
        for (Target column : targets) {
            read.add(keys.stream().filter(k -> k.equalsIgnoreCase(column.name())).findFirst().map(column::spelled).orElse(column));
        }
        for (String name : keys) {
            if (targets.stream().noneMatch(t -> t.name().equalsIgnoreCase(name))) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "LOAD DATA into " + target + ": the file's key '" + name
                        + "' is not a column of the table; columns are: " + String.join(", ", targets.stream().map(Target::name).toList()));
            }
        }
        targets = read;
        List<String> types = new ArrayList<>();
        for (Target column : targets) {
            types.add(Sql.literal(column.name()) + ": " + Sql.literal(column.readAs(false)));
        }
        java.util.function.Function<String, String> reader = extra -> "read_json(" + patterns(uris) + ", columns = {" + String.join(", ", types)
                + "}" + extra + ")";
        List<Target> checked = targets.stream().filter(t -> t.checked(false)).toList();
        return new FileRead(reader.apply(""), java.util.Optional.of(String.join(", ", targets.stream().map(t -> t.value(false)).toList())),
                checked, checked.isEmpty() ? null : reader.apply(", filename = '__lathe_file'"), "");
    }

    /**
     * The rows whose text for a checked column does not fit it (for a whole number "2.5", "x", "1e3" or one out of its
     * type's range; for a DATETIME a UTC offset; for a DATE a time), each named by file, column and value: DuckDB's
     * readers would round the number (probe rc F6), drop the offset (probe te F2) or the time (probe te F4).
     */
    private Misfits misfits(FileRead read, String target) {
        List<String> reasons = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        List<String> headerLike = new ArrayList<>();
        for (Target column : read.checked()) {
            reasons.add("CASE WHEN NOT " + column.fits() + " THEN " + Sql.literal("column " + column.name() + " holds '") + " || "
                    + Sql.quote(column.name()) + " || " + Sql.literal("', not " + column.expected()) + " END");
            conditions.add("NOT " + column.fits());
            headerLike.add("lower(trim(" + Sql.quote(column.name()) + ")) = " + Sql.literal(column.name().toLowerCase(Locale.ROOT)));
        }
        String sql = "SELECT __lathe_file, concat_ws('; ', " + String.join(", ", reasons) + "), " + String.join(" OR ", headerLike) + " FROM " + read.validation() + " WHERE "
                + String.join(" OR ", conditions);
        List<String> bad = new ArrayList<>();
        boolean header = false;
        try (java.sql.Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                bad.add(rows.getString(1) + ": " + rows.getString(2));
                header |= rows.getBoolean(3);
            }
        } catch (SQLException e) {
            throw new LatheException(Sql.error(e, sql).code(), "LOAD DATA into " + target + " failed: " + loadFailure(e), e);
        }
        return new Misfits(bad, header);
    }

    /**
     * Parquet files united by name; read into a known schema (a column list, or the table appended to), a whole-number
     * column the file holds as another type (DOUBLE 2.5) is checked first: the CAST would round it (probe rc: a Parquet
     * DOUBLE appended to an INT64 table, as CSV and JSON did before).
     */
    private FileRead parquetInto(List<Target> targets, List<String> uris, boolean columnList, String target) {
        String options = patterns(uris) + ", union_by_name = true";
        String reader = "read_parquet(" + options + ")";
        if (targets.isEmpty()) {
            return new FileRead(reader, java.util.Optional.empty());
        }
        Map<String, String> file = describe(reader, target);
        // a column list's column the files lack is NULL, as BigQuery gives a NULLABLE field a file lacks (it was a binder error)
        java.util.Optional<String> selectList = !columnList ? java.util.Optional.empty() : java.util.Optional.of(String.join(", ",
                targets.stream().map(t -> file.keySet().stream().anyMatch(t.name()::equalsIgnoreCase)
                        ? "CAST(" + Sql.quote(t.name()) + " AS " + t.type() + ") AS " + Sql.quote(t.alias())
                        : "CAST(NULL AS " + t.type() + ") AS " + Sql.quote(t.alias())).toList()));
        for (Target column : targets) {
            Map.Entry<String, String> read = file.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(column.name())).findFirst()
                    .orElse(null);
            if (read != null && !widens(read.getValue(), column.type())) {
                throw new LatheException(ErrorCode.INVALID_DATA, "LOAD DATA into " + target + " failed: column " + column.name() + " is "
                        + read.getValue() + " in " + String.join(", ", uris) + ", " + column.type() + " in the table; a Parquet column must"
                        + " have its column's type, or one it widens to without loss (BigQuery: Provided Schema does not match Table);"
                        + " nothing was loaded");
            }
            if (!column.wholeNumber() || read == null || new Target(read.getKey(), read.getValue()).wholeNumber()) {
                continue;
            }
            String found = read.getValue();
            String value = Sql.quote(read.getKey());
            String sql = "SELECT filename, CAST(" + value + " AS VARCHAR) FROM read_parquet(" + options + ", filename = true)"
                    + " WHERE " + value + " IS NOT NULL AND (TRY_CAST(" + value + " AS DOUBLE) IS NULL OR TRY_CAST(" + value
                    + " AS DOUBLE) <> trunc(TRY_CAST(" + value + " AS DOUBLE)) OR TRY_CAST(" + value + " AS " + column.type() + ") IS NULL) LIMIT 1";
            try (java.sql.Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                if (rows.next()) {
                    throw new LatheException(ErrorCode.INVALID_DATA, "LOAD DATA into " + target + " failed: " + rows.getString(1)
                            + ": column " + column.name() + " holds '" + rows.getString(2) + "' (" + found + "), not a whole number of "
                            + column.type() + "; nothing was loaded. Round it in the file, or load into a FLOAT64 column");
                }
            } catch (SQLException e) {
                throw new LatheException(Sql.error(e, sql).code(), "LOAD DATA into " + target + " failed: " + loadFailure(e), e);
            }
        }
        return new FileRead(reader, selectList);
    }

    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile(
            "(?i)(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL\\(.*\\))");

    /**
     * Whether a Parquet column of type found goes into a column of type to without a changed value: DuckDB's cast took
     * a TIMESTAMP into a DATE without its time, a DOUBLE into a STRING and a BOOLEAN into an INT64 (probe te F4). Numbers
     * go into numbers (whole numbers checked value by value), a DATE into a timestamp; nested and other types as DuckDB
     * casts them.
     */
    private static boolean widens(String found, String to) {
        String from = found.toUpperCase(Locale.ROOT);
        String into = to.toUpperCase(Locale.ROOT);
        if (from.equals(into)) {
            return true;
        }
        if (NUMBER.matcher(into).matches()) {
            boolean decimal = into.startsWith("DECIMAL");
            return NUMBER.matcher(from).matches() && !(decimal && (from.equals("FLOAT") || from.equals("DOUBLE")))
                    && !(decimal && from.startsWith("DECIMAL") && scale(from) > scale(into)); // a rounded fraction
        }
        return switch (into) {
            case "VARCHAR", "BOOLEAN", "DATE", "TIME" -> false;
            case "BLOB" -> from.equals("VARCHAR");
            case "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" -> from.startsWith("TIMESTAMP") || from.equals("DATE");
            default -> true;
        };
    }

    /** The scale of DECIMAL(p,s). */
    private static int scale(String decimal) {
        return Integer.parseInt(decimal.substring(decimal.indexOf(',') + 1, decimal.indexOf(')')).strip());
    }

    /** Bad rows found by {@link #misfits}; headerLike when a row holds a column's own name, as a header line does. */
    private record Misfits(List<String> rows, boolean headerLike) {}

    /**
     * A wildcard that matches no file fails the load, naming it, as BigQuery's "Not found: Uris" does: it was refused as
     * an empty file, or with DuckDB's "No files found that match the pattern" (probe te F8).
     */
    private void refuseEmptyWildcards(List<String> uris, String target) {
        for (String uri : uris) {
            if (!uri.contains("*")) {
                continue;
            }
            String sql = "SELECT count(*) FROM glob(" + Sql.literal(pattern(uri)) + ")";
            try (java.sql.Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                if (rows.next() && rows.getLong(1) == 0) {
                    throw new LatheException(ErrorCode.INVALID_ARGUMENT, "LOAD DATA into " + target + ": no file matches '" + uri + "' ("
                            + Path.of(uri).toAbsolutePath() + ", in uris; * stands for any characters within a name)");
                }
            } catch (SQLException e) {
                throw Sql.error(e, sql);
            }
        }
    }

    /**
     * A load without a schema (no column list, no table to append to) infers it from the files; from empty files DuckDB
     * invented a column (string_field_0, or json), so they are refused (probe rc M5).
     */
    private void refuseEmptyFiles(List<String> uris, String target) {
        String sql = "SELECT count(*) FILTER (WHERE size > 0) FROM read_blob(" + patterns(uris) + ")";
        try (java.sql.Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            if (rows.next() && rows.getLong(1) == 0) {
                throw new LatheException(ErrorCode.INVALID_DATA, "LOAD DATA into " + target + ": " + (uris.size() == 1 ? "the file is" : "the files are")
                        + " empty, so there is no schema to infer; give a column list, LOAD DATA INTO " + target + " (name TYPE, ...), or"
                        + " append to an existing table");
            }
        } catch (SQLException e) {
            // a missing file or a glob that matches nothing: the reader names it below
        }
    }

    /**
     * A CSV load without a schema: the columns are typed from every row of every file ({@code sample_size = -1},
     * {@code files_to_sniff = -1}), as batch jobs type their input (docs/benchmarks.md). DuckDB's default, the first 20,480
     * rows of the first 10 files, typed a column INT64 that a later {@code 2.5} then went into as 3 (probe te F1); BigQuery
     * never rounds. The file is then read with those types, so it is sniffed from end to end once.
     */
    private FileRead bigQueryTypes(List<String> uris, Map<String, OptionValue> options, String rejectsOptions, String target) {
        // sniffed as the load reads, bad rows and all (without ignore_errors, a jagged file was sniffed as one column)
        Map<String, String> columns = describe(csvReader(uris, options, ", sample_size = -1, files_to_sniff = -1, ignore_errors = true"), target);
        java.util.OptionalLong skip = skipLeadingRows(options);
        if (skip.isPresent() && skip.getAsLong() >= 1 && !headerlessNames(columns).isEmpty()) {
            // told that line N holds the names, DuckDB found no line N and invented a column, column0 (probe te F13)
            throw new LatheException(ErrorCode.INVALID_DATA, "LOAD DATA into " + target + ": skip_leading_rows = " + skip.getAsLong()
                    + " skips every line of " + (uris.size() == 1 ? "the file" : "the files") + " (line " + skip.getAsLong() + " would hold"
                    + " the column names), so there is no schema to infer; give a smaller skip_leading_rows, or a column list, LOAD DATA"
                    + " INTO " + target + " (name TYPE, ...)");
        }
        List<String> sniffed = new ArrayList<>(); // BOOLEAN, DATE and TIMESTAMP columns
        List<String> types = new ArrayList<>();
        for (Map.Entry<String, String> column : columns.entrySet()) {
            String type = column.getValue();
            if (type.equals("BOOLEAN") || type.equals("DATE") || type.startsWith("TIMESTAMP")) {
                sniffed.add(column.getKey());
                types.add(type);
            }
        }
        // read again with the default sample, the sniffer could take another line for the header: it is told
        java.util.Optional<Boolean> header = java.util.Optional.of(headerlessNames(columns).isEmpty());
        if (!sniffed.isEmpty()) {
            checkSniffedTypes(columns, sniffed, types, csvReader(uris, options, header, ", all_varchar = true, ignore_errors = true"));
        }
        String note = "";
        if (header.get() && !options.containsKey("skip_leading_rows") && columns.values().stream().allMatch("VARCHAR"::equals)
                && allText(columns.keySet(), csvReader(uris, options, header, ", all_varchar = true, ignore_errors = true"))) {
            // BigQuery takes line 1 for a header only where its fields are text and the other lines' are not (probe te F7:
            // DuckDB took the first line of a headerless file of names for its header, and the row was lost)
            header = java.util.Optional.of(false);
            columns = new LinkedHashMap<>();
            for (String name : describe(csvReader(uris, options, header, ", ignore_errors = true"), target).keySet()) {
                columns.put(name, "VARCHAR");
            }
            note = "; every column is text, so no header line was detected (as in BigQuery) and line 1 is a row: if it holds the"
                    + " column names, load with skip_leading_rows = 1";
        }
        return new FileRead(csvReader(uris, options, header, rejectsOptions + ", types = " + struct(columns)), headerlessNames(columns),
                List.of(), null, "", note);
    }

    /**
     * Whether no column under the header holds only numbers, true/false, dates or timestamps: BigQuery's auto-detection
     * would type such a column, so its line 1 is a header. DuckDB's types do not tell: it gave files of numbers whose
     * columns come in another order VARCHAR columns.
     */
    private boolean allText(java.util.Set<String> names, String textReader) {
        List<String> typed = new ArrayList<>();
        for (String name : names) {
            String value = "trim(" + Sql.quote(name) + ")";
            typed.add("coalesce(bool_and(regexp_full_match(" + value + ", '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?')"
                    + " OR lower(" + value + ") IN ('true', 'false') OR regexp_full_match(" + value + ", "
                    + Sql.literal("[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}([ T].*)?") + ")) FILTER (WHERE " + value + " <> ''), false)");
        }
        String sql = "SELECT " + String.join(" OR ", typed) + " FROM " + textReader;
        try (java.sql.Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return !rows.getBoolean(1);
        } catch (SQLException e) {
            throw Sql.error(e, sql);
        }
    }

    /** {@code {'name': 'TYPE', ...}}, the columns and types a reader is given. */
    private static String struct(Map<String, String> columns) {
        List<String> schema = new ArrayList<>();
        for (Map.Entry<String, String> column : columns.entrySet()) {
            schema.add(Sql.literal(column.getKey()) + ": " + Sql.literal(column.getValue()));
        }
        return "{" + String.join(", ", schema) + "}";
    }

    /**
     * DuckDB's sniffer reads Yes/No, Y/N and 1/0 columns as BOOLEAN; BigQuery's schema auto-detection only takes
     * true/false. Columns sniffed BOOLEAN that hold anything else stay STRING, so a "Yes"/"No" label keeps its values, as
     * it would in BigQuery. Likewise dates and timestamps: DuckDB's sniffer takes '03/01/2024' as a date, day first or
     * month first depending on the file's other rows (so one text could load as two dates); BigQuery's only reads
     * year-first dates, so a DATE or TIMESTAMP column with any other text stays STRING.
     */
    private void checkSniffedTypes(Map<String, String> columns, List<String> sniffed, List<String> types, String textReader) {
        List<String> checks = new ArrayList<>();
        for (int i = 0; i < sniffed.size(); i++) {
            String column = Sql.quote(sniffed.get(i));
            String fits = switch (types.get(i)) {
                case "BOOLEAN" -> "lower(trim(" + column + ")) IN ('true', 'false')";
                case "DATE" -> "regexp_full_match(trim(" + column + "), " + Sql.literal(Target.DATE) + ")";
                default -> "regexp_full_match(trim(" + column + "), '[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}([ T].*)?')";
            };
            checks.add("count(*) FILTER (WHERE " + column + " IS NOT NULL AND NOT " + fits + ")");
            // DuckDB's TIMESTAMP drops a UTC offset (10:00+02:00 read as 10:00; probe te F2): a column where a value has one
            // is read as TIMESTAMPTZ, each value converted to UTC, as BigQuery's TIMESTAMP is
            checks.add(types.get(i).equals("TIMESTAMP") ? "count(*) FILTER (WHERE NOT regexp_full_match(trim(" + column + "), "
                    + Sql.literal(Target.DATETIME) + "))" : "0");
        }
        String sql = "SELECT " + String.join(", ", checks) + " FROM " + textReader;
        try (java.sql.Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            for (int i = 0; i < sniffed.size(); i++) {
                if (rows.getLong(2 * i + 1) > 0) {
                    columns.put(sniffed.get(i), "VARCHAR");
                } else if (rows.getLong(2 * i + 2) > 0) {
                    columns.put(sniffed.get(i), "TIMESTAMPTZ");
                }
            }
        } catch (SQLException e) {
            throw Sql.error(e, sql);
        }
    }

    private static final java.util.regex.Pattern DUCKDB_HEADERLESS = java.util.regex.Pattern.compile("column[0-9]+");

    /**
     * For a CSV file without a header line, BigQuery's column names instead of DuckDB's (column0, column1, ...):
     * {@code string_field_0}, {@code int64_field_1}, {@code double_field_2}, ... (type, then the 0-based position), so SQL
     * written against BigQuery's auto-detected schema runs unchanged. Empty when the file has a header.
     */
    private static java.util.Optional<String> headerlessNames(Map<String, String> columns) {
        List<String> renames = new ArrayList<>();
        int position = 0;
        for (Map.Entry<String, String> column : columns.entrySet()) {
            if (!DUCKDB_HEADERLESS.matcher(column.getKey()).matches()) {
                return java.util.Optional.empty();
            }
            renames.add(Sql.quote(column.getKey()) + " AS " + Sql.quote(bigQueryTypeWord(column.getValue()) + "_field_" + position++));
        }
        return renames.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(String.join(", ", renames));
    }

    private static String bigQueryTypeWord(String duckDbType) {
        String type = duckDbType.toUpperCase(Locale.ROOT);
        if (type.equals("BOOLEAN")) {
            return "bool";
        } else if (type.endsWith("INT") || type.equals("BIGINT") || type.equals("INTEGER") || type.equals("HUGEINT")) {
            return "int64";
        } else if (type.equals("DOUBLE") || type.equals("FLOAT") || type.startsWith("DECIMAL")) {
            return "double";
        } else if (type.equals("DATE")) {
            return "date";
        } else if (type.startsWith("TIMESTAMP")) {
            return "timestamp";
        } else if (type.equals("TIME")) {
            return "time";
        }
        return "string";
    }

    private static String csvReader(List<String> uris, Map<String, OptionValue> options, String extra) {
        return csvReader(uris, options, java.util.Optional.empty(), extra);
    }

    /** A CSV reader; header, where given, is whether the file has a header line that skip_leading_rows left to detect. */
    private static String csvReader(List<String> uris, Map<String, OptionValue> options, java.util.Optional<Boolean> header,
            String extra) {
        List<String> arguments = new ArrayList<>(List.of(patterns(uris), "auto_detect = true"));
        java.util.OptionalLong skip = skipLeadingRows(options);
        if (skip.isPresent()) {
            arguments.add(skip.getAsLong() >= 1 ? "header = true" : "header = false");
            arguments.add("skip = " + Math.max(0, skip.getAsLong() - 1));
        } else {
            // DuckDB's sniffer would otherwise drop leading rows it finds inconsistent with the rest, silently; BigQuery
            // skips nothing unless told (it only detects a header).
            arguments.add("skip = 0");
            header.ifPresent(h -> arguments.add("header = " + h));
        }
        return "read_csv(" + String.join(", ", readOptions(options, arguments)) + extra + ")";
    }

    /** A CSV reader of the fields by position (given as {@code columns = {...}} in extra): no header, no sniffing. */
    private static String positionalCsvReader(List<String> uris, Map<String, OptionValue> options, String extra) {
        List<String> arguments = new ArrayList<>(List.of(patterns(uris), "auto_detect = false", "header = false",
                "skip = " + skipLeadingRows(options).orElse(0)));
        return "read_csv(" + String.join(", ", readOptions(options, arguments)) + extra + ")";
    }

    /** BigQuery's skip_leading_rows, an INT64 >= 0 (probe rc M2: -1 was read as 0, 1.5 as 1). */
    private static java.util.OptionalLong skipLeadingRows(Map<String, OptionValue> options) {
        OptionValue value = options.get("skip_leading_rows");
        if (value == null) {
            return java.util.OptionalLong.empty();
        }
        if (value instanceof OptionValue.NumberValue n && n.integral() && n.value().signum() >= 0) {
            return java.util.OptionalLong.of(n.value().longValue());
        }
        throw new LatheException(ErrorCode.INVALID_OPTION, "LOAD DATA option skip_leading_rows must be a whole number >= 0, got "
                + value.describe());
    }

    private static List<String> readOptions(Map<String, OptionValue> options, List<String> arguments) {
        string(options, "encoding").ifPresent(e -> arguments.add("encoding = " + Sql.literal(duckDbEncoding(e))));
        string(options, "field_delimiter").ifPresent(d -> arguments.add("delim = " + Sql.literal(fieldDelimiter(d))));
        string(options, "null_marker").ifPresent(d -> arguments.add("nullstr = " + Sql.literal(d)));
        string(options, "quote").ifPresent(d -> arguments.add("quote = " + Sql.literal(d)));
        return arguments;
    }

    /**
     * Rows DuckDB cannot read (a missing or extra column, a value that does not fit the column's type) go to two
     * temporary tables named for this load instead of failing it at the first, so that {@link #checkBadRows} can name
     * them all and apply max_bad_records.
     */
    private static String rejectsOptions(String rejects) {
        return ", ignore_errors = true, rejects_table = " + Sql.literal(rejects) + ", rejects_scan = " + Sql.literal(rejects + "_scans");
    }

    /**
     * BigQuery's max_bad_records (default 0): with more bad rows the load fails naming them (file and line, up to
     * five), else it goes on without them. Bad rows are the reader's rejects and the misfits found before; hint ends the
     * message where a file's first line is among them. Returns how many rows were skipped.
     */
    private long checkBadRows(String rejects, long maxBadRecords, Misfits misfits, String hint, boolean csv) {
        String sql = "SELECT s.file_path, e.line, string_agg(e.error_message, '; ' ORDER BY e.column_idx) FROM temp."
                + Sql.quote(rejects) + " e JOIN temp." + Sql.quote(rejects + "_scans")
                + " s USING (scan_id, file_id) GROUP BY s.file_path, e.line ORDER BY s.file_path, e.line";
        List<String> bad = new ArrayList<>();
        boolean firstLine = false;
        try (java.sql.Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                bad.add(rows.getString(1) + ", line " + rows.getLong(2) + ": " + rows.getString(3)
                        .replace(" to 'DATE'", " to 'DATE' (a DATE is YYYY-MM-DD, without a time)"));
                firstLine |= rows.getLong(2) == 1;
            }
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).contains("does not exist")) { // else no row was rejected, so DuckDB made no table
                throw Sql.error(e, sql);
            }
        }
        bad.addAll(misfits.rows());
        firstLine |= misfits.headerLike();
        if (bad.size() > maxBadRecords) {
            throw new LatheException(ErrorCode.INVALID_DATA, "LOAD DATA found " + bad.size() + " bad row" + (bad.size() == 1 ? "" : "s")
                    + " (max_bad_records = " + maxBadRecords + "; nothing was loaded): " + String.join("; ", bad.subList(0, Math.min(5, bad.size())))
                    + (bad.size() > 5 ? "; ..." : "") + (firstLine ? hint : "") + (csv ? ". Fix the rows, or raise max_bad_records to load the"
                    + " others without them" : ". Fix the rows (max_bad_records applies to CSV files only)"));
        }
        return bad.size();
    }

    private void dropRejects(String rejects) {
        for (String table : List.of(rejects, rejects + "_scans")) {
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS temp." + Sql.quote(table));
            } catch (SQLException e) {
                // a temporary table: gone with the connection at the latest
            }
        }
    }

    private static long maxBadRecords(Map<String, OptionValue> options) {
        OptionValue value = options.get("max_bad_records");
        if (value == null) {
            return 0;
        }
        if (value instanceof OptionValue.NumberValue n && n.integral() && n.value().signum() >= 0) {
            return n.value().longValue();
        }
        throw new LatheException(ErrorCode.INVALID_OPTION, "LOAD DATA option max_bad_records must be a whole number >= 0, got "
                + value.describe());
    }

    /**
     * BigQuery's field_delimiter: one single-byte (ISO-8859-1) character, or \t or tab (bq's name) for a tab. DuckDB took
     * 'tab' as a three-character delimiter and '' as none given (probe te F10).
     */
    private static String fieldDelimiter(String delimiter) {
        if (delimiter.equals("\\t") || delimiter.equalsIgnoreCase("tab")) {
            return "\t";
        }
        if (delimiter.length() != 1 || delimiter.charAt(0) > 0xFF) {
            throw new LatheException(ErrorCode.INVALID_OPTION, "LOAD DATA option field_delimiter must be one character (a single byte,"
                    + " as in BigQuery: ISO-8859-1), or '\\t' or 'tab' for a tab; got '" + delimiter + "'");
        }
        return delimiter;
    }

    /** BigQuery's encodings that DuckDB's CSV reader has: UTF-8 and ISO-8859-1 (latin-1). */
    private static String duckDbEncoding(String encoding) {
        return switch (encoding.toUpperCase(Locale.ROOT).replace("_", "-")) {
            case "UTF-8", "UTF8" -> "utf-8";
            case "ISO-8859-1", "LATIN-1", "LATIN1" -> "latin-1";
            default -> throw new LatheException(ErrorCode.INVALID_OPTION, "LOAD DATA encoding '" + encoding
                    + "' is not supported; accepted: UTF-8, ISO-8859-1");
        };
    }

    /**
     * The CSV options Lathe cannot honour refuse the load rather than being ignored: allow_jagged_rows and
     * ignore_unknown_values (such rows are bad rows, see max_bad_records), and CSV-only options given for another format.
     */
    private static void checkCsvOnlyOptions(Map<String, OptionValue> options, String format) {
        for (String unsupported : List.of("allow_jagged_rows", "ignore_unknown_values")) {
            if (options.get(unsupported) instanceof OptionValue.BoolValue b && b.value()) {
                throw new LatheException(ErrorCode.INVALID_OPTION, "LOAD DATA option " + unsupported + " = true is not supported;"
                        + " rows with missing or extra values are bad rows: raise max_bad_records to load the others without them");
            }
        }
        if (!format.equals("CSV")) {
            for (String csvOnly : List.of("skip_leading_rows", "field_delimiter", "null_marker", "quote", "allow_quoted_newlines",
                    "allow_jagged_rows", "encoding", "max_bad_records")) {
                if (options.containsKey(csvOnly)) {
                    throw new LatheException(ErrorCode.INVALID_OPTION, "LOAD DATA option " + csvOnly + " applies to format = 'CSV', not "
                            + format);
                }
            }
        }
    }

    /** BigQuery's parameterized decimals, NUMERIC(P[, S]) and BIGNUMERIC(P[, S]) (probe rc: refused as unknown types). */
    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile(
            "(?i)(?:BIG)?(?:NUMERIC|DECIMAL)\\s*\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\)");

    static String duckDbType(ColumnDefinition column) {
        java.util.regex.Matcher decimal = DECIMAL.matcher(column.type().strip());
        if (decimal.matches()) {
            int precision = Integer.parseInt(decimal.group(1));
            int scale = decimal.group(2) == null ? 0 : Integer.parseInt(decimal.group(2));
            if (precision < 1 || precision > 38 || scale > precision) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Column '" + column.name() + "' at " + column.position() + " has type "
                        + column.type() + "; a decimal's precision is 1 to 38 (DuckDB's largest) and its scale at most the precision");
            }
            return "DECIMAL(" + precision + "," + scale + ")";
        }
        return switch (column.type().toUpperCase(Locale.ROOT)) {
            case "INT64", "INTEGER", "INT", "BIGINT" -> "BIGINT";
            case "FLOAT64", "FLOAT", "DOUBLE" -> "DOUBLE";
            case "NUMERIC", "DECIMAL" -> "DECIMAL(38,9)";
            case "BIGNUMERIC" -> "DECIMAL(38,9)"; // as everywhere else in Lathe (probe rc F2)
            case "STRING" -> "VARCHAR";
            case "BOOL", "BOOLEAN" -> "BOOLEAN";
            case "BYTES" -> "BLOB";
            case "DATE" -> "DATE";
            case "DATETIME" -> "TIMESTAMP";
            case "TIME" -> "TIME";
            case "TIMESTAMP" -> "TIMESTAMPTZ";
            default -> throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Column '" + column.name() + "' at " + column.position()
                    + " has type " + column.type() + "; accepted: INT64, FLOAT64, NUMERIC, BIGNUMERIC, STRING, BOOL, BYTES, DATE, DATETIME, TIME, TIMESTAMP");
        };
    }

    private static final java.util.regex.Pattern URL = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://");

    private static List<String> uris(Map<String, OptionValue> options, String format) {
        OptionValue value = options.get("uris");
        List<String> uris = new ArrayList<>();
        if (value instanceof OptionValue.StringValue s) {
            uris.add(s.value());
        } else if (value instanceof OptionValue.ArrayValue a) {
            for (OptionValue element : a.elements()) {
                if (!(element instanceof OptionValue.StringValue s)) {
                    throw new LatheException(ErrorCode.INVALID_OPTION, "uris at " + element.position() + " must hold strings, got "
                            + element.describe());
                }
                uris.add(s.value());
            }
        }
        if (uris.isEmpty()) {
            throw new LatheException(ErrorCode.INVALID_OPTION, "LOAD DATA needs uris = ['path/to/file.csv', ...] in FROM FILES(...)");
        }
        for (String uri : uris) {
            // a URL's scheme, gs:// or https://; a local folder named http_logs is no URL (probe te F9)
            if (URL.matcher(uri).lookingAt()) {
                throw new LatheException(ErrorCode.INVALID_OPTION, "uris must be local file paths; '" + uri + "' is a URL");
            }
            if (!uri.contains("*") && Files.isDirectory(Path.of(uri))) {
                String extension = format.equals("NEWLINE_DELIMITED_JSON") ? "json" : format.toLowerCase(Locale.ROOT);
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "'" + uri + "' in uris of LOAD DATA is a directory ("
                        + Path.of(uri).toAbsolutePath() + "); uris name files: name its files with a wildcard, e.g. '"
                        + Path.of(uri).resolve("*." + extension) + "'");
            }
            if (!uri.contains("*") && !Files.isRegularFile(Path.of(uri))) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "File not found: " + Path.of(uri).toAbsolutePath()
                        + " (in uris of LOAD DATA)");
            }
        }
        return uris;
    }

    private static java.util.Optional<String> string(Map<String, OptionValue> options, String name) {
        OptionValue value = options.get(name);
        if (value == null) {
            return java.util.Optional.empty();
        }
        if (value instanceof OptionValue.StringValue s) {
            return java.util.Optional.of(s.value());
        }
        throw new LatheException(ErrorCode.INVALID_OPTION, "LOAD DATA option '" + name + "' at " + value.position()
                + " must be a string, got " + value.describe());
    }

    /** The uris as the list of patterns DuckDB's readers take. */
    private static String patterns(List<String> uris) {
        return "[" + String.join(", ", uris.stream().map(uri -> Sql.literal(pattern(uri))).toList()) + "]";
    }

    /**
     * A uri as a DuckDB glob pattern: BigQuery's only wildcard is {@code *}, but DuckDB also globs {@code ?} and
     * {@code [...]}, so a file named a[1].csv loaded a1.csv (probe te F6). Each is matched literally as a one-character
     * set, [[] and [?].
     */
    private static String pattern(String uri) {
        StringBuilder pattern = new StringBuilder();
        for (char c : uri.toCharArray()) {
            pattern.append(c == '[' ? "[[]" : c == '?' ? "[?]" : String.valueOf(c));
        }
        return pattern.toString();
    }

    /**
     * DuckDB's reason for a failed read, less its advice to set read options LOAD DATA does not take: files of a wildcard
     * with other columns ended "try setting union_by_name=True" (probe L), Parquet files "Enable the union_by_name=True
     * option ... Use a COPY statement", JSON files "Try setting 'auto_detect' to true, ..." (probe rc M6) and "Try increasing
     * 'sample_size', reducing 'maximum_depth', ..." (probe te F12), CSV files "Potential Fixes * Consider setting ...".
     */
    static String loadFailure(SQLException e) {
        String reason = DuckDbMessages.brief(e.getMessage());
        int advice = reason.indexOf(" If you are trying to read files with different schemas");
        if (advice >= 0) {
            return reason.substring(0, advice) + "; every file a LOAD DATA reads must have the first file's"
                    + " columns: load the others with a LOAD DATA of their own";
        }
        for (String readerAdvice : List.of(" Try setting '", " Try increasing '", "Possible Solution", "Potential Fixes",
                "Enable the union_by_name", "Use a COPY statement")) {
            int at = reason.indexOf(readerAdvice);
            if (at >= 0) {
                reason = reason.substring(0, at).strip();
            }
        }
        return reason;
    }

    /** Whether the failed load's transaction is gone: rolled back here, or by DuckDB itself when its commit failed. */
    private static boolean rolledBack(Exception failure) {
        return java.util.Arrays.stream(failure.getSuppressed())
                .allMatch(rollback -> String.valueOf(rollback.getMessage()).contains("no transaction is active"));
    }
}
