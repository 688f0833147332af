package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    @Test
    void suggestsNearestName() {
        assertThat(Suggestions.nearest("learnrate", List.of("learn_rate", "l1_reg", "max_iterations"))).contains("learn_rate");
    }

    @Test
    void aSuggestionOrAFullStopEndsTheSentenceBeforeTheNext() {
        assertThat(Suggestions.didYouMeanOrStop("learnrate", List.of("learn_rate", "l1_reg"))).isEqualTo("; did you mean 'learn_rate'?");
        assertThat(Suggestions.didYouMeanOrStop("zzzzzz", List.of("learn_rate", "l1_reg"))).isEqualTo(".");
        assertThat(Suggestions.didYouMean("zzzzzz", List.of("learn_rate", "l1_reg"))).isEmpty();
    }

    @Test
    void suggestsNothingWhenFarAway() {
        assertThat(Suggestions.nearest("zzzzzz", List.of("learn_rate", "l1_reg"))).isEmpty();
    }
}
