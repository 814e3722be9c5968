package dev.dockerflow.logback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerflow.ActiveRequest;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.RequestSummary;
import dev.dockerflow.RequestView;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The code of README.md's usage section; it must compile and do what the README says. */
class ReadmeExampleTest {

    private static final RequestView REQUEST = new RequestView() {
        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String rawPath() {
            return "/items";
        }

        @Override
        public Optional<String> rawQuery() {
            return Optional.empty();
        }

        @Override
        public Optional<String> header(String name) {
            return Optional.empty();
        }
    };

    @Test
    void summariesThroughLogback() {
        try (Capture capture = new Capture(RequestSummary.TYPE, new MozlogEncoder())) {
            // README: sink
            Dockerflow dockerflow = Dockerflow.builder()
                    .summarySink(LogbackSummarySink.create())
                    .build();
            // README: end

            try (ActiveRequest request = dockerflow.startRequest(REQUEST)) {
                request.complete(204, null);
            }

            assertThat(capture.lines()).singleElement().asString()
                    .startsWith("{\"Timestamp\":")
                    .contains("\"Type\":\"request.summary\"", "\"path\":\"/items\"", "\"code\":204");
        }
    }
}
