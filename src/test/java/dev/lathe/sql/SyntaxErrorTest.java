package dev.lathe.sql;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyntaxErrorTest {
    private final Parser parser = TestFunctions.parser();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            CREATE MODEL                                                    | Syntax error at line 1, column 13: expected a model name but found end of input
            CREATE MODEL d.m OPTIONS(model_type 'x')                        | Syntax error at line 1, column 37: expected '=' but found ''x''
            CREATE MODEL d.m OPTIONS(model_type = )                         | Syntax error at line 1, column 39: expected a literal (string, number, TRUE, FALSE, NULL, [array] or STRUCT(...)) but found ')'
            CREATE MODEL d.m OPTIONS(a = 1 b = 2)                           | Syntax error at line 1, column 32: expected ',' or ')' but found 'b'
            CREATE MODEL d.m OPTIONS(a = [1, 2)                             | Syntax error at line 1, column 35: expected ',' or ']' but found ')'
            CREATE MODEL d.m OPTIONS(a = -x)                                | Syntax error at line 1, column 31: expected a number after '-' but found 'x'
            CREATE MODEL d.m OPTIONS(a = 1) AS                              | Syntax error at line 1, column 35: expected a query after AS but found end of input
            CREATE MODEL d.m OPTIONS(a = 1) WITH x                          | Syntax error at line 1, column 33: expected OPTIONS, AS or end of statement but found 'WITH'
            CREATE MODEL d.m FOO                                            | Syntax error at line 1, column 18: expected TRANSFORM, INPUT, OPTIONS, AS or end of statement but found 'FOO'
            CREATE OR REPLACE MODEL IF NOT EXISTS d.m                       | Syntax error at line 1, column 25: CREATE OR REPLACE MODEL cannot be combined with IF NOT EXISTS; use one of them
            CREATE MODEL d.m@2 OPTIONS(a = 1)                               | Syntax error at line 1, column 14: CREATE MODEL takes a model name without a version suffix but found 'd.m@2'; the registry numbers versions itself
            CREATE MODEL d.m TRANSFORM() AS SELECT 1                        | Syntax error at line 1, column 28: expected a TRANSFORM item but found ')'
            CREATE MODEL d.m TRANSFORM(a,, b) AS SELECT 1                   | Syntax error at line 1, column 30: expected a TRANSFORM item but found ','
            CREATE MODEL d.m TRANSFORM(a AS) AS SELECT 1                    | Syntax error at line 1, column 32: expected an alias after AS but found ')'
            CREATE MODEL d.m TRANSFORM(* EXCEPT a) AS SELECT 1              | Syntax error at line 1, column 37: expected '(' but found 'a'
            CREATE MODEL d.m TRANSFORM(* REPLACE(x * 2)) AS SELECT 1        | Syntax error at line 1, column 43: expected AS <column> after the REPLACE expression but found ')'
            CREATE MODEL d.m INPUT(a INT64) OPTIONS(a=1)                    | Syntax error at line 1, column 33: expected OUTPUT but found 'OPTIONS'
            CREATE MODEL d.m INPUT(a) OUTPUT(b INT64)                       | Syntax error at line 1, column 25: expected a type for column 'a' but found ')'
            CREATE MODEL a.b.c.d OPTIONS(x = 1)                             | Syntax error at line 1, column 14: expected a model name as name, dataset.name or project.dataset.name but found 'a.b.c.d'
            DROP MODEL                                                      | Syntax error at line 1, column 11: expected a model name but found end of input
            DROP MODEL IF d.m                                               | Syntax error at line 1, column 15: expected EXISTS but found 'd'
            DROP MODEL d.m extra                                            | Syntax error at line 1, column 16: expected end of statement after the model name but found 'extra'
            LOAD DATA d.t FROM FILES(format='CSV')                          | Syntax error at line 1, column 11: expected INTO but found 'd'
            LOAD DATA INTO d.t FILES(format='CSV')                          | Syntax error at line 1, column 20: expected FROM but found 'FILES'
            LOAD DATA INTO d.t FROM FILES(format='CSV'                      | Syntax error at line 1, column 43: expected ',' or ')' but found end of input
            SELECT * FROM ML.PREDICT(MODEL, TABLE t)                        | Syntax error at line 1, column 26: expected MODEL <name> as the first argument of ML.PREDICT but found 'MODEL'
            SELECT * FROM ML.PREDICT(MODEL d.m x, TABLE t)                  | Syntax error at line 1, column 36: expected ',' or ')' after the model name but found 'x'
            SELECT * FROM ML.PREDICT(MODEL d.m, TABLE t                     | Syntax error at line 1, column 44: expected ')' to close '(' at line 1, column 25 but found end of input
            SELECT * FROM ML.PREDICT(MODEL d.m, TABLE t, STRUCT(x AS y))    | Syntax error at line 1, column 53: expected a literal (string, number, TRUE, FALSE, NULL, [array] or STRUCT(...)) but found 'x'
            SELECT * FROM ML.PREDICT(MODEL d.m@, TABLE t)                   | Syntax error at line 1, column 36: expected a version number or alias after '@' but found ','
            ;;                                                              | Syntax error at line 1, column 3: expected a statement but found end of input
            SELECT 1; SELECT 2                                              | Syntax error at line 1, column 11: expected one statement but found 'SELECT'
            """)
    void reportsLineColumnExpectationAndFoundToken(String sql, String message) {
        assertThatThrownBy(() -> parser.parse(sql))
                .isInstanceOf(LatheException.class)
                .hasMessage(message)
                .extracting(e -> ((LatheException) e).code()).isEqualTo(ErrorCode.SYNTAX_ERROR);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            SELECT 1;\\nSELECT 'oops                         | Syntax error at line 2, column 8: unterminated string literal
            SELECT 1;\\n\\n  DROP MODEL IF EXISTS            | Syntax error at line 3, column 23: expected a model name but found end of input
            SELECT 1;\\nCREATE MODEL m OPTIONS(\\n  a = ) | Syntax error at line 3, column 7: expected a literal
            """)
    void positionsInScriptsCountFromTheWholeScript(String script, String messageStart) {
        assertThatThrownBy(() -> parser.parseScript(script.replace("\\n", "\n")))
                .isInstanceOf(LatheException.class)
                .hasMessageStartingWith(messageStart);
    }
}
