package dev.lathe.server;

import dev.lathe.monitor.MonitoringModule;
import java.util.List;

/** The modules {@code lathe server} installs, in order; components add theirs to this list. */
public final class ServerModules {
    private ServerModules() {}

    public static List<ServerModule> standard() {
        return with(new MonitoringModule());
    }

    /**
     * The modules of a server a command starts for one call when none runs: the standard ones, but monitoring without
     * its scheduler, so that a short-lived server never runs (or catches up) monitoring windows behind the user's back.
     */
    public static List<ServerModule> forOneCall() {
        return with(MonitoringModule.withoutScheduler());
    }

    private static List<ServerModule> with(MonitoringModule monitoring) {
        return List.of(new dev.lathe.serve.ModelsModule(), new dev.lathe.serve.EndpointsModule(), new dev.lathe.batch.BatchPredictionModule(),
                monitoring);
    }
}
