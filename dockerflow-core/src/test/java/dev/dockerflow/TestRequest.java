package dev.dockerflow;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A request as an adapter would describe it. */
final class TestRequest implements RequestView {
    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String principal;

    TestRequest(String method, String rawPath, String rawQuery) {
        this.method = method;
        this.rawPath = rawPath;
        this.rawQuery = rawQuery;
    }

    static TestRequest get(String path) {
        return new TestRequest("GET", path, null);
    }

    TestRequest header(String name, String value) {
        headers.put(name.toLowerCase(Locale.ROOT), value);
        return this;
    }

    TestRequest principal(String name) {
        this.principal = name;
        return this;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String rawPath() {
        return rawPath;
    }

    @Override
    public Optional<String> rawQuery() {
        return Optional.ofNullable(rawQuery);
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    @Override
    public Optional<String> principalName() {
        return Optional.ofNullable(principal);
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }
}
