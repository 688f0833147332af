package dev.lathe.sql.functions;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ML.TF_IDF: {@code {index, tf * idf}} per dictionary term present in the document, ascending by index, with
 * tf = count / document size (NULL tokens included in the size) and idf = ln(1 + documents / (1 + documents
 * containing the term)). Index 0 is the unknown term: unknown and NULL tokens pooled, its document count being
 * the documents with at least one such token.
 *
 * <p>Only the frozen form is supported: the unknown term's document count depends on the dictionary, an
 * aggregate over an aggregate that a single window cannot express.
 */
final class TfIdf implements PreprocessingFunction {
    private static final String USAGE = "TF_IDF(tokenized_document [, top_k] [, frequency_threshold]) OVER()";

    @Override
    public String name() {
        return "TF_IDF";
    }

    @Override
    public boolean analytic() {
        return true;
    }

    @Override
    public String renderWindow(List<String> arguments, String overClause) {
        Arguments.of(name(), arguments).requireCount(1, 3, USAGE);
        throw new LatheException(ErrorCode.UNSUPPORTED, "ML.TF_IDF is supported inside TRANSFORM only (where its dictionary "
                + "and document frequencies are fitted once); in a plain query use ML.BAG_OF_WORDS and compute the weights in SQL");
    }

    @Override
    public Fitted fit(List<String> argumentTexts, String inputRelation, Connection connection) {
        Arguments arguments = Arguments.of(name(), argumentTexts).requireCount(1, 3, USAGE);
        String document = arguments.expression(0);
        EncoderArguments limits = EncoderArguments.read(arguments, 1);
        String counts = Vocabulary.documentCounts(document, "");
        String terms = Vocabulary.terms(counts, limits.topK(), limits.frequencyThreshold());
        String dictionaryQuery = """
                SELECT lathe_terms, list_transform(lathe_terms, lambda lathe_t: map_extract_value(lathe_counts, lathe_t)), lathe_documents
                FROM (SELECT %s AS lathe_counts, count(*) AS lathe_documents FROM (%s) AS lathe_fit_input) AS lathe_counted,
                     LATERAL (SELECT %s AS lathe_terms) AS lathe_dictionary
                """.formatted(counts, inputRelation, terms.replace(counts, "lathe_counts"));
        try {
            List<String> vocabulary = new ArrayList<>();
            List<Long> documentFrequencies = new ArrayList<>();
            long documents;
            try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(dictionaryQuery)) {
                row.next();
                elements(row.getObject(1)).forEach(t -> vocabulary.add(String.valueOf(t)));
                elements(row.getObject(2)).forEach(c -> documentFrequencies.add(((Number) c).longValue()));
                documents = row.getLong(3);
            }
            String vocabularyLiteral = SqlLiterals.dictionary(vocabulary);
            String unknownQuery = "SELECT count(*) FROM (" + inputRelation + ") AS lathe_fit_input WHERE list_contains("
                    + Vocabulary.tokenIndices(vocabularyLiteral, document) + ", 0)";
            long unknownDocuments;
            try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(unknownQuery)) {
                row.next();
                unknownDocuments = row.getLong(1);
            }
            List<Double> weights = new ArrayList<>();
            weights.add(idf(documents, unknownDocuments));
            documentFrequencies.forEach(df -> weights.add(idf(documents, df)));
            Map<String, Object> statistics = new LinkedHashMap<>();
            statistics.put("vocabulary", List.copyOf(vocabulary));
            statistics.put("idf", List.copyOf(weights));
            statistics.put("num_documents", documents);
            String sql = BagOfWords.termCounts(Vocabulary.tokenIndices(vocabularyLiteral, document),
                    "lathe_e.value / len(lathe_i) * " + SqlLiterals.doubleList(weights) + "[lathe_e.key + 1]");
            return new Fitted(sql, statistics);
        } catch (SQLException e) {
            throw new LatheException(ErrorCode.SQL_ERROR, "Computing the statistics of ML.TF_IDF over the training input failed: "
                    + dev.lathe.core.DuckDbMessages.brief(e.getMessage()), e);
        }
    }

    private static double idf(long documents, long documentsWithTerm) {
        return Math.log(1 + (double) documents / (1 + documentsWithTerm));
    }

    private static List<Object> elements(Object value) throws SQLException {
        return value instanceof Array array ? Arrays.asList((Object[]) array.getArray()) : List.of();
    }
}
