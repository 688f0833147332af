package dev.lathe.train.boosted;

import static org.assertj.core.api.Assertions.assertThat;

import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.Test;

class XgboostErrorsTest {
    @Test
    void reasonDropsTheNativeBacktraceAndTheSourceLine() {
        XGBoostError error = new XGBoostError("[10:54:58] /workspace/src/tree/updater_colmaker.cc:110: column sample by node is not"
                + " yet supported by the exact tree method\nStack trace:\n  [bt] (0) /work/qc/target/native/libxgboost4j.so(dmlc::"
                + "LogMessageFatal::~LogMessageFatal()+0x6e) [0x7f0732e861ee]\n  [bt] (1) /work/qc/target/native/libxgboost4j.so"
                + "(+0x2f1c3a) [0x7f0732f3dc3a]\n");
        assertThat(XgboostErrors.reason(error)).isEqualTo("column sample by node is not yet supported by the exact tree method");
    }

    @Test
    void reasonKeepsAMessageWithoutBacktraceAsItIs() {
        assertThat(XgboostErrors.reason(new XGBoostError("Check failed: value too large"))).isEqualTo("Check failed: value too large");
    }
}
