package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.serve.store.FieldViolationException;
import dev.lathe.server.ApiException;
import dev.lathe.server.ApiRequest;
import dev.lathe.server.ApiResponse;
import dev.lathe.server.Json;
import dev.lathe.server.LatheServer;
import dev.lathe.server.QueryParameters;
import dev.lathe.server.RouteHandler;
import dev.lathe.server.ServerModule;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The monitoring REST surface under {@code /v1/projects/{project}/locations/{location}/modelDeploymentMonitoringJobs}
 * (Vertex AI's create, list, get, delete, {@code :pause}, {@code :resume}; Lathe's {@code :run}, {@code /runs} and
 * {@code /alerts}), and the scheduler, started by a start-up hook and stopped with the server.
 */
public final class MonitoringModule implements ServerModule {
    public static final String COLLECTION = "/v1/projects/{project}/locations/{location}/modelDeploymentMonitoringJobs";
    static final String JOB = COLLECTION + "/{job}";
    private static final int DEFAULT_PAGE_SIZE = 100;
    /** How often the scheduler looks for windows that have ended. */
    public static final Duration DEFAULT_TICK = Duration.ofSeconds(5);

    private final Clock clock;
    private final Optional<Duration> tick;
    private final WebhookPolicy webhooks;
    private final AtomicReference<Monitoring> monitoring = new AtomicReference<>();

    /** The server's module: system clock, scheduler on, default webhook retries. */
    public MonitoringModule() {
        this(Clock.systemUTC(), Optional.of(DEFAULT_TICK), WebhookPolicy.DEFAULT);
    }

    /**
     * @param tick how often the scheduler runs due windows; empty for no scheduler (a command's short-lived server,
     *     which must not run windows behind the user's back)
     */
    public MonitoringModule(Clock clock, Optional<Duration> tick, WebhookPolicy webhooks) {
        this.clock = requireNonNull(clock, "clock is null");
        this.tick = requireNonNull(tick, "tick is null");
        this.webhooks = requireNonNull(webhooks, "webhooks is null");
    }

    /** The module without a scheduler, for commands that start a server for one call. */
    public static MonitoringModule withoutScheduler() {
        return new MonitoringModule(Clock.systemUTC(), Optional.empty(), WebhookPolicy.DEFAULT);
    }

    /** The monitoring service once the start-up hook ran. */
    public Optional<Monitoring> monitoring() {
        return Optional.ofNullable(monitoring.get());
    }

    @Override
    public void configure(LatheServer.Builder builder) {
        AtomicReference<MonitorScheduler> scheduler = new AtomicReference<>();
        builder.startupHook("monitoring", platform -> {
            Monitoring opened = Monitoring.open(platform, clock, webhooks);
            monitoring.set(opened);
            if (tick.isPresent()) {
                MonitorScheduler started = new MonitorScheduler(opened);
                started.start(tick.get());
                scheduler.set(started);
            }
        });
        builder.onStop(() -> {
            Optional.ofNullable(scheduler.get()).ifPresent(MonitorScheduler::close);
            monitoring().ifPresent(Monitoring::close);
        });
        builder.route("POST", COLLECTION, guard(this::create));
        builder.route("GET", COLLECTION, guard(this::list));
        builder.route("GET", JOB, guard(request -> ApiResponse.json(200, MonitorJson.monitor(service().get(job(request)), parent(request)))));
        builder.route("DELETE", JOB, guard(request -> {
            service().delete(job(request));
            return ApiResponse.json(200, Json.MAPPER.createObjectNode());
        }));
        builder.route("POST", COLLECTION + "/{job}:pause", guard(request -> {
            service().pause(job(request));
            return ApiResponse.json(200, Json.MAPPER.createObjectNode());
        }));
        builder.route("POST", COLLECTION + "/{job}:resume", guard(request -> {
            service().resume(job(request));
            return ApiResponse.json(200, Json.MAPPER.createObjectNode());
        }));
        builder.route("POST", COLLECTION + "/{job}:run", guard(request -> ApiResponse.json(200,
                MonitorJson.run(service().runNow(job(request), MonitorJson.runWindowEnd(request.body())), parent(request)))));
        builder.route("GET", JOB + "/runs", guard(this::runs));
        builder.route("GET", JOB + "/runs/{run}", guard(request -> ApiResponse.json(200,
                MonitorJson.run(service().run(job(request), runId(request)), parent(request)))));
        builder.route("GET", JOB + "/alerts", guard(this::alerts));
    }

