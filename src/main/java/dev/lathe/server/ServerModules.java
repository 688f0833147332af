package dev.lathe.server;

import java.util.List;

/** The modules {@code lathe server} installs, in order; components add theirs to this list. */
public final class ServerModules {
    private ServerModules() {}

    public static List<ServerModule> standard() {
        return List.of(new dev.lathe.serve.ModelsModule(), new dev.lathe.serve.EndpointsModule(), new dev.lathe.batch.BatchPredictionModule(),
                new dev.lathe.monitor.MonitoringModule());
    }
}
