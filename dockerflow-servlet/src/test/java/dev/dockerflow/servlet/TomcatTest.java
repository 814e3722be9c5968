package dev.dockerflow.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowConfig;
import dev.dockerflow.test.KitServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The conformance kit and the servlet cases on embedded Tomcat 11 (Servlet 6.1). */
@ExtendWith(TomcatKnownLimits.class)
class TomcatTest extends ServletContainerTest {

    @Override
    ServletContainer container() {
        return new TomcatContainer();
    }

    @Test
    void rawNonAsciiBytesInTheRequestLineGetTomcatsOwn400AndNoSummary() throws Exception {
        SummaryLines summaries = new SummaryLines();
        try (Dockerflow dockerflow = Dockerflow.builder().config(DockerflowConfig.builder().environment(Map.of()).build())
                .summarySink(summaries.sink()).build()) {
            try (KitServer server = container().start(0, KitApplication.with(DockerflowFilter.create(dockerflow)))) {
                // percent-encoded, the same bytes reach the application and are summarized as received
                assertThat(status(server, "GET /kit-bytes/%FF%FE%C3%28 HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo(404);
                assertThat(summaries.next().at("/Fields/path").asText()).isEqualTo("/kit-bytes/%FF%FE%C3%28");
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                raw.writeBytes("GET /kit-bytes/".getBytes(StandardCharsets.US_ASCII));
                raw.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0xC3, (byte) 0x28});
                raw.writeBytes(" HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(status(server, raw.toByteArray())).isEqualTo(400);
            }
            assertThat(summaries.unread()).as("Tomcat answered before any web application code ran").isEmpty();
        }
    }

    private static int status(KitServer server, byte[] requestLine) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(requestLine);
            out.write("Host: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }
}
