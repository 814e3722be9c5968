package dev.dockerflow.servlet;

import dev.dockerflow.Dockerflow;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/** The module README's Jetty shutdown drain, as written there; the same for ee10 and ee11. */
final class JettyDrain {

    private JettyDrain() {
    }

    static void wire(Server server, Dockerflow dockerflow) {
        // README: Jetty drain
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopping(LifeCycle stopping) {
                try {
                    dockerflow.drainAndWait(); // the connectors still accept: /__lbheartbeat__ answers 503, all else is served
                } catch (InterruptedException e) {
                    // the drain ends early and the stop goes on; not set again, so the grace period stays whole
                }
            }

            @Override
            public void lifeCycleStopped(LifeCycle stopped) {
                dockerflow.close(); // summarizes any request the stop cut off
            }
        });
        server.setStopAtShutdown(true); // SIGTERM stops the server: drain, graceful stop, close
        // end README
    }
}
