package dev.dockerflow.servlet;

/** The conformance kit and the servlet cases on embedded Jetty 12.1 ee11 (Servlet 6.1). */
class JettyEe11Test extends ServletContainerTest {

    @Override
    ServletContainer container() {
        return new JettyEe11Container();
    }
}
