package dev.dockerflow;

/** What the core tells an adapter to answer for a request, as tests ask for it. */
final class TestAnswers {

    private TestAnswers() {
    }

    /** The core's answer to a request, or {@code null} when the application answers it. */
    static DockerflowResponse answer(Dockerflow df, String method, String path) {
        try (ActiveRequest request = df.startRequest(new TestRequest(method, path, null))) {
            return request.isDockerflowPath() ? request.answer() : null;
        }
    }

    static DockerflowResponse get(Dockerflow df, String path) {
        return answer(df, "GET", path);
    }
}
