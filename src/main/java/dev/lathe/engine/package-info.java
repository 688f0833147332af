/** Runs parsed statements: ML statements in Java, everything else in DuckDB, with ML table functions spliced into the surrounding SQL. */
package dev.lathe.engine;
