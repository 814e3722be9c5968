package dev.dockerflow.examples.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockerflow.examples.testing.ExampleServiceTest;
import dev.dockerflow.examples.testing.ServiceProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JaxrsNotesIT extends ExampleServiceTest {

    @Override
    protected String mainClass() {
        return Main.class.getName();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/notes%zz", "/notes%", "/%zz/__heartbeat__", "/notes?limit=%zz"})
    void aBadPercentEncodingIsA400WithASummaryAndNeverAStackTrace(String target) throws Exception {
        try (ServiceProcess service = ServiceProcess.start(mainClass(), Map.of())) {
            int port = Integer.parseInt(service.baseUrl().substring(service.baseUrl().lastIndexOf(':') + 1));
            String answer;
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(20_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-ID: bad-target-1\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            assertThat(answer).startsWith("HTTP/1.1 400").contains("X-Request-ID: bad-target-1")
                    .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("<html");
            JsonNode summary = service.awaitSummary(n -> n.at("/Fields/rid").asText().equals("bad-target-1"),
                    Duration.ofSeconds(10));
            String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
            assertThat(summary.at("/Fields/path").asText()).isEqualTo(path);
            assertThat(summary.at("/Fields/code").asInt()).isEqualTo(400);
            assertThat(summary.at("/Fields/errno").asInt()).isZero();
        }
    }
}
