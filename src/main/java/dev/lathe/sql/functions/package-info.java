/** BigQuery ML's preprocessing functions rendered as DuckDB SQL, live (window) or frozen (TRANSFORM). */
package dev.lathe.sql.functions;
