package dev.dockerflow.checks.upstream;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read up to a limit: past it the rest is not read (the stream is cancelled)
 * and the body counts as too large. An upstream that sends an endless body costs this many
 * bytes, never more.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<LimitedBody.Bytes> {

    /**
     * What was read.
     *
     * @param bytes the bytes, at most the limit
     * @param complete whether that was the whole body
     */
    record Bytes(byte[] bytes, boolean complete) {
    }

    private final int limit;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CompletableFuture<Bytes> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private LimitedBody(int limit) {
        this.limit = limit;
    }

    static HttpResponse.BodyHandler<Bytes> handler(int limit) {
        return info -> new LimitedBody(limit);
    }

    @Override
    public CompletionStage<Bytes> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer item : items) {
            int room = limit - buffer.size();
            if (item.remaining() > room) {
                byte[] part = new byte[room];
                item.get(part);
                buffer.writeBytes(part);
                subscription.cancel();
                result.complete(new Bytes(buffer.toByteArray(), false));
                return;
            }
            byte[] all = new byte[item.remaining()];
            item.get(all);
            buffer.writeBytes(all);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        result.complete(new Bytes(buffer.toByteArray(), true));
    }
}
