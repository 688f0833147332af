package dev.lathe.engine;

import dev.lathe.sql.Statement;

/** Turns a parsed query (possibly with ML table functions) into DuckDB SQL within a scope. */
@FunctionalInterface
interface QueryPreparer {
    String prepare(Statement.Query query, Scope scope);
}
