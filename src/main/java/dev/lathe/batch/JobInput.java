package dev.lathe.batch;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.sql.Parser;
import dev.lathe.sql.Statement;
import dev.lathe.sql.Token;
import dev.lathe.sql.Tokenizer;
import java.util.List;

/** Where a job reads its instances: a warehouse table, a query, or files. */
public sealed interface JobInput {
    /** {@code dataset.table} of the warehouse. */
    record Table(String dataset, String table) implements JobInput {
        public Table {
            requireNonNull(dataset, "dataset is null");
            requireNonNull(table, "table is null");
        }

        public String display() {
            return dataset + "." + table;
        }
    }

    /** A DuckDB/BigQuery SELECT over the warehouse. */
    record Query(String sql) implements JobInput {
        public Query {
            requireNonNull(sql, "sql is null");
            if (sql.isBlank()) {
                throw new IllegalArgumentException("the input query is empty");
            }
        }

        /**
         * The query as DuckDB runs it (BigQuery's spellings rewritten), after checking that it is one query that only
         * reads: a job's input must never change the warehouse (text such as {@code SELECT ...; DROP TABLE t} ran the
         * DROP, and kept it when the job failed).
         *
         * @throws LatheException INVALID_ARGUMENT or SYNTAX_ERROR naming what was found
         */
        public String readOnlySql() {
            return readOnlyQuery().sql();
        }

        /** As {@link #readOnlySql()}, the parsed query, whose source map leads DuckDB's offsets back to the user's text. */
        public Statement.Query readOnlyQuery() {
            Statement statement = new Parser().parse(sql);
            List<Token> tokens = Tokenizer.tokenize(sql);
            Token first = tokens.isEmpty() ? null : tokens.getFirst();
            boolean reads = first != null && (first.isWord("SELECT") || first.isWord("WITH") || first.isWord("FROM")
                    || first.isWord("VALUES") || first.isWord("TABLE") || first.isSymbol("("));
            if (!(statement instanceof Statement.Query query) || !reads || query.createdRelation().isPresent()) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The input query must be one SELECT (or WITH ... SELECT) that"
                        + " reads the warehouse; it starts with '" + (first == null ? "" : first.text()) + "' at line 1"
                        + (first == null ? "" : ", column " + first.position().column()) + ". A job never changes the warehouse:"
                        + " run other statements with lathe sql first");
            }
            for (int i = 0; i + 1 < tokens.size(); i++) {
                Token word = tokens.get(i);
                Token next = tokens.get(i + 1);
                // A data-changing CTE (WITH d AS (DELETE ... RETURNING *) SELECT ...) or a sequence's nextval/setval.
                boolean changes = word.kind() == dev.lathe.sql.TokenKind.IDENTIFIER && (word.isWord("DELETE") && next.isWord("FROM")
                        || word.isWord("INSERT") && (next.isWord("INTO") || next.isWord("OR"))
                        || word.isWord("UPDATE") && next.isName() && i + 2 < tokens.size() && tokens.get(i + 2).isWord("SET"))
                        || changesSequence(word) && next.isSymbol("(");
                if (changes) {
                    throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The input query changes the warehouse: '" + word.text()
                            + "' at line " + word.position().line() + ", column " + word.position().column() + ". A job's input query"
                            + " only reads; run other statements with lathe sql first");
                }
            }
            if (!query.calls().isEmpty()) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The input query calls " + query.calls().getFirst().function()
                        + "; a job's input query reads tables only (the job itself runs the model's prediction)");
            }
            if (!query.wildcards().isEmpty()) {
                throw new LatheException(ErrorCode.UNSUPPORTED, "The input query reads the wildcard table " + query.wildcards().getFirst().text()
                        + " (at " + query.wildcards().getFirst().position() + "), which a job's input query cannot yet; keep its rows"
                        + " with lathe sql first (CREATE TABLE dataset.name AS SELECT ...) and read that table");
            }
            return query;
        }

        /**
         * Whether {@code word} names a function that advances a sequence, however DuckDB takes the name: plain or in
         * backticks ({@code `nextval`}, {@code `main.nextval`}, {@code `system.main.nextval`}; a qualifier before it is a token
         * of its own), any case. Only the plain form was refused, and a backticked one advanced the sequence (probe ub F2). A
         * double-quoted {@code "nextval"} is a string in BigQuery's SQL, which DuckDB cannot call.
         */
        private static boolean changesSequence(Token word) {
            if (!word.isName()) {
                return false;
            }
            String name = word.kind() == dev.lathe.sql.TokenKind.IDENTIFIER ? word.text() : word.value();
            String last = name.substring(name.lastIndexOf('.') + 1);
            return last.equalsIgnoreCase("NEXTVAL") || last.equalsIgnoreCase("SETVAL");
        }
    }

    /** Local files (paths or globs), read in the order given; CSV files have a header line. */
    record Files(FileFormat format, List<String> uris) implements JobInput {
        public Files {
            requireNonNull(format, "format is null");
            uris = List.copyOf(uris);
            if (uris.isEmpty()) {
                throw new IllegalArgumentException("at least one input file is needed");
            }
        }
    }
}
