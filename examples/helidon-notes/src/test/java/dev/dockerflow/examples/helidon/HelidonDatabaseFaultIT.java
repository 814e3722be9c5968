package dev.dockerflow.examples.helidon;

import dev.dockerflow.examples.testing.DatabaseFaultTest;

class HelidonDatabaseFaultIT extends DatabaseFaultTest {

    @Override
    protected String mainClass() {
        return Main.class.getName();
    }
}
