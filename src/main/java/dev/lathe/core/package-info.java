/** Value types shared by every capability: columnar batches, schemas, error codes. No heavy dependencies; everything else depends on this package. */
package dev.lathe.core;
