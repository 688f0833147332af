package dev.lathe.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A version's lineage names the tables its training query reads, and nothing else (probe qe). */
class SourceTablesTest {
    @Test
    void aFunctionsFromNamesNoTable() {
        assertThat(RegistryRules.sourceTables("SELECT flipper_length_mm, TRIM(BOTH ' ' FROM sex) AS sex2, SUBSTRING(island FROM 2) AS i,"
                + " EXTRACT(YEAR FROM DATE '2020-01-01') AS y, body_mass_g FROM p.raw WHERE body_mass_g IS NOT NULL"))
                .containsExactly("p.raw");
    }

    @Test
    void subqueriesCtesAndCaseAreResolved() {
        assertThat(RegistryRules.sourceTables("WITH base AS (SELECT * FROM `p.raw`) SELECT b.flipper_length_mm, i.n FROM base b"
                + " JOIN p.isl i USING (island) WHERE b.island IN (SELECT island FROM P.Isl)"
                + " AND COALESCE((SELECT max(n) FROM p.other), 0) > 0 AND EXTRACT(YEAR FROM DATE '2020-01-01') = 2020"))
                .containsExactly("p.raw", "p.isl", "p.other");
    }
}
