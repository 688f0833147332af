/** Model families and the one list that registers them; each family lives in its own sub-package. */
package dev.lathe.train;
