package dev.lathe.sql;

/** A comment's span in the tokenized text; kept so that rewriting can carry it over in DuckDB syntax. */
public record Comment(int start, int end, boolean hash) {}
