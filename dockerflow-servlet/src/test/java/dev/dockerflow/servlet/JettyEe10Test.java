package dev.dockerflow.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.servlet.ServletContext;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit and the servlet cases on embedded Jetty 12.1 ee10 (Servlet 6.0). The
 * build runs it with the Servlet 6.0 API alone on the class path, so the filter calling
 * anything Servlet 6.1 added would fail here.
 */
class JettyEe10Test extends ServletContainerTest {

    @Override
    ServletContainer container() {
        return new JettyEe10Container();
    }

    @Test
    void runsOnTheServlet60Api() {
        String expected = System.getProperty("dockerflow.test.servletApiJar");
        assumeTrue(expected != null, "only the build's servlet-6.0 run puts the 6.0 API alone on the class path");
        assertThat(ServletContext.class.getProtectionDomain().getCodeSource().getLocation().getPath()).endsWith(expected);
    }
}
