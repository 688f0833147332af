package dev.lathe.testing;

import dev.lathe.engine.Engine;
import dev.lathe.engine.Result;
import java.util.ArrayList;
import java.util.List;

/** Reads what a query answers through an {@link Engine}, for tests. */
public final class EngineValues {
    private EngineValues() {}

    /** The first column of the first row of the script's last query. */
    public static Object value(Engine engine, String sql) {
        List<Object> values = new ArrayList<>();
        engine.execute(sql, (text, result) -> {
            if (result instanceof Result.Rows rows) {
                rows.rows().next();
                values.add(rows.rows().getObject(1));
            }
        });
        return values.get(values.size() - 1);
    }
}
