package dev.lathe.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.engine.Engine;
import dev.lathe.engine.Lathe;
import dev.lathe.engine.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every ```sql block of README.md and of every docs page runs, top to bottom, on a fresh warehouse per page. */
class DocsExamplesTest {
    private static final Pattern SQL_BLOCK = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path directory;

    @TestFactory
    Stream<DynamicTest> docsSqlBlocksRun() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            List<Path> pages = new ArrayList<>(docs.filter(p -> p.toString().endsWith(".md")).sorted().toList());
            pages.add(0, Path.of("README.md")); // its first example was a file that is not there (probe L)
            for (Path page : pages) {
                List<String> blocks = blocks(Files.readString(page));
                if (!blocks.isEmpty()) {
                    tests.add(DynamicTest.dynamicTest(page.getFileName().toString(), () -> runPage(page, blocks)));
                }
            }
        }
        assertThat(tests).isNotEmpty();
        return tests.stream();
    }

    private void runPage(Path page, List<String> blocks) {
        try (Engine engine = Lathe.open(directory.resolve(page.getFileName().toString()))) {
            for (String block : blocks) {
                List<Object> results = new ArrayList<>();
                engine.execute(block, (text, result) -> {
                    if (result instanceof Result.Rows rows) {
                        int count = 0;
                        while (rows.rows().next()) {
                            count++;
                        }
                        results.add(count);
                    } else {
                        results.add(result);
                    }
                });
                assertThat(results).as("results of %s block:%n%s", page, block).isNotEmpty();
                assertThat(results).as("every query in %s returns rows:%n%s", page, block).doesNotContain(0);
            }
        }
    }

    static List<String> blocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = SQL_BLOCK.matcher(markdown);
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }
}
