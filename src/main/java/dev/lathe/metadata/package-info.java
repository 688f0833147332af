/**
 * The relational metadata store behind the registry (and later endpoints, deployments and jobs): SQLite
 * in the data directory by default, PostgreSQL by JDBC URL, with versioned schema migrations applied at
 * open. Callers work in short transactions through {@link dev.lathe.metadata.MetadataStore#inTransaction}.
 */
package dev.lathe.metadata;
