/** The BigQuery ML SQL dialect: tokenizer, parser and the rewriting that hands everything that is not ML to DuckDB. */
package dev.lathe.sql;
