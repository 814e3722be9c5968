package dev.dockerflow.examples.helidon;

import dev.dockerflow.examples.testing.ExampleServiceTest;

class HelidonNotesIT extends ExampleServiceTest {

    @Override
    protected String mainClass() {
        return Main.class.getName();
    }
}
