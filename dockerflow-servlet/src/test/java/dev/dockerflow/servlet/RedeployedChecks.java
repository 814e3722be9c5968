package dev.dockerflow.servlet;

import dev.dockerflow.Dockerflow;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.List;

/**
 * Part of the web application {@link RedeployTest} deploys, loaded by its class loader: gives
 * the filter declared in {@code web.xml} a Dockerflow with a check that takes a moment (so a
 * heartbeat waits for it), through the servlet-context attribute, and closes it with the context.
 */
public class RedeployedChecks implements ServletContextListener {

    private Dockerflow dockerflow;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        dockerflow = Dockerflow.builder().check("slow", () -> {
            Thread.sleep(20); // a backend that takes a moment
            return List.of();
        }).build();
        event.getServletContext().setAttribute(DockerflowFilter.DOCKERFLOW_ATTRIBUTE, dockerflow);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        dockerflow.close();
    }
}
