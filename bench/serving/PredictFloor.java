import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor under one :predict: XGBoost4J's in-place prediction of one row, the call Lathe's TreeEstimator makes,
 * without HTTP, JSON or the feature pipeline. Loads the booster out of a Lathe estimator.bin, then calls
 * inplace_predict on one adult row from T threads for S seconds each with the booster's nthread at 1 and at the
 * machine's core count (what TreeEstimator sets). Not part of the table; it says where :predict's time goes.
 *
 * <pre>
 * java -cp 'target/lathe.jar:target/lib/*' bench/serving/PredictFloor.java ESTIMATOR_BIN [SECONDS=3]
 * </pre>
 */
public final class PredictFloor {
    private PredictFloor() {
    }

    public static void main(String[] args) throws Exception {
        byte[] booster = boosterBytes(Files.readAllBytes(Path.of(args[0])));
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        // age, workclass, fnlwgt, education, education_num, marital_status, occupation, relationship, race, sex,
        // capital_gain, capital_loss, hours_per_week, native_country: the first adult row, label-encoded
        float[] row = {39, 7, 77516, 10, 13, 5, 1, 2, 5, 2, 2174, 0, 40, 39};
        int cores = Runtime.getRuntime().availableProcessors();
        for (int nthread : new int[] {cores, 1}) {
            Booster model = XGBoost.loadModel(booster);
            model.setParam("nthread", nthread);
            for (int threads : new int[] {1, cores}) {
                run(model, row, 1, 1.0); // warm-up
                double perSecond = run(model, row, threads, seconds);
                System.out.printf(Locale.ROOT, "RESULT floor nthread=%d callers=%d calls_per_s=%.0f us_per_call_per_caller=%.1f%n",
                        nthread, threads, perSecond, threads * 1e6 / perSecond);
            }
            model.dispose();
        }
    }

    private static double run(Booster model, float[] row, int threads, double seconds) throws InterruptedException {
        AtomicLong calls = new AtomicLong();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                long n = 0;
                try {
                    while (System.nanoTime() < end) {
                        model.inplace_predict(row, 1, row.length, Float.NaN, new int[] {0, 0});
                        n++;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                calls.addAndGet(n);
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return calls.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** The UBJSON booster inside Lathe's tree envelope (see fastapi_app.py for the layout). */
    static byte[] boosterBytes(byte[] envelope) throws Exception {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(envelope));
        in.readInt();
        in.readInt();
        in.readUTF();
        in.readInt();
        in.readInt();
        int iterations = in.readInt();
        in.skipNBytes(iterations * 37L);
        return in.readNBytes(in.readInt());
    }
}
