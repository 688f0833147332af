package dev.lathe.engine;

/** Turns a query in BigQuery dialect (possibly with ML table functions) into DuckDB SQL within a scope. */
@FunctionalInterface
interface QueryPreparer {
    String prepare(String query, Scope scope);
}
