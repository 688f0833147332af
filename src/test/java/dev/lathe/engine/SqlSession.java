package dev.lathe.engine;

import dev.lathe.core.LatheException;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A real engine on a temporary data directory, with helpers that read results into plain Java values. */
final class SqlSession implements AutoCloseable {
    private final Path dataDirectory;
    private Engine engine;

    SqlSession(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
        this.engine = Lathe.open(dataDirectory);
    }

    /** A session of an open platform (the caller closes the platform after this session). */
    SqlSession(Platform platform) {
        this.dataDirectory = platform.dataDirectory();
        this.engine = platform.session(line -> {});
    }

    static String samples() {
        return Path.of("src/main/resources/dev/lathe/samples").toAbsolutePath().toString();
    }

    static Path shared() {
        return Path.of(System.getProperty("lathe.shared.dir", "../shared")).toAbsolutePath();
    }

    /** Loads the bundled penguins sample into {@code d.penguins}. */
    SqlSession withPenguins() {
        run("CREATE SCHEMA IF NOT EXISTS d; LOAD DATA OVERWRITE INTO d.penguins FROM FILES (format = 'CSV', uris = ['"
                + samples() + "/penguins.csv'])");
        return this;
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    /** Closes and reopens the engine, as a restart would. */
    void restart() {
        engine.close();
        engine = Lathe.open(dataDirectory);
    }

    /** Runs a script; returns the message of the last statement (or "rows"). */
    String run(String sql) {
        List<String> messages = new ArrayList<>();
        engine.execute(sql, (text, result) -> {
            switch (result) {
                case Result.Message m -> messages.add(m.text());
                case Result.Rows r -> messages.add("rows");
            }
        });
        return messages.isEmpty() ? "" : messages.get(messages.size() - 1);
    }

    /** The rows of the last statement of a script, each as column name -> value. */
    List<Map<String, Object>> rows(String sql) {
        List<Map<String, Object>> rows = new ArrayList<>();
        engine.execute(sql, (text, result) -> {
            if (result instanceof Result.Rows r) {
                rows.clear();
                rows.addAll(read(r.rows()));
            }
        });
        return rows;
    }

    List<String> columns(String sql) {
        List<String> columns = new ArrayList<>();
        engine.execute(sql, (text, result) -> {
            if (result instanceof Result.Rows r) {
                columns.clear();
                ResultSetMetaData meta = r.rows().getMetaData();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(meta.getColumnLabel(i));
                }
            }
        });
        return columns;
    }

    Object value(String sql) {
        List<Map<String, Object>> rows = rows(sql);
        return rows.get(0).values().iterator().next();
    }

    LatheException failure(String sql) {
        try {
            run(sql);
        } catch (LatheException e) {
            return e;
        }
        throw new AssertionError("expected a failure from: " + sql);
    }

    private static List<Map<String, Object>> read(ResultSet rows) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        ResultSetMetaData meta = rows.getMetaData();
        while (rows.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                row.put(meta.getColumnLabel(i), plain(rows.getObject(i)));
            }
            out.add(row);
        }
        return out;
    }

    /** Lists and structs as Java lists and maps, for assertions. */
    static Object plain(Object value) throws SQLException {
        if (value instanceof Array array) {
            List<Object> list = new ArrayList<>();
            for (Object element : (Object[]) array.getArray()) {
                list.add(plain(element));
            }
            return list;
        }
        if (value instanceof Struct struct) {
            Map<String, Object> map = new LinkedHashMap<>();
            Object[] attributes = struct.getAttributes();
            if (struct instanceof org.duckdb.DuckDBStruct duck) {
                Map<String, Object> named = duck.getMap();
                for (Map.Entry<String, Object> entry : named.entrySet()) {
                    map.put(entry.getKey(), plain(entry.getValue()));
                }
                return map;
            }
            for (int i = 0; i < attributes.length; i++) {
                map.put("f" + i, plain(attributes[i]));
            }
            return map;
        }
        return value;
    }

    @Override
    public void close() {
        engine.close();
    }
}
