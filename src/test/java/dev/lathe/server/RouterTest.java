package dev.lathe.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final HttpMetrics metrics = new HttpMetrics(new ServerMetrics());
    private final Router router = new Router();

    private Router.Route route(String method, String template) {
        Router.Route route = new Router.Route(method, template, request -> null, metrics);
        router.add(route);
        return route;
    }

    @Test
    void literalTemplatedAndCustomVerbRoutes() {
        Router.Route health = route("GET", "/healthz");
        Router.Route get = route("GET", "/v1/projects/{project}/locations/{location}/endpoints/{endpoint}");
        Router.Route delete = route("DELETE", "/v1/projects/{project}/locations/{location}/endpoints/{endpoint}");
        Router.Route predict = route("POST", "/v1/projects/{project}/locations/{location}/endpoints/{endpoint}:predict");
        Router.Route explain = route("POST", "/v1/projects/{project}/locations/{location}/endpoints/{endpoint}:explain");
        route("POST", "/v1/projects/{project}/locations/{location}/models/{model}:copy");

        assertThat(router.find("GET", "/healthz")).isEqualTo(new Router.Match(health, Map.of()));
        assertThat(router.find("POST", "/v1/projects/p/locations/l/endpoints/e:predict"))
                .isEqualTo(new Router.Match(predict, Map.of("project", "p", "location", "l", "endpoint", "e")));
        assertThat(router.find("POST", "/v1/projects/p/locations/l/endpoints/e:explain")).extracting(m -> ((Router.Match) m).route())
                .isEqualTo(explain);
        assertThat(router.find("GET", "/v1/projects/p/locations/l/endpoints/e")).isEqualTo(new Router.Match(get,
                Map.of("project", "p", "location", "l", "endpoint", "e")));
        assertThat(router.find("DELETE", "/v1/projects/p/locations/l/endpoints/e")).extracting(m -> ((Router.Match) m).route())
                .isEqualTo(delete);
        // Matched paths are remembered per method: asking again, alternating methods, gives the same answers.
        for (int i = 0; i < 3; i++) {
            assertThat(router.find("GET", "/v1/projects/p/locations/l/endpoints/e")).isEqualTo(new Router.Match(get,
                    Map.of("project", "p", "location", "l", "endpoint", "e")));
            assertThat(router.find("DELETE", "/v1/projects/p/locations/l/endpoints/e")).extracting(m -> ((Router.Match) m).route())
                    .isEqualTo(delete);
            assertThat(router.find("PUT", "/v1/projects/p/locations/l/endpoints/e")).isEqualTo(new Router.Miss(true, Set.of("DELETE", "GET", "HEAD")));
        }
        // A variable holds no ':' when a verb follows it, and is never empty.
        assertThat(router.find("POST", "/v1/projects/p/locations/l/endpoints/a:b:predict")).isInstanceOf(Router.Miss.class);
        assertThat(router.find("GET", "/v1/projects/p/locations/l/endpoints/")).isEqualTo(new Router.Miss(false, Set.of()));
    }

    @Test
    void aKnownPathWithAnotherMethodListsTheAllowedOnes() {
        route("GET", "/healthz");
        route("GET", "/v1/jobs/{job}");
        route("DELETE", "/v1/jobs/{job}");
        route("POST", "/v1/jobs/{job}:cancel");

        assertThat(router.find("POST", "/healthz")).isEqualTo(new Router.Miss(true, Set.of("GET", "HEAD")));
        assertThat(router.find("PUT", "/v1/jobs/7")).isEqualTo(new Router.Miss(true, Set.of("DELETE", "GET", "HEAD")));
        // No variable holds a ':', which starts a custom verb: GET of a verb's path is a 405 naming the verb's method, not a
        // GET of a job named "7:cancel"; an unknown verb matches nothing.
        assertThat(router.find("PUT", "/v1/jobs/7:cancel")).isEqualTo(new Router.Miss(true, Set.of("POST")));
        assertThat(router.find("GET", "/v1/jobs/7:cancel")).isEqualTo(new Router.Miss(true, Set.of("POST")));
        assertThat(router.find("POST", "/v1/jobs/7:cancelx")).isEqualTo(new Router.Miss(false, Set.of()));
        assertThat(router.find("GET", "/v1/nothing")).isEqualTo(new Router.Miss(false, Set.of()));
    }

    /** Probe tb F4: HEAD is answered by the path's GET route (RFC 9110, 9.3.2), and listed where GET is allowed. */
    @Test
    void headMatchesThePathsGetRouteAndCountsUnderItsOwnMethod() {
        Router.Route health = route("GET", "/healthz");
        Router.Route model = route("GET", "/v2/models/{name}");
        route("POST", "/v2/models/{name}/infer");
        Router.Route own = route("HEAD", "/own");
        route("GET", "/own");

        for (int i = 0; i < 2; i++) { // the second time from the paths remembered
            assertThat(router.find("HEAD", "/healthz")).isEqualTo(new Router.Match(health, Map.of()));
            assertThat(router.find("HEAD", "/v2/models/m")).isEqualTo(new Router.Match(model, Map.of("name", "m")));
            assertThat(router.find("GET", "/v2/models/m")).isEqualTo(new Router.Match(model, Map.of("name", "m")));
        }
        assertThat(router.find("HEAD", "/own")).isEqualTo(new Router.Match(own, Map.of())); // a HEAD route of its own wins
        assertThat(router.find("HEAD", "/v2/models/m/infer")).isEqualTo(new Router.Miss(true, Set.of("POST")));
        assertThat(router.find("HEAD", "/v2/nothing")).isEqualTo(new Router.Miss(false, Set.of()));
        assertThat(health.metrics("GET")).isSameAs(health.metrics);
        assertThat(health.metrics("HEAD")).isNotSameAs(health.metrics).isSameAs(health.metrics("HEAD"));
    }
}
