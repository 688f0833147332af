package dev.lathe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FormattersTest {
    private static final String PREDICTIONS = """
            SELECT 'Adelie' AS species,
                   [{'label': 'Adelie', 'prob': 0.97}, {'label': 'Gentoo', 'prob': 0.03}] AS predicted_species_probs,
                   CAST(NULL AS DOUBLE) AS body_mass, 42 AS n, true AS ok
            UNION ALL
            SELECT 'Gentoo', [], 5000.5, 7, false
            ORDER BY n DESC""";

    private Connection connection;

    @BeforeEach
    void open() throws SQLException {
        connection = DriverManager.getConnection("jdbc:duckdb:");
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    private String format(ResultFormatter formatter, String sql) throws SQLException {
        StringWriter text = new StringWriter();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            formatter.write(rows, new PrintWriter(text));
        }
        return text.toString();
    }

    @Test
    void jsonLinesKeepTypesAndNestListsOfStructs() throws SQLException {
        List<String> lines = format(new JsonFormatter(), PREDICTIONS).lines().toList();
        assertThat(lines).containsExactly(
                "{\"species\":\"Adelie\",\"predicted_species_probs\":[{\"label\":\"Adelie\",\"prob\":0.97},{\"label\":\"Gentoo\",\"prob\":0.03}],"
                        + "\"body_mass\":null,\"n\":42,\"ok\":true}",
                "{\"species\":\"Gentoo\",\"predicted_species_probs\":[],\"body_mass\":5000.5,\"n\":7,\"ok\":false}");
    }

    /** Probe th F2: a, a, a_1 gave {"a":1,"a_1":2,"a_1_1":3}, so key a_1 held the second a's value. */
    @Test
    void jsonRenamesOnlyRepeatedNamesAndNeverOntoAnotherColumnsName() throws SQLException {
        assertThat(format(new JsonFormatter(), "SELECT 1 AS a, 2 AS a, 3 AS a_1").strip()).isEqualTo("{\"a\":1,\"a_2\":2,\"a_1\":3}");
        assertThat(format(new JsonFormatter(), "SELECT 1 AS a_1, 2 AS a, 3 AS a, 4 AS a, 5 AS a_3").strip())
                .isEqualTo("{\"a_1\":1,\"a\":2,\"a_2\":3,\"a_4\":4,\"a_3\":5}");
    }

    @Test
    void csvHasHeaderQuotesWhenNeededAndEmptyFieldForNull() throws SQLException {
        String csv = format(new CsvFormatter(), PREDICTIONS);
        assertThat(csv).isEqualTo("species,predicted_species_probs,body_mass,n,ok\r\n"
                + "Adelie,\"[{\"\"label\"\": \"\"Adelie\"\", \"\"prob\"\": 0.97}, {\"\"label\"\": \"\"Gentoo\"\", \"\"prob\"\": 0.03}]\",,42,true\r\n"
                + "Gentoo,[],5000.5,7,false\r\n");
        assertThat(format(new CsvFormatter(), "SELECT '' AS empty, NULL AS missing, 'a\"b' AS quoted"))
                .isEqualTo("empty,missing,quoted\r\n\"\",,\"a\"\"b\"\r\n");
    }

    /** Probe th F3: a one-column NULL row was an empty line, which pandas.read_csv and csv.DictReader skip as no row. */
    @Test
    void csvWritesAOneColumnNullRowAsAnEmptyQuotedField() throws SQLException {
        assertThat(format(new CsvFormatter(), "SELECT x FROM (VALUES (1, 1), (NULL, 2), (3, 3)) t(x, o) ORDER BY o"))
                .isEqualTo("x\r\n1\r\n\"\"\r\n3\r\n");
        assertThat(format(new CsvFormatter(), "SELECT NULL AS a, NULL AS b")).isEqualTo("a,b\r\n,\r\n");
    }

    @Test
    void tableAlignsNumbersRightShowsNullAndCountsRows() throws SQLException {
        List<String> lines = format(new TableFormatter(), "SELECT * FROM (VALUES ('a', 1), ('bbb', 1234), (NULL, NULL)) t(name, n)").lines().toList();
        assertThat(lines).containsExactly(
                "┌──────┬──────┐",
                "│ name │ n    │",
                "├──────┼──────┤",
                "│ a    │    1 │",
                "│ bbb  │ 1234 │",
                "│ NULL │ NULL │",
                "└──────┴──────┘",
                "3 rows");
    }

    @Test
    void tableShowsStructListsBigQueryLike() throws SQLException {
        String table = format(new TableFormatter(), PREDICTIONS);
        assertThat(table).contains("[{\"label\": \"Adelie\", \"prob\": 0.97}, {\"label\": \"Gentoo\", \"prob\": 0.03}]");
        assertThat(table).endsWith("2 rows" + System.lineSeparator());
    }

    @Test
    void bytesShowAsHexEscapesInEveryFormat() throws SQLException {
        String sql = "SELECT CAST('ab' AS BLOB) || from_hex('00ff') AS b";
        assertThat(format(new CsvFormatter(), sql)).isEqualTo("b\r\n\\x61\\x62\\x00\\xFF\r\n");
        assertThat(format(new JsonFormatter(), sql)).isEqualTo("{\"b\":\"\\\\x61\\\\x62\\\\x00\\\\xFF\"}" + System.lineSeparator());
        assertThat(format(new TableFormatter(), sql)).contains("│ \\x61\\x62\\x00\\xFF │");
    }

    @Test
    void timesShowSecondsAndInstantsShowInUtc() throws SQLException {
        // DuckDB reads a TIMESTAMP WITH TIME ZONE back in the JVM's zone; it shows as the UTC time, like a TIMESTAMP.
        String sql = "SELECT TIME '10:00:00' AS t, TIME '10:00:01.25' AS f, TIMESTAMPTZ '2024-01-05 10:00:00+05' AS i,"
                + " TIMESTAMPTZ '2024-01-05 10:00:01.5+00' AS j";
        assertThat(format(new CsvFormatter(), sql)).isEqualTo("t,f,i,j\r\n10:00:00,10:00:01.25,2024-01-05 05:00:00,2024-01-05 10:00:01.5\r\n");
    }

    /** Probe th F12: TIMETZ '10:00:00+02' printed as OffsetTime's text, 10:00+02:00, without the seconds TIME keeps. */
    @Test
    void timesWithTimeZoneShowSecondsAndTheOffsetAsDuckDbWritesThem() throws SQLException {
        String sql = "SELECT TIMETZ '10:00:00+02' AS t, TIMETZ '10:00:01.5-05:30' AS u";
        assertThat(format(new CsvFormatter(), sql)).isEqualTo("t,u\r\n10:00:00+02,10:00:01.5-05:30\r\n");
        assertThat(format(new JsonFormatter(), sql).strip()).isEqualTo("{\"t\":\"10:00:00+02\",\"u\":\"10:00:01.5-05:30\"}");
    }

    @Test
    void tableEscapesControlCharactersSoValuesCannotDriveTheTerminal() throws SQLException {
        // an ESC sequence in a value (chr(27) || '[31m') recoloured the terminal; now it shows as text
        List<String> lines = format(new TableFormatter(), "SELECT chr(27) || '[31mred' AS s UNION ALL SELECT 'a' || chr(10) || 'b'"
                + " UNION ALL SELECT 'bell' || chr(7)").lines().toList();
        assertThat(lines).contains("│ \\x1B[31mred │", "│ a\\nb        │", "│ bell\\x07    │");
    }

    /** Probe th F12: a RIGHT-TO-LEFT OVERRIDE in a value reordered the rest of the table's line. */
    @Test
    void tableEscapesBidirectionalControls() throws SQLException {
        List<String> lines = format(new TableFormatter(), "SELECT chr(8238) || 'abc' AS s UNION ALL SELECT 'x' || chr(8294) || 'y'").lines().toList();
        assertThat(lines).contains("│ \\u202Eabc │", "│ x\\u2066y  │");
    }

    @Test
    void tableCountsWideCharactersAsTwoColumns() throws SQLException {
        List<String> lines = format(new TableFormatter(), "SELECT * FROM (VALUES ('日本'), ('abcd'), ('é')) t(word)").lines().toList();
        assertThat(lines).contains("│ 日本 │", "│ abcd │", "│ é    │");
    }

    @Test
    void tableKeepsSampledWidthsForLaterRowsAndTruncatesWithEllipsis() throws SQLException {
        String sql = "SELECT * FROM (VALUES (1, 'ab'), (2, 'abcdef')) t(i, word) ORDER BY i";
        List<String> lines = format(new TableFormatter(1, 80), sql).lines().toList();
        assertThat(lines).contains("│ 1 │ ab   │", "│ 2 │ abc… │", "2 rows");
        assertThat(TableFormatter.fit("abcdefgh", 5)).isEqualTo("abcd…");
        assertThat(TableFormatter.fit("日本語", 4)).isEqualTo("日…");
    }

    @Test
    void doublesPrintShortestWithoutExponentForOrdinaryMagnitudes() {
        assertThat(Values.formatDouble(0.97)).isEqualTo("0.97");
        assertThat(Values.formatDouble(12345678.9)).isEqualTo("12345678.9");
        assertThat(Values.formatDouble(1e7)).isEqualTo("10000000.0");
        assertThat(Values.formatDouble(0.00012)).isEqualTo("0.00012");
        assertThat(Values.formatDouble(1e-15)).isEqualTo("1.0E-15");
        assertThat(Values.formatDouble(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    }

    @Test
    void jsonWritesNanAsStringAndMapsAsObjects() throws SQLException {
        String json = format(new JsonFormatter(), "SELECT 'nan'::DOUBLE AS x, MAP {'a': 1, 'b': 2} AS m, DATE '2024-01-02' AS d");
        assertThat(json.strip()).isEqualTo("{\"x\":\"NaN\",\"m\":{\"a\":1,\"b\":2},\"d\":\"2024-01-02\"}");
    }
}
