/**
 * Fixtures shared by tests: builders for small batches and a CSV reader for the datasets under
 * {@code src/test/resources/datasets}. Real data and real components, no mocks.
 */
package dev.lathe.testing;
