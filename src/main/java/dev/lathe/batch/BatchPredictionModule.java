package dev.lathe.batch;

import dev.lathe.server.QueryParameters;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.server.ApiException;
import dev.lathe.server.ApiRequest;
import dev.lathe.server.ApiResponse;
import dev.lathe.server.Json;
import dev.lathe.server.LatheServer;
import dev.lathe.server.ServerModule;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Vertex AI BatchPredictionJob REST surface: create, list (paged), get, {@code :cancel} and delete under
 * {@code /v1/projects/{project}/locations/{location}/batchPredictionJobs}. Jobs run on a {@link JobRunner} with two
 * threads that the server's start-up hook creates after marking jobs a previous run left RUNNING as failed and
 * requeueing the queued ones.
 */
public final class BatchPredictionModule implements ServerModule {
    public static final String COLLECTION = "/v1/projects/{project}/locations/{location}/batchPredictionJobs";
    private static final int DEFAULT_PAGE_SIZE = 100;

    @Override
    public void configure(LatheServer.Builder builder) {
        AtomicReference<JobRunner> runner = new AtomicReference<>();
        builder.startupHook("batch prediction jobs", platform -> {
            JobRunner started = new JobRunner(platform, 2, dev.lathe.core.OutOfMemory.Process.SERVER);
            started.recover(true);
            runner.set(started);
        });
        builder.onStop(() -> { // the server's running jobs end CANCELLED rather than RUNNING with nothing running them
            JobRunner started = runner.get();
            if (started != null) {
                started.close();
            }
        });
        builder.route("POST", COLLECTION, request -> {
            JobSpec spec = JobJson.parseRequest(request.jsonObject());
            return ApiResponse.json(200, JobJson.resource(running(runner).submit(spec), parent(request)));
        });
        builder.route("GET", COLLECTION, request -> list(running(runner), request));
        builder.route("GET", COLLECTION + "/{job}", request -> ApiResponse.json(200,
                JobJson.resource(running(runner).current(running(runner).store().require(id(request))), parent(request))));
        builder.route("POST", COLLECTION + "/{job}:cancel", request -> ApiResponse.json(200,
                JobJson.resource(running(runner).cancel(id(request)), parent(request))));
        builder.route("DELETE", COLLECTION + "/{job}", request -> {
            running(runner).store().delete(id(request));
            // a finished long-running operation, as Vertex answers a delete; it was {} (probe R)
            return ApiResponse.json(200, dev.lathe.serve.EndpointJson.deleted(request.pathParam("project"), request.pathParam("location")));
        });
    }

    private static final java.util.regex.Pattern FILTER_TERM = java.util.regex.Pattern.compile(
            "(state|display_name)\\s*=\\s*(\"[^\"]*\"|\\S+)");

    private static JobRunner running(AtomicReference<JobRunner> runner) {
        JobRunner value = runner.get();
        if (value == null) {
            throw new ApiException(503, "UNAVAILABLE", "Batch prediction jobs are not ready yet; retry once /readyz answers 200",
                    List.of(), "UNAVAILABLE");
        }
        return value;
    }

    private static String parent(ApiRequest request) {
        return "projects/" + request.pathParam("project") + "/locations/" + request.pathParam("location");
    }

    private static long id(ApiRequest request) {
        String text = request.pathParam("job");
        if (!text.matches("[1-9]\\d{0,17}")) {
            throw ApiException.notFound("Batch prediction job '" + text + "' does not exist; job ids are positive integers");
        }
        return Long.parseLong(text);
    }

    private static ApiResponse list(JobRunner runner, ApiRequest request) {
        JobStore store = runner.store();
        QueryParameters query = new QueryParameters(request.queryString(), Set.of("pageSize", "pageToken", "filter"));
        int pageSize = query.pageSize(DEFAULT_PAGE_SIZE, 1000);
        // Newest first, paged by id; the token is bound to the filter, whose other matches it would skip (probe qe)
        dev.lathe.registry.OrderBy order = dev.lathe.registry.OrderBy.NONE.within(query.get("filter").orElse(""));
        Optional<Long> before;
        try {
            before = order.after(query.get("pageToken"), 1).map(values -> Long.parseLong(values.get(0)));
        } catch (dev.lathe.core.LatheException | NumberFormatException e) {
            throw ApiException.badField("pageToken", "is not a token a previous list call with this filter returned: '"
                    + query.get("pageToken").orElse("") + "'; pass its nextPageToken unchanged, or no token for the first page");
        }
        Optional<JobState> state = Optional.empty();
        Optional<String> displayName = Optional.empty();
        // AIP-160's filter (spec 0), the terms a job list is filtered by: state=JOB_STATE_..., display_name="..." (it was a 400)
        for (String term : query.get("filter").map(f -> f.strip().split("\\s+AND\\s+")).orElse(new String[0])) {
            java.util.regex.Matcher m = FILTER_TERM.matcher(term.strip());
            if (!m.matches()) {
                throw ApiException.badField("filter", "'" + term.strip() + "' is not supported; accepted: state=JOB_STATE_<STATE>,"
                        + " display_name=\"<name>\", joined by AND");
            }
            String value = m.group(2).replaceAll("^\"|\"$", "");
            if (m.group(1).equals("state")) {
                try {
                    state = Optional.of(JobState.parse(value));
                } catch (dev.lathe.core.LatheException e) {
                    throw ApiException.badField("filter", e.getMessage());
                }
            } else {
                displayName = Optional.of(value);
            }
        }
        // No job's display name holds a NUL (refused when a job is created), and PostgreSQL cannot even compare with one: such a
        // filter matches nothing, on both stores, as the model and endpoint filters answer (probe ub F5).
        List<BatchPredictionJob> jobs = displayName.filter(dev.lathe.core.StoredText::hasNul).isPresent() ? List.of()
                : store.list(pageSize + 1, before, state, displayName);
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode array = body.putArray("batchPredictionJobs");
        for (BatchPredictionJob job : jobs.subList(0, Math.min(pageSize, jobs.size()))) {
            array.add(JobJson.resource(runner.current(job), parent(request))); // as GET shows it (probe pu3: RUNNING here, FAILED there)
        }
        if (jobs.size() > pageSize) {
            body.put("nextPageToken", order.token(List.of(Long.toString(jobs.get(pageSize - 1).id()))));
        }
        return ApiResponse.json(200, body);
    }

}
