/** The embedded DuckDB warehouse: opening it, naming, and streaming relations in and out as columnar batches. */
package dev.lathe.warehouse;