    private ApiResponse create(ApiRequest request) {
        QueryParameters query = new QueryParameters(request.queryString(), Set.of("modelDeploymentMonitoringJobId"));
        MonitorSpec spec = MonitorJson.parseSpec(request.jsonObject());
        return ApiResponse.json(200, MonitorJson.monitor(service().create(query.get("modelDeploymentMonitoringJobId"), spec), parent(request)));
    }

    private ApiResponse list(ApiRequest request) {
        QueryParameters query = new QueryParameters(request.queryString(), Set.of("pageSize", "pageToken"));
        int pageSize = query.pageSize(DEFAULT_PAGE_SIZE, 1000);
        List<Monitor> monitors = service().list(pageSize + 1, query.get("pageToken").orElse(""));
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode array = body.putArray("modelDeploymentMonitoringJobs");
        monitors.stream().limit(pageSize).forEach(m -> array.add(MonitorJson.monitor(m, parent(request))));
        if (monitors.size() > pageSize) {
            body.put("nextPageToken", monitors.get(pageSize - 1).id());
        }
        return ApiResponse.json(200, body);
    }

    private ApiResponse runs(ApiRequest request) {
        Page page = Page.of(request);
        List<MonitorRun> runs = service().runs(job(request), page.size() + 1, page.offset());
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode array = body.putArray("monitoringRuns");
        runs.stream().limit(page.size()).forEach(r -> array.add(MonitorJson.run(r, parent(request))));
        page.next(body, runs.size());
        return ApiResponse.json(200, body);
    }

    /** A monitor's alerts; the job {@code -} lists every monitor's (AIP-159). */
    private ApiResponse alerts(ApiRequest request) {
        Page page = Page.of(request);
        String job = job(request);
        List<Alert> alerts = service().alerts(job.equals("-") ? Optional.empty() : Optional.of(job), page.size() + 1, page.offset());
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode array = body.putArray("alerts");
        alerts.stream().limit(page.size()).forEach(a -> array.add(MonitorJson.alert(a, parent(request))));
        page.next(body, alerts.size());
        return ApiResponse.json(200, body);
    }

    /** Offset paging for runs and alerts (newest first): the token is the number of items already listed. */
    private record Page(int size, long offset) {
        static Page of(ApiRequest request) {
            QueryParameters query = new QueryParameters(request.queryString(), Set.of("pageSize", "pageToken"));
            return new Page(query.pageSize(DEFAULT_PAGE_SIZE, 1000), query.integer("pageToken", 0, 0, Long.MAX_VALUE / 2));
        }

        void next(ObjectNode body, int fetched) {
            if (fetched > size) {
                body.put("nextPageToken", Long.toString(offset + size));
            }
        }
    }

    private Monitoring service() {
        Monitoring value = monitoring.get();
        if (value == null) {
            throw new ApiException(503, "UNAVAILABLE", "Monitoring is not ready yet; retry once /readyz answers 200", List.of(), "UNAVAILABLE");
        }
        return value;
    }

    private static String parent(ApiRequest request) {
        return MonitorJson.parent(request.pathParam("project"), request.pathParam("location"));
    }

    private static String job(ApiRequest request) {
        return request.pathParam("job");
    }

    private static long runId(ApiRequest request) {
        String text = request.pathParam("run");
        if (!text.matches("[1-9]\\d{0,17}")) {
            throw ApiException.notFound("Run '" + text + "' does not exist; run ids are positive integers");
        }
        return Long.parseLong(text);
    }

    /** Field violations from the domain answer 400 naming the field and the rule. */
    private static RouteHandler guard(RouteHandler handler) {
        return request -> {
            try {
                return handler.handle(request);
            } catch (FieldViolationException e) {
                throw ApiException.badField(e.field(), e.rule());
            }
        };
    }
}
