/** Model artifacts and their versions: a file-system store under the data directory, written atomically. */
package dev.lathe.registry;
