package dev.dockerflow;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure the JDK's timer thread behind {@link CompletableFuture#completeOnTimeout} is
 * started by a thread that holds nothing of the application.
 *
 * <p>The JDK starts that thread (ForkJoinPool's delay scheduler since JDK 25,
 * {@code CompletableFutureDelayScheduler} before) with the first timeout anyone asks for,
 * and the thread keeps the asking thread's context class loader and inheritable
 * thread-locals for the life of the JVM. Asked for first from a servlet container's request
 * or deployment thread, it would pin the web application's class loader after every
 * redeploy. So the first timeout is asked for from a fresh platform thread whose context
 * class loader is the system class loader and which inherits no thread-locals. (If
 * something else in the JVM started the timer before, there is nothing left to do.)
 */
final class JdkTimer {

    private JdkTimer() {
    }

    /** Asks for and cancels one timeout from a neutral thread; returns once it has. */
    static void startWithNeutralContext() {
        Thread starter = Thread.ofPlatform()
                .name("dockerflow-timer-start")
                .daemon()
                .inheritInheritableThreadLocals(false)
                .unstarted(() -> {
                    CompletableFuture<Void> first = new CompletableFuture<>();
                    first.completeOnTimeout(null, 1, TimeUnit.HOURS);
                    first.complete(null);
                });
        starter.setContextClassLoader(ClassLoader.getSystemClassLoader());
        boolean interrupted = false;
        try {
            starter.start();
            while (true) {
                try {
                    starter.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (RuntimeException | Error e) {
            // no thread could be started: the first timeout then starts the timer itself
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
