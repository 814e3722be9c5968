package dev.dockerflow.examples.spring;

import dev.dockerflow.examples.testing.HeartbeatStormTest;

class SpringNotesStormIT extends HeartbeatStormTest {

    @Override
    protected String mainClass() {
        return NotesApplication.class.getName();
    }
}
