/**
 * Models and their versions: artifacts on the file system ({@link dev.lathe.registry.ModelStore}, written
 * atomically) and the registry index in the metadata store ({@link dev.lathe.registry.Registry}: versions,
 * aliases, labels, descriptions, metrics, provenance, lineage), addressed as {@code dataset.model@version|alias}.
 */
package dev.lathe.registry;
